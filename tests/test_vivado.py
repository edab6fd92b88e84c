"""The assessment design's Vivado project: boards, the generated Tcl run under tclsh with Vivado's commands
recorded, its checks and named errors, and the post-route report parsers on real Vivado reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import protocol_of
from socflow.errors import ConfigError, SocflowError, ToolNotFoundError
from socflow.parts import board_for
from socflow.vivado.bitstream import vivado_bitstream
from socflow.vivado.project import check_project, dry_run, vivado_project
from socflow.vivado.report import ReportError, parse_timing_summary, parse_utilization

REPORTS = Path(__file__).parent / "fixtures" / "reports"
BOARD = {"send_scores": True, "fifo_depth": 512, "comblock_repo": None}
REQUIRED = ("socflow_stream.v", "student.v", "student_wrapper.v")
TARGETS = [
    ({"part": "xc7a35tcpg236-1", "clock_period": 10.0}, "basys3", "xilinx.com:ip:microblaze"),
    (
        {"part": "xc7z020clg400-1", "clock_period": 5.0, "board": "pynq-z2"},
        "pynq-z2",
        "xilinx.com:ip:processing_system7",
    ),
    ({"part": "xczu9eg-ffvb1156-2-e", "clock_period": 5.0}, "zcu102", "xilinx.com:ip:zynq_ultra_ps_e"),
]


def test_boards_from_parts_and_names():
    assert board_for({"part": "xc7a35tcpg236-1"}).name == "basys3"
    assert board_for({"part": "xc7z020clg400-1"}).name == "pynq-z1"  # the paper's board first
    with pytest.raises(ConfigError, match="board pynq-z2 carries xc7z020clg400-1, the target asks for xc7a35tcpg236-1"):
        board_for({"part": "xc7a35tcpg236-1", "board": "pynq-z2"})
    assert board_for({"part": "xc7k325tffg900-2"}).name == "kc705"
    with pytest.raises(ConfigError, match="no known board carries xc7a200tfbg676-2; set `board`"):
        board_for({"part": "xc7a200tfbg676-2"})


def project(rtl: Path, protocol: str, target: dict, outputs: dict) -> dict:
    """vivado_project of the RTL project folder `rtl` behind `protocol`."""
    inputs = {"verilog": str(rtl / "verilog"), "protocol": protocol}
    return vivado_project(inputs=inputs, params={"target": target, "board": BOARD}, outputs=outputs)


@pytest.fixture(scope="module")
def protocol(rtl_project, student, tmp_path_factory):
    out, _ = rtl_project
    folder = tmp_path_factory.mktemp("protocol")
    _, paths = protocol_of(out / "rtl.json", student, folder, BOARD)
    return paths["json"]


@pytest.mark.parametrize("target,board,processor", TARGETS)
def test_project_for_every_board_passes_its_checks(rtl_project, protocol, tmp_path, target, board, processor):
    out, _ = rtl_project
    outputs = {"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")}
    check = project(out, protocol, target | {"reuse_factor": 1}, outputs)
    assert (check["part"], check["board"], check["processor_ip"]) == (target["part"], board, processor)
    assert {"socflow_top.v", "socflow_stream.v", "student.v"} <= set(check["hdl_files"])
    assert json.loads((tmp_path / "check.json").read_text()) == check
    settings = (tmp_path / "vivado" / "settings.tcl").read_text()
    assert (
        f"set sf_clock_mhz {{{1000 / target['clock_period']:g}}}" in settings and "set sf_fifo_depth {512}" in settings
    )
    top = (tmp_path / "vivado" / "hdl" / "socflow_top.v").read_text()
    assert ".N_IN(30)" in top and ".IN_W(16)" in top


def test_dry_run_records_vivado_calls_and_stops_on_a_missing_comblock_repo(rtl_project, protocol, tmp_path):
    out, _ = rtl_project
    outputs = {"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")}
    project(out, protocol, TARGETS[0][0], outputs)
    calls = dry_run(tmp_path / "vivado", tmp_path)
    assert calls[0][:2] == ["file", "mkdir"] and calls[1][:2] == ["create_project", "-force"]
    assert calls[-1][0] == "write_hw_platform"
    cells = [c for c in calls if c[0] == "create_bd_cell"]
    assert any(c[-1] == "comblock_0" for c in cells) and any(c[-1] == "inference" for c in cells)
    with pytest.raises(SocflowError, match="ComBlock IP repository .*absent not found: set board.comblock_repo"):
        dry_run(tmp_path / "vivado", tmp_path / "absent")


def test_a_project_that_leaves_out_the_wrapper_fails_its_check(rtl_project, protocol, tmp_path):
    out, _ = rtl_project
    target = TARGETS[0][0]
    outputs = {"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")}
    project(out, protocol, target, outputs)
    settings = tmp_path / "vivado" / "settings.tcl"
    settings.write_text(settings.read_text().replace(" [file join $here hdl {socflow_stream.v}]", ""))
    with pytest.raises(SocflowError, match="socflow_stream.v is not added to the project"):
        check_project(tmp_path / "vivado", target, REQUIRED)
    settings.write_text(settings.read_text().replace("{xc7a35tcpg236-1}", "{xc7a100tcsg324-1}"))
    with pytest.raises(SocflowError, match="create_project does not ask for part xc7a35tcpg236-1"):
        check_project(tmp_path / "vivado", target, REQUIRED)


def test_bitstream_needs_vivado_then_the_comblock_repo(tmp_path, monkeypatch):
    outputs, params = {"utilization": str(tmp_path / "u.json")}, {"target": TARGETS[0][0], "board": BOARD}
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(ToolNotFoundError, match="'vivado', which is not on PATH"):
        vivado_bitstream(inputs={"project": str(tmp_path)}, params=params, outputs=outputs)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "vivado").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "bin" / "vivado").chmod(0o755)
    with pytest.raises(ConfigError, match="board.comblock_repo is None"):
        vivado_bitstream(inputs={"project": str(tmp_path)}, params=params, outputs=outputs)
    assert not (tmp_path / "work").exists()  # stopped before spending any time


def test_utilization_and_timing_from_real_vivado_reports():
    z7 = parse_utilization(REPORTS / "vivado2018_zynq7020_conv64_utilization_placed.rpt")
    assert z7["device"] == "7z020clg484-1" and z7["state"] == "Fully Placed"
    assert z7["resources"]["LUT"] == {"used": 7674, "available": 53200, "percent": 14.42}
    assert z7["resources"]["DSP"]["used"] == 148 and z7["resources"]["BRAM_36K"]["used"] == 2
    zu = parse_utilization(REPORTS / "vivado2024_zu48dr_rfsoc_utilization_placed.rpt")
    assert zu["resources"]["LUT"]["available"] == 425280 and zu["resources"]["BRAM_36K"]["used"] == 66.5
    assert zu["tool"].startswith("Vivado v.2024.1")
    timing = parse_timing_summary(REPORTS / "vivado2018_zynq7020_conv64_timing_summary_routed.rpt")
    assert (timing["wns_ns"], timing["whs_ns"], timing["met"]) == (6.828, 0.022, True)
    with pytest.raises(ReportError, match="not a Vivado report_utilization report"):
        parse_utilization(REPORTS / "vivadohls2020_hls4ml_test_myproject_csynth.rpt")
    with pytest.raises(ReportError, match="no Design Timing Summary"):
        parse_timing_summary(REPORTS / "vivado2018_zynq7020_conv64_utilization_placed.rpt")

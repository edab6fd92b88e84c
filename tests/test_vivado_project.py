"""Stage vivado_project: the assessment design's Tcl project for every board, run under tclsh with Vivado's
commands recorded, and its checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import (
    RTL_TARGET,
    conv_student,
    generate,
    protocol_of,
)
from socflow.errors import SocflowError
from socflow.vivado.project import check_project, dry_run, vivado_project

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


def test_project_of_a_conv_student_takes_its_kernels(tmp_path):
    student = conv_student(tmp_path / "student", "cnn_2d")
    generate(student, tmp_path, RTL_TARGET)
    _, paths = protocol_of(tmp_path / "rtl.json", student, tmp_path, BOARD)
    outputs = {"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")}
    target = {"part": "xc7a35tcpg236-1", "clock_period": 10.0, "reuse_factor": 1}
    check = project(tmp_path, paths["json"], target, outputs)
    kernels = {"student_kernel0.v", "student_kernel1.v", "student_head.v", "student_head_stage0.v"}
    assert {"socflow_top.v", "socflow_stream.v", "student.v", "shift_adder.v"} | kernels <= set(check["hdl_files"])
    assert "student_wrapper.v" not in check["hdl_files"]

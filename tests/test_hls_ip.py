"""The hls4ml model as the board's HLS IP (socflow_ip): the export check on real and wrong exports, the Vivado
project around it, and the emulated board's handshakes (no word flows before socflow_axis starts the IP)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import (
    HLS,
    HLS_TARGET,
    convert,
    csim,
    protocol_of,
)
from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import BoardError, ComBlock, EmulatedComBlock
from socflow.board.rtl_fabric import SIM, RtlFabric, build_hls
from socflow.errors import ProjectError
from socflow.fixed import FixedType
from socflow.hls.ip import IP_PORTS, IP_TOP, exported_ip_sources, module_ports
from socflow.io import read_xy
from socflow.vivado.project import vivado_project

THIRD_PARTY_IP = Path(__file__).parent / "fixtures" / "thirdparty_ip"
BOARD = {"send_scores": True, "fifo_depth": 64, "comblock_repo": None}


@pytest.fixture(scope="module")
def hls_project(student, tmp_path_factory):
    """The student's hls4ml project (io_parallel) with socflow_ip, its C simulation and protocol."""
    folder = tmp_path_factory.mktemp("hls_ip")
    project = convert(student, folder)
    csim(student, project, folder)
    protocol, paths = protocol_of(folder / "csim.json", student, folder, BOARD)
    return project, protocol, paths


def test_the_dpi_model_has_the_ports_socflow_top_connects():
    assert set(module_ports(SIM / "socflow_ip_dpi.v")) == set(IP_PORTS)


def test_an_export_that_is_not_socflow_ip_is_refused(tmp_path):
    # the paper's HLS IP, a real export with other stream names
    shutil.copyfile(THIRD_PARTY_IP / "myproject.v", tmp_path / f"{IP_TOP}.v")
    with pytest.raises(
        ProjectError, match=r"lacks the ports socflow_top connects: \['words_in_TDATA', 'words_in_TREADY'"
    ):
        exported_ip_sources(tmp_path)
    with pytest.raises(ProjectError, match="no socflow_ip.v; not an export of socflow_ip"):
        exported_ip_sources(THIRD_PARTY_IP)
    # an export whose streams carry side channels (TKEEP, TLAST, ...: ap_axis arguments) that nothing drives
    dpi = (SIM / "socflow_ip_dpi.v").read_text()
    (tmp_path / f"{IP_TOP}.v").write_text(
        dpi.replace("input wire words_in_TVALID,", "input wire words_in_TVALID,\n    input wire [3:0] words_in_TKEEP,")
    )
    with pytest.raises(ProjectError, match=r"has inputs socflow_top does not drive: \['words_in_TKEEP'\]"):
        exported_ip_sources(tmp_path)
    shutil.copyfile(SIM / "socflow_ip_dpi.v", tmp_path / f"{IP_TOP}.v")
    (tmp_path / "socflow_ip_fmul_32ns_32ns_32_4_max_dsp_1_ip.tcl").write_text("create_ip\n")
    with pytest.raises(ProjectError, match="needs Xilinx IP cores"):
        exported_ip_sources(tmp_path)


@pytest.mark.slow
def test_vivado_project_around_the_hls_ip(hls_project, tmp_path):
    """The design around an exported socflow_ip (here a stand-in folder with the ports and a memory image, as
    Vitis exports them): socflow_axis, the IP's files and socflow_top go into the project and pass its checks."""
    _, _, paths = hls_project
    export = tmp_path / "export"
    export.mkdir()
    shutil.copyfile(SIM / "socflow_ip_dpi.v", export / f"{IP_TOP}.v")
    (export / "socflow_ip_w2_ROM_AUTO_1R.dat").write_text("00\n")
    outputs = {"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")}
    target = {"part": "xc7z020clg400-1", "clock_period": 10.0}
    inputs = {"hls_ip": str(export), "protocol": paths["json"]}
    check = vivado_project(inputs=inputs, params={"target": target, "board": BOARD}, outputs=outputs)
    assert check["ip"] == IP_TOP and check["board"] == "pynq-z1"
    assert {"socflow_top.v", "socflow_axis.v", "socflow_ip.v", "socflow_ip_w2_ROM_AUTO_1R.dat"} == set(
        check["hdl_files"]
    )
    top = (tmp_path / "vivado" / "hdl" / "socflow_top.v").read_text()
    assert "socflow_ip ip (" in top and ".N_IN(30)" in top and ".START_IP(1)" in top


@pytest.mark.slow
def test_socflow_ip_around_an_io_stream_project(student, tmp_path):
    """socflow_ip around an io_stream myproject (one stream beat carries all 30 inputs; io_parallel is in
    test_board, a CNN's one-channel beats in test_workflow), behind socflow_axis: every answer word equals
    hls4ml's own C simulation of the project."""
    from socflow.board.ip_model import csim_reference
    from socflow.models import load_model

    project = convert(student, tmp_path, dict(HLS_TARGET, io_type="io_stream"))
    csim(student, project, tmp_path)
    protocol, _ = protocol_of(tmp_path / "csim.json", student, tmp_path, BOARD)
    x, _ = read_xy(student / "test.npz")
    xq = FixedType.parse(HLS["input_precision"]).quantize(x[:60])
    reference = csim_reference(load_model(student / "model.h5"), project["config"], tmp_path / "ref")(xq)
    fabric = RtlFabric(build_hls(project["project"], protocol, tmp_path / "board", jobs=2))
    try:
        run = algorithm1(ComBlock(EmulatedComBlock(fabric, depth=64)), protocol, protocol.encode(xq))
    finally:
        fabric.close()
    classes, scores = protocol.decode(run.answers)
    assert np.array_equal(scores, reference) and np.array_equal(classes, reference.argmax(axis=1))
    assert len(np.unique(classes)) > 1


@pytest.mark.slow
def test_no_word_flows_before_the_glue_starts_the_ip(hls_project, student, tmp_path):
    project, protocol, _ = hls_project
    fabric = RtlFabric(build_hls(project["project"], protocol, tmp_path, jobs=2, start_ip=False))
    words = protocol.encode(np.zeros((1, 30)))
    try:
        with pytest.raises(BoardError, match="sample 0: answer word 0 did not arrive"):
            algorithm1(ComBlock(EmulatedComBlock(fabric, depth=64)), protocol, words, max_polls=500)
    finally:
        fabric.close()


def test_export_script_asks_for_socflow_ip_with_the_projects_settings(hls_project):
    """export_ip.tcl, run under tclsh in the generated project with the vendor commands recorded: it runs to the
    end and asks for the top socflow_ip from both sources, hls4ml's part and clock (project.tcl), and the IP."""
    from socflow.vivado.tcl import dry_run_tcl

    project = Path(hls_project[0]["project"])
    calls = dry_run_tcl(project / "export_ip.tcl", project)
    by_command = {c[0]: c[1:] for c in calls}
    assert by_command["set_top"] == [IP_TOP] and by_command["set_part"] == ["xc7z020clg400-1"]
    assert by_command["create_clock"] == ["-period", "10.0", "-name", "default"]
    added = [c[1] for c in calls if c[0] == "add_files"]
    assert added == ["firmware/myproject.cpp", "firmware/socflow_ip.cpp"] and all(
        (project / f).is_file() for f in added
    )
    assert calls[-1][:3] == ["export_design", "-format", "ip_catalog"]

"""hls_synth without a vendor tool: a named error before any work; the build command it would run; with a stand-in
tool that leaves real report and Verilog files, the order of its two runs and the board IP's port check."""

from pathlib import Path

import pytest

from socflow.errors import ToolNotFoundError
from socflow.hls.synth import build_command, hls_synth


def run_hls(tmp_path, backend, target, outputs):
    """hls_synth of tmp_path/project."""
    params = {"backend": backend, "target": target}
    return hls_synth(inputs={"project": str(tmp_path / "project")}, params=params, outputs=outputs)


def test_missing_tool_stops_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    outputs = {"synth": str(tmp_path / "synth" / "ip"), "report": str(tmp_path / "synth" / "report.json")}
    with pytest.raises(ToolNotFoundError, match=r"'hls_synth' needs 'vitis-run'.*toolchain: auto"):
        run_hls(tmp_path, "Vitis", {"part": "xc7z020clg400-1"}, outputs)
    with pytest.raises(ToolNotFoundError, match="needs 'vivado_hls'"):
        run_hls(tmp_path, "Vivado", {"part": "xc7z020clg400-1"}, outputs)
    assert not (tmp_path / "synth").exists()


def test_vitis_build_asks_for_synthesis_and_export_only(tmp_path):
    assert build_command("Vitis", tmp_path) == ["vitis-run", "--tcl", "build_prj.tcl", "--mode", "hls"]
    options = dict(line.split() for line in (tmp_path / "build_opt.tcl").read_text().splitlines()[1:-1])
    assert options == {
        "reset": "1",
        "csim": "0",
        "synth": "1",
        "cosim": "0",
        "validation": "0",
        "export": "1",
        "vsynth": "0",
        "fifo_opt": "0",
    }


def test_vivado_build_passes_options_on_the_command_line(tmp_path):
    command = build_command("Vivado", Path(tmp_path))
    assert command[:3] == ["vivado_hls", "-f", "build_prj.tcl"] and "synth=1" in command[3] and "csim=0" in command[3]


FAKE_TOOL = """#!/bin/sh
# stands in for vitis-run in this test: records its call, then leaves the files a real run leaves, taken from
# real exports ($SF_REPORT: a Vitis csynth report; $SF_IP_TOP: the Verilog of the board IP's top)
echo "$*" >> "$SF_CALLS"
case "$*" in
  *build_prj.tcl*)
    mkdir -p myproject_prj/solution1/syn/report myproject_prj/solution1/impl/ip
    cp "$SF_REPORT" myproject_prj/solution1/syn/report/myproject_csynth.xml ;;
  *export_ip.tcl*)
    mkdir -p socflow_ip_prj/solution1/impl/verilog
    cp "$SF_IP_TOP" socflow_ip_prj/solution1/impl/verilog/socflow_ip.v ;;
esac
"""


@pytest.mark.parametrize(
    "ip_top,error",
    [
        ("resources/sim/socflow_ip_dpi.v", None),
        ("tests/fixtures/thirdparty_ip/myproject.v", "lacks the ports socflow_top connects"),
    ],
)
def test_synthesis_then_board_ip_export_in_that_order(tmp_path, monkeypatch, ip_top, error):
    """hls_synth runs hls4ml's build, then export_ip.tcl in the same folder, and takes the board IP only if it
    has the ports socflow_top connects (the paper's export, with other stream names, is refused)."""
    from conftest import ROOT
    from socflow.errors import ProjectError
    from socflow.hls.ip import write_ip_top
    from socflow.io import read_json

    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "vitis-run").write_text(FAKE_TOOL)
    (tmp_path / "bin" / "vitis-run").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setenv("SF_CALLS", str(tmp_path / "calls.txt"))
    monkeypatch.setenv(
        "SF_REPORT",
        str(Path(__file__).parent / "fixtures" / "reports" / "vitis2023_hgdream_hls4ml_myproject_csynth.xml"),
    )
    monkeypatch.setenv("SF_IP_TOP", str(ROOT / ip_top))
    (tmp_path / "project" / "firmware").mkdir(parents=True)
    write_ip_top(tmp_path / "project", 30, 4, "io_parallel")
    synth = tmp_path / "synth"
    outputs = {"synth": str(synth / "ip"), "board_ip": str(synth / "board_ip"), "report": str(synth / "report.json")}
    target = {"part": "xczu49dr-ffvf1760-2-e"}
    if error:
        with pytest.raises(ProjectError, match=error):
            run_hls(tmp_path, "Vitis", target, outputs)
        assert not (synth / "report.json").exists()
    else:
        run_hls(tmp_path, "Vitis", target, outputs)
        assert (synth / "board_ip" / "socflow_ip.v").is_file() and read_json(synth / "report.json")["latency_cycles"][
            "worst"
        ] == 695
    calls = (tmp_path / "calls.txt").read_text().splitlines()
    assert calls == ["--tcl build_prj.tcl --mode hls", "--tcl export_ip.tcl --mode hls"]


def test_a_project_without_the_board_ip_is_refused_before_the_tool_runs(tmp_path, monkeypatch):
    from socflow.errors import ProjectError

    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "vitis-run").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "bin" / "vitis-run").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    (tmp_path / "project").mkdir()
    outputs = {
        "synth": str(tmp_path / "s" / "ip"),
        "board_ip": str(tmp_path / "s" / "board_ip"),
        "report": str(tmp_path / "s" / "report.json"),
    }
    with pytest.raises(ProjectError, match="no export_ip.tcl .* rerun hls_convert"):
        run_hls(tmp_path, "Vitis", {"part": "xc7z020clg400-1"}, outputs)

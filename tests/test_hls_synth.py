"""hls_synth without a vendor tool: a named error before any work; the build command it would run."""

from pathlib import Path

import pytest

from socflow.errors import ToolNotFoundError
from socflow.hls_synth import build_command, hls_synth


def test_missing_tool_stops_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    outputs = {"synth": str(tmp_path / "synth" / "ip"), "report": str(tmp_path / "synth" / "report.json")}
    with pytest.raises(ToolNotFoundError, match=r"'hls_synth' needs 'vitis-run'.*toolchain: auto"):
        hls_synth(str(tmp_path / "project"), "Vitis", {"part": "xc7z020clg400-1"}, outputs)
    with pytest.raises(ToolNotFoundError, match="needs 'vivado_hls'"):
        hls_synth(str(tmp_path / "project"), "Vivado", {"part": "xc7z020clg400-1"}, outputs)
    assert not (tmp_path / "synth").exists()


def test_vitis_build_asks_for_synthesis_and_export_only(tmp_path):
    assert build_command("Vitis", tmp_path) == ["vitis-run", "--tcl", "build_prj.tcl", "--mode", "hls"]
    options = dict(line.split() for line in (tmp_path / "build_opt.tcl").read_text().splitlines()[1:-1])
    assert options == {"reset": "1", "csim": "0", "synth": "1", "cosim": "0", "validation": "0", "export": "1",
                       "vsynth": "0", "fifo_opt": "0"}


def test_vivado_build_passes_options_on_the_command_line(tmp_path):
    command = build_command("Vivado", Path(tmp_path))
    assert command[:3] == ["vivado_hls", "-f", "build_prj.tcl"] and "synth=1" in command[3] and "csim=0" in command[3]

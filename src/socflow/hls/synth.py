"""Stage hls_synth: C synthesis and IP export of the hls4ml project with the vendor HLS tool, and its report;
then the same for the board's IP top socflow_ip (socflow.hls.ip), whose Verilog vivado_project takes.

Runs only where the tool is installed (`vitis-run` for the Vitis backend, `vivado_hls` for Vivado); elsewhere
it stops at once with a :class:`ToolNotFoundError` naming the tool and the setting, before touching anything.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socflow.errors import ProjectError, ReportError
from socflow.hls.convert import PROJECT_NAME
from socflow.hls.ip import EXPORT_DIR, EXPORT_TCL, exported_ip_sources
from socflow.hls.report import parse_csynth_xml
from socflow.io import write_json
from socflow.tools import HLS_TOOLS, require_tool, run_tool

log = logging.getLogger(__name__)
OPTIONS = {"reset": 1, "csim": 0, "synth": 1, "cosim": 0, "validation": 0, "export": 1, "vsynth": 0, "fifo_opt": 0}


def build_command(backend: str, work: Path) -> list[str]:
    """The command hls4ml's own build uses, asking for synthesis and IP export only (C simulation ran before)."""
    if backend == "Vitis":
        options = "".join(f"    {k:<10} {v}\n" for k, v in OPTIONS.items())
        (work / "build_opt.tcl").write_text(f"array set opt {{\n{options}}}\n")
        return tool_command(backend, "build_prj.tcl")
    return [*tool_command(backend, "build_prj.tcl"), " ".join(f"{k}={v}" for k, v in OPTIONS.items())]


def tool_command(backend: str, script: str) -> list[str]:
    """The vendor HLS tool running a Tcl script in batch."""
    if backend == "Vitis":
        return ["vitis-run", "--tcl", script, "--mode", "hls"]
    return ["vivado_hls", "-f", script]


def hls_synth(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage hls_synth: synthesize a copy of the project (inputs['project']) with params `backend` for params
    `target` in its own working folder (synth/work), export the IP to outputs['synth'] and write the parsed report
    to outputs['report']; export socflow_ip and copy its Verilog to outputs['board_ip'], checked to have the ports
    socflow_top connects. The tool's output goes to the log."""
    project_dir, backend, target = inputs["project"], params["backend"], params["target"]
    require_tool(HLS_TOOLS[backend], "hls_synth")
    work = Path(outputs["report"]).parent / "work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project_dir, work, ignore=shutil.ignore_patterns("*.so"))
    if not (work / EXPORT_TCL.name).is_file():
        raise ProjectError(f"{project_dir}: no {EXPORT_TCL.name} (socflow_ip) in the project; rerun hls_convert")
    seconds = run_tool(build_command(backend, work), work / "hls.log", "HLS synthesis", cwd=work)
    solution = work / f"{PROJECT_NAME}_prj" / "solution1"
    report = parse_csynth_xml(solution / "syn" / "report" / f"{PROJECT_NAME}_csynth.xml")
    if report["part"] and target["part"].lower().replace("-", "") not in report["part"].lower().replace("-", ""):
        raise ReportError(f"synthesis report is for part {report['part']}, the target asks for {target['part']}")
    ip = solution / "impl" / "ip"
    if not ip.is_dir():
        raise ReportError(f"{ip}: no exported IP after synthesis; see the tool's output in this rule's log")
    board_seconds = run_tool(
        tool_command(backend, EXPORT_TCL.name), work / "hls.log", "the socflow_ip export", cwd=work
    )
    exported_ip_sources(work / EXPORT_DIR)
    shutil.copytree(ip, outputs["synth"])
    shutil.copytree(work / EXPORT_DIR, outputs["board_ip"])
    write_json(
        outputs["report"],
        report
        | {"backend": backend, "synth_seconds": seconds, "board_ip_seconds": board_seconds, "source": "HLS report"},
    )
    return report

"""Stage vivado_bitstream: Vivado runs the generated project (synthesis, implementation, bitstream) in a copy of
it, with the rule's threads; the .bit, .hwh and .xsa, and the post-route utilization and timing."""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socflow.errors import ConfigError, ReportError
from socflow.io import write_json
from socflow.parts import device_of
from socflow.tools import require_tool, run_tool
from socflow.vivado.report import parse_timing_summary, parse_utilization

log = logging.getLogger(__name__)


def vivado_bitstream(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage vivado_bitstream: run the project (inputs['project']) with Vivado in a copy (hw/.../work), `threads`
    parallel runs, export .bit/.hwh/.xsa and write the post-route utilization and timing to
    outputs['utilization']; the part is checked against params `target`, ComBlock's IP comes from params `board`."""
    vivado = require_tool("vivado", "vivado_bitstream")
    project_dir, target = inputs["project"], params["target"]
    repo = params["board"].get("comblock_repo")
    if not repo or not Path(repo).is_dir():
        raise ConfigError(
            f"board.comblock_repo is {repo!r}: point it at ComBlock's IP repository (<COMBLOCK_ROOT>/src)"
        )
    work = Path(outputs["utilization"]).parent / "work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(project_dir, work)
    start = time.perf_counter()
    run_tool(
        [vivado, "-mode", "batch", "-nojournal", "-source", "assessment.tcl"],
        work / "vivado.log",
        "the Vivado build",
        cwd=work,
        env=dict(os.environ, SOCFLOW_JOBS=str(threads)),
    )
    out = work / "out"
    for name, key in (("design.bit", "bit"), ("design.hwh", "hwh"), ("design.xsa", "xsa")):
        shutil.copyfile(out / name, outputs[key])
    utilization = parse_utilization(out / "utilization_placed.rpt")
    if device_of(target["part"]).removeprefix("xc") not in utilization["device"]:
        raise ReportError(f"the utilization report is for {utilization['device']}, the target is {target['part']}")
    result = utilization | {
        "timing": parse_timing_summary(out / "timing_summary_routed.rpt"),
        "source": "Vivado post-route",
        "seconds": time.perf_counter() - start,
    }
    write_json(outputs["utilization"], result)
    return result

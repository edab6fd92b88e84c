"""Stage rtl_generate: the student's Verilog for a target, and rtl.json, what it is (ports, widths, latency,
initiation interval): for a dense student da4ml's fully parallel design at reuse factor 1 (socflow.rtl.parallel),
socflow's folded or streaming design above it (socflow.rtl.folded); for a convolutional one socflow's
line-buffered design (socflow.rtl.conv). rtl_sim checks each against the golden model (socflow.rtl.quantized)
answer by answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socflow.budget import deployed_input, deployed_target, student_choices
from socflow.fixed import FixedType
from socflow.io import write_json
from socflow.rtl import folded
from socflow.rtl.conv import conv_project
from socflow.rtl.parallel import parallel_project
from socflow.rtl.quantized import TOP, architecture
from socflow.settings import Rtl, Target

log = logging.getLogger(__name__)


def write_design(model: Any, input_precision: str, target: Target, rtl: Rtl, path: Path) -> dict[str, Any]:
    """Write the student's RTL project for the target to `path` (the design architecture() picks); what
    rtl.json says of it."""
    kind = architecture(target, model)
    if kind == "parallel":
        return parallel_project(model, input_precision, target, rtl, path)
    if kind == "conv":
        return conv_project(model, FixedType.parse(input_precision), target, rtl, path)
    return folded.folded_project(model, FixedType.parse(input_precision), target, kind, path)


def rtl_generate(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage rtl_generate: write the Verilog project of the student (inputs['model']) for params `target` with
    params `input_precision` and `rtl` (a searched reuse factor or input type as the budgeted search chose them,
    inputs['metrics']) to outputs['verilog'], and what it is to outputs['summary'] (rtl.json)."""
    from socflow.models import load_model

    choices, rtl = student_choices(inputs), params["rtl"]
    target = deployed_target(params["target"], choices)
    input_precision = deployed_input(params["input_precision"], choices)
    start = time.perf_counter()
    model = load_model(inputs["model"])
    kind = architecture(target, model)
    summary = write_design(model, input_precision, target, rtl, Path(outputs["verilog"]))
    summary = {
        "top": TOP,
        "architecture": kind,
        "reuse_factor": 1 if kind == "conv" else int(target.get("reuse_factor", 1)),  # conv: see rtl.conv
        "input_type": str(FixedType.parse(input_precision)),
        **summary,
        "clock_period_ns": float(target["clock_period"]),
        "latency_ns": summary["latency_clocks"] * float(target["clock_period"]),
        "part": target["part"],
        "generate_seconds": time.perf_counter() - start,
    }
    write_json(outputs["summary"], summary)
    log.info(
        "RTL (%s): latency %d clocks, a new input every %d clocks",
        kind,
        summary["latency_clocks"],
        summary["initiation_interval"],
    )
    return summary

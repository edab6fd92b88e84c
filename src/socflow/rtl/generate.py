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
from socflow.hgq.files import for_student, load_student
from socflow.io import write_json
from socflow.rtl.designs import generate
from socflow.rtl.quantized import TOP

log = logging.getLogger(__name__)


def rtl_generate(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage rtl_generate: write the Verilog project of the student (inputs['model']) for params `target` with
    params `input_precision` and `rtl` (a searched reuse factor or input type as the budgeted search chose them,
    inputs['metrics']) to outputs['verilog'], and what it is to outputs['summary'] (rtl.json). An HGQ2 student's
    runs in the HGQ2 process (socflow.hgq.files.for_student)."""
    job = {"inputs": dict(inputs), "params": dict(params), "outputs": dict(outputs), "threads": threads}
    return for_student(inputs["model"], _rtl_generate, **job)


def _rtl_generate(
    inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int
) -> dict[str, Any]:
    """The stage, in the process its student needs."""
    choices, rtl = student_choices(inputs), params["rtl"]
    target = deployed_target(params["target"], choices)
    input_precision = deployed_input(params["input_precision"], choices)
    start = time.perf_counter()
    model = load_student(inputs["model"])
    summary = generate(model, FixedType.parse(input_precision), target, rtl, Path(outputs["verilog"]))
    kind = summary["architecture"]
    summary = {
        "top": TOP,
        "reuse_factor": int(target.get("reuse_factor", 1)),
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

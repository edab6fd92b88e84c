"""Stage rtl_synth: a resource estimate of the student's Verilog from Yosys `synth_xilinx`.

An estimate before place and route, and labelled so everywhere: Yosys maps to the part's primitives (LUTs,
flip-flops, CARRY4/CARRY8, DSP48, block RAM) without Vivado's optimisations, packing or routing.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socflow.errors import ReportError
from socflow.io import write_json
from socflow.parts import part_info, yosys_family
from socflow.rtl.designs import verilog_sources
from socflow.rtl.quantized import TOP
from socflow.tools import run_tool, yosys, yosys_version

log = logging.getLogger(__name__)
SOURCE = "Yosys estimate (synth_xilinx, before place and route)"

# LUT sites of each distributed-RAM and shift-register primitive (UG474, UG574): a RAM64M is four LUTs.
LUT_MEMORY = {
    "RAM32X1S": 1, "RAM64X1S": 1, "RAM128X1S": 2, "RAM256X1S": 4, "RAM32X1D": 2, "RAM64X1D": 2, "RAM128X1D": 4,
    "RAM32M": 4, "RAM64M": 4, "RAM32M16": 8, "RAM64M8": 8, "SRL16E": 1, "SRLC32E": 1,
}  # fmt: skip
LUT_LOGIC = {"LUT1": 1, "LUT2": 1, "LUT3": 1, "LUT4": 1, "LUT5": 1, "LUT6": 1, "INV": 1}
# Yosys cell types of each resource we report, weighted. LUT counts LUT sites as Vivado's "Slice LUTs" does:
# logic and memory (LUTRAM, shift registers); LUTRAM is the memory part. BRAM in 18 Kb halves (RAMB36 = 2).
CELLS = {
    "LUT": LUT_LOGIC | LUT_MEMORY,
    "FF": {"FDRE": 1, "FDSE": 1, "FDCE": 1, "FDPE": 1},
    "DSP": {"DSP48E1": 1, "DSP48E2": 1},
    "BRAM_18K": {"RAMB18E1": 1, "RAMB36E1": 2, "RAMB18E2": 1, "RAMB36E2": 2},
    "CARRY": {"CARRY4": 1, "CARRY8": 1},
    "LUTRAM": LUT_MEMORY,
}


def yosys_script(sources: list[Path], top: str, family: str, stat_json: Path) -> str:
    reads = "\n".join(f"read_verilog {p}" for p in sources)
    return f"{reads}\nsynth_xilinx -flatten -noiopad -family {family} -top {top}\ntee -q -o {stat_json} stat -json\n"


def parse_stat(stat: Mapping[str, Any], part: str) -> dict[str, Any]:
    """Resources (used, available, % of the part) from Yosys's `stat -json` of the synthesized design."""
    cells = stat["design"]["num_cells_by_type"]
    known = set().union(*CELLS.values())
    capacity = part_info(part)
    resources = {}
    for name, weights in CELLS.items():
        used = sum(count * weights[cell] for cell, count in cells.items() if cell in weights)
        available = capacity.capacity(name) if capacity and name in ("LUT", "FF", "DSP", "BRAM_18K") else None
        resources[name] = {
            "used": used,
            "available": available,
            "percent": 100.0 * used / available if available else None,
        }
    return {
        "resources": resources,
        "cells": dict(sorted(cells.items())),
        "other_cells": sorted(set(cells) - known - {"BUFG", "IBUF", "OBUF", "MUXF7", "MUXF8", "VCC", "GND"}),
    }


def synthesize(sources: list[Path], top: str, part: str, scratch: str | Path, yosys_log: str | Path) -> dict[str, Any]:
    """Yosys synth_xilinx of `sources` (top `top`) for the part's family: resources, cells, seconds, version."""
    tool = yosys()
    family = yosys_family(part)
    stat_json = Path(scratch) / f"{top}.stat.json"
    script = Path(scratch) / f"{top}.ys"
    script.write_text(yosys_script(sources, top, family, stat_json))
    start = time.perf_counter()
    run_tool(
        [tool, "-q", "-l", str(yosys_log), "-s", str(script)],
        Path(scratch) / f"{top}.yosys.out",
        f"Yosys synthesis of {top}",
    )
    seconds = time.perf_counter() - start
    try:
        stat = json.loads(stat_json.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ReportError(f"{stat_json}: Yosys wrote no readable statistics ({error})") from error
    return parse_stat(stat, part) | {
        "source": SOURCE,
        "part": part,
        "family": family,
        "synth_seconds": seconds,
        "tools": {"yosys": yosys_version()},
    }


def rtl_synth(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage rtl_synth: synthesize the project's Verilog (inputs['verilog']) for the family of params `part`; write
    outputs['report'] (yosys.json) and Yosys's own log to outputs['yosys']."""
    with tempfile.TemporaryDirectory(prefix="rtl_synth-") as scratch:
        report = synthesize(verilog_sources(inputs["verilog"]), TOP, params["part"], scratch, outputs["yosys"])
    write_json(outputs["report"], report)
    used = {k: v["used"] for k, v in report["resources"].items()}
    log.info("Yosys (%s, %.0f s): %s", report["family"], report["synth_seconds"], used)
    return report

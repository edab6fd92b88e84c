"""Stage rtl_synth: a resource estimate of the student's Verilog from Yosys `synth_xilinx` or `synth_ecp5`.

An estimate before place and route, and labelled so everywhere: Yosys maps to the part's primitives (Xilinx LUTs,
flip-flops, CARRY4/CARRY8, DSP48, block RAM; ECP5 LUT4s, CCU2C carries, MULT18X18D, EBR) without the vendor's
optimisations, packing or routing. For ECP5 parts stage rtl_pnr gives the post-route numbers.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socflow.errors import ReportError
from socflow.io import read_json, sha256_file, sha256_json, write_json
from socflow.parts import part_info, yosys_family
from socflow.rtl.designs import abc9_script, breakdown, verilog_sources
from socflow.rtl.quantized import TOP
from socflow.tools import YOSYS, open_tool_path, run_tool, tool_version

log = logging.getLogger(__name__)

# LUT sites of each distributed-RAM and shift-register primitive (UG474, UG574): a RAM64M is four LUTs.
LUT_MEMORY = {
    "RAM32X1S": 1, "RAM64X1S": 1, "RAM128X1S": 2, "RAM256X1S": 4, "RAM32X1D": 2, "RAM64X1D": 2, "RAM128X1D": 4,
    "RAM32M": 4, "RAM64M": 4, "RAM32M16": 8, "RAM64M8": 8, "SRL16E": 1, "SRLC32E": 1,
}  # fmt: skip
LUT_LOGIC = {"LUT1": 1, "LUT2": 1, "LUT3": 1, "LUT4": 1, "LUT5": 1, "LUT6": 1, "INV": 1}
# Yosys cell types of each resource we report, weighted. LUT counts LUT sites as Vivado's "Slice LUTs" does:
# logic and memory (LUTRAM, shift registers); LUTRAM is the memory part. BRAM in 18 Kb halves (RAMB36 = 2).
XILINX_CELLS = {
    "LUT": LUT_LOGIC | LUT_MEMORY,
    "FF": {"FDRE": 1, "FDSE": 1, "FDCE": 1, "FDPE": 1},
    "DSP": {"DSP48E1": 1, "DSP48E2": 1},
    "BRAM_18K": {"RAMB18E1": 1, "RAMB36E1": 2, "RAMB18E2": 1, "RAMB36E2": 2},
    "CARRY": {"CARRY4": 1, "CARRY8": 1},
    "LUTRAM": LUT_MEMORY,
}
# ECP5 (FPGA-TN-02032): LUT counts LUT4s: logic, the two of each CCU2C carry cell, and the four of each 16x4
# distributed RAM (a slice pair: two slices of RAM, one of write port); BRAM_18K counts EBR (DP16KD).
ECP5_CELLS = {
    "LUT": {"LUT4": 1, "CCU2C": 2, "TRELLIS_DPR16X4": 4},
    "FF": {"TRELLIS_FF": 1},
    "DSP": {"MULT18X18D": 1, "ALU54B": 1},
    "BRAM_18K": {"DP16KD": 1, "PDPW16KD": 1},
    "CARRY": {"CCU2C": 1},
    "LUTRAM": {"TRELLIS_DPR16X4": 4},
}
# cells that are no resource of ours: I/O and clock buffers, the wide-function multiplexers inside a slice
NOT_COUNTED = {"BUFG", "IBUF", "OBUF", "MUXF7", "MUXF8", "VCC", "GND", "PFUMX", "L6MUX21", "$scopeinfo"}


def synth_command(family: str, top: str, netlist: str | None = None, flatten: bool = True) -> str:
    """The Yosys synthesis of a fabric (a `yosys_family`), writing the JSON netlist nextpnr reads if asked; not
    `flatten`ed: each module mapped on its own (the per-module breakdown)."""
    if family == "ecp5":
        return f"synth_ecp5 -top {top}" + (f" -json {netlist}" if netlist else "") + ("" if flatten else " -noflatten")
    return f"synth_xilinx{' -flatten' if flatten else ''} -noiopad -family {family} -top {top}"


def yosys_script(
    sources: list[Path], top: str, family: str, stat_json: Path | str, netlist: str | None = None,
    abc9_script: str | None = None, modules_json: Path | str | None = None,
) -> str:  # fmt: skip
    """Read, synthesize (on Xilinx parts with `abc9_script` for ABC9's LUT mapping, if given), write statistics;
    with `modules_json`, then the same sources synthesized again without flattening, their statistics per module
    there (what the flat numbers are made of: :func:`module_breakdown`)."""
    reads = "\n".join(f'read_verilog "{p}"' for p in sources)  # quoted: a path may hold a space
    mapping = f'scratchpad -set abc9.script "{abc9_script}"\n' if abc9_script and family != "ecp5" else ""
    script = f"{reads}\n{mapping}{synth_command(family, top, netlist)}\ntee -q -o {stat_json} stat -json\n"
    if modules_json:
        hierarchical = synth_command(family, top, flatten=False)
        script += f"design -reset\n{reads}\n{mapping}{hierarchical}\ntee -q -o {modules_json} stat -json\n"
    return script


def usage(resource: str, used: int, part: str) -> dict[str, Any]:
    """A resource's count, the part's capacity of it and the share (None where the part or resource is unknown)."""
    capacity = part_info(part)
    available = capacity.capacity(resource) if capacity and resource in ("LUT", "FF", "DSP", "BRAM_18K") else None
    return {"used": used, "available": available, "percent": 100.0 * used / available if available else None}


def counted(cells: Mapping[str, int], part: str) -> dict[str, int]:
    """The resources (LUT, FF, DSP, BRAM_18K, CARRY, LUTRAM) that cells of the part's fabric make up."""
    table = ECP5_CELLS if yosys_family(part) == "ecp5" else XILINX_CELLS
    return {
        name: sum(count * weights[cell] for cell, count in cells.items() if cell in weights)
        for name, weights in table.items()
    }


def parse_stat(stat: Mapping[str, Any], part: str) -> dict[str, Any]:
    """Resources (used, available, % of the part) from Yosys's `stat -json` of the synthesized design."""
    cells = stat["design"]["num_cells_by_type"]
    known = set().union(*(ECP5_CELLS if yosys_family(part) == "ecp5" else XILINX_CELLS).values())
    resources = {name: usage(name, used, part) for name, used in counted(cells, part).items()}
    return {
        "resources": resources,
        "cells": dict(sorted(cells.items())),
        "other_cells": sorted(set(cells) - known - NOT_COUNTED),
    }


def module_breakdown(stat: Mapping[str, Any], part: str) -> dict[str, dict[str, int]]:
    """Per module of a hierarchical synthesis (Yosys's `stat -json` without flattening), the resources of its own
    cells, submodules not included; a module synthesized for two sets of parameters (socflow_banks of two stages)
    is listed once per set ("socflow_banks #2"). Modules with no cells of their own (wrappers) are left out."""
    breakdown: dict[str, dict[str, int]] = {}
    for module, entry in stat["modules"].items():
        name = re.sub(r"^\$paramod\$[0-9a-f]+\\", "", module).lstrip("\\")
        used = {k: v for k, v in counted(entry["num_cells_by_type"], part).items() if v}
        if used:
            n = sum(1 for key in breakdown if key == name or key.startswith(f"{name} #"))
            breakdown[name if not n else f"{name} #{n + 1}"] = used
    return breakdown


def synthesize(
    sources: list[Path], top: str, part: str, scratch: str | Path, yosys_log: str | Path, netlist: bool = False,
    abc9_script: str | None = None, breakdown: bool = False,
) -> dict[str, Any]:  # fmt: skip
    """Yosys synthesis of `sources` (top `top`) for the part's fabric: resources, cells, seconds, version; with
    `netlist`, the JSON netlist for nextpnr at scratch/<top>.json; on a Xilinx part, `abc9_script` maps its LUTs
    (the design's generator names it: socflow.rtl.designs); with `breakdown`, the resources per module of a second,
    hierarchical synthesis (`modules`: each module mapped on its own, no optimization across them, so its sum is
    close to the flat count but not equal to it).

    Every part is synthesized by YoWASP's Yosys 0.70 (PyPI, pinned; on the folded designs Debian's 0.23 gave
    9-30 % more LUTs, on da4ml's adder graphs as many, in a quarter of the time: docs/benchmarks.md); a YoWASP tool
    opens only paths below its working folder, so the sources are copied into `scratch` and named relative to it."""
    family = yosys_family(part)
    scratch = Path(scratch)
    tool, names = open_tool_path(YOSYS, "rtl_synth"), local_copies(sources, scratch)
    stat_json, script = f"{top}.stat.json", scratch / f"{top}.ys"
    modules_json = f"{top}.modules.json" if breakdown else None
    script.write_text(
        yosys_script(names, top, family, stat_json, f"{top}.json" if netlist else None, abc9_script, modules_json)
    )
    start = time.perf_counter()
    try:  # Yosys's own log is written in `scratch` (YoWASP's Yosys writes nowhere else) and kept, failed or not
        run_tool(
            [tool, "-q", "-l", f"{top}.log", "-s", script.name],
            scratch / f"{top}.yosys.out",
            f"Yosys synthesis of {top}",
            cwd=scratch,
        )
    finally:
        if (scratch / f"{top}.log").is_file():
            shutil.copyfile(scratch / f"{top}.log", yosys_log)
    seconds = time.perf_counter() - start
    stat = _statistics(scratch / stat_json)
    modules = {"modules": module_breakdown(_statistics(scratch / modules_json), part)} if modules_json else {}
    return (
        parse_stat(stat, part)
        | modules
        | {
            "source": f"Yosys estimate ({synth_command(family, top).split()[0]}, before place and route)",
            "part": part,
            "family": family,
            "synth_seconds": seconds,
            "abc9_script": abc9_script if family != "ecp5" else None,
            "tools": {"yosys": tool_version(tool)},
        }
    )


def _statistics(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ReportError(f"{path}: Yosys wrote no readable statistics ({error})") from error


def local_copies(sources: list[Path], folder: Path) -> list[str]:
    """Copies of `sources` in `folder` (numbered: two sources may share a name), their names relative to it."""
    names = []
    for i, source in enumerate(sources):
        name = f"{i:03d}_{Path(source).name}"
        shutil.copyfile(source, folder / name)
        names.append(name)
    return names


def synthesized(
    verilog: str | Path, part: str, yosys_log: str | Path, cache: str | Path | None = None
) -> dict[str, Any]:
    """Yosys's report of an RTL project (:func:`synthesize`), its own log copied to `yosys_log`. With a `cache`
    folder, a project synthesized before is not synthesized again: its report and log are kept there under the hash
    of its synthesizable files, the part, the ABC9 script and Yosys's version (fit_student synthesizes the designs it
    tries there, rtl_synth then finds the deployed one)."""
    sources, script, modules = verilog_sources(verilog), abc9_script(verilog), breakdown(verilog)
    entry = None
    if cache is not None:
        key = {"files": [(f.name, sha256_file(f)) for f in sources], "part": part, "top": TOP, "abc9_script": script,
               "modules": modules, "yosys": tool_version(open_tool_path(YOSYS, "rtl_synth"))}  # fmt: skip
        entry = Path(cache) / sha256_json(key)[:16]
        if (entry / "yosys.json").is_file():
            log.info("%s: synthesized before, Yosys's report reused from %s", verilog, entry)
            shutil.copyfile(entry / "yosys.log", yosys_log)
            return read_json(entry / "yosys.json")
    with tempfile.TemporaryDirectory(prefix="rtl_synth-") as scratch:
        report = synthesize(sources, TOP, part, scratch, yosys_log, abc9_script=script, breakdown=modules)
    if entry is not None:
        entry.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(yosys_log, entry / "yosys.log")
        write_json(entry / "yosys.json", report)  # atomically, the last: an entry with a report is complete
    return report


def rtl_synth(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage rtl_synth: synthesize the project's Verilog (inputs['verilog']) for the family of params `part`, or
    find it synthesized in params `cache` (:func:`synthesized`); write outputs['report'] (yosys.json) and Yosys's
    own log to outputs['yosys']."""
    report = synthesized(inputs["verilog"], params["part"], outputs["yosys"], params.get("cache"))
    write_json(outputs["report"], report)
    used = {k: v["used"] for k, v in report["resources"].items()}
    log.info("Yosys (%s, %.0f s): %s", report["family"], report["synth_seconds"], used)
    return report

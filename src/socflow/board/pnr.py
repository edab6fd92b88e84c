"""Stage rtl_pnr: the student's RTL placed and routed on a Lattice ECP5 by nextpnr-ecp5: post-route resources,
the clock it reaches (Fmax) against the target's and the critical path, in pnr.json.

What is placed and routed is socflow_top, the IP as the assessment design carries it: socflow_stream (the glue
to ComBlock's FIFOs) and the student's RTL. That is the harness: the ports are the FIFO interface (71 pins with
clock and reset), so no pin decides where the design's logic goes, and the glue registers the IP's inputs and its
answer, so every timed path is the design's own, register to register, as on the board (pin-to-register paths
are not constrained, nor timed). A bare core's ports (480 input bits for the pulses task) would decide the
placement: the R = 1 core did not finish routing that way. The pins are placed by nextpnr on the part's package,
not out of context (--out-of-context): out of context the clock is not promoted to the global network but routed
as a signal to every flip-flop, and the folded R = 10 design (6,400 LUT4s, 7 % of the part) did not finish
routing in 5 minutes; with the global clock it routes in about 2. nextpnr's router1: router2 did not converge on
the same design. The numbers include the glue: about N_IN x IN_W flip-flops, the argmax and the answer words.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from socflow.board.design import write_top
from socflow.board.protocol import Protocol
from socflow.errors import ReportError, TimingError
from socflow.io import read_json, write_json
from socflow.parts import nextpnr_ecp5_args
from socflow.rtl.synth import synthesize, usage
from socflow.tools import NEXTPNR_ECP5, open_tool_path, run_tool, tool_version

log = logging.getLogger(__name__)
SOURCE = "post-route (nextpnr-ecp5)"
TOP = "socflow_top"
# nextpnr-ecp5's resource names (its report's "utilization") for ours: TRELLIS_COMB are LUT4 sites (logic,
# carries, distributed RAM), TRELLIS_RAMW the write ports of distributed RAM
RESOURCES = {"LUT": "TRELLIS_COMB", "FF": "TRELLIS_FF", "DSP": "MULT18X18D", "BRAM_18K": "DP16KD"}


def parse_report(report: Mapping[str, Any], part: str) -> dict[str, Any]:
    """Resources, Fmax and critical path from nextpnr's --report JSON of a design with one timed clock
    (socflow_top's `clk`, which nextpnr names after its global net, e.g. $glbnet$clk$TRELLIS_IO_IN; a SoC's PLL
    output, named after one of its sinks)."""
    try:
        utilization, clocks = report["utilization"], report["fmax"]
    except KeyError as error:
        raise ReportError(f"nextpnr's report has no {error}") from error
    if len(clocks) != 1:
        raise ReportError(f"nextpnr's report times {sorted(clocks)}: expected one clock")
    ((clock, fmax),) = clocks.items()
    resources = {
        name: usage(name, int(utilization.get(bel, {}).get("used", 0)), part) for name, bel in RESOURCES.items()
    }
    result = {
        "resources": resources,
        "bels": {k: v["used"] for k, v in sorted(utilization.items()) if v["used"]},
        "fmax_mhz": float(fmax["achieved"]),
        "target_mhz": float(fmax["constraint"]),
    }
    return result | {
        "meets_timing": result["fmax_mhz"] >= result["target_mhz"],
        "critical_path": critical_path(report, clock),
    }


def critical_path(report: Mapping[str, Any], clock: str) -> dict[str, Any] | None:
    """The worst register-to-register path of `clock`: where it starts and ends (cell names), its delay split into
    logic and routing."""
    edge = f"posedge {clock}"
    paths = [p for p in report.get("critical_paths", []) if p.get("from") == p.get("to") == edge]
    if not paths or not paths[0]["path"]:
        return None
    steps = paths[0]["path"]
    delay = {
        kind: sum(s["delay"] for s in steps if s["type"] == kind) for kind in ("clk-to-q", "logic", "routing", "setup")
    }
    return {
        "from": steps[0]["from"]["cell"],
        "to": steps[-1]["to"]["cell"],
        "delay_ns": sum(delay.values()),
        "logic_ns": delay["logic"] + delay["clk-to-q"] + delay["setup"],
        "routing_ns": delay["routing"],
    }


def place_and_route(
    verilog_dir: str | Path,
    protocol: Protocol,
    part: str,
    clock_period: float,
    folder: str | Path,
    logs: Mapping[str, str | Path],
    seed: int = 1,
    threads: int = 1,
) -> dict[str, Any]:
    """socflow_top around the RTL of `verilog_dir`, synthesized by Yosys (synth_ecp5) and placed and routed by
    nextpnr-ecp5 at the target's clock (out of context) in `folder`; logs['yosys'], logs['nextpnr'] keep their
    output. The result of :func:`parse_report` with the synthesis estimate and the seconds each took."""
    folder = Path(folder)
    synth = synthesize(write_top(protocol, verilog_dir, folder), TOP, part, folder, logs["yosys"], netlist=True)
    mhz = 1000.0 / clock_period
    tool = open_tool_path(NEXTPNR_ECP5, "rtl_pnr")
    command = [
        tool, *nextpnr_ecp5_args(part), "--json", f"{TOP}.json", "--freq", f"{mhz:.6g}",
        "--seed", str(seed), "--threads", str(threads), "--router", "router1", "--timing-allow-fail",
        "--report", "report.json",
    ]  # fmt: skip
    start = time.perf_counter()
    run_tool(command, Path(logs["nextpnr"]).resolve(), f"nextpnr-ecp5 place and route of {TOP}", cwd=folder)
    seconds = time.perf_counter() - start
    return nextpnr_report(folder / "report.json", part) | {
        "source": SOURCE,
        "part": part,
        "harness": "socflow_top (socflow_stream + the student's RTL), pins placed by nextpnr",
        "seed": seed,
        "synthesis": {k: synth[k] for k in ("resources", "source", "synth_seconds")},
        "pnr_seconds": seconds,
        "tools": synth["tools"] | {"nextpnr": tool_version(tool)},
    }


def nextpnr_report(path: Path, part: str) -> dict[str, Any]:
    """:func:`parse_report` of the report file nextpnr wrote (--report), a ReportError if it wrote none."""
    try:
        report = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ReportError(f"{path}: nextpnr wrote no readable report ({error})") from error
    return parse_report(report, part)


def check_timing(result: Mapping[str, Any], action: str, where: str) -> None:
    """A :class:`TimingError` for a design that misses its clock (action `fail`), else a warning."""
    if result["meets_timing"]:
        return
    path = result["critical_path"] or {}
    message = (
        f"{where}: after place and route the design reaches {result['fmax_mhz']:.1f} MHz, its target is "
        f"{result['target_mhz']:.6g} MHz (critical path {path.get('from')} -> {path.get('to')}, "
        f"{path.get('logic_ns', 0):.1f} ns logic + {path.get('routing_ns', 0):.1f} ns routing); raise the target's "
        "clock_period, or set rtl.timing: warn to keep the result"
    )
    if action == "fail":
        raise TimingError(message)
    log.warning("%s", message)


def rtl_pnr(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage rtl_pnr: inputs verilog (the RTL project) and rtl (rtl.json); params target (part, clock_period),
    timing and seed (rtl.timing, rtl.pnr_seed) and send_scores (the glue's); writes outputs['pnr'] (pnr.json),
    or fails on a missed clock (rtl.timing: fail) after logging the numbers (the log outlives a failed job's
    outputs)."""
    target = params["target"]
    protocol = Protocol.for_rtl(read_json(inputs["rtl"]), params["send_scores"])
    with tempfile.TemporaryDirectory(prefix="rtl_pnr-") as scratch:
        result = place_and_route(
            inputs["verilog"], protocol, target["part"], target["clock_period"], scratch,
            {"yosys": outputs["yosys"], "nextpnr": outputs["nextpnr"]}, params["seed"], threads,
        )  # fmt: skip
    used = {k: v["used"] for k, v in result["resources"].items()}
    log.info("nextpnr-ecp5 (%.0f s): %s, %.1f MHz (target %.6g), critical path %s", result["pnr_seconds"], used,
             result["fmax_mhz"], result["target_mhz"], result["critical_path"])  # fmt: skip
    check_timing(result, params["timing"], f"rtl_pnr of {inputs['verilog']}")
    write_json(outputs["pnr"], result)
    return result

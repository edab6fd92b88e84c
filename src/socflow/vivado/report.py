"""Parse Vivado's post-route reports: `report_utilization` (text tables; 7 series say "Slice LUTs", UltraScale
"CLB LUTs") and `report_timing_summary` (the Design Timing Summary row: WNS, TNS, WHS, THS)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from socflow.errors import ReportError

# our resource name -> the row labels Vivado uses across families and versions
ROWS = {
    "LUT": ("Slice LUTs", "CLB LUTs"),
    "FF": ("Slice Registers", "CLB Registers"),
    "BRAM_36K": ("Block RAM Tile",),
    "DSP": ("DSPs",),
}


def _number(cell: str) -> float | None:
    try:
        return float(cell.replace(",", ""))
    except ValueError:
        return None


def parse_utilization(path: str | Path) -> dict[str, Any]:
    """Used / available / % per resource, the device and the design state (e.g. "Fully Placed")."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: utilization report not found")
    text = path.read_text(errors="replace")
    if "report_utilization" not in text and "Utilization Design Information" not in text:
        raise ReportError(f"{path}: not a Vivado report_utilization report")
    resources = {}
    for name, labels in ROWS.items():
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells and cells[0] in labels:
                # columns: Site Type | Used | Fixed | [Prohibited] | Available | Util%
                used, available = _number(cells[1]), _number(cells[-2])
                resources[name] = {"used": used, "available": available, "percent": _number(cells[-1])}
                break
    missing = sorted(set(ROWS) - set(resources))
    if missing:
        raise ReportError(f"{path}: no rows for {missing} in the utilization tables")
    header = dict(re.findall(r"^\|\s*(Tool Version|Device|Design State|Design)\s*:\s*(.+?)\s*$", text, re.M))
    return {
        "tool": header.get("Tool Version", ""),
        "device": header.get("Device", ""),
        "design": header.get("Design", ""),
        "state": header.get("Design State", ""),
        "resources": resources,
        "source": str(path),
    }


def parse_timing_summary(path: str | Path) -> dict[str, Any]:
    """Worst negative / total negative setup slack, worst hold slack, and whether all constraints are met."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: timing summary not found")
    text = path.read_text(errors="replace")
    match = re.search(
        r"Design Timing Summary.*?WNS\(ns\).*?\n\s*-[-\s]+\n\s*(\S+)\s+(\S+)\s+\S+\s+\S+\s+(\S+)\s+(\S+)", text, re.S
    )
    if not match:
        raise ReportError(f"{path}: no Design Timing Summary table; is this a report_timing_summary report?")
    wns, tns, whs, ths = map(_number, match.groups())
    return {
        "wns_ns": wns,
        "tns_ns": tns,
        "whs_ns": whs,
        "ths_ns": ths,
        "met": "All user specified timing constraints are met." in text,
        "source": str(path),
    }

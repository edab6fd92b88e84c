"""Parse the C-synthesis report (<top>_csynth.xml) that Vivado HLS and Vitis HLS write.

The XML is the tool's machine-readable report; both tools share its layout: <UserAssignments> (part, target
clock), <PerformanceEstimates> (estimated clock, latency and interval in cycles), <AreaEstimates> (resources
used and available). Element names differ slightly across versions (DSP48E vs DSP), handled here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from socflow.errors import ReportError

RESOURCES = {"BRAM_18K": ("BRAM_18K",), "DSP": ("DSP", "DSP48E"), "FF": ("FF",), "LUT": ("LUT",), "URAM": ("URAM",)}


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        return None  # e.g. "undef" when the latency is not static


def _find(root: ET.Element, path: str, report: Path) -> ET.Element:
    node = root.find(path)
    if node is None:
        raise ReportError(f"{report}: no <{path}> element; is this a Vivado/Vitis HLS csynth.xml report?")
    return node


def _first(parent: ET.Element, names: tuple[str, ...]) -> float | None:
    for name in names:
        node = parent.find(name)
        if node is not None:
            return _number(node.text)
    return None


def parse_csynth_xml(path: str | Path) -> dict[str, Any]:
    """Latency (cycles, and ns at the target clock), interval, and resources used / available / % of the part."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: synthesis report not found")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ReportError(f"{path}: not an XML report ({error})") from error
    user = _find(root, "UserAssignments", path)
    performance = _find(root, "PerformanceEstimates", path)
    latency = _find(performance, "SummaryOfOverallLatency", path)
    area = _find(root, "AreaEstimates", path)
    used, available = _find(area, "Resources", path), _find(area, "AvailableResources", path)
    period = _number(user.findtext("TargetClockPeriod"))
    best = _number(latency.findtext("Best-caseLatency"))
    worst = _number(latency.findtext("Worst-caseLatency"))
    resources = {}
    for name, aliases in RESOURCES.items():
        value, total = _first(used, aliases), _first(available, aliases)
        if value is None:
            continue
        resources[name] = {
            "used": int(value),
            "available": int(total) if total is not None else None,
            "percent": 100.0 * value / total if total else None,
        }
    return {
        "tool": root.findtext("ReportVersion/Version", "").strip(),
        "top": user.findtext("TopModelName", "").strip(),
        "part": user.findtext("Part", "").strip(),
        "target_clock_ns": period,
        "estimated_clock_ns": _number(performance.findtext("SummaryOfTimingAnalysis/EstimatedClockPeriod")),
        "latency_cycles": {"best": best, "worst": worst},
        "latency_ns": {
            "best": best * period if best is not None and period else None,
            "worst": worst * period if worst is not None and period else None,
        },
        "interval_cycles": {
            "min": _number(latency.findtext("Interval-min")),
            "max": _number(latency.findtext("Interval-max")),
        },
        "resources": resources,
        "source": str(path),
    }

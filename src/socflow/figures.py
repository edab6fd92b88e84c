"""Figures of the report: the paper's Fig. 5 (latency vs reuse factor per part and clock)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from socflow.io import atomic_path


def latency_vs_reuse(points: Sequence[Mapping[str, Any]], path: str | Path, title: str = "") -> None:
    """One line per (part, clock): worst-case latency in clock cycles against the reuse factor.

    Each point needs `part`, `clock_mhz`, `reuse_factor` and `latency_cycles` (from a synthesis report).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not points:
        raise ValueError("no synthesis reports to plot")
    series: dict[tuple[str, float], list[tuple[int, float]]] = defaultdict(list)
    for p in points:
        series[(p["part"], p["clock_mhz"])].append((p["reuse_factor"], p["latency_cycles"]))
    fig, ax = plt.subplots(figsize=(6, 4))
    for (part, mhz), values in sorted(series.items()):
        rf, latency = zip(*sorted(values))
        ax.plot(rf, latency, "o-", label=f"{part} @ {mhz:g} MHz")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("reuse factor")
    ax.set_ylabel("latency [clock cycles]")
    ax.set_title(title or "latency vs reuse factor (HLS reports)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)


def fig5_points(reports: Mapping[str, Mapping[str, Any]], targets: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Fig. 5 points from parsed synthesis reports (report.json) keyed by target name."""
    return [
        {
            "part": targets[name]["part"],
            "clock_mhz": 1000.0 / targets[name]["clock_period"],
            "reuse_factor": targets[name]["reuse_factor"],
            "latency_cycles": report["latency_cycles"]["worst"],
        }
        for name, report in reports.items()
    ]

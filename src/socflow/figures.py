"""Figures of the workflow: training curves, the students' Pareto front, and the paper's Fig. 5 (latency vs
reuse factor per part and clock). Each is written as a PNG, atomically."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from socflow.io import atomic_path, read_json


def _pyplot() -> Any:
    """matplotlib's pyplot on the file-only Agg backend (no display on a cluster node)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, path: str | Path) -> None:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    _pyplot().close(fig)


def training_curves(history: Mapping[str, Sequence[float]], path: str | Path, title: str) -> None:
    """Loss and accuracy per epoch, training and validation."""
    fig, axes = _pyplot().subplots(1, 2, figsize=(9, 3.4))
    for ax, metric in zip(axes, ("loss", "accuracy")):
        for prefix, style in (("", "-"), ("val_", "--")):
            if f"{prefix}{metric}" in history:
                values = history[f"{prefix}{metric}"]
                ax.plot(range(1, len(values) + 1), values, style, label=f"{prefix or 'train_'}{metric}")
        ax.set_xlabel("epoch")
        ax.set_title(metric)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)


def pareto(metrics_files: Mapping[str, str], path: str | Path) -> None:
    """Test accuracy vs model size (non-zero weights x bits) over the student variants, with the Pareto front."""
    points = {name: read_json(f) for name, f in metrics_files.items()}
    names = sorted(points, key=lambda n: points[n]["size_bits"])
    size = np.array([points[n]["size_bits"] for n in names])
    acc = np.array([points[n]["accuracy"] * 100 for n in names])
    front = [i for i in range(len(names)) if not any((size[j] <= size[i]) & (acc[j] > acc[i]) for j in range(len(names)))]
    fig, ax = _pyplot().subplots(figsize=(5.5, 3.8))
    ax.scatter(size, acc, color="tab:blue")
    ax.plot(size[front], acc[front], "--", color="tab:orange", label="Pareto front")
    for name, s, a in zip(names, size, acc):
        ax.annotate(name, (s, a), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.set_xlabel("model size [bits] (non-zero weights x bits)")
    ax.set_ylabel("test accuracy [%]")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    _save(fig, path)


def latency_vs_reuse(points: Sequence[Mapping[str, Any]], path: str | Path, title: str = "") -> None:
    """One line per (part, clock): worst-case latency in clock cycles against the reuse factor.

    Each point needs `part`, `clock_mhz`, `reuse_factor` and `latency_cycles` (from a synthesis report).
    """
    if not points:
        raise ValueError("no synthesis reports to plot")
    series: dict[tuple[str, float], list[tuple[int, float]]] = defaultdict(list)
    for p in points:
        series[(p["part"], p["clock_mhz"])].append((p["reuse_factor"], p["latency_cycles"]))
    fig, ax = _pyplot().subplots(figsize=(6, 4))
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
    _save(fig, path)


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

"""Figures of the workflow: training curves, the students' Pareto front, the paper's Fig. 5 (latency vs
reuse factor per part and clock) and confusion matrices. Each is written as a PNG, atomically."""

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
    front = [
        i for i in range(len(names)) if not any((size[j] <= size[i]) & (acc[j] > acc[i]) for j in range(len(names)))
    ]
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
    """One line per (source, part, clock): latency in clock cycles against the reuse factor.

    Each point needs `source`, `part`, `clock_mhz`, `reuse_factor` and `latency_cycles`. The da4ml RTL has
    no reuse factor (every multiplication is its own adder tree): its points are drawn dashed, at the
    targets' reuse factors, to set the HLS latency beside the RTL's at the same part and clock.
    """
    if not points:
        raise ValueError("no latency reports to plot")
    series: dict[tuple[str, str, float], list[tuple[int, float]]] = defaultdict(list)
    for p in points:
        series[(p["source"], p["part"], p["clock_mhz"])].append((p["reuse_factor"], p["latency_cycles"]))
    fig, ax = _pyplot().subplots(figsize=(6.5, 4))
    for (source, part, mhz), values in sorted(series.items()):
        rf, latency = zip(*sorted(values))
        style = "s--" if source.startswith("RTL") else "o-"
        ax.plot(rf, latency, style, label=f"{part} @ {mhz:g} MHz, {source}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("reuse factor")
    ax.set_ylabel("latency [clock cycles]")
    ax.set_title(title or "latency vs reuse factor")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    fig.tight_layout()
    _save(fig, path)


def fig5_points(
    targets: Mapping[str, Mapping[str, Any]],
    synth: Mapping[str, Mapping[str, Any]] | None = None,
    rtl_sim: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Fig. 5 points from HLS synthesis reports (report.json) and RTL simulations (rtl_sim.json), keyed by target."""
    latency = [("HLS report", r["latency_cycles"]["worst"], name) for name, r in (synth or {}).items()]
    latency += [("RTL simulation (da4ml)", r["latency_clocks"], name) for name, r in (rtl_sim or {}).items()]
    return [
        {
            "source": source,
            "part": targets[name]["part"],
            "clock_mhz": 1000.0 / targets[name]["clock_period"],
            "reuse_factor": targets[name]["reuse_factor"],
            "latency_cycles": cycles,
        }
        for source, cycles, name in latency
    ]


def confusion_matrices(
    matrices: Mapping[str, Sequence[Sequence[int]]], class_names: Sequence[str], path: str | Path, title: str
) -> None:
    """One confusion matrix (rows: true class, counts) per source: the QKeras student, C simulation, RTL..."""
    plt = _pyplot()
    n = len(matrices)
    fig, axes = plt.subplots(1, n, figsize=(3.6 * n, 3.6), squeeze=False)
    for ax, (name, matrix) in zip(axes[0], matrices.items()):
        matrix = np.asarray(matrix)
        ax.imshow(matrix, cmap="Blues")
        for (i, j), count in np.ndenumerate(matrix):
            ax.text(
                j,
                i,
                str(count),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if count > matrix.max() / 2 else "black",
            )
        ax.set_xticks(range(len(class_names)), class_names, rotation=45, ha="right", fontsize=7)
        ax.set_yticks(range(len(class_names)), class_names, fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_title(f"{name}: {np.trace(matrix) / max(matrix.sum(), 1):.1%}", fontsize=9)
    axes[0][0].set_ylabel("true")
    fig.suptitle(title)
    fig.tight_layout()
    _save(fig, path)

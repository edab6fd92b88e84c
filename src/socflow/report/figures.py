"""Figures of the workflow: training curves, the students' Pareto front, the paper's Fig. 5 (latency vs
reuse factor per part and clock) and confusion matrices. Each is written as a PNG, atomically."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ReportError
from socflow.io import atomic_path, read_json

# how Fig. 5 names the RTL designs: one curve per design family (the conv design at R = 1 and folded above it)
RTL_SOURCES = {"stream": "RTL stream", "conv": "RTL conv", "folded_conv": "RTL conv"}


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


def budget_search(
    trials_csv: str | Path, hparams: str | Path, limits: Mapping[str, float], path: str | Path,
    deployed: str | Path | None = None,
) -> None:  # fmt: skip
    """A budgeted student search: validation accuracy against estimated LUT and against latency over all its
    trials (fitting ones filled, the others hollow), the budget's limits drawn, the deployed design marked: the one
    fit_student settled on by Yosys (`deployed`, its chosen.json) where it ran, else the search's choice. When they
    differ (the search's choice did not fit by Yosys) the search's choice is drawn too, as a hollow star."""
    import pandas as pd

    trials = pd.read_csv(trials_csv, dtype={"trial_id": str})
    trials = trials[trials["status"] == "COMPLETED"]
    choice = trials[trials["trial_id"] == read_json(hparams)["trial_id"]].iloc[0]
    fitted = read_json(deployed) if deployed else None
    if fitted is None or fitted["search_choice"]:
        _trade_off(trials, choice, limits, path, {"color": "tab:blue", "label": "fits"})
    else:
        _trade_off(trials, fitted["point"], limits, path, {"color": "tab:blue", "label": "fits"}, passed_over=choice)


def _trade_off(
    points: Any, chosen: Mapping[str, Any], limits: Mapping[str, float], path: str | Path, fitting: Mapping[str, Any],
    front: Any = None, title: str = "", passed_over: Mapping[str, Any] | None = None,
) -> None:  # fmt: skip
    """Validation accuracy against estimated LUT and against latency: `points` (a `fits` column: the others
    hollow red, the fitting ones drawn with `fitting`'s style), the `front`'s points joined, the budget's
    `limits`, the `chosen` one as a star, and the search's choice that was `passed_over` as a hollow one."""
    fig, axes = _pyplot().subplots(1, 2, figsize=(9, 3.6), sharey=True)
    fits = points["fits"].astype(bool)
    for ax, (column, label) in zip(axes, (("lut", "LUT (estimate)"), ("latency_clocks", "latency [clocks]"))):
        ax.scatter(points[column][fits], 100 * points["val_accuracy"][fits], **fitting)
        ax.scatter(points[column][~fits], 100 * points["val_accuracy"][~fits], facecolors="none",
                   edgecolors="tab:red", s=fitting.get("s"), label="over budget")  # fmt: skip
        if front is not None:
            line = front.sort_values(column)
            ax.step(line[column], 100 * line["val_accuracy"].cummax(), where="post", color="tab:blue", alpha=0.5)
            ax.scatter(line[column], 100 * line["val_accuracy"], color="tab:blue", s=22, label="front", zorder=2)
        if passed_over is not None:
            ax.scatter([passed_over[column]], [100 * passed_over["val_accuracy"]], marker="*", s=220, zorder=3,
                       facecolors="none", edgecolors="tab:orange", label="search's choice (over by Yosys)")  # fmt: skip
        ax.scatter([chosen[column]], [100 * chosen["val_accuracy"]], marker="*", s=220, color="tab:orange",
                   label="deployed" if passed_over is not None else "chosen", zorder=3)  # fmt: skip
        if column in limits:
            ax.axvline(limits[column], color="black", linestyle="--", label="budget")
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("validation accuracy [%]")
    if title:
        axes[0].set_title(title, fontsize=9)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    _save(fig, path)


FIG5_PANELS = (
    ("latency_cycles", "latency [clock cycles]"),
    ("latency_ns", "latency [ns]"),
    ("LUT", "LUT"),
    ("FF", "FF"),
    ("DSP", "DSP"),
    ("initiation_interval", "initiation interval [clock cycles]"),
    ("fmax_mhz", "Fmax after routing [MHz] (ECP5)"),
    ("latency_ns_at_fmax", "latency at Fmax [ns] (ECP5)"),
)


def latency_vs_reuse(points: Sequence[Mapping[str, Any]], path: str | Path, title: str = "") -> None:
    """The paper's Fig. 5, widened: latency (clocks and ns), LUT, FF, DSP and initiation interval against the
    reuse factor, one line per (source, part, clock); and for designs placed and routed (ECP5) the clock they
    reach and their latency at it, the paper's 100-or-200-MHz question answered by the router.

    Each point needs `source`, `part`, `clock_mhz`, `reuse_factor` and `latency_cycles`; the other panels
    draw what a point has (`latency_ns`, `initiation_interval`, `LUT`, `FF`, `DSP`, `fmax_mhz`,
    `latency_ns_at_fmax`). Sources: the HLS report, the RTL path (da4ml at R = 1, folded above: one curve of the
    open path) and its streaming design.
    """
    if not points:
        raise ReportError("no latency reports to plot")
    series: dict[tuple[str, str, float], list[Mapping[str, Any]]] = defaultdict(list)
    for p in points:
        series[(p["source"], p["part"], p["clock_mhz"])].append(p)
    panels = [(k, label) for k, label in FIG5_PANELS if any(p.get(k) is not None for p in points)]
    fig, axes = _pyplot().subplots(2, (len(panels) + 1) // 2, figsize=(4.4 * ((len(panels) + 1) // 2), 7))
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for ax, (key, label) in zip(axes.flat, panels):
        for (source, part, mhz), values in sorted(series.items()):
            drawn = sorted((p["reuse_factor"], p[key]) for p in values if p.get(key) is not None)
            if drawn:
                style = "s--" if source.startswith("RTL") else "o-"
                ax.plot(*zip(*drawn), style, label=f"{part} @ {mhz:g} MHz, {source}")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("reuse factor")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3, which="both")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=8)
    fig.suptitle(title or "latency and resources vs reuse factor")
    fig.tight_layout(rect=(0, 0.05 + 0.025 * ((len(labels) + 1) // 2), 1, 1))
    _save(fig, path)


def _used(report: Mapping[str, Any] | None) -> dict[str, Any]:
    resources = (report or {}).get("resources", {})
    return {name: resources[name]["used"] for name in ("LUT", "FF", "DSP") if name in resources}


def fig5_points(
    targets: Mapping[str, Mapping[str, Any]],
    synth: Mapping[str, Mapping[str, Any]] | None = None,
    rtl_sim: Mapping[str, Mapping[str, Any]] | None = None,
    yosys: Mapping[str, Mapping[str, Any]] | None = None,
    pnr: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Fig. 5 points, keyed by target: HLS synthesis reports (report.json: latency, interval, resources) and the
    RTL path (rtl_sim.json: measured latency and II; yosys.json: resources; pnr.json: the clock reached)."""
    points = []
    for name, report in (synth or {}).items():
        points.append(
            (
                name,
                "HLS report",
                report["latency_cycles"]["worst"],
                report["interval_cycles"]["max"],
                _used(report),
            )
        )
    for name, sim in (rtl_sim or {}).items():
        source = RTL_SOURCES.get(sim.get("architecture"), "RTL (da4ml R=1, folded R>1)")
        routed = (pnr or {}).get(name)
        fmax = {} if routed is None else {"fmax_mhz": routed["fmax_mhz"]}
        points.append(
            (name, source, sim["latency_clocks"], sim.get("initiation_interval"), _used((yosys or {}).get(name)) | fmax)
        )
    return [
        {
            "source": source,
            "part": targets[name]["part"],
            "clock_mhz": 1000.0 / targets[name]["clock_period"],
            "reuse_factor": targets[name]["reuse_factor"],
            "latency_cycles": cycles,
            "latency_ns": cycles * targets[name]["clock_period"] if cycles is not None else None,
            "initiation_interval": interval,
            **used,
            **({"latency_ns_at_fmax": 1000.0 * cycles / used["fmax_mhz"]} if "fmax_mhz" in used else {}),
        }
        for name, source, cycles, interval, used in points
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


def pareto_front(
    points: Any, front: Any, target: str, chosen: Mapping[str, Any], limits: Mapping[str, float], path: str | Path
) -> None:
    """A Pareto search on one target: validation accuracy against estimated LUT and against latency for every
    point of every trial (each reuse factor and input type; hollow: over the budget), the front's points joined,
    the budget's limits drawn, the selected student marked."""
    mine, on_front = points[points["target"] == target], front[front["on_front"] & (front["target"] == target)]
    title = f"{target}: {mine['trial_id'].nunique()} trials, {len(on_front)} front points"
    _trade_off(mine, chosen, limits, path, {"color": "tab:gray", "s": 14, "label": "trials"}, on_front, title)

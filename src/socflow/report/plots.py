"""Stages plot_pareto, plot_budget, plot_fig5 and plot_confusion: each gathers its rule's files and draws one
figure of socflow.report.figures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socflow.budget import budget_of, deployed_target, student_choices
from socflow.io import read_json
from socflow.plan import figure_targets
from socflow.report import figures


def plot_pareto(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> None:
    """Stage plot_pareto: the student variants (params `variants`, inputs['metrics'] in their order) on the plane
    of test accuracy and model size."""
    figures.pareto(dict(zip(params["variants"], inputs["metrics"])), outputs["plot"])


def plot_budget(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> None:
    """Stage plot_budget: a budgeted search's trials against the limits of the budgeted params `target`, the
    design fit_student deployed (inputs['chosen']) marked where it ran."""
    limits = budget_of(params["target"]).limits
    figures.budget_search(inputs["trials"], inputs["hparams"], limits, outputs["plot"], inputs.get("chosen"))


def plot_fig5(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> None:
    """Stage plot_fig5: the paper's Fig. 5 over the experiment's targets (params `targets`, each at the reuse
    factor its student takes): latency and resources against R from the HLS reports, the RTL simulations and the
    Yosys estimates and ECP5 place and route that ran (inputs 'synth', 'rtl_sim', 'yosys', 'pnr', lists over the
    targets of the stage's parts, in the targets' order: socflow.plan.figure_targets)."""
    choices = student_choices(inputs)
    targets = {name: deployed_target(t, choices) for name, t in params["targets"].items()}
    reports = {
        key: dict(zip(figure_targets(targets, key), map(read_json, inputs.get(key, []))))
        for key in ("synth", "rtl_sim", "yosys", "pnr")
    }
    figures.latency_vs_reuse(figures.fig5_points(targets, **reports), outputs["plot"], params["title"])


def plot_confusion(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> None:
    """Stage plot_confusion: the confusion matrices of the student (inputs['student'], QKeras or HGQ2) and of its C
    and RTL simulations on every target (inputs 'csim', 'rtl_sim', lists in the order of params `targets`)."""
    student = read_json(inputs["student"])
    matrices = {"HGQ2" if student.get("quantizer") == "hgq" else "QKeras": student["confusion_matrix"]}
    for key, label, field in (("csim", "C sim", "csim"), ("rtl_sim", "RTL sim", "rtl")):
        for name, path in zip(figure_targets(params["targets"], key), inputs.get(key, [])):
            target = params["targets"][name]
            where = f"{target['part']} @ {1000 / target['clock_period']:g} MHz"
            matrices[f"{label}, {where}"] = read_json(path)[field]["confusion_matrix"]
    class_names = read_json(inputs["summary"])["class_names"]
    figures.confusion_matrices(matrices, class_names, outputs["plot"], params["title"])

"""Stage 2: the student, searched with BO where every trial trains with knowledge distillation and
quantization-aware pruning and is kept as trained (tune_student); the chosen trial's kept student deployed as it
was scored (train_student), not trained again."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from socflow._keras import keras

import pandas as pd

from socflow.budget import budgets
from socflow.fixed import FixedType
from socflow.io import atomic_path, read_json, read_xy, sha256_file, write_json
from socflow.metrics import classification_metrics, predict_classes
from socflow.models import load_model, save_model
from socflow.names import variant_name
from socflow.report.figures import training_curves
from socflow.settings import Student, Variant
from socflow.train.bayes import tune
from socflow.train.budget import (
    KEPT_STUDENT,
    chosen_input_precision,
    chosen_reuse_factors,
    quantized_accuracy,
    require_fit,
    trial_judge,
)
from socflow.train.compression import PruningPlan, sparsity_report, student_model
from socflow.train.distill import Distiller, logits_of
from socflow.train.fit import begin_stage, early_stopping
from socflow.train.hypermodels import count_layers, searched
from socflow.train.journal import search_worker
from socflow.train.trials import TRIAL_RECORD, Judge, hyperparameters, state_dir, trial_folder

log = logging.getLogger(__name__)


def student_builder(
    student: Student,
    variant: Variant,
    teacher: keras.Model,
    summary: Mapping[str, Any],
    plan: PruningPlan,
) -> Callable[[Any], keras.Model]:
    """keras-tuner build function: a compiled Distiller around a fresh pruned QKeras student."""

    def build(hp: Any) -> keras.Model:
        model = student_model(hp, student, variant, summary["input_shape"], summary["n_classes"], plan)
        distiller = Distiller(model, teacher, **kd_settings(hp, student))
        distiller.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", list(student["learning_rates"]))))
        return distiller

    return build


def kd_settings(hp: Any, student: Student) -> dict[str, Any]:
    """The distillation settings of a trial: alpha, T and the soft term's kind, each a value or the search's pick."""
    return {
        "alpha": searched(hp, "alpha", student["alpha"]),
        "temperature": searched(hp, "temperature", student["temperature"]),
        "kd": searched(hp, "kd", student["kd"]),
    }


def _plan(student: Student, variant: Variant, n_train: int) -> PruningPlan:
    search = student["search"]
    return PruningPlan.for_training(variant["sparsity"], n_train, search["batch_size"], search["epochs"])


def trial_callbacks(patience: int, plan: PruningPlan) -> list[keras.callbacks.Callback]:
    """A student's training callbacks, the same in every trial of its searches (accuracy and Pareto): the pruning
    step, and early stopping that keeps no epoch before the target sparsity holds. Without that start a trial
    stopped early kept weights of the pruning ramp: Pareto trials deployed as they were kept had 40 % sparsity
    where 50 % was asked, and every search scored and costed such students."""
    import tensorflow_model_optimization as tfmot

    return [tfmot.sparsity.keras.UpdatePruningStep(), *early_stopping(patience, plan.start_epoch)]


def tune_student(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage tune_student: BO over the student space (params `student`, `variant`), KD from inputs['teacher'] and
    QAP inside every trial, its state in params `state` (or the collection of its parallel workers' trials);
    writes hparams.json and trials.csv. Every trial's student is kept as trained in its folder of the state and
    scored by its validation accuracy on the grid of params `input_precision` (socflow.train.budget.trial_judge).
    With params `budget` (the budgeted targets, the input precision, the rtl section) each trial is costed on the
    budgeted targets and the best is the most accurate that fits; none fitting is a BudgetError naming the trial
    nearest to fitting. With `search.objective: pareto` the search is
    socflow.train.pareto's (params `budget`: the costed targets) and hparams.json names its state, from which
    select_student takes the front and the student."""
    search = params["student"]["search"]
    if search["objective"] == "pareto":
        return _tune_pareto(inputs, params, outputs, threads)
    build, settings, callbacks = _search_setup(inputs, params, threads)
    best = tune(build, inputs, search, settings, params["state"], outputs, callbacks, _judge(inputs, params))
    if params.get("budget"):
        require_fit(pd.read_csv(outputs["trials"]), outputs["trials"])
    return best


def _tune_pareto(
    inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int
) -> dict[str, Any]:
    from socflow.train.pareto import run_trials, study_tables

    search = params["student"]["search"]
    build, settings, callbacks = _search_setup(inputs, params, threads)
    if search["workers"] == 1:
        run_trials(build, inputs, search, settings, params["state"], _costed(params), callbacks)
    state = state_dir(params["state"], settings, search)
    trials, _ = study_tables(state)
    with atomic_path(outputs["trials"]) as tmp:
        trials.to_csv(tmp, index=False)
    summary = {"objective": "pareto", "state": str(state), "trials": len(trials),
               "guided_trials": int((trials["proposed_by"] == "guided").sum())}  # fmt: skip
    write_json(outputs["hparams"], summary)
    log.info("Pareto search: %d trials (%d guided) in %s", len(trials), summary["guided_trials"], state)
    return summary


def tune_student_worker(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> list[Any]:
    """Stage tune_student_worker: worker params `worker` of the `search.workers` running the student search's
    trials; writes the list of those it ran (outputs['trials'])."""
    build, settings, callbacks = _search_setup(inputs, params, threads)
    search = params["student"]["search"]
    if search["objective"] == "pareto":
        from socflow.train.pareto import run_trials

        ran = run_trials(build, inputs, search, settings, params["state"], _costed(params), callbacks,
                         params["worker"])  # fmt: skip
        write_json(outputs["trials"], {"worker": params["worker"], "trials": ran})
        return ran
    return search_worker(build, inputs, search, settings, params["state"], params["worker"], outputs["trials"],
                         callbacks, _judge(inputs, params))  # fmt: skip


def _search_setup(
    data: Mapping[str, str], params: Mapping[str, Any], threads: int
) -> tuple[Callable[[Any], keras.Model], dict[str, Any], Callable[[], list[keras.callbacks.Callback]]]:
    """The build function, the settings that key the search's state (with the budget or the costed targets) and
    the trials' callbacks, the same for its tune and worker jobs."""
    student, variant, budget, teacher_path = params["student"], params["variant"], params.get("budget"), data["teacher"]
    summary = begin_stage(data, student["search"], threads)
    plan = _plan(student, variant, sum(summary["class_counts"]["train"]))
    build = student_builder(student, variant, load_model(teacher_path), summary, plan)
    settings = {k: v for k, v in student.items() if k != "select"} | dict(variant)  # re-selecting is no new search
    # the epoch early stopping may keep from: trials of a search before it was kept are not this search's; the
    # input type its trials are scored on (the kept student on its grid: searches before that kept no student)
    settings |= {"data": summary["source_sha256"], "teacher": sha256_file(teacher_path), "stop_from": plan.start_epoch,
                 "input_precision": params["input_precision"]}  # fmt: skip
    callbacks = partial(trial_callbacks, student["search"]["patience"], plan)
    return build, settings | ({"budget": dict(budget)} if budget else {}), callbacks


def _judge(data: Mapping[str, str], params: Mapping[str, Any]) -> Judge:
    """The judge of a student search's trial: its kept student's accuracy on the input grid, with a budget its
    cost on the budgeted targets."""
    budget = params.get("budget") or {"targets": [], "rtl": None}
    return trial_judge(budget["targets"], params["input_precision"], budget["rtl"], read_xy(data["val"]))


def _costed(params: Mapping[str, Any]) -> dict[str, Any]:
    """What a Pareto search costs every trial on: its targets, input types and rtl section (params `budget`)."""
    from socflow.names import input_types

    cost = params["budget"]
    return {"targets": cost["targets"], "types": input_types(cost), "rtl": cost["rtl"]}


def train_student(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage train_student: deploy the chosen trial's student as the search kept and scored it, not trained again
    (a student trained again with the trial's hyperparameters can be another one): the accuracy search's best trial
    (inputs['hparams']), or the Pareto search's selected one (inputs['selected'], select_student's), or with a budget
    the first of the search's candidates whose design fits by Yosys (inputs['chosen'], fit_student's). Saves model.h5
    (QKeras, pruning stripped), metrics.json (its test metrics, its validation accuracy on the input grid, which is
    the trial's score; with params `budget`: its estimated cost on the budgeted targets, the reuse factor it takes
    on each and its input type) and curves.png (its fit's, from the search)."""
    data, student, variant = inputs, params["student"], params["variant"]
    summary = begin_stage(data, student["search"], threads)
    teacher = load_model(inputs["teacher"])
    if "chosen" in inputs:
        model, curves, seconds, hp, kd, choices = _fitted_student(inputs, params)
    elif "selected" in inputs:
        model, curves, seconds, hp, kd, choices = _selected_student(inputs, params)
    else:
        model, curves, seconds, hp, kd, choices = _searched_student(inputs, params)
    training_curves(curves, outputs["curves"], f"student {variant_name(variant)}")
    x_test, y_test = read_xy(data["test"])
    _, predicted = predict_classes(model, x_test)
    _, teacher_predicted = predict_classes(logits_of(teacher), x_test)
    teacher_params = read_json(inputs["teacher_metrics"])["params"]
    input_type = FixedType.parse(choices["input_precision"] or params["input_precision"])
    metrics = classification_metrics(y_test, predicted, summary["class_names"]) | sparsity_report(model)
    metrics |= {
        "params": int(model.count_params()),
        "teacher_params": int(teacher_params),
        "compression_ratio": teacher_params / model.count_params(),
        "n_layers": count_layers(model),
        "bits": variant["bits"],
        "integer_bits": variant["integer_bits"],
        "target_sparsity": variant["sparsity"],
        "size_bits": int(metrics["nonzero_params"] * variant["bits"]),
        "agreement_with_teacher": float((predicted == teacher_predicted).mean()),
        "val_accuracy": quantized_accuracy(model, input_type, read_xy(data["val"])),
        "hyperparameters": hp.values,
        "kd": kd,
        **choices,
        "train_seconds": seconds,
        "epochs_run": len(curves["loss"]),
        "history": curves,
    }
    save_model(model, outputs["model"])
    write_json(outputs["metrics"], metrics)
    log.info(
        "student %s: %d params (CR %.1f), sparsity %.3f, validation accuracy %.4f (%s inputs), test accuracy %.4f",
        variant,
        metrics["params"],
        metrics["compression_ratio"],
        metrics["sparsity"],
        metrics["val_accuracy"],
        input_type,
        metrics["accuracy"],
    )
    return metrics


Deployed = tuple[keras.Model, dict[str, list[float]], float, Any, dict[str, Any], dict[str, Any]]


def _searched_student(inputs: Mapping[str, str], params: Mapping[str, Any]) -> Deployed:
    """The accuracy search's best trial's kept student (hparams.json names the trial and the search's state): model,
    its fit's curves and seconds from the search, hyperparameters, KD settings and what the budget chose for it
    (the trial's judged cost, reuse factors and input type; none without a budget)."""
    best = read_json(inputs["hparams"])
    folder = trial_folder(best["state"], best["trial_id"])
    record = read_json(folder / TRIAL_RECORD)
    hp, judged, budget = hyperparameters(best["config"]), record["metrics"], params.get("budget")
    choices = {
        "budget": judged if budget else None,
        "reuse_factors": chosen_reuse_factors(judged, budgets(budget["targets"])) if budget else {},
        "input_precision": chosen_input_precision(judged, budget["input_precision"]) if budget else None,
        "search": {"trial_id": best["trial_id"], "score": best["score"], "model": str(folder / KEPT_STUDENT)},
    }
    kd = kd_settings(hp, params["student"]) | {"scale": judged.get("kd_scale")}
    return load_model(folder / KEPT_STUDENT), record["history"], record["seconds"], hp, kd, choices


def _fitted_student(inputs: Mapping[str, str], params: Mapping[str, Any]) -> Deployed:
    """The student fit_student settled on (chosen.json: the first candidate of the search whose design fits by
    Yosys), as _searched_student returns one: its kept model, its fit's curves and seconds from the search, the
    reuse factors and input type it was synthesized with, and what the settling tried."""
    chosen = read_json(inputs["chosen"])
    record = read_json(chosen["record"])
    hp = hyperparameters(record["hyperparameters"])
    choices = {
        "budget": chosen["point"],
        "reuse_factors": chosen["reuse_factors"],
        "input_precision": chosen["input_precision"],
        "fit": {
            "trial_id": chosen["trial_id"],
            "search_choice": chosen["search_choice"],
            "model": chosen["model"],
            "syntheses": len(chosen["candidates"]),
        },
    }
    if "selected" in inputs:
        choices["pareto"] = _pareto_summary(read_json(inputs["selected"]))
    kd = kd_settings(hp, params["student"]) | {"scale": record.get("metrics", {}).get("kd_scale")}
    return load_model(chosen["model"]), record["history"], record["seconds"], hp, kd, choices


def _selected_student(inputs: Mapping[str, str], params: Mapping[str, Any]) -> Deployed:
    """The Pareto search's selected trial's kept student (select_student's selected.json), as _searched_student
    returns a student: its fit's curves and seconds from the search, its point as the budget's choice."""
    selected = read_json(inputs["selected"])
    kept = read_json(Path(selected["model"]).parent / "points.json")
    hp = hyperparameters(selected["config"])
    choices = {
        "budget": selected["point"],
        "reuse_factors": selected["reuse_factors"],
        "input_precision": chosen_input_precision(selected, params["budget"]["input_precision"]),
        "pareto": _pareto_summary(selected),
    }
    kd = kd_settings(hp, params["student"]) | {"scale": None}
    return load_model(selected["model"]), kept["history"], kept["seconds"], hp, kd, choices


def _pareto_summary(selected: Mapping[str, Any]) -> dict[str, Any]:
    """What metrics.json says of a Pareto search's selection: the trial, the rule, the target, the front's size."""
    return {k: selected[k] for k in ("trial_id", "rule", "target", "trials", "front_points")}

"""Stage 1: the floating-point teacher, searched with BO (tune_teacher, train_teacher) or pretrained
(import_teacher)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from socflow._keras import keras

from socflow.io import read_json, read_xy, write_json
from socflow.metrics import classification_metrics, predict_classes
from socflow.models import load_model, save_model
from socflow.report.figures import training_curves
from socflow.settings import Search, Teacher
from socflow.train.bayes import tune
from socflow.train.fit import begin_stage, early_stopping, fit_model
from socflow.train.hypermodels import (
    Builder,
    check_model_io,
    compile_classifier,
    count_layers,
    teacher_builder,
    teacher_callbacks,
)
from socflow.train.journal import search_worker
from socflow.train.trials import hyperparameters

log = logging.getLogger(__name__)


def _search_setup(data: Mapping[str, str], teacher: Teacher, threads: int) -> tuple[Builder, dict[str, Any]]:
    """The build function and the settings that key the search's state, the same for its tune and worker jobs."""
    summary = begin_stage(data, teacher["search"], threads)
    build = teacher_builder(teacher, summary["input_shape"], summary["n_classes"])
    settings = {k: v for k, v in teacher.items() if k not in ("search", "pretrained", "fine_tune_epochs")}
    return build, settings | {"data": summary["source_sha256"]}


def tune_teacher(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage tune_teacher: BO over the teacher hypermodel (params `teacher`) on validation accuracy, its state in
    params `state` (or the collection of its parallel workers' trials); writes hparams.json and trials.csv."""
    teacher = params["teacher"]
    build, settings = _search_setup(inputs, teacher, threads)
    callbacks = partial(_trial_callbacks, teacher)
    return tune(build, inputs, teacher["search"], settings, params["state"], outputs, callbacks)


def tune_teacher_worker(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> list[str]:
    """Stage tune_teacher_worker: worker params `worker` of the `search.workers` running the teacher search's
    trials; writes the list of those it ran (outputs['trials'])."""
    teacher = params["teacher"]
    build, settings = _search_setup(inputs, teacher, threads)
    callbacks = partial(_trial_callbacks, teacher)
    return search_worker(
        build, inputs, teacher["search"], settings, params["state"], params["worker"], outputs["trials"], callbacks
    )


def _trial_callbacks(teacher: Mapping[str, Any]) -> list[Any]:
    """A teacher's training callbacks, the same in every trial of its search and in train_teacher: its unfreezing
    (a transfer-learning teacher), then early stopping."""
    return [*teacher_callbacks(teacher), *early_stopping(teacher["search"]["patience"])]


def _finish(
    model: keras.Model,
    data: Mapping[str, str],
    summary: Mapping[str, Any],
    outputs: Mapping[str, str],
    extra: dict[str, Any],
) -> dict[str, Any]:
    """Evaluate on the test part, save the model (.h5, atomically) and metrics.json."""
    x_test, y_test = read_xy(data["test"])
    _, predicted = predict_classes(model, x_test)
    metrics = classification_metrics(y_test, predicted, summary["class_names"])
    metrics |= {"params": int(model.count_params()), "n_layers": count_layers(model)} | extra
    save_model(model, outputs["model"])
    write_json(outputs["metrics"], metrics)
    log.info("teacher: %d parameters, test accuracy %.4f", metrics["params"], metrics["accuracy"])
    return metrics


def _fit(
    model: keras.Model, data: Mapping[str, str], epochs: int, search: Search, callbacks: Sequence[Any]
) -> tuple[dict, float]:
    return fit_model(model, read_xy(data["train"]), read_xy(data["val"]), epochs, search["batch_size"], callbacks)


def train_teacher(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage train_teacher: train the teacher with the search's best hyperparameters (inputs['hparams']); writes
    model.h5, metrics.json, curves.png."""
    data, teacher = inputs, params["teacher"]
    summary = begin_stage(data, teacher["search"], threads)
    hp = hyperparameters(read_json(inputs["hparams"])["config"])
    model = teacher_builder(teacher, summary["input_shape"], summary["n_classes"])(hp)
    history, seconds = _fit(model, data, teacher["search"]["epochs"], teacher["search"], _trial_callbacks(teacher))
    training_curves(history, outputs["curves"], "teacher")
    return _finish(
        model,
        data,
        summary,
        outputs,
        {
            "hyperparameters": hp.values,
            "train_seconds": seconds,
            "history": history,
            "epochs_run": len(history["loss"]),
            "source": "searched",
        },
    )


def import_teacher(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage import_teacher: check a pretrained .h5 teacher (inputs['pretrained']) against the data (input shape,
    classes), optionally fine-tune it, evaluate it; writes model.h5, metrics.json, curves.png (empty history when
    not fine-tuned)."""
    from socflow.train.distill import logits_of

    data, teacher, pretrained = inputs, params["teacher"], inputs["pretrained"]
    summary = begin_stage(data, teacher["search"], threads)
    model = load_model(pretrained)
    check_model_io(model, summary["input_shape"], summary["n_classes"], f"teacher.pretrained {pretrained}")
    history: dict[str, list[float]] = {}
    seconds = 0.0
    if teacher["fine_tune_epochs"] > 0:
        model = logits_of(model)
        compile_classifier(model, min(teacher["learning_rates"]))
        stop = early_stopping(teacher["search"]["patience"])
        history, seconds = _fit(model, data, teacher["fine_tune_epochs"], teacher["search"], stop)
    training_curves(history, outputs["curves"], f"teacher (pretrained {Path(pretrained).name})")
    return _finish(
        model,
        data,
        summary,
        outputs,
        {"train_seconds": seconds, "history": history, "source": f"pretrained: {pretrained}"},
    )

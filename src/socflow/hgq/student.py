"""Stage train_hgq_student (student.quantizer: hgq): an HGQ2 student distilled from the teacher's stored logits.

The stage runs in the HGQ2 process (socflow.hgq.env.in_hgq); this module imports no Keras at its top, so the
workflow's process only hands the job over. No search in this phase: the hypermodel's largest point is trained
(student.layers, its largest if a list; the largest of student.units; the largest learning rate; the first of
alpha, temperature, kd and beta where they are lists).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from socflow.hgq.env import in_hgq

log = logging.getLogger(__name__)


def first(value: Any) -> Any:
    """A setting that may be a list for the search: its first value."""
    return value[0] if isinstance(value, list) else value


def hgq_hyperparameters(student: Mapping[str, Any]) -> dict[str, Any]:
    """What the HGQ2 student is trained with, without a search (module docstring)."""
    layers = student["layers"]
    return {
        "layers": max(layers) if isinstance(layers, list) else layers,
        "units": max(student["units"]),
        "lr": max(student["learning_rates"]),
        "alpha": first(student["alpha"]),
        "temperature": first(student["temperature"]),
        "kd": first(student["kd"]),
        "beta": first(student["beta"]),
    }


def train_hgq_student(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage train_hgq_student: train the variant's HGQ2 student on inputs['train'] from the teacher's logits
    (inputs['logits'], teacher_logits'); writes outputs['model'] (Keras 3 .keras) and outputs['metrics'] (test
    metrics as train_student's, widths, EBOPs, da4ml's cost at R = 1)."""
    return in_hgq(_train, inputs=dict(inputs), params=dict(params), outputs=dict(outputs), threads=threads)


def _train(inputs: dict[str, str], params: dict[str, Any], outputs: dict[str, str], threads: int) -> dict[str, Any]:
    """The stage, in the HGQ2 process."""
    import numpy as np

    from socflow.hgq import model as hgq
    from socflow.hgq.keras3 import keras, set_threads
    from socflow.io import read_json, read_xy, write_json
    from socflow.kd import label_accuracy, stored_logits_loss, with_teacher_logits
    from socflow.metrics import classification_metrics

    set_threads(threads)
    student, variant, search = params["student"], params["variant"], params["student"]["search"]
    keras.utils.set_random_seed(search["seed"])
    summary = read_json(inputs["summary"])
    hp = hgq_hyperparameters(student)
    with np.load(inputs["logits"]) as logits:
        teacher = {part: logits[part] for part in ("train", "val", "test")}
    data = {part: read_xy(inputs[part]) for part in ("train", "val", "test")}
    packed = {p: (data[p][0], with_teacher_logits(data[p][1], teacher[p])) for p in ("train", "val")}
    shape = int(np.prod(summary["input_shape"])), summary["n_classes"], hp["layers"], hp["units"]
    widths = variant["bits"], variant["integer_bits"], student["activation_integer_bits"]
    model = hgq.mlp(*shape, *widths, hp["beta"])
    start = time.perf_counter()
    history = hgq.fit(model, stored_logits_loss(hp["alpha"], hp["temperature"], hp["kd"]), label_accuracy, packed,
                      hp["lr"], search["epochs"], search["patience"], search["batch_size"])  # fmt: skip
    seconds = time.perf_counter() - start
    x_test, y_test = data["test"]
    predicted = np.asarray(model.predict(x_test, verbose=0)).argmax(-1)
    val_predicted = np.asarray(model.predict(data["val"][0], verbose=0)).argmax(-1)
    metrics = classification_metrics(y_test, predicted, summary["class_names"]) | hgq.weight_report(model)
    metrics |= {
        "quantizer": "hgq",
        "bits": variant["bits"],
        "integer_bits": variant["integer_bits"],
        "ebops": hgq.ebops(model),
        "da4ml_cost": hgq.da4ml_cost(model),
        "agreement_with_teacher": float((predicted == teacher["test"].argmax(-1)).mean()),
        "val_accuracy": float((val_predicted == data["val"][1]).mean()),
        "hyperparameters": hp,
        "train_seconds": seconds,
        "epochs_run": len(history["loss"]),
        "history": history,
    }
    hgq.save(model, outputs["model"])
    write_json(outputs["metrics"], metrics)
    log.info("HGQ2 student %s: test accuracy %.4f, EBOPs %.0f, da4ml cost %.0f, %d of %d weights nonzero",
             hp, metrics["accuracy"], metrics["ebops"], metrics["da4ml_cost"], metrics["nonzero_params"],
             metrics["weights"])  # fmt: skip
    return {k: v for k, v in metrics.items() if k != "history"}

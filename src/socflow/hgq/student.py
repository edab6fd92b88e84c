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

from socflow.errors import DataError
from socflow.hgq.env import in_hgq

log = logging.getLogger(__name__)
PARTS = ("train", "val", "test")  # teacher_logits' parts


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
    (inputs['logits'], teacher_logits'); writes outputs['model'] (Keras 3 .keras, where a QKeras student's model.h5
    would be) and outputs['metrics'] (test metrics as train_student's, with the teacher's size from
    inputs['teacher_metrics']; the test accuracy on params `input_precision`'s grid, which the hardware sees;
    widths, EBOPs, da4ml's cost at R = 1).

    The logits are checked against the data before the HGQ2 process starts (a :class:`DataError` naming
    teacher_logits), so a stale file costs no training."""
    check_logits(inputs)
    return in_hgq(_train, inputs=dict(inputs), params=dict(params), outputs=dict(outputs), threads=threads)


def check_logits(inputs: Mapping[str, str]) -> None:
    """The stored teacher logits have a row per sample of each part and a column per class; else a named error."""
    import numpy as np

    from socflow.io import read_json, read_xy

    n_classes = read_json(inputs["summary"])["n_classes"]
    with np.load(inputs["logits"]) as logits:
        shapes = {part: logits[part].shape if part in logits else None for part in PARTS}
    for part in PARTS:
        expected = (len(read_xy(inputs[part])[1]), n_classes)
        if shapes[part] != expected:
            raise DataError(
                f"{inputs['logits']}: the teacher's logits of {part} have shape {shapes[part]}, the data need "
                f"{expected} (samples, classes): the file is not of these data; rerun teacher_logits"
            )


def _train(inputs: dict[str, str], params: dict[str, Any], outputs: dict[str, str], threads: int) -> dict[str, Any]:
    """The stage, in the HGQ2 process."""
    import numpy as np

    from socflow.fixed import FixedType
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
        teacher = {part: logits[part] for part in PARTS}
    data = {part: read_xy(inputs[part]) for part in PARTS}
    packed = {p: (data[p][0], with_teacher_logits(data[p][1], teacher[p])) for p in ("train", "val")}
    shape = int(np.prod(summary["input_shape"])), summary["n_classes"], hp["layers"], hp["units"]
    widths = variant["bits"], variant["integer_bits"], student["activation_integer_bits"]
    model = hgq.mlp(*shape, *widths, hp["beta"])
    start = time.perf_counter()
    history = hgq.fit(model, stored_logits_loss(hp["alpha"], hp["temperature"], hp["kd"]), label_accuracy, packed,
                      hp["lr"], search["epochs"], search["patience"], search["batch_size"])  # fmt: skip
    seconds = time.perf_counter() - start

    def predicted(x: np.ndarray) -> np.ndarray:
        return np.asarray(model.predict(x, batch_size=1024, verbose=0)).argmax(-1)

    (x_test, y_test), (x_val, y_val) = data["test"], data["val"]
    test_predicted = predicted(x_test)
    input_type = FixedType.parse(params["input_precision"])
    teacher_params = read_json(inputs["teacher_metrics"])["params"]
    metrics = classification_metrics(y_test, test_predicted, summary["class_names"]) | hgq.weight_report(model)
    metrics |= {
        "quantizer": "hgq",
        "teacher_params": int(teacher_params),
        "compression_ratio": teacher_params / metrics["params"],
        "n_layers": hp["layers"] + 1,
        "bits": variant["bits"],
        "integer_bits": variant["integer_bits"],
        "size_bits": int(metrics["weight_bits"]),
        "ebops": hgq.ebops(model),
        "da4ml_cost": hgq.da4ml_cost(model),
        "agreement_with_teacher": float((test_predicted == teacher["test"].argmax(-1)).mean()),
        "val_accuracy": float((predicted(x_val) == y_val).mean()),
        "input_type_accuracy": float((predicted(input_type.quantize(x_test)) == y_test).mean()),
        "hyperparameters": hp,
        "seed": search["seed"],
        "train_seconds": seconds,
        "epochs_run": len(history["loss"]),
        "history": history,
    }
    hgq.save(model, outputs["model"])
    write_json(outputs["metrics"], metrics)
    log.info("HGQ2 student %s: test accuracy %.4f (%.4f on %s inputs), EBOPs %.0f, da4ml cost %.0f, %d of %d "
             "weights nonzero", hp, metrics["accuracy"], metrics["input_type_accuracy"], input_type,
             metrics["ebops"], metrics["da4ml_cost"], metrics["nonzero_params"], metrics["weights"])  # fmt: skip
    return {k: v for k, v in metrics.items() if k != "history"}

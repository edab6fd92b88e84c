"""Test-set metrics shared by the stages, and the one check every hardware step makes against the model it came
from (C simulation, RTL simulation, board)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from socflow.errors import HardwareMismatchError, InputPrecisionError
from socflow.fixed import FixedType

log = logging.getLogger(__name__)


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, class_names: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class accuracy (recall) and the confusion matrix (rows: true class)."""
    n = len(class_names)
    confusion = np.zeros((n, n), dtype=int)
    np.add.at(confusion, (y_true, y_pred), 1)
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    return {
        "accuracy": float((y_true == y_pred).mean()),
        "per_class_accuracy": {name: float(a) for name, a in zip(class_names, per_class)},
        "confusion_matrix": confusion.tolist(),
        "n_test": int(len(y_true)),
    }


def predict_classes(model: Any, x: np.ndarray, batch_size: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """(model outputs, argmax classes) on ``x``."""
    outputs = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    return outputs, outputs.argmax(axis=-1)


def require_agreement(
    agree: np.ndarray, minimum: float, what: str, detail: Callable[[int], str], setting: str = ""
) -> float:
    """The share of test samples where `agree` holds; below `minimum`, a :class:`HardwareMismatchError` that says
    `what` agreed, on what share, the threshold (and the `setting` that sets it) and the first mismatching sample
    with `detail(first)` (evaluated only then: it may be costly, such as tracing the first diverging layer)."""
    agree = np.asarray(agree, dtype=bool)
    share = float(agree.mean())
    if share < minimum:
        first = int(np.argmin(agree))
        needed = f"{setting}={minimum}" if setting else f"{minimum:.0%}"
        raise HardwareMismatchError(
            f"{what} on {share:.2%} of {len(agree)} test samples ({int((~agree).sum())} differ), below {needed}; "
            f"first mismatch at test sample {first}: {detail(first)}"
        )
    return share


def input_accuracy_loss(
    model: Any, x: np.ndarray, y: np.ndarray, quantized_accuracy: float, in_type: FixedType, hls: Mapping[str, Any]
) -> dict[str, Any]:
    """What putting the inputs `x` on the input type's grid costs the student in test accuracy: the float student's
    accuracy on `x` against `quantized_accuracy` (the model's on the quantized inputs, which every hardware check
    compares with). A loss above `hls['input_max_accuracy_loss']` is an :class:`InputPrecisionError`, or with
    `hls['input_accuracy_check']` 'warn' a warning logged and recorded; the record for the stage's result. One
    sample is always allowed: on a small test set it is more than the limit (1 of 20 is 5 points), and a single
    answer can flip on a rounding of its inputs without the type being wrong."""
    _, predicted = predict_classes(model, x.astype(np.float32))
    float_accuracy = float((predicted == y).mean())
    loss = float_accuracy - quantized_accuracy
    allowed = max(hls["input_max_accuracy_loss"], 1 / len(y))
    record = {"input_type": str(in_type), "float_accuracy": float_accuracy, "quantized_accuracy": quantized_accuracy,
              "loss": loss, "max_loss": allowed}  # fmt: skip
    if loss > allowed + 1e-9:
        message = (
            f"with its inputs on the grid of {in_type.spelled} the student is right on {quantized_accuracy:.2%} of the "
            f"test set, {100 * loss:.2f} points below the float student's {float_accuracy:.2%}: more than "
            f"hls.input_max_accuracy_loss={hls['input_max_accuracy_loss']}. Give hls.input_precision more integer "
            "bits where the data overflow it, more fractional bits where its steps are coarse; or set "
            "hls.input_accuracy_check: warn"
        )
        if hls["input_accuracy_check"] == "fail":
            raise InputPrecisionError(message)
        log.warning(message)
        record["warning"] = message
    return record

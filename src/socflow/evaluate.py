"""Test-set metrics shared by the teacher and the student, and the training-curve plot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from socflow.io import atomic_path


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


def plot_history(history: Mapping[str, Sequence[float]], path: str | Path, title: str) -> None:
    """Loss and accuracy per epoch, training and validation, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
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
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)

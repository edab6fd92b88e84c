"""Training set-up and the final fit, shared by the teacher, the student and the search: threads, seeds,
early stopping."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from socflow._keras import keras, set_threads

import numpy as np

from socflow.io import read_json
from socflow.settings import Search


def fit_model(
    model: keras.Model,
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    epochs: int,
    batch_size: int,
    callbacks: Sequence[keras.callbacks.Callback],
) -> tuple[dict[str, list[float]], float]:
    """Fit and return the per-epoch history (plain floats, ready for JSON) and the seconds it took."""
    start = time.perf_counter()
    history = model.fit(
        *train, validation_data=val, epochs=epochs, batch_size=batch_size, callbacks=list(callbacks), verbose=2
    ).history
    return {k: [float(v) for v in vs] for k, vs in history.items()}, time.perf_counter() - start


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow, and make TensorFlow's ops deterministic."""
    keras.utils.set_random_seed(seed)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()


def early_stopping(patience: int, start_epoch: int = 0) -> list[keras.callbacks.Callback]:
    """Stop when the validation loss stops improving and keep the best weights (none when patience is 0).

    The loss, not the accuracy: on a few hundred validation samples accuracy moves in coarse, noisy steps,
    and restoring its luckiest epoch gave teachers that did worse on the test set."""
    if patience <= 0:
        return []
    return [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", mode="min", patience=patience, restore_best_weights=True, start_from_epoch=start_epoch
        )
    ]


def begin_stage(data: Mapping[str, str], search: Search, threads: int) -> dict[str, Any]:
    """Common start of a training stage: thread budget, seeds; returns the data summary."""
    set_threads(threads)
    seed_everything(search["seed"])
    return read_json(data["summary"])

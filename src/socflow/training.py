"""Final training and saving, shared by the teacher and the student."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from socflow._keras import keras
from socflow.errors import DataError
from socflow.io import atomic_path


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
    history = model.fit(*train, validation_data=val, epochs=epochs, batch_size=batch_size, callbacks=list(callbacks),
                        verbose=2).history
    return {k: [float(v) for v in vs] for k, vs in history.items()}, time.perf_counter() - start


def save_model(model: keras.Model, path: str | Path) -> None:
    """Save the model as .h5 (the format hls4ml and QKeras read) without optimizer state, atomically."""
    with atomic_path(path) as tmp:
        model.save(tmp, save_format="h5", include_optimizer=False)


def load_model(path: str | Path) -> keras.Model:
    """Load a Keras .h5 model, QKeras layers included; a file that is not one gets a named error."""
    from qkeras.utils import load_qmodel

    if not Path(path).is_file():
        raise DataError(f"{path}: model file not found")
    try:
        return load_qmodel(str(path), compile=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"{path}: not a loadable Keras .h5 model ({type(error).__name__}: {error})") from error

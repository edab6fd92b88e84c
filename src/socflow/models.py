"""Keras models as files: save (atomically) and load (with QKeras's custom objects), for every stage that
reads a trained model."""

from __future__ import annotations

from pathlib import Path

from socflow._keras import keras

from socflow.errors import DataError
from socflow.io import atomic_path


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

"""HGQ2 students as files and as models: a Keras 3 ``.keras`` file where a QKeras student's ``model.h5`` lands.

Why the suffix tells the stages which student they hold: a ``.keras`` file loads only in Keras 3, so the file's
kind decides the process a later stage (rtl_generate, rtl_sim, hls_convert, hls_csim, board_firmware, board_eval,
board_package) runs in (:func:`for_student`), and the same rules and stage functions serve both quantizers, with no
setting of their own to keep in step with the student's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from socflow.errors import DataError
from socflow.hgq.env import in_hgq

SUFFIX = ".keras"


def is_hgq_model(path: str | Path) -> bool:
    """Whether a student's model file is an HGQ2 student (Keras 3), rather than a QKeras .h5."""
    return Path(path).suffix == SUFFIX


def load_hgq_model(path: str | Path) -> Any:
    """Load an HGQ2 student in the HGQ2 process (socflow.hgq.env.in_hgq); a file that is not one gets a named
    error. Importing hgq registers its layers with Keras, which loading needs."""
    import hgq  # noqa: F401  (registers HGQ2's layers)

    from socflow.hgq.keras3 import keras

    if not Path(path).is_file():
        raise DataError(f"{path}: model file not found")
    try:
        return keras.models.load_model(str(path), compile=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"{path}: not a loadable HGQ2 (Keras 3) model ({type(error).__name__}: {error})") from error


def is_hgq_student(model: Any) -> bool:
    """Whether a loaded student is an HGQ2 one (a layer of HGQ2's), whose quantizers are its own: it is traced by
    HGQ2's da4ml plugin and is its own golden model, where a QKeras student is mapped by socflow.rtl.quantized."""
    return any(type(layer).__module__.startswith("hgq.") for layer in model.layers)


def load_student(path: str | Path) -> Any:
    """A student's model, either kind: an HGQ2 one in the HGQ2 process (see :func:`for_student`), else QKeras."""
    if is_hgq_model(path):
        return load_hgq_model(path)
    from socflow.models import load_model

    return load_model(path)


def for_student(model_path: str | Path, stage: Callable[..., Any], **job: Any) -> Any:
    """Run ``stage(**job)`` in the process the student's model file needs: HGQ2's (socflow.hgq.env.in_hgq, `job`
    as JSON) for an HGQ2 student, this one for a QKeras student. So one stage function, loading its student with
    :func:`load_student`, serves both quantizers."""
    return in_hgq(stage, **job) if is_hgq_model(model_path) else stage(**job)

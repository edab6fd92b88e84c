"""HGQ2 students as files: a Keras 3 ``.keras`` file beside where a QKeras student's ``model.h5`` lands.

Why the suffix tells the stages which student they hold: a ``.keras`` file loads only in Keras 3, so the file's
kind decides the process a later stage (rtl_generate, rtl_sim, hls_convert, hls_csim) must run in, and the same
rules serve both quantizers with no setting of their own to keep in step with the student's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from socflow.errors import DataError

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

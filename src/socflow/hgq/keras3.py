"""The one place the HGQ2 code imports Keras 3 (the counterpart of :mod:`socflow._keras` for Keras 2).

Only a process started by :func:`socflow.hgq.env.in_hgq` imports it: there TF_USE_LEGACY_KERAS is unset,
KERAS_BACKEND is tensorflow and HGQ2's folder is first on the path, so ``keras`` is Keras 3 and ``qkeras`` HGQ2's
compatibility layer, never QKeras 0.9.0.
"""

from __future__ import annotations

import os
import sys

from socflow.errors import KerasSetupError

if os.environ.get("TF_USE_LEGACY_KERAS") == "1" or "tf_keras" in sys.modules:
    raise KerasSetupError(
        "socflow.hgq.keras3 imported in a Keras 2 process (TF_USE_LEGACY_KERAS=1 or tf_keras loaded): HGQ2 code runs "
        "only in the child process socflow.hgq.env.in_hgq starts"
    )
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402  (after the environment above)
import tensorflow as tf  # noqa: E402

if not keras.__version__.startswith("3."):
    raise KerasSetupError(f"HGQ2 needs Keras 3, found Keras {keras.__version__}: run `make install`")


def set_threads(threads: int) -> None:
    """Limit TensorFlow to the rule's `threads` (before its first op; ignored after)."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass


__all__ = ["keras", "tf", "set_threads"]

"""The one place that sets up Keras for socflow.

Why this module exists: the stack (QKeras, tensorflow-model-optimization, keras-tuner, hls4ml)
needs Keras 2, which TensorFlow 2.21 ships as the separate ``tf_keras`` package. TensorFlow picks
it when ``TF_USE_LEGACY_KERAS=1`` is set *before* TensorFlow is imported, while keras-tuner and
hls4ml decide between their Keras 2 and Keras 3 code paths by looking at ``import keras``. So we
set the variable and make ``keras`` resolve to ``tf_keras`` before any of them is imported.
Every socflow module imports Keras from here (``from socflow._keras import keras``), never directly.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from socflow.errors import KerasSetupError  # noqa: E402 (socflow.errors imports nothing)

if os.environ["TF_USE_LEGACY_KERAS"] != "1":
    raise KerasSetupError(
        "TF_USE_LEGACY_KERAS is set to "
        f"{os.environ['TF_USE_LEGACY_KERAS']!r}; socflow needs Keras 2 (tf_keras): unset it or set it to 1"
    )

_loaded = sys.modules.get("keras")
if _loaded is not None and not _loaded.__name__.startswith("tf_keras"):
    raise KerasSetupError(
        "Keras 3 was imported before socflow; import socflow (or socflow._keras) first so that "
        "QKeras, keras-tuner and hls4ml all see Keras 2 (tf_keras)"
    )

import tensorflow as tf  # noqa: E402  (must follow the environment set-up above)
import tf_keras as keras  # noqa: E402

sys.modules["keras"] = keras


def set_threads(threads: int) -> None:
    """Limit TensorFlow to ``threads`` cores, so that parallel Snakemake jobs do not oversubscribe.

    Must run before TensorFlow executes its first op; later calls are ignored by TensorFlow.
    """
    if threads < 1:
        raise ValueError(f"threads must be >= 1, got {threads}")
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:  # TensorFlow already initialised: settings are fixed for this process
        pass


__all__ = ["keras", "tf", "set_threads"]

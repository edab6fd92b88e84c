"""Hypermodels of stage 1 (floating-point teacher) and stage 2 (QKeras student), as keras-tuner build functions.

Every model ends in a linear layer: it outputs logits. Knowledge distillation needs the logits (softened by
a temperature), and argmax, the class the hardware reports, is the same on logits as on probabilities.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from socflow._keras import keras

from socflow.errors import ConfigError
from socflow.families import APPLICATIONS

Builder = Callable[[Any], keras.Model]


BN_MOMENTUM = 0.9  # see teacher_cnn


def searched(hp: Any, name: str, setting: Any) -> Any:
    """A setting of the search space: a number is used as it is, a list is a hyperparameter to choose from."""
    return hp.Choice(name, list(setting)) if isinstance(setting, list) else setting


def layer_counts(setting: int | list[int], cap: Callable[[int], int] = int) -> int | list[int]:
    """`student.layers` as the search takes it: a number, or the distinct layer counts of a list, each as `cap`
    makes it (a CNN's blocks: as many as the input can halve). Two counts that cap alike are one model, so they are
    one choice, not two trials of the same student."""
    if not isinstance(setting, list):
        return cap(setting)
    counts = sorted({cap(n) for n in setting})
    return counts if len(counts) > 1 else counts[0]


def layer_scope(hp: Any, counts: int | list[int], i: int) -> Any:
    """The scope of layer (or block) i's hyperparameters: where the number of layers is searched (`counts` a list,
    :func:`layer_counts`), they are active only in the trials that have layer i. keras-tuner then leaves an unused
    layer's width out of a trial's values, so a proposal that repeats a finished student is seen as a repeat (and
    drawn again), and its Gaussian process sees the width's default in every trial without the layer, not a value
    that changed nothing; an Optuna trial (the Pareto search) never suggests it."""
    if not isinstance(counts, list):
        return contextlib.nullcontext()
    return hp.conditional_scope("layers", [n for n in counts if n > i])


def conv_blocks(shape: Sequence[int], blocks: int, rank: int = 2) -> int:
    """Conv blocks that still halve the signal or image: a max-pool of 2 needs at least 2 samples per side."""
    side = min(shape[:rank])
    pools = 0
    while side >= 2 and pools < blocks:
        side //= 2
        pools += 1
    return pools


def conv_layout(input_shape: Sequence[int], model: str) -> tuple[int, tuple[int, ...]]:
    """A CNN's convolution rank and the shape it convolves: 1 for signals (samples, or samples x channels: a
    signal without a channel axis gets one), 2 for images (height, width, channels)."""
    if len(input_shape) == 3:
        return 2, tuple(input_shape)
    if len(input_shape) in (1, 2):
        return 1, (input_shape[0], input_shape[1] if len(input_shape) == 2 else 1)
    raise ConfigError(
        f"{model}: model 'cnn' needs a signal (samples[, channels]) or an image (height, width, channels), got "
        f"shape {tuple(input_shape)}"
    )


def conv_kernel(hp: Any, rank: int, i: int) -> int | tuple[int, int]:
    """Block i's kernel: 3x3 on images (the paper's Fig. 3), 3 or 5 samples searched on signals."""
    return hp.Choice(f"kernel_{i}", [3, 5]) if rank == 1 else (3, 3)


def conv_input(inputs: Any, input_shape: Sequence[int], shape: tuple[int, ...]) -> Any:
    """The input as the convolution takes it (a channel axis added to a plain signal)."""
    return inputs if tuple(input_shape) == shape else keras.layers.Reshape(shape, name="channels")(inputs)


def teacher_mlp(hp: Any, cfg: Mapping[str, Any], input_shape: Sequence[int], n_classes: int) -> keras.Model:
    """Stage-1 MLP: `layers` dense ReLU layers of hp-chosen width in `units` (paper: 32-300)."""
    lo, hi = cfg["units"]
    inputs = keras.Input(tuple(input_shape))
    x = keras.layers.Flatten()(inputs) if len(input_shape) > 1 else inputs
    for i in range(cfg["layers"]):
        x = keras.layers.Dense(hp.Int(f"units_{i}", lo, hi), activation="relu", name=f"dense_{i}")(x)
    return keras.Model(inputs, keras.layers.Dense(n_classes, name="logits")(x), name="teacher_mlp")


def teacher_cnn(hp: Any, cfg: Mapping[str, Any], input_shape: Sequence[int], n_classes: int) -> keras.Model:
    """Stage-1 CNN as in the paper's Fig. 3: Conv2D(3x3, filters in `units`, step 8), ReLU, BatchNorm,
    MaxPool per block, then a dense ReLU layer and the logits; on signals Conv1D (kernel 3 or 5) and MaxPool1D.

    BatchNorm's moving statistics follow the batches with momentum 0.9, not Keras's 0.99: a small dataset gives
    ~20 steps per epoch, and at 0.99 the statistics used at inference were still mostly their initial values
    when early stopping ended the fit (digits: training loss 0.007, validation accuracy 9.6 %, chance)."""
    rank, shape = conv_layout(input_shape, "teacher")
    conv, pool = (
        (keras.layers.Conv1D, keras.layers.MaxPooling1D)
        if rank == 1
        else (keras.layers.Conv2D, keras.layers.MaxPooling2D)
    )
    lo, hi = cfg["units"]
    step = 8 if hi - lo >= 8 else 1
    inputs = keras.Input(tuple(input_shape))
    x = conv_input(inputs, input_shape, shape)
    for i in range(conv_blocks(shape, cfg["layers"], rank)):
        filters = hp.Int(f"conv_{i}", lo, hi, step=step)
        x = conv(filters, conv_kernel(hp, rank, i), padding="same", name=f"conv_{i}")(x)
        x = keras.layers.Activation("relu")(x)
        x = keras.layers.BatchNormalization(momentum=BN_MOMENTUM)(x)
        x = pool(2)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(hp.Int("dense_units", lo, hi, step=step), activation="relu", name="dense")(x)
    return keras.Model(inputs, keras.layers.Dense(n_classes, name="logits")(x), name="teacher_cnn")


def teacher_application(hp: Any, cfg: Mapping[str, Any], input_shape: Sequence[int], n_classes: int) -> keras.Model:
    """A transfer-learning teacher: a keras.applications backbone (global average pooled) with a new head, a
    dense ReLU layer of hp-chosen width and the logits. Grey images are repeated to 3 channels and images are
    resized to at least the backbone's smallest side. The backbone's weights come from the local file
    teacher.weights (nothing is downloaded), or start from scratch (`none`); with `freeze_epochs` it is frozen
    until :class:`Unfreeze` thaws it."""
    shape = image_layout(input_shape, "teacher", cfg["model"])
    name, smallest, _ = APPLICATIONS[cfg["model"]]
    side = max(smallest, *shape[:2])
    inputs = keras.Input(tuple(input_shape))
    x = keras.layers.Concatenate(name="rgb")([inputs] * 3) if shape[2] == 1 else inputs
    if tuple(shape[:2]) != (side, side):
        x = keras.layers.Resizing(side, side, name="resize")(x)
    backbone = getattr(keras.applications, name)(include_top=False, weights=None, input_shape=(side, side, 3),
                                                 pooling="avg")  # fmt: skip
    backbone._name = "backbone"
    if cfg["weights"] != "none":
        backbone.load_weights(cfg["weights"])
    backbone.trainable = cfg["freeze_epochs"] == 0
    lo, hi = cfg["units"]
    x = keras.layers.Dense(hp.Int("dense_units", lo, hi, step=8 if hi - lo >= 8 else 1), activation="relu",
                           name="dense")(backbone(x))  # fmt: skip
    return keras.Model(inputs, keras.layers.Dense(n_classes, name="logits")(x), name=f"teacher_{cfg['model']}")


class Unfreeze(keras.callbacks.Callback):
    """Fine-tuning of a transfer-learning teacher: at epoch `epoch` its backbone becomes trainable and the model
    is compiled again with the fine-tuning learning rate (a frozen layer's weights are left out of a compiled
    train step, so thawing it needs a new one)."""

    def __init__(self, epoch: int, learning_rate: float) -> None:
        super().__init__()
        self.epoch, self.learning_rate = epoch, learning_rate

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        if epoch != self.epoch:
            return
        model = self.model
        model.get_layer("backbone").trainable = True
        compile_classifier(model, self.learning_rate)
        model.make_train_function(force=True)


def teacher_callbacks(cfg: Mapping[str, Any]) -> list[keras.callbacks.Callback]:
    """The callbacks a teacher's fit needs: the thaw of a frozen transfer-learning backbone."""
    if cfg["model"] in APPLICATIONS and cfg["freeze_epochs"] > 0:
        return [Unfreeze(cfg["freeze_epochs"], cfg["fine_tune_learning_rate"])]
    return []


def user_hypermodel(spec: str) -> Callable[..., keras.Model]:
    """The user's ``module:function`` (called with hp, input shape, number of classes): a module of the folder
    Snakemake runs in (its working directory, where the jobs run too) or an installed one."""
    module_name, _, function = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.append(os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 (a user's module may fail to import in any way: name it)
        file = module_name.replace(".", "/") + ".py"
        raise ConfigError(
            f"cannot import module {module_name!r} of hypermodel {spec!r} ({type(error).__name__}: {error}); it must "
            f"be a file {file} in the folder Snakemake runs in ({os.getcwd()}), or an installed module"
        ) from error
    if not callable(getattr(module, function, None)):
        raise ConfigError(f"hypermodel {spec!r}: module {module_name} ({module.__file__}) has no function {function!r}")
    return getattr(module, function)


def compile_classifier(model: keras.Model, learning_rate: float) -> None:
    """Adam at `learning_rate` on the sparse cross-entropy (of logits, or of probabilities for a softmax model),
    reporting `accuracy`: how every teacher is trained, searched, fine-tuned or thawed."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=not outputs_probabilities(model)),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )


def image_layout(input_shape: Sequence[int], stage: str, model: str) -> tuple[int, ...]:
    """The image shape of a model that takes images only (a transfer-learning teacher, a vgg or mobilenet
    student); a named error for signals."""
    rank, shape = conv_layout(input_shape, stage)
    if rank != 2:
        raise ConfigError(f"{stage}: model {model!r} needs image input, got shape {tuple(input_shape)}")
    return shape


def teacher_builder(cfg: Mapping[str, Any], input_shape: Sequence[int], n_classes: int) -> Builder:
    """keras-tuner build function of the teacher: the hypermodel plus an hp-chosen learning rate, compiled."""
    if cfg["model"] == "mlp":

        def body(hp):
            return teacher_mlp(hp, cfg, input_shape, n_classes)
    elif cfg["model"] == "cnn":

        def body(hp):
            return teacher_cnn(hp, cfg, input_shape, n_classes)
    elif cfg["model"] in APPLICATIONS:

        def body(hp):
            return teacher_application(hp, cfg, input_shape, n_classes)
    else:
        user = user_hypermodel(cfg["model"])

        def body(hp):
            model = user(hp, tuple(input_shape), n_classes)
            if not isinstance(model, keras.Model):
                raise ConfigError(
                    f"hypermodel {cfg['model']!r} returned a {type(model).__name__}, not a Keras model (it is called "
                    "with hp, the input shape and the number of classes)"
                )
            return model

    def build(hp: Any) -> keras.Model:
        model = body(hp)
        check_model_io(model, input_shape, n_classes, f"teacher.model {cfg['model']!r}")
        compile_classifier(model, hp.Choice("learning_rate", list(cfg["learning_rates"])))
        return model

    return build


def outputs_probabilities(model: keras.Model) -> bool:
    """Whether the model's last layer applies a softmax (a pretrained or user teacher may)."""
    activation = getattr(model.layers[-1], "activation", None)
    return getattr(activation, "__name__", "") == "softmax"


def check_model_io(model: keras.Model, input_shape: Sequence[int], n_classes: int, what: str) -> None:
    """Named error when a model does not fit the data: input shape or number of classes."""
    got_in = tuple(model.input_shape[1:])
    if got_in != tuple(input_shape):
        raise ConfigError(f"{what}: model input shape {got_in} does not match the data's {tuple(input_shape)}")
    got_out = model.output_shape[-1]
    if got_out != n_classes:
        raise ConfigError(f"{what}: model has {got_out} outputs but the data have {n_classes} classes")


def count_layers(model: keras.Model) -> int:
    """Conv and dense layers (the paper's NL column), looking through pruning wrappers."""
    names = ("Dense", "Conv1D", "Conv2D", "QDense", "QConv1D", "QConv2D", "DepthwiseConv2D", "QDepthwiseConv2D",
             "SeparableConv2D")  # fmt: skip
    kinds = [type(getattr(layer, "layer", layer)).__name__ for layer in model.layers]
    return sum(kind in names for kind in kinds)

"""Stage-2 student: QKeras layers (quantization-aware training) wrapped for magnitude pruning (tfmot),
with a pruning schedule computed from the real number of training steps."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socflow._keras import keras

import numpy as np

from socflow.families import is_user_model
from socflow.settings import Student, Variant
from socflow.train.hypermodels import (
    conv_blocks,
    conv_input,
    conv_kernel,
    conv_layout,
    image_layout,
    layer_counts,
    layer_scope,
    searched,
)


def quantizers(variant: Variant, activation_integer_bits: int) -> tuple[Any, Any]:
    """Weight/bias quantizer (signed, `bits` wide, `integer_bits` integer bits, no scale: alpha=1, which
    hls4ml maps to a plain ap_fixed) and the ReLU quantizer."""
    from qkeras import quantized_bits, quantized_relu

    weights = quantized_bits(variant["bits"], variant["integer_bits"], alpha=1)
    return weights, quantized_relu(variant["bits"], activation_integer_bits)


@dataclass(frozen=True)
class PruningPlan:
    """When pruning runs: sparsity ramps from 0 to the target over `end_epoch` epochs, then stays."""

    sparsity: float
    steps_per_epoch: int
    end_epoch: int
    end_step: int
    frequency: int

    @classmethod
    def for_training(cls, sparsity: float, n_samples: int, batch_size: int, epochs: int) -> PruningPlan:
        """Ramp over the first ~60 % of the epochs; the target is reached at the last mask update of
        epoch `end_epoch`, so early stopping may only start from there (see :attr:`start_epoch`)."""
        steps_per_epoch = math.ceil(n_samples / batch_size)
        end_epoch = max(1, math.ceil(0.6 * epochs))
        frequency = max(1, steps_per_epoch // 4)
        end_step = ((end_epoch * steps_per_epoch - 1) // frequency) * frequency
        return cls(sparsity, steps_per_epoch, end_epoch, end_step, frequency)

    @property
    def start_epoch(self) -> int:
        """First epoch (0-based) that early stopping may keep: the target sparsity holds from here on."""
        return self.end_epoch - 1

    def schedule(self) -> Any:
        import tensorflow_model_optimization as tfmot

        if self.end_step <= 0:  # one step in all: prune to the target at once
            return tfmot.sparsity.keras.ConstantSparsity(self.sparsity, begin_step=0, frequency=1)
        return tfmot.sparsity.keras.PolynomialDecay(
            initial_sparsity=0.0,
            final_sparsity=self.sparsity,
            begin_step=0,
            end_step=self.end_step,
            frequency=self.frequency,
        )


def _prunable(layer: keras.layers.Layer, plan: PruningPlan | None) -> keras.layers.Layer:
    if plan is None or plan.sparsity == 0:
        return layer
    import tensorflow_model_optimization as tfmot

    return tfmot.sparsity.keras.prune_low_magnitude(layer, pruning_schedule=plan.schedule())


def student_model(
    hp: Any,
    cfg: Mapping[str, Any],
    variant: Variant,
    input_shape: Sequence[int],
    n_classes: int,
    plan: PruningPlan | None,
) -> keras.Model:
    """QKeras student (logits out): `layers` QDense+quantized ReLU (mlp) or conv blocks (cnn: QConv2D on images,
    QConv1D on signals, each with quantized ReLU and max-pool; vgg and mobilenet: see conv_family), every weight
    layer wrapped for pruning to the variant's sparsity. Units/filters per layer from hp in `units`; a signal's
    kernel sizes from hp too."""
    from qkeras import QActivation, QConv1D, QConv2D, QDense

    if is_user_model(cfg["model"]):
        return user_student(hp, cfg["model"], input_shape, n_classes, plan)
    weight_q, relu_q = quantizers(variant, cfg["activation_integer_bits"])
    lo, hi = cfg["units"]
    quant = {"kernel_quantizer": weight_q, "bias_quantizer": weight_q}
    inputs = keras.Input(tuple(input_shape))
    x = inputs
    if cfg["model"] == "cnn":
        rank, shape = conv_layout(input_shape, "student")
        conv, pool = (QConv1D, keras.layers.MaxPooling1D) if rank == 1 else (QConv2D, keras.layers.MaxPooling2D)
        x = conv_input(inputs, input_shape, shape)
        blocks = layer_counts(cfg["layers"], lambda n: conv_blocks(shape, n, rank))
        for i in range(conv_blocks(shape, searched(hp, "layers", blocks), rank)):
            with layer_scope(hp, blocks, i):
                filters, size = hp.Int(f"conv_{i}", lo, hi), conv_kernel(hp, rank, i)
            layer = conv(filters, size, padding="same", name=f"qconv_{i}", **quant)
            x = QActivation(relu_q, name=f"qrelu_{i}")(_prunable(layer, plan)(x))
            x = pool(2)(x)
        x = keras.layers.Flatten()(x)
    elif cfg["model"] in FAMILIES:
        x = keras.layers.Flatten()(conv_family(hp, cfg, input_shape, quant, relu_q, plan, inputs))
    else:
        if len(input_shape) > 1:
            x = keras.layers.Flatten()(x)
        layers = layer_counts(cfg["layers"])
        for i in range(searched(hp, "layers", layers)):
            with layer_scope(hp, layers, i):
                units = hp.Int(f"units_{i}", lo, hi)
            x = _prunable(QDense(units, name=f"qdense_{i}", **quant), plan)(x)
            x = QActivation(relu_q, name=f"qrelu_{i}")(x)
    logits = _prunable(QDense(n_classes, name="logits", **quant), plan)(x)
    return keras.Model(inputs, logits, name="student")


def user_student(
    hp: Any, spec: str, input_shape: Sequence[int], n_classes: int, plan: PruningPlan | None
) -> keras.Model:
    """A user's QKeras student hypermodel (`module:function`, called with hp, the input shape and the classes): its
    model checked against the data (input shape, one logit per class: a softmax is the workflow's to apply, as
    for the built-in students; every weight layer quantized by QKeras), every weight layer wrapped for pruning to
    the variant's sparsity, as the built-in students' are."""
    from socflow.errors import ConfigError
    from socflow.train.hypermodels import check_model_io, outputs_probabilities, user_hypermodel

    model = user_hypermodel(spec)(hp, list(input_shape), n_classes)
    check_model_io(model, input_shape, n_classes, f"student hypermodel {spec!r}")
    if outputs_probabilities(model):
        raise ConfigError(f"student hypermodel {spec!r}: its last layer applies a softmax; a student outputs logits")
    plain = [layer.name for layer in weight_layers(model) if not type(layer).__name__.startswith("Q")]
    if plain:
        raise ConfigError(f"student hypermodel {spec!r}: weight layers {plain} are not QKeras layers; a student is "
                          "quantized (QDense, QConv1D, QConv2D, QDepthwiseConv2D)")  # fmt: skip
    if plan is None or plan.sparsity == 0:
        return model
    return keras.models.clone_model(
        model, clone_function=lambda layer: _prunable(layer, plan) if _kernel(layer) is not None else layer
    )


FAMILIES = ("vgg", "mobilenet")  # the students of the paper's transfer-learning rows (Table I rows 3-4)


def conv_family(
    hp: Any, cfg: Student, input_shape: Sequence[int], quant: dict[str, Any], relu_q: Any, plan: PruningPlan | None,
    inputs: Any,
) -> Any:  # fmt: skip
    """The feature blocks of a student that follows its teacher's design, on images: `layers` blocks (searched
    where a list), each ending in a 2x2 max-pool, of width hp-chosen in `units`.

    vgg: two stacked 3x3 QConv2D + quantized ReLU per block (VGG16's pattern).
    mobilenet: a 3x3 QConv2D stem, then per block a depthwise-separable pair, QDepthwiseConv2D 3x3 + quantized
    ReLU and pointwise QConv2D 1x1 + quantized ReLU (MobileNetV2's building block without its expansion and
    residual, which hls4ml's streaming layers and an 8-bit student do not need).
    """
    from qkeras import QActivation, QConv2D, QDepthwiseConv2D

    shape = image_layout(input_shape, "student", cfg["model"])
    lo, hi = cfg["units"]

    def conv(x: Any, filters: int, kernel: tuple[int, int], name: str) -> Any:
        layer = QConv2D(filters, kernel, padding="same", name=name, **quant)
        return QActivation(relu_q, name=f"{name}_relu")(_prunable(layer, plan)(x))

    x = inputs
    if cfg["model"] == "mobilenet":
        x = conv(x, hp.Int("stem", lo, hi), (3, 3), "qconv_stem")
    blocks = layer_counts(cfg["layers"], lambda n: conv_blocks(shape, n))
    for i in range(conv_blocks(shape, searched(hp, "layers", blocks))):
        with layer_scope(hp, blocks, i):
            width = hp.Int(f"conv_{i}", lo, hi)
        if cfg["model"] == "vgg":
            x = conv(conv(x, width, (3, 3), f"qconv_{i}a"), width, (3, 3), f"qconv_{i}b")
        else:
            depthwise = QDepthwiseConv2D((3, 3), padding="same", name=f"qdepthwise_{i}",
                                         depthwise_quantizer=quant["kernel_quantizer"],
                                         bias_quantizer=quant["bias_quantizer"])  # fmt: skip
            x = QActivation(relu_q, name=f"qdepthwise_{i}_relu")(_prunable(depthwise, plan)(x))
            x = conv(x, width, (1, 1), f"qpointwise_{i}")
        x = keras.layers.MaxPooling2D((2, 2))(x)
    return x


def _kernel(layer: keras.layers.Layer) -> Any:
    """A weight layer's kernel (a depthwise convolution's is its depthwise kernel), None for other layers."""
    for name in ("kernel", "depthwise_kernel"):
        if hasattr(layer, name):
            return getattr(layer, name)
    return None


def weight_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """Layers holding a kernel (looking through pruning wrappers)."""
    layers = [getattr(layer, "layer", layer) for layer in model.layers]
    return [layer for layer in layers if _kernel(layer) is not None]


def quantized_kernels(model: keras.Model) -> dict[str, np.ndarray]:
    """Each weight layer's kernel as the hardware sees it: through its QKeras quantizer."""
    out = {}
    for layer in weight_layers(model):
        quantizer = getattr(layer, "kernel_quantizer_internal", None) or getattr(
            layer, "depthwise_quantizer_internal", None
        )
        kernel = _kernel(layer)
        out[layer.name] = np.asarray(quantizer(kernel) if quantizer is not None else kernel)
    return out


def sparsity_report(model: keras.Model) -> dict[str, Any]:
    """Zero weights per layer and overall, counted on the stored kernels (pruning) and on the quantized
    kernels (pruning plus weights that round to zero), and the non-zero parameter count."""
    stored = {layer.name: np.asarray(_kernel(layer)) for layer in weight_layers(model)}
    quantized = quantized_kernels(model)
    total = sum(k.size for k in stored.values())
    zeros = sum(int((k == 0).sum()) for k in stored.values())
    q_zeros = sum(int((k == 0).sum()) for k in quantized.values())
    return {
        "per_layer": {name: float((k == 0).mean()) for name, k in stored.items()},
        "per_layer_quantized": {name: float((k == 0).mean()) for name, k in quantized.items()},
        "kernel_weights": int(total),
        "sparsity": zeros / total,
        "sparsity_quantized": q_zeros / total,
        "nonzero_params": int(model.count_params() - q_zeros),
    }

"""The student as the RTL sees it: its QDense and quantized_relu layers as exact constants and quantizers, and
our golden fixed-point model of it (float64 holds every intermediate exactly), which every RTL answer must
equal bit for bit; the name of an RTL project's top and which design a target gets.

QKeras rounds quantized_relu half to even (tf.round; hls4ml maps it to AP_RND_CONV). With 17 fractional bits
before a 5-bit fraction, a tie is 1 in 4,096 activations: several per test set, so this matters.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from socflow.errors import ModelError
from socflow.fixed import FixedType
from socflow.hgq.files import is_hgq_student
from socflow.settings import Target

TOP = "student"
ARCHITECTURES = ("parallel", "folded", "stream", "conv", "folded_conv")
CONV_KINDS = ("Conv1D", "Conv2D", "QConv1D", "QConv2D", "DepthwiseConv2D", "QDepthwiseConv2D")
POOL_KINDS = ("MaxPooling1D", "MaxPooling2D")


def architecture(target: Target, model: Any = None) -> str:
    """The RTL design of a target: for a convolutional student, socflow's line-buffered one (socflow.rtl.conv),
    its kernels da4ml's adder graphs at reuse factor 1, else folded; for a dense one da4ml's fully parallel one at
    reuse factor 1, else socflow's folded one, or the streaming one where the target asks for it
    (`rtl_architecture: stream`)."""
    if model is not None and is_convolutional(model):
        return "conv" if target.get("reuse_factor", 1) == 1 else "folded_conv"
    if target.get("rtl_architecture") == "stream":
        return "stream"
    return "parallel" if target.get("reuse_factor", 1) == 1 else "folded"


def is_convolutional(model: Any) -> bool:
    """Whether the student has convolution layers (a CNN, VGG- or MobileNet-like student)."""
    return any(type(_core(layer)).__name__ in CONV_KINDS for layer in model.layers)


def _core(layer: Any) -> Any:
    """The layer under a pruning wrapper, if any."""
    return getattr(layer, "layer", layer)


def relu_quantizer(layer: Any) -> tuple[int, int]:
    """(integer bits, fractional bits) of a QActivation's quantized_relu; a named error for anything else."""
    quantizer = getattr(layer, "quantizer", None)
    name = type(quantizer).__name__
    if name != "quantized_relu":
        raise ModelError(f"layer {layer.name!r}: activation {quantizer!r} has no RTL mapping (quantized_relu only)")
    if getattr(quantizer, "negative_slope", 0) or getattr(quantizer, "use_stochastic_rounding", False):
        raise ModelError(f"layer {layer.name!r}: leaky or stochastic quantized_relu has no RTL mapping")
    if getattr(quantizer, "relu_upper_bound", None) is not None:
        raise ModelError(f"layer {layer.name!r}: quantized_relu with relu_upper_bound has no RTL mapping")
    return int(quantizer.integer), int(quantizer.bits) - int(quantizer.integer)


def _quantized(layer: Any, weights: str, quantizer: str) -> np.ndarray:
    """A layer's weights `weights` as the hardware sees them: through the layer's quantizer `quantizer`, if any."""
    values, quantize = getattr(layer, weights), getattr(layer, quantizer, None)
    return np.asarray(quantize(values) if quantize else values, dtype=np.float64)


def _bias(layer: Any, n_out: int) -> np.ndarray:
    """A layer's quantized bias, or zeros where it has none."""
    return _quantized(layer, "bias", "bias_quantizer_internal") if layer.use_bias else np.zeros(n_out)


def dense_constants(layer: Any) -> tuple[np.ndarray, np.ndarray]:
    """Kernel and bias of a (Q)Dense layer as the hardware sees them: through their quantizers."""
    layer = _core(layer)
    kernel = _quantized(layer, "kernel", "kernel_quantizer_internal")
    return kernel, _bias(layer, kernel.shape[-1])


def conv_constants(layer: Any) -> tuple[np.ndarray, np.ndarray]:
    """Kernel and bias of a (Q)Conv1D/2D layer through their quantizers, the kernel as (kh, kw, c_in, c_out)
    (a Conv1D's as (1, k, c_in, c_out)); a depthwise kernel (kh, kw, c, 1) as the dense (kh, kw, c, c) one
    whose off-diagonal channels are 0, so that every convolution is one constant matrix per window."""
    layer = _core(layer)
    if hasattr(layer, "depthwise_kernel"):
        depthwise = _quantized(layer, "depthwise_kernel", "depthwise_quantizer_internal")
        if depthwise.shape[-1] != 1:
            raise ModelError(f"layer {layer.name!r}: depth_multiplier {depthwise.shape[-1]} has no RTL mapping (1)")
        channels = depthwise.shape[2]
        kernel = np.zeros(depthwise.shape[:2] + (channels, channels))
        kernel[:, :, np.arange(channels), np.arange(channels)] = depthwise[..., 0]
    else:
        kernel = _quantized(layer, "kernel", "kernel_quantizer_internal")
    kernel = kernel[np.newaxis] if kernel.ndim == 3 else kernel
    return kernel, _bias(layer, kernel.shape[-1])


def conv_geometry(layer: Any) -> tuple[tuple[int, int], tuple[int, int, int, int]]:
    """A convolution's kernel size (kh, kw) and its zero padding (top, left, bottom, right), as Keras pads
    ('same': (k - 1) // 2 before, the rest after); a named error for strides or dilations above 1."""
    layer = _core(layer)
    size = tuple(layer.kernel_size)
    size = (1, *size) if len(size) == 1 else size
    if any(s != 1 for s in layer.strides) or any(d != 1 for d in layer.dilation_rate):
        raise ModelError(f"layer {layer.name!r}: strides or dilation above 1 have no RTL mapping")
    if layer.padding == "valid":
        return size, (0, 0, 0, 0)
    before = [(k - 1) // 2 for k in size]
    return size, (before[0], before[1], size[0] - 1 - before[0], size[1] - 1 - before[1])


def pool_size(layer: Any) -> tuple[int, int]:
    """A max-pool's window (ph, pw), which must be its stride, without padding (as the students use it)."""
    size, strides = tuple(layer.pool_size), tuple(layer.strides)
    if size != strides or layer.padding != "valid":
        raise ModelError(f"layer {layer.name!r}: a max-pool with stride != size or padding has no RTL mapping")
    return (1, *size) if len(size) == 1 else size


def student_layers(model: Any) -> list[tuple[str, Any]]:
    """The student's layers as (kind, layer): 'dense', 'relu', 'flatten', 'conv', 'pool' or 'reshape'; a named
    error for any other."""
    kinds = []
    for layer in model.layers:
        core = _core(layer)
        kind = type(core).__name__
        if kind in ("InputLayer", "Dropout"):
            continue
        if kind in CONV_KINDS:
            conv_geometry(core)
            kinds.append(("conv", core))
        elif kind in POOL_KINDS:
            pool_size(core)
            kinds.append(("pool", core))
        elif kind == "Reshape":
            kinds.append(("reshape", core))
        elif kind in ("Dense", "QDense"):
            kinds.append(("dense", core))
        elif kind == "QActivation":
            relu_quantizer(core)
            kinds.append(("relu", core))
        elif kind == "Flatten":
            kinds.append(("flatten", core))
        elif kind == "Activation" and core.get_config()["activation"] == "linear":
            continue
        else:
            raise ModelError(
                f"layer {layer.name!r} ({kind}) has no RTL mapping: the RTL path covers QDense, QConv1D/2D, "
                "QDepthwiseConv2D, max-pool and quantized_relu students; set rtl.enabled: false for this "
                "experiment and use the hls4ml path"
            )
    return kinds


def convolve(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, padding: tuple[int, int, int, int]) -> np.ndarray:
    """(n, h, w, c_in) images convolved with a (kh, kw, c_in, c_out) kernel, zero-padded (top, left, bottom,
    right), stride 1: every output a sum of exact float64 products, as the RTL adds them."""
    top, left, bottom, right = padding
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, kernel.shape[:2], axis=(1, 2))
    # windows: (n, h_out, w_out, c_in, kh, kw); the kernel's (kh, kw, c_in) order
    return np.einsum("nhwcij,ijco->nhwo", windows, kernel, optimize=True) + bias


def max_pool(x: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """(n, h, w, c) max-pooled over non-overlapping (ph, pw) windows, the remainder rows/columns dropped."""
    ph, pw = size
    n, h, w, c = x.shape
    x = x[:, : h // ph * ph, : w // pw * pw]
    return x.reshape(n, h // ph, ph, w // pw, pw, c).max(axis=(2, 4))


def golden_predict(model: Any, x: np.ndarray, input_type: FixedType) -> np.ndarray:
    """Our exact model of the same network (float64 holds every intermediate exactly), independent of da4ml.
    Feature maps are (n, h, w, c), a signal's h being 1. An HGQ2 student (in the HGQ2 process) is its own golden
    model: its forward pass in inference is its quantized network, which is what training fitted and what its
    design must answer."""
    x = input_type.quantize(np.asarray(x, dtype=np.float64)).reshape(len(x), *model.input_shape[1:])
    if is_hgq_student(model):
        return np.asarray(model.predict(x.astype(np.float32), batch_size=1024, verbose=0), np.float64).reshape(
            len(x), -1
        )
    for kind, layer in student_layers(model):
        if kind == "reshape":
            x = x.reshape(len(x), *layer.target_shape)
        elif kind == "flatten":
            x = x.reshape(len(x), -1)
        elif kind in ("conv", "pool"):
            signal = type(layer).__name__.endswith("1D")  # (n, samples, c) as (n, 1, samples, c)
            x = x[:, np.newaxis] if signal else x
            if kind == "conv":
                kernel, bias = conv_constants(layer)
                x = convolve(x, kernel, bias, conv_geometry(layer)[1])
            else:
                x = max_pool(x, pool_size(layer))
            x = x[:, 0] if signal else x
        elif kind == "dense":
            kernel, bias = dense_constants(layer)
            x = x @ kernel + bias
        elif kind == "relu":
            integer, fractional = relu_quantizer(layer)
            x = FixedType(integer + fractional, integer, False, "RND_CONV", "SAT").quantize(x)
    return x.reshape(len(x), -1)

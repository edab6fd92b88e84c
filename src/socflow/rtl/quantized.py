"""The student as the RTL sees it: its QDense and quantized_relu layers as exact constants and quantizers, and
our golden fixed-point model of it (float64 holds every intermediate exactly), which every RTL answer must
equal bit for bit; the layout of an RTL project (its top, its files) and which design a target gets.

QKeras rounds quantized_relu half to even (tf.round; hls4ml maps it to AP_RND_CONV). With 17 fractional bits
before a 5-bit fraction, a tie is 1 in 4,096 activations: several per test set, so this matters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ModelError, SocflowError
from socflow.fixed import FixedType
from socflow.settings import Target

TOP = "student"
ARCHITECTURES = ("parallel", "folded", "stream")


def architecture(target: Target) -> str:
    """The RTL design of a target: da4ml's fully parallel one at reuse factor 1, else socflow's folded one, or
    the streaming one where the target asks for it (`rtl_architecture: stream`)."""
    if target.get("rtl_architecture") == "stream":
        return "stream"
    return "parallel" if target.get("reuse_factor", 1) == 1 else "folded"


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


def dense_constants(layer: Any) -> tuple[np.ndarray, np.ndarray]:
    """Kernel and bias of a (Q)Dense layer as the hardware sees them: through their quantizers."""
    layer = _core(layer)
    kernel_q = getattr(layer, "kernel_quantizer_internal", None)
    bias_q = getattr(layer, "bias_quantizer_internal", None)
    kernel = np.asarray(kernel_q(layer.kernel) if kernel_q else layer.kernel, dtype=np.float64)
    if not layer.use_bias:
        return kernel, np.zeros(kernel.shape[1])
    bias = np.asarray(bias_q(layer.bias) if bias_q else layer.bias, dtype=np.float64)
    return kernel, bias


def student_layers(model: Any) -> list[tuple[str, Any]]:
    """The student's layers as (kind, layer): 'dense', 'relu' or 'flatten'; a named error for any other."""
    kinds = []
    for layer in model.layers:
        core = _core(layer)
        kind = type(core).__name__
        if kind in ("InputLayer", "Dropout"):
            continue
        if kind in ("Dense", "QDense"):
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
                f"layer {layer.name!r} ({kind}) has no RTL mapping: the RTL path covers QDense + quantized_relu "
                "students (model: mlp); set rtl.enabled: false for this experiment and use the hls4ml path"
            )
    return kinds


def golden_predict(model: Any, x: np.ndarray, input_type: FixedType) -> np.ndarray:
    """Our exact model of the same network (float64 holds every intermediate exactly), independent of da4ml."""
    x = input_type.quantize(np.asarray(x, dtype=np.float64)).reshape(len(x), -1)
    for kind, layer in student_layers(model):
        if kind == "dense":
            kernel, bias = dense_constants(layer)
            x = x @ kernel + bias
        elif kind == "relu":
            integer, fractional = relu_quantizer(layer)
            x = FixedType(integer + fractional, integer, False, "RND_CONV", "SAT").quantize(x)
    return x


def verilog_sources(verilog_dir: str | Path, top: str) -> list[Path]:
    """The RTL project's synthesizable files: the folded core's one file, or da4ml's primitives and the stages
    and top of `top` (lookup_table.v only when the design has tables: it `$readmemh`s a default file otherwise).
    """
    src = Path(verilog_dir) / "src"
    if (Path(verilog_dir) / "folded.json").is_file():
        if not (src / f"{top}.v").is_file():
            raise SocflowError(f"{verilog_dir}: not a folded RTL project of top {top!r} (no src/{top}.v)")
        return [src / f"{top}.v"]
    static = sorted((src / "static").glob("*.v"))
    if not any((src / "memfiles").glob("*")):
        static = [p for p in static if p.name != "lookup_table.v"]
    stages = sorted(src.glob(f"{top}_stage*.v"))
    sources = static + stages + [src / f"{top}.v"]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing or not stages:
        raise SocflowError(f"{verilog_dir}: not a da4ml Verilog project of top {top!r} (missing {missing or 'stages'})")
    return sources

"""Stage rtl_generate: pipelined Verilog of the student from da4ml, and the golden fixed-point model that
rtl_sim checks it against.

Why da4ml itself and not hls4ml: hls4ml 1.3's `distributed_arithmetic` strategy writes HLS C++ only (the
Verilog would come from a vendor HLS tool) and pins da4ml < 0.6. da4ml's tracer turns the fixed-point network
into adder graphs (distributed arithmetic: no multipliers, no DSPs), writes Verilog pipelined for a delay
budget per stage, and builds a Verilator emulator of that Verilog, so the whole path runs without a vendor
tool. da4ml has no QKeras front end, so this module maps the student's layers onto da4ml operations:

- QDense: the quantized kernel and bias (exact values on the quantizer's grid) as a constant matrix.
- QActivation(quantized_relu(bits, integer)): an unsigned saturating quantizer. QKeras rounds half to even
  (tf.round), hls4ml maps it to AP_RND_CONV, but da4ml rounds only TRN or RND (half up), so ties are
  emulated (see :func:`relu_round_half_even`). With 17 fractional bits before a 5-bit fraction, a tie is
  1 in 4,096 activations: several per test set, so this matters.

Every answer is checked three ways: the Verilator simulation, da4ml's software model, and
:func:`golden_predict`, our own exact integer model of the same network; they must agree to the bit, and
the argmax must agree with the QKeras model on the test set (`rtl.sim_min_agreement`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ModelError, SocflowError
from socflow.fixed import FixedType
from socflow.io import read_json, write_json

log = logging.getLogger(__name__)


TOP = "student"


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


def relu_round_half_even(x: Any, integer: int, fractional: int) -> Any:
    """QKeras's quantized_relu on a da4ml array: clip to [0, 2^integer - lsb], round half to even.

    da4ml truncates (TRN); round half to even at the target lsb L of an input with lsb u < L is
    TRN(x + L/2 - u + b*u), b being the lowest kept bit of TRN(x): above a tie this rounds up, below it
    down, and at a tie up exactly when TRN(x) is odd. Elements already on the target grid pass unchanged.
    """
    from da4ml.trace.ops import quantize

    lsb = 2.0**-fractional
    fine = np.asarray(x.kif)[2] > fractional
    u = 2.0 ** -np.maximum(np.asarray(x.kif)[2], fractional)
    kept_bit = quantize(x, 0, 1 - fractional, fractional, "WRAP", "TRN")  # b * L
    offset = np.where(fine, lsb / 2 - u, 0.0)
    return quantize(x + offset + kept_bit * np.where(fine, u / lsb, 0.0), 0, integer, fractional, "SAT", "TRN")


def _layers(model: Any) -> list[tuple[str, Any]]:
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


def trace_student(model: Any, input_type: FixedType) -> Any:
    """da4ml combinational logic of the student, its input on `input_type`'s grid (the codes the IP gets)."""
    from da4ml.trace import FixedVariableArrayInput, comb_trace
    from da4ml.trace.ops import quantize

    layers = _layers(model)
    inp = FixedVariableArrayInput(tuple(model.input_shape[1:]))
    x = quantize(inp, int(input_type.signed), input_type.integer - int(input_type.signed), input_type.fractional)
    for kind, layer in layers:
        if kind == "flatten":
            x = x.reshape(-1)
        elif kind == "dense":
            kernel, bias = dense_constants(layer)
            x = x @ kernel + bias
        else:
            x = relu_round_half_even(x, *relu_quantizer(layer))
    return comb_trace(inp, x)


def golden_predict(model: Any, x: np.ndarray, input_type: FixedType) -> np.ndarray:
    """Our exact model of the same network (float64 holds every intermediate exactly), independent of da4ml."""
    x = input_type.quantize(np.asarray(x, dtype=np.float64)).reshape(len(x), -1)
    for kind, layer in _layers(model):
        if kind == "dense":
            kernel, bias = dense_constants(layer)
            x = x @ kernel + bias
        elif kind == "relu":
            integer, fractional = relu_quantizer(layer)
            x = FixedType(integer + fractional, integer, False, "RND_CONV", "SAT").quantize(x)
    return x


def verilog_model(
    model: Any, input_precision: str, target: Mapping[str, Any], rtl: Mapping[str, Any], path: Path
) -> tuple[Any, Any, Any]:
    """(da4ml VerilogModel written to `path`, the combinational logic it pipelines, the pipeline) for the
    student and the target's clock."""
    from da4ml.codegen import VerilogModel
    from da4ml.trace.pipeline import to_pipeline

    comb = trace_student(model, FixedType.parse(input_precision))
    cutoff = rtl["latency_cutoff"] or target["clock_period"]
    pipeline = to_pipeline(comb, cutoff, verbose=False)
    verilog = VerilogModel(
        pipeline, TOP, path, part_name=target["part"], clock_period=target["clock_period"], print_latency=False
    )
    verilog.write()
    return verilog, comb, pipeline


def latency_clocks(pipeline: Any) -> int:
    """Clock edges from an input to its answer: the input is registered, and so is every stage's output."""
    return len(pipeline.solutions) + 1


def rtl_generate(
    model_path: str, input_precision: str, target: Mapping[str, Any], rtl: Mapping[str, Any], outputs: Mapping[str, str]
) -> dict[str, Any]:
    """Write the Verilog project (outputs['verilog']) and what it is (outputs['summary'], rtl.json)."""
    from importlib.metadata import version

    from da4ml.types import minimal_kif

    from socflow.models import load_model

    start = time.perf_counter()
    _, _, pipeline = verilog_model(load_model(model_path), input_precision, target, rtl, Path(outputs["verilog"]))
    metadata = read_json(Path(outputs["verilog"]) / "metadata.json")
    out_kif = [list(map(int, minimal_kif(q))) for q in pipeline.out_qint]
    in_width = max(sum(map(int, minimal_kif(q))) for q in pipeline.inp_qint)
    if in_width != FixedType.parse(input_precision).width:
        raise ModelError(
            f"da4ml made the inputs {in_width} bits wide, the input type {input_precision} has another width"
        )
    summary = {
        "top": TOP,
        "input_type": str(FixedType.parse(input_precision)),
        "n_inputs": int(pipeline.shape[0]),
        "n_outputs": int(pipeline.shape[1]),
        "output_kif": out_kif,
        # the da4ml wrapper's outputs: every score sign-extended to one width, all on the finest grid
        "output_width": sum(max(kif[n] for kif in out_kif) for n in range(3)),
        "output_fractional": max(kif[2] for kif in out_kif),
        "stages": len(pipeline.solutions),
        "latency_clocks": latency_clocks(pipeline),
        "initiation_interval": 1,
        "clock_period_ns": float(target["clock_period"]),
        "latency_cutoff": float(metadata["latency_cutoff"]),
        "da4ml_lut_estimate": float(pipeline.cost),
        "register_bits": int(metadata["reg_bits"]),
        "part": target["part"],
        "generate_seconds": time.perf_counter() - start,
        "tools": {"da4ml": version("da4ml")},
    }
    write_json(outputs["summary"], summary)
    log.info(
        "RTL: %d stages, %d clock latency, da4ml estimate %.0f LUT",
        summary["stages"],
        summary["latency_clocks"],
        pipeline.cost,
    )
    return summary


def verilog_sources(verilog_dir: str | Path, top: str) -> list[Path]:
    """The da4ml project's synthesizable files: its primitives and the stages and top of `top`.

    lookup_table.v is read only when the design has tables: it `$readmemh`s a default file otherwise.
    """
    src = Path(verilog_dir) / "src"
    static = sorted((src / "static").glob("*.v"))
    if not any((src / "memfiles").glob("*")):
        static = [p for p in static if p.name != "lookup_table.v"]
    stages = sorted(src.glob(f"{top}_stage*.v"))
    sources = static + stages + [src / f"{top}.v"]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing or not stages:
        raise SocflowError(f"{verilog_dir}: not a da4ml Verilog project of top {top!r} (missing {missing or 'stages'})")
    return sources

"""The fully parallel RTL (reuse factor 1) from da4ml: the student's network traced into adder graphs
(distributed arithmetic: no multipliers, no DSPs), pipelined for a delay budget per stage, one input per clock.

Why da4ml itself and not hls4ml: hls4ml 1.3's `distributed_arithmetic` strategy writes HLS C++ only (the
Verilog would come from a vendor HLS tool) and pins da4ml < 0.6. da4ml has no QKeras front end, so this module
maps the student's layers onto da4ml operations: QDense as a constant matrix, quantized_relu as an unsigned
saturating quantizer. da4ml rounds only TRN or RND (half up), so QKeras's ties (half to even) are emulated (see
:func:`relu_round_half_even`). An HGQ2 student needs no mapping: HGQ2 ships da4ml's tracer of its layers
(:func:`trace_hgq`), and from the traced logic on the design is the same. Its Verilator emulator and software
model are checked against our golden model (an HGQ2 student's: its own quantized forward pass).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ModelError
from socflow.fixed import FixedType
from socflow.hgq.files import is_hgq_student
from socflow.io import read_json
from socflow.parts import yosys_family
from socflow.rtl.quantized import TOP, dense_constants, relu_quantizer, student_layers
from socflow.settings import Rtl, Target


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


def trace_dense(layers: list[tuple[str, Any]], shape: tuple[int, ...], input_type: FixedType) -> Any:
    """da4ml combinational logic of dense `layers` (student_layers' kinds 'flatten', 'dense', 'relu') on inputs
    of `shape` on `input_type`'s grid (the codes the IP gets)."""
    from da4ml.trace import FixedVariableArrayInput, comb_trace
    from da4ml.trace.ops import quantize

    inp = FixedVariableArrayInput(shape)
    x = quantize(inp, int(input_type.signed), input_type.integer - int(input_type.signed), input_type.fractional)
    for kind, layer in layers:
        if kind == "flatten":
            x = x.reshape(-1)
        elif kind == "dense":
            kernel, bias = dense_constants(layer)
            x = x @ kernel + bias
        elif kind == "relu":
            x = relu_round_half_even(x, *relu_quantizer(layer))
        else:
            raise ModelError(f"layer {layer.name!r} ({kind}): the fully parallel RTL takes dense students only")
    return comb_trace(inp, x)


def trace_student(model: Any, input_type: FixedType) -> Any:
    """da4ml combinational logic of the (dense) student, its input on `input_type`'s grid: a QKeras student's
    layers as socflow maps them (:func:`trace_dense`), an HGQ2 student's by HGQ2's own da4ml plugin
    (:func:`trace_hgq`)."""
    if is_hgq_student(model):
        return trace_hgq(model, input_type)
    return trace_dense(student_layers(model), tuple(model.input_shape[1:]), input_type)


def trace_hgq(model: Any, input_type: FixedType) -> Any:
    """da4ml combinational logic of an HGQ2 student (in the HGQ2 process), traced by the plugin HGQ2 registers with
    da4ml: its quantizers are da4ml's, so the design is the model's own quantized forward pass. Its inputs are
    declared on `input_type`'s grid (the codes the IP gets); the model's input quantizer, learned in training,
    then takes what it keeps of them (da4ml drops the rest for free)."""
    from da4ml.converter import trace_model
    from da4ml.trace import comb_trace

    signed = int(input_type.signed)
    kif = (signed, input_type.integer - signed, input_type.fractional)
    inputs, outputs = trace_model(model, inputs_kif=kif)
    return comb_trace(inputs, outputs)


# da4ml's delay units (about an adder level of a Xilinx fabric) per ns of clock period, by the fabric's family:
# da4ml pairs a 5 ns clock with 5 units. On an ECP5 (speed grade 6) the R = 1 pulses student routed at 28 MHz
# with 10 units per stage, at 81 MHz with 2 (12.4 ns: carry chains of adders in series and their routing); the
# 1D-CNN student's conv kernels at 98 MHz with 1.5; so the units follow the clock at 0.12 per ns there
# (bench/pnr.py measures the clock each design reaches)
UNITS_PER_NS = {"ecp5": 0.12}


def latency_cutoff(target: Target, rtl: Rtl) -> float:
    """da4ml's delay budget per pipeline stage: rtl.latency_cutoff, else the target's clock period in the delay
    units of its fabric."""
    if rtl["latency_cutoff"]:
        return float(rtl["latency_cutoff"])
    return float(target["clock_period"]) * UNITS_PER_NS.get(yosys_family(target["part"]), 1.0)


def pipelined_student(model: Any, input_type: FixedType, target: Target, rtl: Rtl) -> tuple[Any, Any]:
    """(the student's da4ml combinational logic, its pipeline): one stage per :func:`latency_cutoff` of delay."""
    from da4ml.trace.pipeline import to_pipeline

    comb = trace_student(model, input_type)
    return comb, to_pipeline(comb, latency_cutoff(target, rtl), verbose=False)


def verilog_model(model: Any, input_type: FixedType, target: Target, rtl: Rtl, path: Path) -> tuple[Any, Any, Any]:
    """(da4ml VerilogModel written to `path`, the combinational logic it pipelines, the pipeline) for the
    student and the target's clock."""
    from da4ml.codegen import VerilogModel

    comb, pipeline = pipelined_student(model, input_type, target, rtl)
    verilog = VerilogModel(
        pipeline, TOP, path, part_name=target["part"], clock_period=target["clock_period"], print_latency=False
    )
    verilog.write()
    return verilog, comb, pipeline


def latency_clocks(pipeline: Any) -> int:
    """Clock edges from an input to its answer: the input is registered, and so is every stage's output."""
    return len(pipeline.solutions) + 1


def parallel_project(model: Any, input_type: FixedType, target: Target, rtl: Rtl, path: Path) -> dict[str, Any]:
    """Write da4ml's Verilog project to `path`; what rtl.json says of it."""
    from importlib.metadata import version

    from da4ml.types import minimal_kif

    _, _, pipeline = verilog_model(model, input_type, target, rtl, path)
    metadata = read_json(path / "metadata.json")
    out_kif = [list(map(int, minimal_kif(q))) for q in pipeline.out_qint]
    in_width = max(sum(map(int, minimal_kif(q))) for q in pipeline.inp_qint)
    if in_width != input_type.width:
        raise ModelError(f"da4ml made the inputs {in_width} bits wide, the input type {input_type} has another width")
    return {
        "n_inputs": int(pipeline.shape[0]),
        "n_outputs": int(pipeline.shape[1]),
        "output_kif": out_kif,
        # the da4ml wrapper's outputs: every score sign-extended to one width, all on the finest grid
        "output_width": sum(max(kif[n] for kif in out_kif) for n in range(3)),
        "output_fractional": max(kif[2] for kif in out_kif),
        "stages": len(pipeline.solutions),
        "latency_clocks": latency_clocks(pipeline),
        "initiation_interval": 1,
        "latency_cutoff": float(metadata["latency_cutoff"]),
        "da4ml_lut_estimate": float(pipeline.cost),
        "register_bits": int(metadata["reg_bits"]),
        "tools": {"da4ml": version("da4ml")},
    }


def da4ml_sources(path: Path, top: str) -> list[Path]:
    """The synthesizable files of da4ml's Verilog project of `top` at `path`: its primitives (lookup_table.v only
    when the design has tables: it `$readmemh`s a default file otherwise), its stages and its top."""
    src = Path(path) / "src"
    static = sorted((src / "static").glob("*.v"))
    if not any((src / "memfiles").glob("*")):
        static = [p for p in static if p.name != "lookup_table.v"]
    return static + sorted(src.glob(f"{top}_stage*.v")) + [src / f"{top}.v"]


def sources(path: Path, summary: Mapping[str, Any]) -> list[Path]:
    """The parallel design's files (see :func:`da4ml_sources`)."""
    return da4ml_sources(path, TOP)

"""Folded RTL of a dense student for a reuse factor R > 1: each layer's non-zero products on ceil(nnz / R)
multipliers over at most R clocks, as hls4ml's reuse factor does, written from the quantized model by code.

Why our own generator: no open generator fits QKeras students offline (chisel4ml fetches a Scala jar at run
time, nngen builds DRAM-backed AXI-master accelerators, hls4ml writes HLS C++ whose Verilog needs a vendor
tool, da4ml writes only fully parallel adder graphs). The design is small and regular, so a schedule computed
here (:func:`schedule`) and one Jinja2 template (resources/rtl/folded.v.j2) give readable Verilog that
Verilator and Yosys both accept; an HDL library (Amaranth) would bring its own Yosys build for no gain here.

The design, per dense layer (`lanes`: one multiplier each):

- folded: the layer's non-zero products, ordered by output then input, are cut into lanes of R consecutive
  products; pruned weights are neither stored nor multiplied. At clock t each lane takes one input from the
  layer's input register (a multiplexer selected by t), one weight from its ROM, and accumulates; where an
  output's run of products ends the lane stores a partial sum, and the output is bias + its partial sums.
- where R >= n_inputs, the first layer takes its inputs one value per clock (as ComBlock's FIFO delivers them)
  into LUT-RAM, two banks so that the next input arrives while this one is computed, and each lane reads its
  operand through its own read port: no multiplexer over the input vector, which is a folded layer's largest
  LUT cost (the later layers, with few lanes, keep the register).
- stream (the first layer when `rtl_architecture: stream`, R = n_inputs): one input value per clock as it
  arrives, broadcast to one lane per output that has any weight; no input storage at all.

Each lane is pipelined as a DSP48 is (input registers, product register, accumulator), so a layer of C
clocks answers C + 3 clocks after it starts, and takes a new input every C clocks; the layers run at once on
successive inputs, so the core's initiation interval is the longest layer's C and its latency the sum of
(C + 3), one clock per hand-over between layers and one to take the input in. rtl_sim measures both.

Arithmetic is exactly the golden model's (:func:`socflow.rtl.quantized.golden_predict`): integer codes,
products and sums at full width, and quantized_relu as round half to even then saturation to [0, max].
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from socflow import RESOURCES
from socflow.errors import ConfigError, ModelError
from socflow.fixed import FixedType
from socflow.io import write_json
from socflow.rtl.quantized import TOP, dense_constants, relu_quantizer, student_layers


def fraction_bits(values: np.ndarray, what: str, limit: int = 48) -> int:
    """The fewest fractional bits (>= 0) that hold every value exactly; a named error past `limit`."""
    values = np.asarray(values, dtype=np.float64)
    for bits in range(limit + 1):
        scaled = values * 2.0**bits
        if np.all(scaled == np.round(scaled)):
            return bits
    raise ModelError(f"{what}: values are not on a fixed-point grid of at most {limit} fractional bits")


def signed_width(low: int, high: int) -> int:
    """Bits of the smallest two's complement type that holds every integer in [low, high]."""
    bits = 1
    while not -(2 ** (bits - 1)) <= low <= high <= 2 ** (bits - 1) - 1:
        bits += 1
    return bits


@dataclass(frozen=True)
class IntLayer:
    """A dense layer on integer codes: y = x @ weights + bias at `acc_frac` fractional bits, then, with `relu`
    (integer, fractional bits), quantized_relu to an unsigned code of `relu` bits."""

    weights: np.ndarray  # (n_in, n_out) int64 codes, value = code * 2^-w_frac
    bias: np.ndarray  # (n_out,) int64 codes at acc_frac
    in_width: int
    in_signed: bool
    in_frac: int
    w_frac: int
    relu: tuple[int, int] | None

    @property
    def acc_frac(self) -> int:
        return self.in_frac + self.w_frac

    @property
    def in_range(self) -> tuple[int, int]:
        if self.in_signed:
            return -(2 ** (self.in_width - 1)), 2 ** (self.in_width - 1) - 1
        return 0, 2**self.in_width - 1

    @property
    def acc_width(self) -> int:
        """Width that holds every partial and full sum of every output (bias included)."""
        low, high = self.in_range
        w = self.weights
        top = np.maximum(w * high, w * low).sum(axis=0) + np.maximum(self.bias, 0)
        bottom = np.minimum(w * high, w * low).sum(axis=0) + np.minimum(self.bias, 0)
        return signed_width(int(min(bottom.min(), 0)), int(max(top.max(), 0)))

    @property
    def weight_width(self) -> int:
        return signed_width(int(min(self.weights.min(), 0)), int(max(self.weights.max(), 0)))

    @property
    def out_width(self) -> int:
        return sum(self.relu) if self.relu else self.acc_width

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Integer codes out of integer codes in: the hardware's arithmetic, in numpy (int64 is exact here)."""
        acc = np.asarray(x, dtype=np.int64) @ self.weights + self.bias
        if not self.relu:
            return acc
        integer, fractional = self.relu
        relu = FixedType(integer + fractional, integer, False, "RND_CONV", "SAT")
        return relu.to_codes(acc * 2.0**-self.acc_frac)  # exact: the sums fit float64's 53 bits


def integer_network(model: Any, input_type: FixedType) -> list[IntLayer]:
    """The student's dense layers on integer codes: QDense (+ quantized_relu) pairs, the last without ReLU."""
    pairs: list[list[Any]] = []
    for kind, layer in student_layers(model):
        if kind == "dense":
            pairs.append([layer, None])
        elif kind == "relu":
            if not pairs or pairs[-1][1] is not None:
                raise ModelError(f"layer {layer.name!r}: a ReLU must follow a dense layer for the folded RTL")
            pairs[-1][1] = layer
    if not pairs or pairs[-1][1] is not None:
        raise ModelError("the folded RTL needs dense layers, the last without activation (the class scores)")
    layers, width, signed, frac = [], input_type.width, input_type.signed, input_type.fractional
    for dense, relu in pairs:
        kernel, bias = dense_constants(dense)
        w_frac = max(fraction_bits(kernel, f"{dense.name} kernel"), fraction_bits(bias, f"{dense.name} bias") - frac)
        weights = np.round(kernel * 2.0**w_frac).astype(np.int64)
        bias_codes = np.round(bias * 2.0 ** (frac + w_frac)).astype(np.int64)
        act = relu_quantizer(relu) if relu is not None else None
        layers.append(IntLayer(weights, bias_codes, width, signed, frac, w_frac, act))
        if act:
            width, signed, frac = sum(act), False, act[1]
    return layers


def network_forward(layers: list[IntLayer], codes: np.ndarray) -> np.ndarray:
    """Output codes (scores at the last layer's acc_frac) of input codes, layer by layer."""
    x = np.asarray(codes, dtype=np.int64).reshape(len(codes), -1)
    for layer in layers:
        x = layer.forward(x)
    return x


@dataclass
class Lane:
    """One multiplier's program: at step t (0 <= t < clocks) product `steps[t]` = (input index, weight code),
    accumulated into the run that started at a step in `first` (from the bias of output first[t], or from 0
    where first[t] is None: the output's other runs); a run ending at step t is stored in the partial sum
    `last[t]` (an index into the layer's partials)."""

    steps: dict[int, tuple[int, int]] = field(default_factory=dict)
    first: dict[int, int | None] = field(default_factory=dict)
    last: dict[int, int] = field(default_factory=dict)


@dataclass
class LayerSchedule:
    """A layer's lanes, its length in clocks, which partial sums make each output, and its input source."""

    clocks: int
    lanes: list[Lane]
    partials: list[list[int]]  # per output: indices of the partial sums to add (empty: bias only)
    # where the lanes take their inputs from: "register" (the whole input vector, a multiplexer per lane), "ram"
    # (LUT-RAM written one value per clock, a read port per lane: the first layer when R >= n_inputs) or
    # "broadcast" (the value arriving this clock, to every lane: the streaming design's first layer)
    source: str = "register"

    @property
    def serial(self) -> bool:
        """Whether the layer takes its input one value per clock."""
        return self.source != "register"


def schedule(weights: np.ndarray, reuse: int, source: str = "register") -> LayerSchedule:
    """The lanes of one layer for reuse factor `reuse`: its non-zero products packed into ceil(nnz / reuse)
    lanes (inputs from a register or LUT-RAM), or, for inputs broadcast as they arrive, a lane per output."""
    n_in, n_out = weights.shape
    lanes: list[Lane] = []
    partials: list[list[int]] = [[] for _ in range(n_out)]
    n_partials = 0
    if source == "broadcast":
        for j in range(n_out):
            rows = np.flatnonzero(weights[:, j])
            if not len(rows):
                continue
            steps = {int(i): (int(i), int(weights[i, j])) for i in rows}
            lane = Lane(steps, {int(rows[0]): j}, {int(rows[-1]): n_partials})
            partials[j].append(n_partials)
            n_partials += 1
            lanes.append(lane)
        return LayerSchedule(n_in, lanes, partials, source)
    products = [(j, i) for j in range(n_out) for i in range(n_in) if weights[i, j]]
    n_lanes = max(1, math.ceil(len(products) / reuse))
    clocks = max(1, math.ceil(len(products) / n_lanes))
    for m in range(n_lanes):
        lane = Lane()
        chunk = products[m * clocks : (m + 1) * clocks]
        for t, (j, i) in enumerate(chunk):
            lane.steps[t] = (i, int(weights[i, j]))
            if t == 0 or chunk[t - 1][0] != j:  # a run of output j starts; its first holds the bias
                lane.first[t] = None if partials[j] else j
            if t == len(chunk) - 1 or chunk[t + 1][0] != j:
                lane.last[t] = n_partials
                partials[j].append(n_partials)
                n_partials += 1
        lanes.append(lane)
    return LayerSchedule(clocks, lanes, partials, source)


@dataclass(frozen=True)
class FoldedDesign:
    """The folded core: layers, their schedules, and the timing that follows from them."""

    layers: list[IntLayer]
    schedules: list[LayerSchedule]
    reuse_factor: int
    architecture: str

    @property
    def serial_input(self) -> bool:
        """Whether the core takes its input one value per clock (in_data: one value) or as a vector."""
        return self.schedules[0].serial

    @property
    def initiation_interval(self) -> int:
        """Clocks between inputs: the longest layer's, and at least the inputs' count when they come serially."""
        n_in = self.layers[0].weights.shape[0]
        return max([s.clocks for s in self.schedules] + ([n_in] if self.serial_input else []))

    @property
    def latency_clocks(self) -> int:
        """Edges from the input (serial: its last value) at the core's ports to the answer, counting the one
        that samples in_valid as the first: C + 3 per layer (broadcast: 3), one per hand-over, and that first."""
        per_layer = [(0 if s.source == "broadcast" else s.clocks) + 3 for s in self.schedules]
        return sum(per_layer) + len(per_layer)

    @property
    def multipliers(self) -> int:
        return sum(len(s.lanes) for s in self.schedules)


def design(layers: list[IntLayer], reuse: int, architecture: str) -> FoldedDesign:
    """Schedule every layer; `reuse` must be usable by at least one layer (named error with the valid range)."""
    largest = max(int(layer.weights.size) for layer in layers)
    if not 2 <= reuse <= largest:
        raise ConfigError(
            f"reuse_factor {reuse}: the folded RTL takes 2 to {largest} for this student (its largest layer has "
            f"{largest} products); 1 is the fully parallel da4ml design"
        )
    n_in = layers[0].weights.shape[0]
    if architecture == "stream" and reuse != n_in:
        raise ConfigError(
            f"rtl_architecture: stream takes one input per clock, so reuse_factor must be n_inputs = {n_in}"
        )
    first = "broadcast" if architecture == "stream" else "ram" if reuse >= n_in else "register"
    schedules = [schedule(layer.weights, reuse, first if k == 0 else "register") for k, layer in enumerate(layers)]
    return FoldedDesign(layers, schedules, reuse, architecture)


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(RESOURCES / "rtl"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def verilog(folded: FoldedDesign, top: str) -> str:
    """The Verilog of the folded core `top` (one file: a module per layer, then the top)."""
    layers = []
    for k, (layer, sched) in enumerate(zip(folded.layers, folded.schedules)):
        n_in, n_out = layer.weights.shape
        names: dict[int, str] = {}
        lanes = []
        for m, lane in enumerate(sched.lanes):
            slot = {}
            for s, (t, g) in enumerate(lane.last.items()):
                names[g] = f"part{m}_{s}"
                slot[t] = s + 1
            first = {t: 0 if j is None else int(layer.bias[j]) for t, j in lane.first.items()}
            lanes.append({"steps": lane.steps, "first": first, "slot": slot, "slots": len(slot)})
        layers.append(
            {
                "name": f"{top}_layer{k}",
                "n_in": n_in,
                "n_out": n_out,
                "in_w": layer.in_width,
                "in_signed": layer.in_signed,
                "w_w": layer.weight_width,
                "acc_w": layer.acc_width,
                "out_w": layer.out_width,
                "acc_frac": layer.acc_frac,
                "relu": layer.relu,
                "bias": [int(b) for b in layer.bias],
                "clocks": sched.clocks,
                "cnt_w": max(1, (sched.clocks - 1).bit_length()),
                "source": sched.source,
                "addr_w": max(1, (n_in - 1).bit_length()),
                "lanes": lanes,
                "partial_names": [[names[g] for g in parts] for parts in sched.partials],
            }
        )
    return (
        _environment()
        .get_template("folded.v.j2")
        .render(top=top, layers=layers, reuse=folded.reuse_factor, architecture=folded.architecture)
    )


def write_project(folded: FoldedDesign, top: str, path: Path) -> Path:
    """verilog_dir/src/<top>.v, the layout rtl_synth, rtl_sim and the board read."""
    src = Path(path) / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / f"{top}.v").write_text(verilog(folded, top))
    return src / f"{top}.v"


def folded_project(
    model: Any, input_type: FixedType, target: Mapping[str, Any], architecture: str, path: Path
) -> dict[str, Any]:
    """Write the folded (or streaming) core of the student for the target to `path`; what rtl.json says of it."""
    layers = integer_network(model, input_type)
    core = design(layers, int(target["reuse_factor"]), architecture)
    write_project(core, TOP, path)
    last = layers[-1]
    summary = {
        "n_inputs": int(layers[0].weights.shape[0]),
        "n_outputs": int(last.weights.shape[1]),
        "output_width": last.acc_width,
        "output_fractional": last.acc_frac,
        "latency_clocks": core.latency_clocks,
        "initiation_interval": core.initiation_interval,
        "multipliers": core.multipliers,
        "serial_input": core.serial_input,
        "layers": [
            {
                "n_in": int(layer.weights.shape[0]),
                "n_out": int(layer.weights.shape[1]),
                "nonzero_weights": int(np.count_nonzero(layer.weights)),
                "multipliers": len(sched.lanes),
                "clocks": sched.clocks,
                "input_source": sched.source,
                "input_width": layer.in_width,
                "weight_width": layer.weight_width,
                "accumulator_width": layer.acc_width,
            }
            for layer, sched in zip(layers, core.schedules)
        ],
        "tools": {"generator": "socflow.rtl.folded (Jinja2 template resources/rtl/folded.v.j2)"},
    }
    write_json(path / "folded.json", summary)
    return summary

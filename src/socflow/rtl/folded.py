"""Folded RTL of a dense student for a reuse factor R > 1: each layer's non-zero products on ceil(nnz / R)
multipliers over at most R clocks, as hls4ml's reuse factor does, written from the quantized model by code.

Why our own generator: no open generator fits QKeras students offline (chisel4ml fetches a Scala jar at run
time, nngen builds DRAM-backed AXI-master accelerators, hls4ml writes HLS C++ whose Verilog needs a vendor
tool, da4ml writes only fully parallel adder graphs). The design is small and regular, so a schedule computed
here (:func:`schedule`) and one Jinja2 template (resources/rtl/folded.v.j2) give readable Verilog that
Verilator and Yosys both accept; an HDL library (Amaranth) would bring its own Yosys build for no gain here.

The design, per dense layer (`lanes`: one multiplier each):

- folded: the layer's non-zero products, ordered by output then input, are cut into lanes of R
  consecutive products; pruned weights are neither stored nor multiplied. At clock t each lane takes one input
  from the layer's input register (a multiplexer selected by t), one weight from its ROM, and adds the product
  to one of its accumulators: a lane has one per output it holds products of (a partial sum, started from the
  output's bias in its first lane, from 0 in the others), and an output is the sum of its partial sums.
- where R >= n_inputs, the first layer takes its inputs one value per clock (as ComBlock's FIFO delivers them)
  into LUT-RAM, two banks so that the next input arrives while this one is computed, and each lane reads its
  operand through its own read port: no multiplexer over the input vector, which is a folded layer's largest
  LUT cost (the later layers, with few lanes, keep the register). Each lane takes its products in input order
  and the layer's run begins with the first value: a step runs as soon as the values it reads are in, so the
  layer overlaps the input's arrival and ends 2 clocks after its last value (where that would make a run wait
  past R clocks, a lane is added).
- stream (the first layer when `rtl_architecture: stream`, R = n_inputs): one input value per clock as it
  arrives, broadcast to one lane per output that has any weight; no input storage at all.

Each lane is pipelined as a DSP48 is (input registers, product register, accumulator), its step and counter
from a registered copy shared by CONTROL_FANOUT lanes, and the output's sum of partial sums is registered before
the ReLU, so a layer answers TAIL_CLOCKS = 4 clocks after its last step, a serial input's layer 5 (its lanes run
a clock behind the counter); every one of these registers is one a critical path of the ECP5's place and route
asked for (socflow.board.pnr). The layers run at once on successive inputs, so the core's initiation interval is
the longest layer's and its latency the sum of each layer's tail (register input: C clocks; LUT-RAM: the clocks
from the last value to the last step) + its clocks after the last step, one clock per hand-over between layers
and one to take the input in.
rtl_sim measures both.

Arithmetic is exactly the golden model's (:func:`socflow.rtl.quantized.golden_predict`): integer codes,
products and sums at full width, and quantized_relu as round half to even then saturation to [0, max].
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ConfigError, ModelError
from socflow.fixed import FixedType
from socflow.rtl.quantized import TOP, dense_constants, relu_quantizer, student_layers
from socflow.rtl.templates import SHARED_HDL, render
from socflow.rtl.widths import bank_words, bits_for
from socflow.settings import Target


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


def rounded_width(width: int, shift: int) -> int:
    """Bits of quantized_relu's rounded value (relu_round of resources/rtl/quantized_relu.v.j2) from a signed sum
    of `width` bits whose lsb is 2^-shift of the code's: its bits from the code's lsb up and one more (the largest
    sum may round up); shift <= 0: the sum shifted left."""
    return width - shift + 1 if shift > 0 else width - shift


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
    return integer_layers(student_layers(model), input_type)


def integer_layers(layers: list[tuple[str, Any]], input_type: FixedType) -> list[IntLayer]:
    """Dense layers ((kind, layer) pairs of student_layers: 'dense' and 'relu' kept, Flatten passed over) on
    integer codes of `input_type`: a student's, or a conv student's head on its last stage's codes."""
    pairs: list[list[Any]] = []
    for kind, layer in layers:
        if kind == "dense":
            pairs.append([layer, None])
        elif kind == "relu":
            if not pairs or pairs[-1][1] is not None:
                raise ModelError(f"layer {layer.name!r}: a ReLU must follow a dense layer for the folded RTL")
            pairs[-1][1] = layer
    if not pairs or pairs[-1][1] is not None:
        raise ModelError("the folded RTL needs dense layers, the last without activation (the class scores)")
    out, width, signed, frac = [], input_type.width, input_type.signed, input_type.fractional
    for dense, relu in pairs:
        kernel, bias = dense_constants(dense)
        act = relu_quantizer(relu) if relu is not None else None
        out.append(int_layer(kernel, bias, FixedType(width, width - frac, signed, "TRN", "WRAP"), act, dense.name))
        if act:
            width, signed, frac = sum(act), False, act[1]
    return out


def int_layer(
    kernel: np.ndarray, bias: np.ndarray, in_type: FixedType, relu: tuple[int, int] | None, name: str
) -> IntLayer:
    """y = x @ kernel + bias on integer codes of `in_type`: the weights at the fewest fractional bits that hold
    kernel and bias exactly (a dense layer's, or a convolution's on a window)."""
    frac = in_type.fractional
    w_frac = max(fraction_bits(kernel, f"{name} kernel"), fraction_bits(bias, f"{name} bias") - frac)
    weights = np.round(kernel * 2.0**w_frac).astype(np.int64)
    bias_codes = np.round(bias * 2.0 ** (frac + w_frac)).astype(np.int64)
    return IntLayer(weights, bias_codes, in_type.width, in_type.signed, frac, w_frac, relu)


def network_forward(layers: list[IntLayer], codes: np.ndarray) -> np.ndarray:
    """Output codes (scores at the last layer's acc_frac) of input codes, layer by layer."""
    x = np.asarray(codes, dtype=np.int64).reshape(len(codes), -1)
    for layer in layers:
        x = layer.forward(x)
    return x


@dataclass
class Lane:
    """One multiplier's program: at step t (0 <= t < clocks) the product `steps[t]` = (input index, weight code,
    partial sum) is added into that partial sum (an index into the layer's partials), which a step in `first`
    starts: from the bias of output first[t], or from 0 where first[t] is None (an output's other partials)."""

    steps: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    first: dict[int, int | None] = field(default_factory=dict)
    group: int = 0  # a "shared" layer's lane: the input group whose multiplexer it reads


@dataclass
class LayerSchedule:
    """A layer's lanes, its length in clocks, which partial sums make each output, and its input source."""

    clocks: int
    lanes: list[Lane]
    partials: list[list[int]]  # per output: indices of the partial sums to add (empty: bias only)
    n_in: int
    # where the lanes take their inputs from: "register" (the whole input vector, a multiplexer per lane), "ram"
    # (LUT-RAM written one value per clock, a read port per lane: the first layer when R >= n_inputs),
    # "broadcast" (the value arriving this clock, to every lane: the streaming design's first layer) or "shared"
    # (the input vector in groups of at most R inputs, one multiplexer per group read by a lane per output: the
    # folded conv design's kernels)
    source: str = "register"
    groups: list[list[int]] = field(default_factory=list)  # "shared": each group's inputs, by step

    @property
    def serial(self) -> bool:
        """Whether the layer takes its input one value per clock."""
        return self.source in ("ram", "broadcast")

    @cached_property
    def needs(self) -> list[int]:
        """Per step, the last input that must have arrived before it can run (the largest index any lane reads)."""
        return [
            max((lane.steps[step][0] for lane in self.lanes if step in lane.steps), default=-1)
            for step in range(self.clocks)
        ]

    def _last_step(self, begin: int, first_value: int) -> int:
        """The edge of a "ram" run's last step: it begins at edge `begin`, its input's value i arrives at edge
        first_value + i, and a step runs the edge after the one before it once the values it reads are in."""
        edge = begin
        for need in self.needs:
            edge = max(edge + 1, first_value + need + 1)
        return edge

    @property
    def last_edge(self) -> int:
        """With the input one value per clock (value i at edge i): the edge of the layer's last step. A "ram"
        run begins the edge after the first value and runs a step once its inputs are in, so it overlaps the
        input's arrival; values arriving further apart only bring the last step closer to the last value."""
        if self.source == "broadcast":
            return self.n_in - 1
        if not self.serial:
            return self.n_in - 1 + self.clocks  # the vector at edge n_in - 1, one step per clock after it
        return self._last_step(1, 0)

    @property
    def tail(self) -> int:
        """Clocks from the edge that takes the layer's (last) input value to the edge of its last step."""
        return self.last_edge - (self.n_in - 1)

    @property
    def interval(self) -> int:
        """Clocks between inputs: C, and for a serial input at least n_in. A "ram" run begins once the run
        before it has had its last step, so the next input, arriving `interval` clocks later, must find its run
        as late after its first value as the first input's (the latency stays the same), and the run must end
        before the input after it overwrites its LUT-RAM bank."""
        if self.source != "ram":
            return max(self.clocks, self.n_in if self.serial else 1)
        first, interval = self.last_edge, max(self.n_in, self.clocks)
        while self._last_step(max(interval + 1, first), interval) - interval != first or first >= 2 * interval:
            interval += 1
        return interval


def schedule(weights: np.ndarray, reuse: int, source: str = "register") -> LayerSchedule:
    """The lanes of one layer for reuse factor `reuse`: its non-zero products packed into ceil(nnz / reuse)
    lanes (inputs from a register or LUT-RAM), or, for inputs broadcast as they arrive, a lane per output.

    Products are ordered by output, then input, and cut into lanes of consecutive products; each run of one
    output in a lane is a partial sum with its own accumulator. A lane reading LUT-RAM takes its products in
    input order (the runs interleave), ending at the layer's last step: the layer runs while its input is still
    arriving and waits for a value only where a lane would read it before it is in; of :data:`ORDERS` orders
    of the outputs, the one whose run waits least is kept."""
    n_in, n_out = weights.shape
    if source == "broadcast":
        columns = [[(j, int(i)) for i in np.flatnonzero(weights[:, j])] for j in range(n_out)]
        return _lanes(weights, [column for column in columns if column], source)
    if source == "shared":
        return _shared(weights, reuse)
    n_lanes = max(1, math.ceil(int(np.count_nonzero(weights)) / reuse))
    plans = []
    for order in _output_orders(n_out, ORDERS if source == "ram" else 1):
        products = [(j, i) for j in order for i in range(n_in) if weights[i, j]]
        size = max(1, math.ceil(len(products) / n_lanes))
        plans.append(_lanes(weights, [products[m * size : (m + 1) * size] for m in range(n_lanes)], source))
    return min(plans, key=lambda plan: (plan.interval, plan.tail))


# Output orders a LUT-RAM layer's schedule tries: which outputs share a lane decides how long its run waits for
# late inputs (a lane holding many products of the last inputs); the first order is the outputs' own.
ORDERS = 64
# clocks from a layer's last step to its answer: operands, product, accumulation, the output's sum of partial
# sums (a serial input's layer: one more, its lanes one clock behind the counter)
TAIL_CLOCKS = 4
# lanes that share a registered copy of the layer's step and counter (the fanout of each copy)
CONTROL_FANOUT = 4


def _output_orders(n_out: int, count: int) -> list[list[int]]:
    """The outputs' own order, then count - 1 permutations drawn from a fixed seed (the same schedule every run)."""
    rng = np.random.default_rng(n_out)
    return [list(range(n_out))] + [[int(j) for j in rng.permutation(n_out)] for _ in range(count - 1)]


def _shared(weights: np.ndarray, reuse: int) -> LayerSchedule:
    """The "shared" schedule: the inputs that have a non-zero weight, in order, cut into ceil(n / reuse) groups of
    at most `reuse`; at step t every lane of group g takes the group's t-th input (one multiplexer per group, not
    per lane, which is most of a folded kernel's LUTs where lanes read a wide window), and a lane per output with a
    non-zero weight in the group adds its products, one partial sum: multipliers sum_g (outputs of group g),
    about n_out * ceil(n / R), for a multiplexer cost of about n * width / 3 LUTs in all."""
    active = [int(i) for i in np.flatnonzero(np.any(weights != 0, axis=1))]
    count = max(1, math.ceil(len(active) / reuse))
    size = max(1, math.ceil(len(active) / count))
    groups = [active[g * size : (g + 1) * size] for g in range(count)]
    position = {i: t for inputs in groups for t, i in enumerate(inputs)}
    chunks, owners = [], []
    for g, inputs in enumerate(groups):
        for j in range(weights.shape[1]):
            chunk = [(j, i) for i in inputs if weights[i, j]]
            if chunk:
                chunks.append(chunk)
                owners.append(g)
    plan = _lanes(weights, chunks, "shared", position)
    for lane, g in zip(plan.lanes, owners):
        lane.group = g
    plan.groups = groups
    plan.clocks = max([1] + [len(inputs) for inputs in groups])
    return plan


def _lanes(
    weights: np.ndarray, chunks: list[list[tuple[int, int]]], source: str, position: dict[int, int] | None = None
) -> LayerSchedule:
    """The lanes of the products in `chunks` ((output, input) pairs, a list per lane); each run of one output
    in a lane is a partial sum. A "shared" lane's product of input i runs at step position[i]."""
    n_in, n_out = weights.shape
    size = max((len(chunk) for chunk in chunks), default=1)
    partials: list[list[int]] = [[] for _ in range(n_out)]
    owner: list[int] = []  # partial -> its output
    lanes = []
    for chunk in chunks:
        runs: dict[int, int] = {}  # output -> this lane's partial of it
        for j, _ in chunk:
            if j not in runs:
                runs[j] = len(owner)
                partials[j].append(len(owner))
                owner.append(j)
        if source == "ram":  # input order, the lane's last product at the layer's last step
            order = sorted(chunk, key=lambda p: p[1])
            steps = list(range(max(size, n_in) - len(order), max(size, n_in)))
        else:
            order = chunk
            steps = [i for _, i in chunk] if source == "broadcast" else list(range(len(chunk)))
            if position is not None:
                steps = [position[i] for _, i in chunk]
        lane = Lane({t: (i, int(weights[i, j]), runs[j]) for t, (j, i) in zip(steps, order)})
        started: set[int] = set()
        for t, (_, _, g) in sorted(lane.steps.items()):
            if g not in started:
                started.add(g)
                lane.first[t] = owner[g] if partials[owner[g]][0] == g else None
        lanes.append(lane)
    clocks = n_in if source == "broadcast" else max([1] + [t + 1 for lane in lanes for t in lane.steps])
    return LayerSchedule(clocks, lanes, partials, n_in, source)


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
        """Clocks between inputs: the longest layer's interval."""
        return max(s.interval for s in self.schedules)

    @property
    def latency_clocks(self) -> int:
        """Edges from the input (serial: its last value) at the core's ports to the answer, counting the one
        that samples in_valid as the first: per layer, its tail (register: C) + TAIL_CLOCKS for the lane's
        pipeline and the output sums (+ 1 for a serial input's), one per hand-over, and that first."""
        return sum(s.tail + TAIL_CLOCKS + s.serial for s in self.schedules) + len(self.schedules)

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


# LUT-RAM read ports per copy of a layer's input (RAM64M: 3 read ports and a write port): a layer whose lanes read
# their operands from LUT-RAM keeps one copy of its input per 3 lanes
READ_PORTS = 3


def input_copies(lanes: int) -> int:
    """The copies of a LUT-RAM input that `lanes` lanes read, each lane from copy lane // READ_PORTS."""
    return (lanes + READ_PORTS - 1) // READ_PORTS


def verilog(folded: FoldedDesign, top: str) -> str:
    """The Verilog of the folded core `top` (one file: a module per layer, then the top)."""
    layers = []
    for k, (layer, sched) in enumerate(zip(folded.layers, folded.schedules)):
        n_in, n_out = layer.weights.shape
        names: dict[int, str] = {}
        lanes = []
        for m, lane in enumerate(sched.lanes):
            slot: dict[int, int] = {}  # partial -> this lane's accumulator
            for _, _, g in lane.steps.values():
                if g not in slot:
                    slot[g] = len(slot)
                    names[g] = f"part{m}_{slot[g]}"
            steps = {t: (i, w, slot[g]) for t, (i, w, g) in lane.steps.items()}
            first = {t: 0 if j is None else int(layer.bias[j]) for t, j in lane.first.items()}
            slots = max(1, len(slot))
            lanes.append({"steps": steps, "first": first, "slots": slots, "slot_w": bits_for(slots),
                          "ram_copy": m // READ_PORTS, "group": lane.group,
                          "control": m // CONTROL_FANOUT})  # fmt: skip
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
                "relu_shift": layer.acc_frac - layer.relu[1] if layer.relu else 0,
                "relu_q_w": rounded_width(layer.acc_width, layer.acc_frac - layer.relu[1]) if layer.relu else 0,
                "bias": [int(b) for b in layer.bias],
                "clocks": sched.clocks,
                "cnt_w": bits_for(sched.clocks),
                "source": sched.source,
                "serial": sched.serial,
                "addr_w": bits_for(n_in),
                "bank_words": bank_words(n_in),
                "copies": input_copies(len(sched.lanes)) if sched.source == "ram" else 0,
                "lanes": lanes,
                "controls": max(1, -(-len(lanes) // CONTROL_FANOUT)),
                "need": sched.needs if sched.source == "ram" else [],
                "groups": sched.groups,
                "partial_names": [[names[g] for g in parts] for parts in sched.partials],
            }
        )
    return render(
        "folded.v.j2",
        top=top,
        layers=layers,
        reuse=folded.reuse_factor,
        architecture=folded.architecture,
        tail_clocks=TAIL_CLOCKS,
        control_fanout=CONTROL_FANOUT,
    )


def write_project(folded: FoldedDesign, top: str, path: Path) -> list[Path]:
    """verilog_dir/src/<top>.v, and the shared modules it instantiates where a layer takes its input into LUT-RAM;
    the project's files, the shared modules first."""
    src = Path(path) / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / f"{top}.v").write_text(verilog(folded, top))
    banks = any(sched.source == "ram" for sched in folded.schedules)
    for module in SHARED_HDL if banks else []:
        shutil.copyfile(module, src / module.name)
    return _files(src, top, banks)


def _files(src: Path, top: str, banks: bool) -> list[Path]:
    return [src / module.name for module in SHARED_HDL if banks] + [src / f"{top}.v"]


def folded_project(model: Any, input_type: FixedType, target: Target, architecture: str, path: Path) -> dict[str, Any]:
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
    return summary


def sources(path: Path, summary: Mapping[str, Any]) -> list[Path]:
    """The folded (or streaming) design's file, after the shared modules it instantiates."""
    return _files(Path(path) / "src", TOP, any(layer["input_source"] == "ram" for layer in summary["layers"]))

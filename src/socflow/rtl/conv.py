"""Line-buffered RTL of a convolutional student (CNN, VGG- or MobileNet-like; Conv1D and Conv2D): a chain of
convolution stages, one per conv layer, then the dense head, written from the quantized model by code.

Each stage holds its input feature map in a frame buffer (LUT-RAM, two banks: the next map is written while
this one is read) and scans it in raster order over the zero-padded grid, one position (every channel) per
clock, into a line buffer (a shift register of (kh - 1) rows + kw positions); each complete window goes through
the layer's kernel as one constant matrix: a da4ml adder graph (distributed arithmetic, no multipliers),
pipelined, the same logic reused at every position; then quantized_relu (round half to even, then saturation, as
QKeras and the golden model do) in two registered steps of the template, the saturation a test of bits: in the
graph, da4ml put the rounding adder and the saturation's compare (an add of a constant, free in its delay model)
in one stage, two carry chains in series that missed 100 MHz on ECP5 with 5 % slack. A max-pool keeps the
running maximum per pooled column and writes each pooled position into the next stage's frame buffer. The last
stage's positions shift into the flattened vector, and the head (its dense layers) is da4ml's fully parallel
design on it.

Why frame buffers rather than a pure stream: with 'same' padding a stage scans more positions than it gets
((h + kh - 1)(w + kw - 1) for h w), so it cannot keep pace with its input; once a map is complete, the stage's
scan and everything after it run on a fixed schedule, so the answer comes a fixed number of clocks after the
input's last value, as the board's protocol needs. The core takes one input value per clock (in_data, as
ComBlock's FIFO delivers them, the first stage's channels one after the other) and a new input every
:attr:`ConvDesign.initiation_interval` clocks: the longest stage's scan. rtl_sim measures both.

Folded (reuse factor R > 1, the design `folded_conv`): each kernel is a folded core of socflow.rtl.folded on the
window instead of an adder graph: its non-zero products (pruned weights neither stored nor multiplied) on
ceil(nnz / R) multipliers (DSP48s) over C <= R clocks, quantized_relu after them; the head's dense layers are a
folded core at the same R. The kernel takes a new window every C clocks, so the scan waits at a position that
completes a window until the kernel is free (:func:`scan_edges`); positions that complete none (the padding's
first rows and columns) pass at a clock each. A stage's scan is then about conv_h * conv_w * C clocks, and the
core's initiation interval is the longest scan (or the input's n values, or the head's C). After a scan begins,
the kernel is taken as busy for one clock, so every scan runs on the same schedule whether its map came back to
back or after a pause: the latency stays fixed, as the board's protocol needs.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import ConfigError, ModelError
from socflow.fixed import FixedType
from socflow.rtl import folded
from socflow.rtl.cost import folded_cost
from socflow.rtl.parallel import da4ml_sources, latency_cutoff, trace_dense
from socflow.rtl.quantized import TOP, conv_constants, conv_geometry, pool_size, relu_quantizer, student_layers
from socflow.rtl.templates import SHARED_HDL, render
from socflow.rtl.widths import bank_words, bits_for
from socflow.settings import Rtl, Target

KERNELS = "kernels"  # the da4ml projects of the kernels and the head, under the RTL project


@dataclass
class Stage:
    """A convolution stage: its input map (height, width, channels; a signal's height 1) of `in_type` codes,
    the kernel as a (kh * kw * c_in, filters) matrix, quantized_relu, the max-pool after it ((1, 1): none)."""

    shape: tuple[int, int, int]
    kernel_size: tuple[int, int]
    padding: tuple[int, int, int, int]
    matrix: np.ndarray
    bias: np.ndarray
    relu: tuple[int, int]
    pool: tuple[int, int]
    in_type: FixedType
    groups: int  # values per position written one per clock (the core's input), or 1: a position per clock

    @property
    def filters(self) -> int:
        return int(self.matrix.shape[1])

    @property
    def padded(self) -> tuple[int, int]:
        top, left, bottom, right = self.padding
        return self.shape[0] + top + bottom, self.shape[1] + left + right

    @property
    def conv_shape(self) -> tuple[int, int]:
        return self.padded[0] - self.kernel_size[0] + 1, self.padded[1] - self.kernel_size[1] + 1

    @property
    def out_shape(self) -> tuple[int, int, int]:
        (h, w), (ph, pw) = self.conv_shape, self.pool
        return h // ph, w // pw, self.filters

    @property
    def scan(self) -> int:
        """Clocks of one scan: every position of the padded map."""
        return self.padded[0] * self.padded[1]

    @property
    def last_window(self) -> int:
        """Scan index of the window that completes the last output (the last pooled position's last window)."""
        (ph, pw), (h, w, _) = self.pool, self.out_shape
        row, col = h * ph - 1, w * pw - 1
        return (row + self.kernel_size[0] - 1) * self.padded[1] + col + self.kernel_size[1] - 1

    @property
    def out_type(self) -> FixedType:
        integer, fractional = self.relu
        return FixedType(integer + fractional, integer, False, "RND_CONV", "SAT")

    @property
    def pixel_width(self) -> int:
        """Bits of one position of the input map (every channel)."""
        return self.shape[2] * self.in_type.width

    @property
    def word_width(self) -> int:
        """Bits of one frame-buffer write: a position, or one channel's value where they come one by one."""
        return self.pixel_width // self.groups

    @property
    def address_width(self) -> int:
        """Address bits of a frame-buffer bank (its map's positions)."""
        return bits_for(self.shape[0] * self.shape[1])

    @property
    def line_buffer(self) -> int:
        """Positions in the line buffer: (kh - 1) padded rows and kw positions."""
        return (self.kernel_size[0] - 1) * self.padded[1] + self.kernel_size[1]


def network_stages(model: Any, input_type: FixedType) -> tuple[list[Stage], list[tuple[str, Any]]]:
    """The student's conv stages (conv + quantized_relu [+ max-pool] each) and its head (the layers after
    Flatten); a named error for any other arrangement."""
    layers = [(kind, layer) for kind, layer in student_layers(model) if kind != "reshape"]
    shape = tuple(model.input_shape[1:])
    # an image (h, w, c); a signal (samples[, channels]) as a map of height 1
    h, w, c = shape if len(shape) == 3 else (1, shape[0], shape[1] if len(shape) == 2 else 1)
    stages: list[Stage] = []
    in_type, k = input_type, 0
    while k < len(layers) and layers[k][0] == "conv":
        conv = layers[k][1]
        if k + 1 >= len(layers) or layers[k + 1][0] != "relu":
            raise ModelError(f"layer {conv.name!r}: the conv RTL needs a quantized_relu after every convolution")
        kernel, bias = conv_constants(conv)
        size, padding = conv_geometry(conv)
        relu = relu_quantizer(layers[k + 1][1])
        k += 2
        pool = (1, 1)
        if k < len(layers) and layers[k][0] == "pool":
            pool, k = pool_size(layers[k][1]), k + 1
        matrix = kernel.reshape(-1, kernel.shape[-1])
        stage = Stage((h, w, c), size, padding, matrix, bias, relu, pool, in_type, c if not stages else 1)
        if stage.out_shape[0] < 1 or stage.out_shape[1] < 1:
            raise ModelError(f"layer {conv.name!r}: its output map is empty")
        stages.append(stage)
        h, w, c = stage.out_shape
        in_type = stage.out_type
    if not stages or k >= len(layers) or layers[k][0] != "flatten":
        raise ModelError("the conv RTL takes conv (+ quantized_relu, max-pool) blocks, then Flatten and dense layers")
    head = layers[k:]
    if any(kind not in ("flatten", "dense", "relu") for kind, _ in head) or head[-1][0] != "dense":
        raise ModelError("the conv RTL's head is dense layers after Flatten, the last without activation")
    return stages, head


def stage_logic(stage: Stage) -> Any:
    """da4ml combinational logic of a stage's kernel on one window ((kh, kw, c_in) order): the filters' sums,
    exact (the template rounds and saturates them, :attr:`Kernel.relu`)."""
    from da4ml.trace import FixedVariableArrayInput, comb_trace
    from da4ml.trace.ops import quantize

    t = stage.in_type
    inp = FixedVariableArrayInput((stage.matrix.shape[0],))
    x = quantize(inp, int(t.signed), t.integer - int(t.signed), t.fractional)
    return comb_trace(inp, x @ stage.matrix + stage.bias)


RELU_CLOCKS = 2  # a stage kernel's sums registered, then rounded and registered, then saturated into the codes


@dataclass
class Kernel:
    """A da4ml pipeline written as module `name`: its latency, its inputs' widths (0: an input no weight uses,
    which da4ml leaves out of the port) and its outputs' (k, i, f) fields, LSB first. A stage's kernel has the
    layer's quantized_relu (integer, fractional bits) after the pipeline, in the template (RELU_CLOCKS more); the
    head's ReLUs are in its graph."""

    name: str
    pipeline: Any
    in_widths: list[int]
    fields: list[tuple[int, int, int]]
    relu: tuple[int, int] | None = None

    @property
    def in_width(self) -> int:
        return sum(self.in_widths)

    @property
    def out_width(self) -> int:
        return sum(sum(f) for f in self.fields)

    def packed(self, offsets: list[int], width: int) -> list[int]:
        """The bit offsets (in the vector the port's inputs are cut from, `width` bits each, one per input) of the
        inputs the port takes, the last first as a Verilog concatenation lists them."""
        if len(offsets) != len(self.in_widths) or any(w not in (0, width) for w in self.in_widths):
            raise ModelError(f"{self.name}: da4ml's inputs {self.in_widths} are not {len(offsets)} of {width} bits")
        return [x for x, w in reversed(list(zip(offsets, self.in_widths))) if w]

    @property
    def latency(self) -> int:
        return len(self.pipeline.solutions) + 1 + (RELU_CLOCKS if self.relu else 0)

    @property
    def sum_fractional(self) -> int:
        """The fractional bits of the grid every output sum is on (the finest field's)."""
        return max([f for k, i, f in self.fields if k + i + f > 0], default=0)

    @property
    def sum_width(self) -> int:
        """Signed width that holds every output sum at 2^-sum_fractional, and at least two bits above the ReLU
        code's lsb (relu_round takes the bits above it)."""
        integer = max([i for k, i, f in self.fields if k + i + f > 0], default=0)
        return max(1 + integer + self.sum_fractional, self.relu_shift + 2)

    @property
    def relu_shift(self) -> int:
        """The sums' fractional bits less the ReLU code's (0 without a ReLU)."""
        return self.sum_fractional - self.relu[1] if self.relu else 0

    @property
    def rounded_width(self) -> int:
        """Bits of a sum rounded to the ReLU code's grid (the template's relu_round)."""
        return folded.rounded_width(self.sum_width, self.relu_shift) if self.relu else 0

    @property
    def relu_cost(self) -> tuple[float, float]:
        """LUTs and FFs of the template's quantized_relu, per filter: the rounding's adder and the saturation's
        select (about a LUT per bit each), the sums' and the rounded values' registers."""
        if not self.relu:
            return 0.0, 0.0
        n = len(self.fields)
        return float(n * (self.rounded_width + sum(self.relu))), float(n * (self.sum_width + self.rounded_width))

    @property
    def spacing(self) -> int:
        """Clocks between the windows it takes: one, a pipeline."""
        return 1

    def converted(self, width: int, fractional: int) -> list[dict[str, int | bool]]:
        """Each output field as a `width`-bit code at 2^-fractional: its bits in the port (msb, lsb; none where
        da4ml found it constant 0), whether it is signed, and the bits it is extended by above (pad) and shifted by
        below (shift) to reach the common grid; the template's `code` macro writes it."""
        out, offset = [], 0
        for k, i, f in self.fields:
            bits, shift = k + i + f, fractional - f
            if bits <= 0:
                out.append({"bits": 0, "width": width})
                continue
            if shift < 0 or bits + shift > width:
                raise ModelError(f"{self.name}: an output of {bits} bits at 2^-{f} does not fit {width} bits")
            out.append({"bits": bits, "msb": offset + bits - 1, "lsb": offset, "signed": bool(k),
                        "pad": width - bits - shift, "shift": shift})  # fmt: skip
            offset += bits
        return out


def kernel(name: str, comb: Any, target: Target, rtl: Rtl, relu: tuple[int, int] | None = None) -> Kernel:
    """Pipeline da4ml logic for the target's clock (rtl.latency_cutoff, as the dense design); `relu`: the
    quantized_relu the template applies to its outputs."""
    from da4ml.trace.pipeline import to_pipeline
    from da4ml.types import minimal_kif

    pipeline = to_pipeline(comb, latency_cutoff(target, rtl), verbose=False)
    fields = [tuple(int(v) for v in minimal_kif(q)) for q in pipeline.out_qint]
    in_widths = [sum(int(v) for v in minimal_kif(q)) for q in pipeline.inp_qint]
    return Kernel(name, pipeline, in_widths, fields, relu)  # type: ignore[arg-type]


@dataclass
class FoldedKernel:
    """A folded core (socflow.rtl.folded, its input a register) written as module `name`: a stage's kernel on its
    window (one layer, quantized_relu included), or the head's dense layers; outputs as the layers' codes."""

    name: str
    core: folded.FoldedDesign

    @property
    def latency(self) -> int:
        """Edges from the one that takes a window (the first) to its answer: the folded core's latency."""
        return self.core.latency_clocks

    @property
    def spacing(self) -> int:
        """Clocks between the windows it takes: its longest layer's C."""
        return self.core.initiation_interval


def folded_kernel(name: str, layers: list[folded.IntLayer], reuse: int) -> FoldedKernel:
    """The layers' folded core at `reuse`, every layer's input from a register (a window, or the flattened map).
    Per layer the cheaper of two schedules by the dense folded cost model's LUTs (socflow.rtl.cost.folded_cost;
    ranking by the folded conv model instead chose worse designs by Yosys, bench/conv_cost.py): "register"
    (ceil(nnz / R) lanes, each with its own operand multiplexer: fewest multipliers) or "shared" (a multiplexer per
    group of R inputs, read by a lane per output: fewer LUTs where a wide window would feed many lanes'
    multiplexers, at large R)."""
    schedules = []
    for layer in layers:
        options = [folded.schedule(layer.weights, reuse, source) for source in ("register", "shared")]
        schedules.append(min(options, key=lambda s: folded_cost(folded.FoldedDesign([layer], [s], reuse, "")).lut))
    return FoldedKernel(name, folded.FoldedDesign(layers, schedules, reuse, "folded"))


def scan_edges(stage: Stage, spacing: int) -> list[int]:
    """The edge at which each padded position of a scan is read into the line buffer, counted from the edge that
    begins the scan (0), where the kernel takes a window at most every `spacing` clocks: a position completing a
    window is read only once the kernel will be free for it, every other position at the next edge. The template's
    `since` (edges since the kernel's last window; 0 after a scan begins: one taken as due) in Python."""
    kh, kw = stage.kernel_size
    padded_w = stage.padded[1]
    edges: list[int] = []
    edge, since, window_due = 0, 0, False
    for position in range(stage.scan):
        completes = position // padded_w >= kh - 1 and position % padded_w >= kw - 1
        while True:
            edge += 1
            moves = not completes or spacing <= 1 or (not window_due and since >= spacing - 1)
            since = 1 if window_due else min(since + 1, spacing - 1)
            window_due = moves and completes
            if moves:
                edges.append(edge)
                break
    return edges


@dataclass
class ConvDesign:
    """The conv core: stages, their kernels, the head, and the timing that follows from them."""

    stages: list[Stage]
    kernels: list[Kernel | FoldedKernel]
    head: Kernel | FoldedKernel
    reuse_factor: int = 1

    @cached_property
    def edges(self) -> list[list[int]]:
        """Per stage, the edge at which its scan reads each padded position (see :func:`scan_edges`)."""
        return [scan_edges(s, k.spacing) for s, k in zip(self.stages, self.kernels)]

    @property
    def scans(self) -> list[int]:
        """Per stage, clocks from a scan's beginning to the edge the next may begin: its last position's edge."""
        return [edges[-1] for edges in self.edges]

    @property
    def n_inputs(self) -> int:
        return int(np.prod(self.stages[0].shape))

    @property
    def n_flat(self) -> int:
        return int(np.prod(self.stages[-1].out_shape))

    @property
    def n_outputs(self) -> int:
        if isinstance(self.head, FoldedKernel):
            return int(self.head.core.layers[-1].weights.shape[1])
        return len(self.head.fields)

    @property
    def score_fractional(self) -> int:
        if isinstance(self.head, FoldedKernel):
            return self.head.core.layers[-1].acc_frac
        return max(f for _, _, f in self.head.fields)

    @property
    def score_width(self) -> int:
        """Signed width that holds every class score at 2^-score_fractional."""
        if isinstance(self.head, FoldedKernel):
            return self.head.core.layers[-1].acc_width
        return 1 + max(i for _, i, _ in self.head.fields) + self.score_fractional

    @property
    def initiation_interval(self) -> int:
        """Clocks between inputs: the input's own values, the longest scan (a stage begins its next scan at the
        edge of its last position, so scans follow back to back) or the head's spacing."""
        return max(self.n_inputs, *self.scans, self.head.spacing)

    @property
    def latency_clocks(self) -> int:
        """Edges from the input's last value to the answer, counting the one that takes it as the first: per
        stage, the edge after its map is complete begins the scan, its last output's window is in the line
        buffer at that position's edge (`edges`), then the kernel's latency, the pool register and a hand-over
        (3); then the head and the output register."""
        stages = sum(e[s.last_window] + 3 + k.latency for s, k, e in zip(self.stages, self.kernels, self.edges))
        return stages + self.head.latency + 2

    @property
    def multipliers(self) -> int:
        """The folded kernels' multipliers (an adder graph has none)."""
        return sum(k.core.multipliers for k in [*self.kernels, self.head] if isinstance(k, FoldedKernel))


def largest_layer(model: Any) -> int:
    """Products of the student's largest kernel (on one window) or dense layer, pruned weights included: the
    largest reuse factor its folded design can use."""
    return _largest(*network_stages(model, FixedType(8, 1)))


def _largest(stages: list[Stage], head: list[tuple[str, Any]]) -> int:
    """Products of the largest kernel (on one window) or dense layer of these stages and head."""
    dense = [int(np.prod(layer.get_weights()[0].shape)) for kind, layer in head if kind == "dense"]
    return max([int(s.matrix.size) for s in stages] + dense)


def check_reuse(reuse: int, largest: int) -> None:
    """A named error for a reuse factor the folded conv design cannot use (2 up to the largest layer's products)."""
    if not 2 <= reuse <= largest:
        raise ConfigError(
            f"reuse_factor {reuse}: the folded conv RTL takes 2 to {largest} for this student (its largest kernel "
            f"or dense layer has {largest} products); 1 is the line-buffered design with da4ml's adder graphs"
        )


def design(model: Any, input_type: FixedType, target: Target, rtl: Rtl) -> ConvDesign:
    """Every stage's kernel and the head: da4ml's pipelines at reuse factor 1, folded cores above (a named error
    for a reuse factor no layer can use)."""
    stages, head = network_stages(model, input_type)
    reuse = int(target.get("reuse_factor", 1))
    if reuse == 1:
        kernels: list[Kernel | FoldedKernel] = [
            kernel(f"{TOP}_kernel{n}", stage_logic(s), target, rtl, s.relu) for n, s in enumerate(stages)
        ]
        flat = (int(np.prod(stages[-1].out_shape)),)
        head_logic = trace_dense(head, flat, stages[-1].out_type)
        return ConvDesign(stages, kernels, kernel(f"{TOP}_head", head_logic, target, rtl))
    check_reuse(reuse, _largest(stages, head))
    windows = [folded.int_layer(s.matrix, s.bias, s.in_type, s.relu, f"conv stage {n}") for n, s in enumerate(stages)]
    dense = folded.integer_layers(head, stages[-1].out_type)
    kernels = [folded_kernel(f"{TOP}_kernel{n}", [layer], reuse) for n, layer in enumerate(windows)]
    return ConvDesign(stages, kernels, folded_kernel(f"{TOP}_head", dense, reuse), reuse)


def _stage_context(n: int, stage: Stage, kern: Kernel | FoldedKernel) -> dict[str, Any]:
    """What the template fills in for one stage: its names, sizes and widths, every one computed here."""
    (kh, kw), (padded_h, padded_w) = stage.kernel_size, stage.padded
    h, w, c = stage.shape
    conv_h, conv_w = stage.conv_shape
    out_h, out_w, filters = stage.out_shape
    pool_h, pool_w = stage.pool
    value_w = stage.out_type.width
    # window offset (kh, kw) is line-buffer slot (kh_max - kh) * padded_w + (kw_max - kw); the window is packed
    # (kh, kw, c) LSB first, so the concatenation lists the last offset first
    slots = [(kh - 1 - a) * padded_w + (kw - 1 - b) for a in range(kh) for b in range(kw)]
    pix_w, in_w = stage.pixel_width, stage.in_type.width
    window = [slot * pix_w + channel * in_w for slot in slots for channel in range(c)]
    pad_top, pad_left, _, _ = stage.padding
    if isinstance(kern, FoldedKernel):  # the folded core takes the whole window; its outputs are the codes
        kernel_ports: dict[str, Any] = {"folded": True, "spacing": kern.spacing, "since_w": bits_for(kern.spacing),
                                        "window": window[::-1], "win_w": len(window) * in_w}  # fmt: skip
    else:
        kernel_ports = {"folded": False, "window": kern.packed(window, in_w), "win_w": kern.in_width,
                        "fields": kern.converted(kern.sum_width, kern.sum_fractional), "kout_w": kern.out_width,
                        "sum_w": kern.sum_width, "sum_frac": kern.sum_fractional, "relu_q_w": kern.rounded_width,
                        "relu_shift": kern.relu_shift,
                        "graph_latency": kern.latency - RELU_CLOCKS}  # fmt: skip
    return kernel_ports | {
        "name": f"{TOP}_conv{n}",
        "kernel": kern.name,
        "latency": kern.latency,
        "h": h, "w": w, "c": c, "kh": kh, "kw": kw, "padded_h": padded_h, "padded_w": padded_w,
        "pad_top": pad_top, "pad_left": pad_left, "conv_h": conv_h, "conv_w": conv_w, "pool_h": pool_h,
        "pool_w": pool_w, "out_h": out_h, "out_w": out_w,
        "filters": filters,
        "groups": stage.groups,
        "pix_w": pix_w,
        "word_w": stage.word_width,
        "npix": h * w,
        "addr_w": stage.address_width,
        "bank_words": bank_words(h * w),
        "group_w": bits_for(stage.groups),
        "row_w": bits_for(padded_h), "col_w": bits_for(padded_w),
        "depth": stage.line_buffer,
        "lb_kept_msb": (stage.line_buffer - 1) * pix_w - 1,  # the line buffer less its oldest position
        "in_w": in_w,
        "out_w_bits": value_w,
        "pool": stage.pool != (1, 1),
        # the pool's counters: conv output row and column, their place in a pool window, the pooled row and column
        # (one past the map's last, where 'valid' pooling drops a conv output)
        "orow_w": bits_for(conv_h), "ocol_w": bits_for(conv_w), "orm_w": bits_for(pool_h), "ocm_w": bits_for(pool_w),
        "prow_w": bits_for(out_h + 1), "pcol_w": bits_for(out_w + 1),
    }  # fmt: skip


def verilog(core: ConvDesign) -> str:
    """The Verilog of the conv core (one file: a module per stage, then the top `student`; a folded design's
    kernels and head are modules of their own files)."""
    last = core.stages[-1]
    fw = last.out_type.width
    if isinstance(core.head, FoldedKernel):
        head: dict[str, Any] = {"head_folded": True}
    else:
        head = {
            "head_folded": False,
            "flat": core.head.packed([n * fw for n in range(core.n_flat)], fw),
            "head_out_w": core.head.out_width,
            "scores": core.head.converted(core.score_width, core.score_fractional),
        }
    return render(
        "conv.v.j2",
        top=TOP,
        stages=[_stage_context(n, s, k) for n, (s, k) in enumerate(zip(core.stages, core.kernels))],
        head=core.head.name,
        head_latency=core.head.latency,
        flat_w=fw,
        n_flat_pix=int(np.prod(last.out_shape[:2])),
        fcnt_w=bits_for(int(np.prod(last.out_shape[:2]))),
        flat_pix_w=last.out_shape[2] * fw,
        n_out=core.n_outputs,
        score_w=core.score_width,
        score_frac=core.score_fractional,
        ii=core.initiation_interval,
        latency=core.latency_clocks,
        reuse=core.reuse_factor,
        **head,
    )


def _write_kernel(kern: Kernel, target: Target, path: Path) -> None:
    from da4ml.codegen import VerilogModel

    model = VerilogModel(
        kern.pipeline, kern.name, path, part_name=target["part"], clock_period=target["clock_period"],
        print_latency=False,
    )  # fmt: skip
    model.write()
    text = (path / "src" / f"{kern.name}.v").read_text()
    ports = re.search(r"input \[(\d+):0\] model_inp,\s*output reg \[(\d+):0\] model_out", text)
    widths = (kern.in_width, kern.out_width)
    if not ports or (int(ports[1]) + 1, int(ports[2]) + 1) != widths:
        raise ModelError(f"{kern.name}: da4ml's ports are not the {widths} bits socflow packs")


def conv_project(model: Any, input_type: FixedType, target: Target, rtl: Rtl, path: Path) -> dict[str, Any]:
    """Write the conv core of the student for the target to `path` (src/student.v, a folded design's kernels and
    head beside it, da4ml's projects of the kernels and head under kernels/); what rtl.json says of it."""
    core = design(model, input_type, target, rtl)
    path = Path(path)
    (path / "src").mkdir(parents=True, exist_ok=True)
    (path / "src" / f"{TOP}.v").write_text(verilog(core))
    for module in SHARED_HDL:
        shutil.copyfile(module, path / "src" / module.name)
    for kern in [*core.kernels, core.head]:
        if isinstance(kern, FoldedKernel):
            folded.write_project(kern.core, kern.name, path)
        else:
            _write_kernel(kern, target, path / KERNELS / kern.name)
    adder_graphs = [k for k in [*core.kernels, core.head] if isinstance(k, Kernel)]
    summary = {
        "n_inputs": core.n_inputs,
        "n_outputs": core.n_outputs,
        "output_width": core.score_width,
        "output_fractional": core.score_fractional,
        "latency_clocks": core.latency_clocks,
        "initiation_interval": core.initiation_interval,
        "serial_input": True,
        "multipliers": core.multipliers,
        "modules": [k.name for k in adder_graphs],
        "folded_modules": [k.name for k in [*core.kernels, core.head] if isinstance(k, FoldedKernel)],
        "stages": [
            {
                "input_shape": list(s.shape),
                "kernel_size": list(s.kernel_size),
                "padding": list(s.padding),
                "filters": s.filters,
                "pool": list(s.pool),
                "output_shape": list(s.out_shape),
                "scan_clocks": scan,
                "kernel_latency": k.latency,
                "kernel_spacing": k.spacing,
                "nonzero_weights": int(np.count_nonzero(s.matrix)),
            }
            | _kernel_summary(k)
            for s, k, scan in zip(core.stages, core.kernels, core.scans)
        ],
        "head": {"inputs": core.n_flat, "latency": core.head.latency} | _kernel_summary(core.head),
        "tools": {"generator": "socflow.rtl.conv (resources/rtl/conv.v.j2)"},
    }
    if adder_graphs:
        summary["da4ml_lut_estimate"] = float(sum(k.pipeline.cost for k in adder_graphs))
        summary["tools"]["da4ml"] = version("da4ml")
    return summary


def _kernel_summary(kern: Kernel | FoldedKernel) -> dict[str, Any]:
    """What rtl.json says of a kernel: da4ml's LUT estimate of an adder graph, a folded core's multipliers."""
    if isinstance(kern, FoldedKernel):
        return {"multipliers": kern.core.multipliers}
    return {"da4ml_lut_estimate": float(kern.pipeline.cost)}


def sources(path: Path, summary: Mapping[str, Any]) -> list[Path]:
    """The conv design's files: da4ml's primitives once (every kernel's project has the same), the stages and top
    of each adder graph, the shared modules, the folded cores, then the core."""
    path = Path(path)
    modules = [da4ml_sources(path / KERNELS / name, name) for name in summary["modules"]]
    static = [f for f in modules[0] if f.parent.name == "static"] if modules else []
    return (
        static
        + [f for files in modules for f in files if f.parent.name != "static"]
        + [path / "src" / module.name for module in SHARED_HDL]
        + [path / "src" / f"{name}.v" for name in summary.get("folded_modules", [])]
        + [path / "src" / f"{TOP}.v"]
    )

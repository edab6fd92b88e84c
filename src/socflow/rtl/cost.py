"""What a student costs in hardware on a target, in about a second and without synthesis: the estimate the
budget-aware student search ranks its trials with (socflow.train.budget), and Table I sets beside Yosys's.

- reuse factor 1 (da4ml's fully parallel design): da4ml's own LUT estimate of the traced adder graphs (within
  2 % of Yosys `synth_xilinx` on our students) and its pipeline's registers and latency at the target's clock.
- reuse factor > 1 (socflow's folded and streaming designs): the schedule is exact (multipliers = DSPs,
  latency and II are what rtl_sim measures), and LUT and FF come from a linear model of the schedule's
  structure (input multiplexers, weight ROMs, accumulators, output adders, LUT-RAM), its coefficients fitted
  against Yosys on random and trained students by `bench/cost_model.py`, which prints the fit's error.
- convolutional students (socflow's line-buffered conv design): da4ml's estimate of the kernels' and the head's
  adder graphs and registers, plus the design around them counted from its structure (frame buffers in
  LUT-RAM, the line buffers, the padding multiplexer, the max-pool comparators, the counters);
  `bench/conv_rtl.py` prints its error against Yosys.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from socflow import RESOURCES
from socflow.fixed import FixedType
from socflow.io import read_json
from socflow.rtl.folded import CONTROL_FANOUT, FoldedDesign
from socflow.rtl.parallel import latency_clocks, pipelined_student
from socflow.rtl.widths import bank_words, bits_for
from socflow.settings import Rtl, Target

if TYPE_CHECKING:  # socflow.rtl.conv picks its kernels' schedules with this module's model
    from socflow.rtl import conv


@dataclass(frozen=True)
class Cost:
    """A design's resources (LUT sites and flip-flops as Yosys counts them, DSP48 slices, 18 Kb block RAMs),
    its latency and initiation interval in clocks, where the numbers come from, and which RTL design they are
    of (parallel, folded, stream; empty for a design as built, whose figures are measured)."""

    lut: float
    ff: float
    dsp: int
    bram_18k: int
    latency_clocks: int
    initiation_interval: int
    source: str
    design: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The fitted coefficients, with where they come from (the fit, its stored measurements, its error): data, so that
# a refit changes a file tests/test_bench.py checks against the measurements, not this module.
# LUT_MODEL / FF_MODEL: folded and streaming designs; each coefficient multiplies the feature of the same name in
# `folded_features`.
COST_MODELS: dict[str, Any] = read_json(RESOURCES / "cost_models.json")
LUT_MODEL: dict[str, float] = COST_MODELS["folded"]["LUT"]
FF_MODEL: dict[str, float] = COST_MODELS["folded"]["FF"]


def folded_features(core: FoldedDesign) -> dict[str, float]:
    """The structure of a folded design that its LUTs and FFs grow with, summed over its layers:

    - mux: per lane reading the input register, input width x (distinct inputs - 1) / 3 (its operand
      multiplexer, a LUT6 selecting among 4); for a "shared" layer the same per group of inputs;
    - addr: LUT-RAM address bits of the lanes' step ROMs (x ceil(steps / 64));
    - acc: accumulator bits (one accumulator per partial sum in a lane); basemux: the bits of the multiplexer that
      feeds a lane's adder from one of several accumulators;
    - sum: the adders of an output's partial sums; relu: the quantized ReLUs' inputs;
    - reg: input register bits; out: output register bits; lanes: per-lane control; design: 1 (the counters);
    - zreg: the registered output sums (accumulator width per output); control: the registered copies of step and
      counter, one per CONTROL_FANOUT lanes (the timing closure of docs/rtl.md)."""
    features = dict.fromkeys(set(LUT_MODEL) | set(FF_MODEL), 0.0)
    for layer, sched in zip(core.layers, core.schedules):
        acc_w, n_in = layer.acc_width, layer.weights.shape[0]
        depth = math.ceil(max(1, sched.clocks) / 64)
        for inputs in sched.groups:  # "shared": a multiplexer per group of inputs
            features["mux"] += layer.in_width * max(0, len(inputs) - 1) / 3
        for lane in sched.lanes:
            slots = len({g for _, _, g in lane.steps.values()})
            if sched.source == "register":
                features["mux"] += layer.in_width * max(0, len({i for i, _, _ in lane.steps.values()}) - 1) / 3
            if sched.source == "ram":
                features["addr"] += bits_for(n_in) * depth
            features["acc"] += acc_w * slots
            features["basemux"] += acc_w * max(0, slots - 1)
        features["sum"] += acc_w * sum(max(0, len(parts) - 1) for parts in sched.partials)
        features["relu"] += acc_w * len(sched.partials) if layer.relu else 0
        features["reg"] += layer.in_width * n_in if not sched.serial else 0
        features["out"] += layer.out_width * len(sched.partials)
        features["lanes"] += len(sched.lanes)
        features["zreg"] += acc_w * len(sched.partials)
        features["control"] += -(-len(sched.lanes) // CONTROL_FANOUT) * (1 + bits_for(sched.clocks))
    features["design"] = 1.0
    return features


def folded_cost(core: FoldedDesign) -> Cost:
    """The folded (or streaming) design's cost: DSPs, latency and II exact, LUT and FF from the fitted model."""
    features = folded_features(core)
    return Cost(
        lut=sum(c * features[k] for k, c in LUT_MODEL.items()),
        ff=sum(c * features[k] for k, c in FF_MODEL.items()),
        dsp=core.multipliers,
        bram_18k=0,
        latency_clocks=core.latency_clocks,
        initiation_interval=core.initiation_interval,
        source="socflow folded-RTL cost model (fitted to Yosys)",
        design=core.architecture,
    )


def parallel_cost(model: Any, input_type: FixedType, target: Target, rtl: Rtl) -> Cost:
    """da4ml's estimate of its fully parallel design: LUTs of the adder graphs, the pipeline's registers and
    latency at the target's clock (rtl.latency_cutoff, as rtl_generate pipelines it)."""
    _, pipeline = pipelined_student(model, input_type, target, rtl)
    return Cost(
        lut=float(pipeline.cost),
        ff=float(pipeline.reg_bits),
        dsp=0,
        bram_18k=0,
        latency_clocks=latency_clocks(pipeline),
        initiation_interval=1,
        source="da4ml estimate",
        design="parallel",
    )


def lutram_sites(depth: int, width: int) -> int:
    """LUT sites of a `depth` x `width` simple dual-port LUT-RAM as Yosys maps it on 7-series/UltraScale parts:
    RAM32M (32 x 6 bits in 4 LUTs) up to 32 words, RAM64M (64 x 3) up to 64, RAM64M banks beyond."""
    if depth <= 32:
        return 4 * math.ceil(width / 6)
    return 4 * math.ceil(width / 3) * math.ceil(depth / 64)


# The folded conv design's models: the folded cores' features (see folded_features) summed over the stages'
# kernels and the head, and the design around them (`structure`: conv_structure's count of frame buffers, line
# buffers, padding, pool and counters).
FOLDED_CONV_LUT_MODEL: dict[str, float] = COST_MODELS["folded_conv"]["LUT"]
FOLDED_CONV_FF_MODEL: dict[str, float] = COST_MODELS["folded_conv"]["FF"]


def conv_structure(core: conv.ConvDesign) -> tuple[float, float]:
    """LUTs and FFs of the conv design around its kernels and head: per stage the frame buffer (two banks of
    LUT-RAM per channel group), the padding multiplexer (a LUT per pixel bit), the max-pool's compare and select
    (2 LUTs per output bit) and running maxima (LUT-RAM for 2D pools), the line buffer (flip-flops at the window's
    taps, shift-register LUTs between its rows), the output registers, and ~40 LUT and FF of counters; the
    flattened map's register and the scores'."""
    lut, ff = 0.0, 0.0
    for stage in core.stages:
        out_bits = stage.filters * stage.out_type.width
        lut += stage.groups * lutram_sites(bank_words(stage.shape[0] * stage.shape[1]), stage.word_width)
        lut += stage.pixel_width + (2 * out_bits if stage.pool != (1, 1) else 0) + 40
        (kh, kw), pixel = stage.kernel_size, stage.pixel_width
        lut += (kh - 1) * pixel * math.ceil((stage.padded[1] - kw) / 16)
        if stage.pool[0] > 1:
            lut += lutram_sites(stage.out_shape[1], out_bits)
        one_row_pool = stage.pool[0] == 1 and stage.pool != (1, 1)  # its running maximum in a register
        ff += kh * kw * pixel + out_bits * (2 if one_row_pool else 1) + 40
    ff += core.n_flat * core.stages[-1].out_type.width + core.n_outputs * core.score_width
    return lut, ff


def folded_conv_features(core: conv.ConvDesign) -> dict[str, float]:
    """The features of a folded conv design: its folded cores' summed, and its structure's LUT and FF counts
    (`structure` in each model: the LUT count for LUT_MODEL's, the FF count for FF_MODEL's)."""
    features = dict.fromkeys(set(LUT_MODEL) | set(FF_MODEL), 0.0)
    for kern in [*core.kernels, core.head]:  # every one a folded core, at R > 1
        for name, value in folded_features(kern.core).items():  # type: ignore[union-attr]
            features[name] += value
    return features


def conv_cost(core: conv.ConvDesign) -> Cost:
    """The conv design's cost: at R = 1 da4ml's estimate of its adder graphs and their pipeline registers, plus
    the structure around them (:func:`conv_structure`); folded, the fitted models of the folded cores' features and
    the structure (:data:`FOLDED_CONV_LUT_MODEL`), its DSPs exact. Latency and II exact."""
    structure_lut, structure_ff = conv_structure(core)
    if core.reuse_factor > 1:
        features = folded_conv_features(core)
        lut = sum(c * features[k] for k, c in FOLDED_CONV_LUT_MODEL.items() if k != "structure")
        ff = sum(c * features[k] for k, c in FOLDED_CONV_FF_MODEL.items() if k != "structure")
        lut += FOLDED_CONV_LUT_MODEL["structure"] * structure_lut
        ff += FOLDED_CONV_FF_MODEL["structure"] * structure_ff
        source = "socflow folded-conv cost model (fitted to Yosys)"
    else:
        graphs = [*core.kernels, core.head]
        relu = [k.relu_cost for k in graphs]  # type: ignore[union-attr]
        lut = structure_lut + sum(float(k.pipeline.cost) + r[0] for k, r in zip(graphs, relu))  # type: ignore[union-attr]
        ff = structure_ff + sum(float(k.pipeline.reg_bits) + r[1] for k, r in zip(graphs, relu))  # type: ignore[union-attr]
        source = "da4ml estimate + socflow conv-design structure and ReLUs"
    return Cost(
        lut=lut,
        ff=ff,
        dsp=core.multipliers,
        bram_18k=0,
        latency_clocks=core.latency_clocks,
        initiation_interval=core.initiation_interval,
        source=source,
        design="folded_conv" if core.reuse_factor > 1 else "conv",
    )

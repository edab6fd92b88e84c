"""What a student costs in hardware on a target, in about a second and without synthesis: the estimate the
budget-aware student search ranks its trials with (socflow.train.budget), and Table I sets beside Yosys's.

- reuse factor 1 (da4ml's fully parallel design): da4ml's own LUT estimate of the traced adder graphs (within
  2 % of Yosys `synth_xilinx` on our students) and its pipeline's registers and latency at the target's clock.
- reuse factor > 1 (socflow's folded and streaming designs): the schedule is exact (multipliers = DSPs,
  latency and II are what rtl_sim measures), and LUT and FF come from a linear model of the schedule's
  structure (input multiplexers, weight ROMs, accumulators, output adders, LUT-RAM), its coefficients fitted
  against Yosys 0.23 on random and trained students by `bench/cost_model.py`, which prints the fit's error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from socflow.fixed import FixedType
from socflow.rtl.folded import FoldedDesign, design, integer_network
from socflow.rtl.quantized import architecture


@dataclass(frozen=True)
class Cost:
    """A design's resources (LUT sites and flip-flops as Yosys counts them, DSP48 slices, 18 Kb block RAMs),
    its latency and initiation interval in clocks, and where the numbers come from."""

    lut: float
    ff: float
    dsp: int
    bram_18k: int
    latency_clocks: int
    initiation_interval: int
    source: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# Provisional round numbers until bench/cost_model.py's fit (non-negative least squares against Yosys 0.23) replaces
# them; each coefficient multiplies the feature of the same name in `folded_features`.
LUT_MODEL = {
    "mux_bits": 0.30,
    "rom_bits": 1.0,
    "acc_bits": 1.5,
    "sum_bits": 1.0,
    "relu_bits": 0.5,
    "ram_bits": 4.0,
    "lanes": 4.0,
    "layers": 20.0,
}
FF_MODEL = {
    "acc_bits": 1.0,
    "reg_bits": 1.0,
    "out_bits": 1.0,
    "lanes": 4.0,
    "layers": 10.0,
}


def folded_features(core: FoldedDesign) -> dict[str, float]:
    """The structure of a folded design that its LUTs and FFs grow with, summed over its layers:

    - mux_bits: input width x distinct inputs per lane reading the input register (its operand multiplexer);
    - rom_bits: per lane, the bits its step ROM holds per step (weight, accumulator select, LUT-RAM address)
      times ceil(steps / 32) (a LUT6 holds 64 entries, one input is the step enable);
    - acc_bits: accumulator bits (partial sums) of every lane; sum_bits: the adders that add an output's
      partial sums; relu_bits: the quantized ReLUs' inputs; ram_bits: LUT-RAM data bits per read-port copy;
    - reg_bits: input register bits; out_bits: output register bits; lanes and layers: control."""
    features = dict.fromkeys(set(LUT_MODEL) | set(FF_MODEL), 0.0)
    for layer, sched in zip(core.layers, core.schedules):
        acc_w, n_in = layer.acc_width, layer.weights.shape[0]
        addr_w = max(1, (n_in - 1).bit_length())
        for lane in sched.lanes:
            slots = len({g for _, _, g in lane.steps.values()})
            step_bits = layer.weight_width + max(1, (slots - 1).bit_length()) + (addr_w if sched.source == "ram" else 0)
            features["rom_bits"] += step_bits * math.ceil(max(1, len(lane.steps)) / 32)
            features["acc_bits"] += acc_w * max(1, slots)
            if sched.source == "register":
                features["mux_bits"] += layer.in_width * len({i for i, _, _ in lane.steps.values()})
        features["sum_bits"] += acc_w * sum(max(0, len(parts) - 1) for parts in sched.partials)
        features["relu_bits"] += acc_w * len(sched.partials) if layer.relu else 0
        if sched.source == "ram":
            features["ram_bits"] += layer.in_width * math.ceil(len(sched.lanes) / 3)
        if sched.source == "register":
            features["reg_bits"] += layer.in_width * n_in
        features["out_bits"] += layer.out_width * len(sched.partials)
        features["lanes"] += len(sched.lanes)
        features["layers"] += 1
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
    )


def parallel_cost(model: Any, input_type: FixedType, target: Mapping[str, Any], rtl: Mapping[str, Any]) -> Cost:
    """da4ml's estimate of its fully parallel design: LUTs of the adder graphs, the pipeline's registers and
    latency at the target's clock (rtl.latency_cutoff, as rtl_generate pipelines it)."""
    from da4ml.trace.pipeline import to_pipeline

    from socflow.rtl.parallel import latency_clocks, trace_student

    comb = trace_student(model, input_type)
    pipeline = to_pipeline(comb, rtl["latency_cutoff"] or target["clock_period"], verbose=False)
    return Cost(
        lut=float(pipeline.cost),
        ff=float(pipeline.reg_bits),
        dsp=0,
        bram_18k=0,
        latency_clocks=latency_clocks(pipeline),
        initiation_interval=1,
        source="da4ml estimate",
    )


def estimate(model: Any, input_type: FixedType, target: Mapping[str, Any], rtl: Mapping[str, Any]) -> Cost:
    """The cost of the design rtl_generate would write for this student and target."""
    kind = architecture(target)
    if kind == "parallel":
        return parallel_cost(model, input_type, target, rtl)
    return folded_cost(design(integer_network(model, input_type), int(target["reuse_factor"]), kind))

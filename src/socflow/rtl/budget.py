"""A hardware budget per target, and the check of the chosen student's synthesized design against it
(rule budget_check). The budgeted student search costs its trials against the same limits (socflow.train.budget).

A target's `budget` gives limits for the inference IP alone: LUT, FF, DSP and 18 Kb BRAM as fractions of the
part (values up to 1) or counts (above 1), the latency (clocks or ns) and the throughput (inferences per second).
The rest of the assessment design (processor, ComBlock, interconnect) needs room too: `reserve` is what it is
assumed to take (see docs/budget.md for the figures), and a resource left without a limit may use the part
minus the reserve; a limit that leaves less than the reserve free is a ConfigError.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socflow.config import target_name
from socflow.errors import BudgetError, ConfigError
from socflow.fixed import FixedType
from socflow.parts import part_info
from socflow.rtl.cost import Cost, estimate
from socflow.rtl.quantized import architecture

RESOURCES = ("lut", "ff", "dsp", "bram_18k")
CAPACITY = {"lut": "LUT", "ff": "FF", "dsp": "DSP", "bram_18k": "BRAM_18K"}


@dataclass(frozen=True)
class Budget:
    """The limits of one target, in absolute numbers: resources, latency (clocks), throughput (per second)."""

    target: str
    limits: dict[str, float]  # lut, ff, dsp, bram_18k, latency_clocks, and min_throughput as a lower bound
    clock_period: float
    margin: float = 0.0  # what an estimate's LUT and FF are raised by before they are held to the limits

    def excess(self, cost: Cost, estimated: bool = False) -> dict[str, float]:
        """Per limit, how far the cost is over it (0: within; 0.25: 25 % over); an `estimated` cost's LUT and FF
        with the margin (DSPs, latency and II of an estimate are exact)."""
        values = {k: getattr(cost, k) for k in (*RESOURCES, "latency_clocks")}
        if estimated:
            values |= {k: values[k] * (1 + self.margin) for k in ("lut", "ff")}
        over = {k: max(0.0, values[k] / limit - 1) for k, limit in self.limits.items() if k != "min_throughput"}
        if "min_throughput" in self.limits:
            rate = 1e9 / (cost.initiation_interval * self.clock_period)
            over["min_throughput"] = max(0.0, self.limits["min_throughput"] / rate - 1)
        return over


# The margin an estimate gets by default, from bench/cost_model.py: da4ml's estimate of the fully parallel design
# is within 2 % of Yosys; the folded model's LUT error is 10.5 % on average, 13 % on designs left out of its fit.
DEFAULT_MARGIN = {"parallel": 0.03, "folded": 0.15}


def budget_of(target: Mapping[str, Any]) -> Budget:
    """The target's budget in absolute numbers; ConfigError where a limit leaves the reserve no room."""
    spec, part = target["budget"], part_info(target["part"])
    if part is None:
        raise ConfigError(f"budget: the capacity of part {target['part']} is not known, so no budget can be set")
    limits: dict[str, float] = {}
    for name in RESOURCES:
        capacity, reserve = part.capacity(CAPACITY[name]), spec["reserve"][name]
        value = spec.get(name)
        limit = capacity - reserve if value is None else value * capacity if value <= 1 else float(value)
        if limit + reserve > capacity or limit <= 0:
            raise ConfigError(
                f"budget.{name}: {limit:,.0f} for the IP plus the reserve of {reserve:,} for the rest of the design "
                f"is more than the {capacity:,.0f} of {target['part']}"
            )
        limits[name] = limit
    clocks = [spec.get("latency_clocks"), math.floor(spec["latency_ns"] / target["clock_period"])
              if spec.get("latency_ns") else None]  # fmt: skip
    if any(c is not None for c in clocks):
        limits["latency_clocks"] = float(min(c for c in clocks if c is not None))
    if spec.get("min_throughput"):
        limits["min_throughput"] = float(spec["min_throughput"])
    margin = spec.get("margin")
    if margin is None:
        margin = DEFAULT_MARGIN["parallel" if architecture(target) == "parallel" else "folded"]
    return Budget(target_name(target), limits, float(target["clock_period"]), float(margin))


def budgets(targets: Sequence[Mapping[str, Any]]) -> list[Budget]:
    """The budgets of the targets that have one."""
    return [budget_of(t) for t in targets if t.get("budget")]


def synthesized_cost(yosys: Mapping[str, Any], sim: Mapping[str, Any]) -> Cost:
    """The design as built: Yosys's resources, the latency and II rtl_sim measured."""
    used = {name: yosys["resources"][CAPACITY[name]]["used"] for name in RESOURCES}
    return Cost(**used, latency_clocks=int(sim["latency_clocks"]), initiation_interval=int(sim["initiation_interval"]),
                source="Yosys (synth_xilinx), latency and II measured in Verilator")  # fmt: skip


def budget_check(
    *,
    model_path: str,
    yosys_path: str,
    sim_path: str,
    target: Mapping[str, Any],
    input_precision: str,
    rtl: Mapping[str, Any],
    output: str,
) -> dict[str, Any]:
    """Rule budget_check: the chosen student's synthesized design against the target's budget, beside the
    estimate the search ranked it with (and its error). Writes budget.json; a BudgetError where it does not fit
    (the estimate was wrong), naming every limit it exceeds."""
    from socflow.io import read_json, write_json
    from socflow.models import load_model

    limits = budget_of(target)
    built = synthesized_cost(read_json(yosys_path), read_json(sim_path))
    estimated = estimate(load_model(model_path), FixedType.parse(input_precision), target, rtl)
    excess = limits.excess(built)
    result = {
        "target": limits.target,
        "limits": limits.limits,
        "synthesized": built.as_dict(),
        "estimate": estimated.as_dict(),
        "estimate_error": {
            k: (getattr(estimated, k) - getattr(built, k)) / getattr(built, k)
            for k in (*RESOURCES, "latency_clocks")
            if getattr(built, k)
        },
        "excess": excess,
        "fits": not any(excess.values()),
    }
    write_json(output, result)
    if not result["fits"]:
        over = ", ".join(
            f"{k} {getattr(built, k) if k != 'min_throughput' else 'throughput'} over {limits.limits[k]:,.0f} "
            f"(+{100 * v:.1f} %)"
            for k, v in excess.items()
            if v
        )
        raise BudgetError(
            f"{limits.target}: the chosen student's design does not fit its budget as synthesized ({over}); the "
            f"search's estimate was {estimated.lut:,.0f} LUT, {estimated.dsp} DSP. Tighten the budget by the "
            "estimate's error or widen it"
        )
    return result

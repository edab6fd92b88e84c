"""A hardware budget per target in absolute numbers, from the config and the part's capacity: what the budgeted
student search (socflow.train.budget) and the check of the synthesized design (socflow.rtl.budget) hold a
student's cost to.

A target's `budget` gives limits for the inference IP alone: LUT, FF, DSP and 18 Kb BRAM as fractions of the
part (values below 1) or counts (above 1; 1 itself, the whole part or one unit, is refused as ambiguous), the
latency (clocks or ns) and the throughput (inferences per second). The rest of the assessment design (processor,
ComBlock, interconnect) needs room too: `reserve` is what it is assumed to take (see docs/budget.md for the
figures), and a resource left without a limit may use the part minus the reserve; a limit that leaves less than
the reserve free is a ConfigError.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from socflow.errors import ConfigError
from socflow.io import read_json
from socflow.names import target_name
from socflow.parts import part_info
from socflow.settings import Target

RESOURCES = ("lut", "ff", "dsp", "bram_18k")
CAPACITY = {"lut": "LUT", "ff": "FF", "dsp": "DSP", "bram_18k": "BRAM_18K"}


@dataclass(frozen=True)
class Budget:
    """The limits of one target, in absolute numbers: resources, latency (clocks), throughput (per second)."""

    target: str
    limits: dict[str, float]  # lut, ff, dsp, bram_18k, latency_clocks, and min_throughput as a lower bound
    clock_period: float
    margin: float | None = None  # the user's margin for an estimate's error; None: DEFAULT_MARGIN by design

    def margin_of(self, cost: Any) -> float:
        """What an estimate's LUT and FF are raised by before they are held to the limits: the budget's margin,
        else the default of the estimated design (da4ml's parallel one, the folded or the conv model)."""
        if self.margin is not None:
            return self.margin
        return DEFAULT_MARGIN[cost.design if cost.design in DEFAULT_MARGIN else "folded"]

    def excess(self, cost: Any, estimated: bool = False) -> dict[str, float]:
        """Per limit, how far the cost is over it (0: within; 0.25: 25 % over); an `estimated` cost's LUT and FF
        with the margin (DSPs, latency and II of an estimate are exact)."""
        values = {k: getattr(cost, k) for k in (*RESOURCES, "latency_clocks")}
        if estimated:
            values |= {k: values[k] * (1 + self.margin_of(cost)) for k in ("lut", "ff")}
        over = {k: max(0.0, values[k] / limit - 1) for k, limit in self.limits.items() if k != "min_throughput"}
        if "min_throughput" in self.limits:
            rate = 1e9 / (cost.initiation_interval * self.clock_period)
            over["min_throughput"] = max(0.0, self.limits["min_throughput"] / rate - 1)
        return over

    def load(self, cost: Any, estimated: bool = False) -> float:
        """The largest share of a resource limit the cost takes (1: at the limit), an `estimated` cost's LUT and FF
        with the margin: how much room a design leaves, to compare two designs of one student."""
        values = {k: getattr(cost, k) for k in RESOURCES}
        if estimated:
            values |= {k: values[k] * (1 + self.margin_of(cost)) for k in ("lut", "ff")}
        return max((values[k] / self.limits[k] for k in RESOURCES if k in self.limits), default=0.0)


# The margin an estimate gets by default, from the benches' fits to Yosys 0.70 (bench/cost_model.py,
# bench/conv_cost.py): da4ml's estimate of the fully parallel design and the conv design at R = 1 are over Yosys
# (0.5-50 %, mean 9.4 %, for the conv designs); the folded model's LUT error is 8.8 % on average (10.8 % on designs
# left out of its fit), from -24 % to +22 %; the folded conv model's 5.4 % (5.7 % left out), from -18 % to +15 %.
DEFAULT_MARGIN = {"parallel": 0.03, "folded": 0.15, "conv": 0.05, "folded_conv": 0.15}


def budget_of(target: Target) -> Budget:
    """The target's budget in absolute numbers; ConfigError where a limit leaves the reserve no room."""
    spec, part = target["budget"], part_info(target["part"])
    if part is None:
        raise ConfigError(f"budget: the capacity of part {target['part']} is not known, so no budget can be set")
    limits: dict[str, float] = {}
    for name in RESOURCES:
        capacity, reserve = part.capacity(CAPACITY[name]), spec["reserve"][name]
        value = spec.get(name)
        if value == 1:
            raise ConfigError(
                f"budget.{name}: 1 could be the whole part (a fraction: {capacity:,.0f} on {target['part']}) or one "
                f"{CAPACITY[name]} (a count); leave {name} out for the part less the reserve, or give a fraction below "
                "1 or a count of 2 or more"
            )
        if value is not None and value > 1 and value != int(value):
            raise ConfigError(
                f"budget.{name}: {value:g} is neither a fraction of the part (up to 1) nor a whole count; write "
                f"{value / 100:g} for {value:g} % of it"
            )
        limit = capacity - reserve if value is None else value * capacity if value <= 1 else float(value)
        if limit <= 0:
            raise ConfigError(
                f"budget.{name}: {value} leaves the IP no {name}; give a positive limit (a fraction of the part "
                "up to 1, or a count)"
            )
        if limit + reserve > capacity:
            raise ConfigError(
                f"budget.{name}: {limit:,.0f} for the IP plus the reserve of {reserve:,} for the rest of the design "
                f"is more than the {capacity:,.0f} of {target['part']}"
            )
        limits[name] = limit
    period = float(target["clock_period"])
    if spec.get("latency_ns") and spec["latency_ns"] < period:
        raise ConfigError(
            f"budget.latency_ns: {spec['latency_ns']:g} ns is less than one clock of {period:g} ns; no design answers "
            "that fast (give at least one clock, or a shorter clock_period)"
        )
    clocks = [spec.get("latency_clocks"), math.floor(spec["latency_ns"] / period) if spec.get("latency_ns") else None]
    if any(c is not None for c in clocks):
        limits["latency_clocks"] = float(min(c for c in clocks if c is not None))
    if spec.get("min_throughput"):
        fastest = 1e9 / period  # a new input every clock (initiation interval 1)
        if spec["min_throughput"] > fastest:
            raise ConfigError(
                f"budget.min_throughput: {spec['min_throughput']:,.0f} inferences per second is more than the "
                f"{fastest:,.0f} of a design taking a new input every clock of {period:g} ns"
            )
        limits["min_throughput"] = float(spec["min_throughput"])
    margin = spec.get("margin")
    return Budget(target_name(target), limits, period, None if margin is None else float(margin))


def budgets(targets: Sequence[Mapping[str, Any]]) -> list[Budget]:
    """The budgets of the targets that have one."""
    return [budget_of(t) for t in targets if t.get("budget")]


def student_choices(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """What the budgeted search chose for a stage's student: its metrics.json (inputs['metrics']). A stage given
    none (a test's, a user's own call) builds its target and input type as configured."""
    return read_json(inputs["metrics"]) if inputs.get("metrics") else {}


def deployed_target(target: Target, student_metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The target as the chosen student is built on it: a searched reuse factor (a list) replaced by the one
    the search chose for this student (its metrics.json's `reuse_factors`), any other target as it is."""
    if not isinstance(target.get("reuse_factor"), list):
        return dict(target)
    chosen = (student_metrics.get("reuse_factors") or {}).get(target_name(target))
    if chosen is None:
        raise ConfigError(
            f"{target_name(target)}: the student's metrics.json records no reuse factor chosen for this target; "
            "rerun train_student with the target's budget"
        )
    return dict(target) | {"reuse_factor": int(chosen)}


def deployed_input(input_precision: str | list[str], student_metrics: Mapping[str, Any]) -> str:
    """The input type the chosen student is built with: a searched list's choice (its metrics.json's
    `input_precision`), else the configured type."""
    if not isinstance(input_precision, list):
        return input_precision
    chosen = student_metrics.get("input_precision")
    if chosen is None:
        raise ConfigError(
            "hls.input_precision: the student's metrics.json records no input type chosen from the list; rerun "
            "train_student with the budget"
        )
    return str(chosen)

"""Rule budget_check: the chosen student's synthesized design against its target's budget (socflow.budget),
beside the estimate the search ranked it with (socflow.rtl.cost)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from socflow.budget import CAPACITY, RESOURCES, budget_of, deployed_input, deployed_target, student_choices
from socflow.errors import BudgetError
from socflow.fixed import FixedType
from socflow.io import read_json, write_json
from socflow.names import target_name
from socflow.rtl.cost import Cost
from socflow.rtl.designs import estimate


def synthesized_cost(yosys: Mapping[str, Any], sim: Mapping[str, Any]) -> Cost:
    """The design as built: Yosys's resources, the latency and II rtl_sim measured."""
    used = {name: yosys["resources"][CAPACITY[name]]["used"] for name in RESOURCES}
    return Cost(**used, latency_clocks=int(sim["latency_clocks"]), initiation_interval=int(sim["initiation_interval"]),
                source="Yosys (synth_xilinx), latency and II measured in Verilator")  # fmt: skip


def budget_check(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage budget_check: the chosen student's synthesized design (inputs['yosys'], inputs['sim']) against the
    target's budget, beside the estimate the search ranked it with (and its error), and the candidates fit_student
    synthesized on this target to choose it (inputs['chosen'], where it ran). Writes outputs['check'] (budget.json);
    a BudgetError where it does not fit (its latency or II as simulated, or its resources where fit_student did not
    run), naming every limit it exceeds."""
    from socflow.models import load_model

    choices = student_choices(inputs)
    target = deployed_target(params["target"], choices)
    input_precision = deployed_input(params["input_precision"], choices)
    limits = budget_of(target)
    built = synthesized_cost(read_json(inputs["yosys"]), read_json(inputs["sim"]))
    estimated = estimate(load_model(inputs["model"]), FixedType.parse(input_precision), target, params["rtl"])
    excess = limits.excess(built)
    result = {
        "target": limits.target,
        "reuse_factor": int(target.get("reuse_factor", 1)),
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
    if inputs.get("chosen"):  # the candidates name the target as configured (a reuse-factor list, not the choice)
        tried = read_json(inputs["chosen"])["candidates"]
        result["candidates"] = [c for c in tried if c["target"] == target_name(params["target"])]
    write_json(outputs["check"], result)
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

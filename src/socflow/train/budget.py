"""The budgeted student search: each trial's student costed on the budgeted targets (socflow.rtl.cost, about a
second), and its score.

The score the search maximizes: validation accuracy where every budgeted target fits (in [0, 1]); otherwise
minus the largest relative excess over any limit of any target (-0.25: 25 % over), below every fitting trial
and higher the closer to the boundary, so the Gaussian process learns where the boundary is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socflow.budget import RESOURCES, Budget, budgets
from socflow.errors import BudgetError, ConfigError
from socflow.fixed import FixedType
from socflow.metrics import predict_classes
from socflow.models import save_model
from socflow.names import input_precisions, input_types, reuse_factors, target_name
from socflow.rtl.cost import Cost
from socflow.rtl.designs import estimate
from socflow.settings import Rtl, Target
from socflow.train.trials import Judge

KEPT_STUDENT = "student.h5"  # a judged trial's student, in its folder of the search's state


def overrun(budget: Budget, cost: Cost) -> float:
    """How far an estimated cost is over the budget at most, with the margin for the estimate's error (0: fits)."""
    return max(budget.excess(cost, estimated=True).values(), default=0.0)


def suffix(index: int, budget: Budget) -> str:
    """The suffix of a budgeted target's trials.csv columns: none for the first, @<target> for the others."""
    return "" if index == 0 else f"@{budget.target}"


def pick_reuse_factor(options: Mapping[int, Cost], budget: Budget) -> tuple[int, Cost]:
    """The reuse factor a trial's student takes on a target, of those it may (one, or a searched list): the
    fastest that fits (the highest throughput, i.e. the smallest II, then the lowest latency, then the fewest
    LUTs), else the one least over the budget. A reuse factor does not change what the student computes, only
    what it costs, so it is chosen per trial from the estimates rather than searched by the optimizer; limits on
    latency and throughput are the budget's."""
    fitting = {r: c for r, c in options.items() if overrun(budget, c) == 0}
    if fitting:
        return min(fitting.items(), key=lambda rc: (rc[1].initiation_interval, rc[1].latency_clocks, rc[1].lut))
    return min(options.items(), key=lambda rc: overrun(budget, rc[1]))


def judge(options: Sequence[Mapping[int, Cost]], limits: Sequence[Budget], val_accuracy: float) -> dict[str, Any]:
    """A trial's score and the columns trials.csv shows of it: on each budgeted target the reuse factor it takes
    (:func:`pick_reuse_factor`) and its estimated cost there (the first target's as reuse_factor, lut, ff, ...,
    the others' as lut@<target>, ...), whether it fits with the budget's margin for the estimate's error, and by
    how much it is over."""
    chosen = [pick_reuse_factor(costs, budget) for costs, budget in zip(options, limits)]
    over = max((overrun(b, c) for b, (_, c) in zip(limits, chosen)), default=0.0)
    row: dict[str, Any] = {"score": val_accuracy if over == 0 else -over, "fits": over == 0, "over_budget": over}
    for i, (budget, (reuse, cost)) in enumerate(zip(limits, chosen)):
        row[f"reuse_factor{suffix(i, budget)}"] = reuse
        row |= {
            f"{k}{suffix(i, budget)}": getattr(cost, k) for k in (*RESOURCES, "latency_clocks", "initiation_interval")
        }
    return row


def chosen_reuse_factors(row: Mapping[str, Any], limits: Sequence[Budget]) -> dict[str, int]:
    """The reuse factor a judged student takes on each budgeted target, by target name (metrics.json's
    `reuse_factors`, which socflow.budget.deployed_target reads)."""
    return {b.target: int(row[f"reuse_factor{suffix(i, b)}"]) for i, b in enumerate(limits)}


def trial_judge(
    targets: Sequence[Mapping[str, Any]],
    input_precision: str | list[str],
    rtl: Rtl | None,
    val: tuple[np.ndarray, np.ndarray],
) -> Judge:
    """The judge of a student search's trial: the student as its training kept it (early stopping's restored
    weights), pruning stripped, kept in the trial's folder (student.h5: what train_student deploys) and scored by
    its accuracy on the validation inputs put on the input type's grid, what the hardware sees.

    Why not keras-tuner's score, the best epoch's val_accuracy: that is the best of every epoch's (the pruning
    ramp's too), not the accuracy of any model kept, so it is optimistic, and a student trained again to reach it
    can be another one (a trial scored 60.7 % whose retrained student collapsed to 10 %). The Pareto search
    (socflow.train.pareto) scores its trials the same way.

    With budgeted `targets` (budgets, socflow.budget) the student is also costed by socflow.rtl.cost at every
    reuse factor each budgeted target may take (about a second each), then scored by :func:`judge`. With a list of
    input types, the student is judged with each: its accuracy on that type's grid, its cost with inputs that wide;
    the trial takes the type that scores best (the most accurate that fits; of equal ones the narrowest), recorded
    as `input_width`."""
    limits = budgets(targets)
    budgeted = [t for t in targets if t.get("budget")]
    types = input_types({"input_precision": input_precision})

    def run(model: Any, folder: Path | None = None) -> dict[str, Any]:
        import tensorflow_model_optimization as tfmot

        student = tfmot.sparsity.keras.strip_pruning(getattr(model, "student", model))
        if folder is not None:
            save_model(student, Path(folder) / KEPT_STUDENT)
        rows = []
        for in_type in types:
            accuracy = quantized_accuracy(student, in_type, val)
            row = {"val_accuracy": accuracy, "input_width": in_type.width}
            if limits:
                row |= judge([costs_at(student, in_type, target, rtl) for target in budgeted], limits, accuracy)
            rows.append(row | ({} if limits else {"score": accuracy}))
        best = max(rows, key=lambda row: row["score"])  # the first of equal scores: the narrowest type
        return best | ({"kd_scale": model.scale} if hasattr(model, "scale") else {})  # a Distiller's learned scale

    return run


def quantized_accuracy(model: Any, in_type: FixedType, data: tuple[np.ndarray, np.ndarray]) -> float:
    """The model's accuracy on `data` with its inputs put on the input type's grid, as the IP receives them."""
    x, y = data
    _, predicted = predict_classes(model, in_type.quantize(x))
    return float((predicted == y).mean())


def chosen_input_precision(row: Mapping[str, Any], input_precision: str | list[str]) -> str:
    """The input type a judged student takes (metrics.json's `input_precision`): the one of its width."""
    return next(t for t in input_precisions({"input_precision": input_precision})
                if FixedType.parse(t).width == int(row["input_width"]))  # fmt: skip


def costs_at(student: Any, input_type: FixedType, target: Target, rtl: Rtl) -> dict[int, Cost]:
    """The student's estimated cost at each reuse factor the target may take that some layer of it can use."""
    costs: dict[int, Cost] = {}
    unusable = ""
    for reuse in reuse_factors(target):
        try:
            costs[reuse] = estimate(student, input_type, dict(target) | {"reuse_factor": reuse}, rtl)
        except ConfigError as error:  # too large for this student's layers (the config check allows the largest's)
            unusable = str(error)
    if not costs:
        raise ConfigError(
            f"{target_name(target)}: no reuse factor of {reuse_factors(target)} suits this student ({unusable})"
        )
    return costs


def require_fit(table: pd.DataFrame, where: str) -> None:
    """After a budgeted search: a BudgetError when no completed trial fits, naming the one nearest to fitting."""
    done = table[table["status"] == "COMPLETED"]
    if len(done) and done["fits"].astype(bool).any():
        return
    if not len(done):
        raise BudgetError(f"{where}: no trial of the budgeted search completed")
    near = min(done.to_dict("records"), key=lambda row: row["over_budget"])
    cost = ", ".join(f"{k} {near[k]:,.0f}" for k in (*RESOURCES, "latency_clocks", "initiation_interval") if k in near)
    raise BudgetError(
        f"{where}: no student of the search fits its budget; the nearest, trial {near['trial_id']} "
        f"(val accuracy {near['val_accuracy']:.4f}), is {100 * near['over_budget']:.0f} % over it: {cost}. "
        "Widen the budget or narrow student.units / student.layers"
    )

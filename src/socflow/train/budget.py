"""The budgeted student search: each trial's student costed on the budgeted targets (socflow.rtl.cost, about a
second), and its score.

The score the search maximizes: validation accuracy where every budgeted target fits (in [0, 1]); otherwise
minus the largest relative excess over any limit of any target (-0.25: 25 % over), below every fitting trial
and higher the closer to the boundary, so the Gaussian process learns where the boundary is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from socflow.budget import RESOURCES, Budget, budgets
from socflow.errors import BudgetError
from socflow.fixed import FixedType
from socflow.rtl.cost import Cost, estimate
from socflow.train.trials import Judge, best_accuracy


def judge(costs: Sequence[Cost], limits: Sequence[Budget], val_accuracy: float) -> dict[str, Any]:
    """A trial's score and the columns trials.csv shows of it: its estimated cost on each budgeted target (the
    first's as lut, ff, ..., the others' as lut@<target>, ...), whether it fits with the budget's margin for the
    estimate's error, and by how much it is over."""
    over = max((max(b.excess(c, estimated=True).values(), default=0.0) for b, c in zip(limits, costs)), default=0.0)
    row: dict[str, Any] = {"score": val_accuracy if over == 0 else -over, "fits": over == 0, "over_budget": over}
    for i, (budget, cost) in enumerate(zip(limits, costs)):
        suffix = "" if i == 0 else f"@{budget.target}"  # the first budgeted target's columns are plain
        row |= {f"{k}{suffix}": getattr(cost, k) for k in (*RESOURCES, "latency_clocks", "initiation_interval")}
    return row


def trial_judge(targets: Sequence[Mapping[str, Any]], input_precision: str, rtl: Mapping[str, Any]) -> Judge | None:
    """The judge of a budgeted student search (None without budgets): each trial's student, pruning stripped,
    costed on every budgeted target by socflow.rtl.cost (about a second), then :func:`judge`."""
    limits = budgets(targets)
    if not limits:
        return None
    budgeted = [t for t in targets if t.get("budget")]
    input_type = FixedType.parse(input_precision)

    def run(model: Any, history: Mapping[str, list[float]]) -> dict[str, Any]:
        import tensorflow_model_optimization as tfmot

        student = tfmot.sparsity.keras.strip_pruning(getattr(model, "student", model))
        costs = [estimate(student, input_type, target, rtl) for target in budgeted]
        accuracy = best_accuracy(history)
        return {"val_accuracy": accuracy} | judge(costs, limits, accuracy)

    return run


def require_fit(table: pd.DataFrame, where: str) -> None:
    """After a budgeted search: a BudgetError when no completed trial fits, naming the one nearest to fitting."""
    done = table[table["status"] == "COMPLETED"]
    if len(done) and done["fits"].astype(bool).any():
        return
    if not len(done):
        raise BudgetError(f"{where}: no trial of the budgeted search completed")
    near = min(done.to_dict("records"), key=lambda row: row["over_budget"])
    cost = ", ".join(f"{k} {near[k]:,.0f}" for k in (*RESOURCES, "latency_clocks") if k in near)
    raise BudgetError(
        f"{where}: no student of the search fits its budget; the nearest, trial {near['trial_id']} "
        f"(val accuracy {near['val_accuracy']:.4f}), is {100 * near['over_budget']:.0f} % over it: {cost}. "
        "Widen the budget or narrow student.units / student.layers"
    )

"""The front of a Pareto student search and the student taken from it (stage select_student).

A point is one trained trial's student on one costed target at one reuse factor and input type (socflow.train.
pareto): its validation accuracy, estimated LUTs and latency. A point is on the front of its target when no other
point of that target is at least as accurate, at most as large and at most as slow, and better in one of them.
`student.select` takes the deployed student from the points of the first costed target (the budgeted one):

- `accurate` (the default): the most accurate point that fits the budget; of equal ones the fewest LUTs, then clocks
- `smallest_within`: the fewest LUTs (then clocks) among the fitting points within `points` percentage points of
  the most accurate fitting one
- `trial`: trial `trial`, at its most accurate fitting point (the Pareto search's score of it)

Re-selecting reads the search's kept points and models: no trial is trained again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socflow.errors import BudgetError, ConfigError
from socflow.io import atomic_path, plain_numbers, read_json, write_json
from socflow.train.pareto import cost_limits, study_tables, trial_hyperparameters, trial_point

log = logging.getLogger(__name__)
OBJECTIVES = {"val_accuracy": 1, "lut": -1, "latency_clocks": -1}  # +1: higher is better


def pareto_mask(points: pd.DataFrame) -> np.ndarray:
    """Which rows are on the front of (accuracy up, LUT down, latency down); equal points are all kept."""
    values = np.stack([sign * points[k].to_numpy(float) for k, sign in OBJECTIVES.items()], axis=1)
    keep = np.ones(len(values), bool)
    for i, row in enumerate(values):
        dominated = (values >= row).all(axis=1) & (values > row).any(axis=1)
        keep[i] = not dominated.any()
    return keep


def front(points: pd.DataFrame) -> pd.DataFrame:
    """Every point (each reuse factor and input type) of the trials with a point on the front of a target, the
    non-dominated ones marked `on_front`; by target, most accurate first."""
    marked = points.assign(on_front=False)
    for _, group in points.groupby("target", sort=False):
        marked.loc[group.index[pareto_mask(group)], "on_front"] = True
    kept = marked[marked["trial_id"].isin(marked.loc[marked["on_front"], "trial_id"])]
    return kept.sort_values(["target", "val_accuracy", "lut"], ascending=[True, False, True])


def select(points: pd.DataFrame, target: str, rule: Mapping[str, Any]) -> dict[str, Any]:
    """The point `rule` (student.select) takes from `target`'s points; a BudgetError when none fits, naming the
    one nearest to fitting; a ConfigError for a trial that did not complete."""
    mine = points[points["target"] == target]
    if rule["rule"] == "trial":
        chosen = mine[mine["trial_id"] == rule["trial"]]
        if chosen.empty:
            raise ConfigError(f"student.select.trial: trial {rule['trial']} did not complete in the search; "
                              f"completed: {sorted(mine['trial_id'].unique().tolist())}")  # fmt: skip
        return trial_point(chosen.to_dict("records"), target)
    fitting = mine[mine["fits"].astype(bool)]
    if fitting.empty:
        near = mine.loc[mine["over_budget"].idxmin()]
        raise BudgetError(
            f"{target}: no point of the Pareto search fits its budget; the nearest, trial {near['trial_id']} at "
            f"R = {near['reuse_factor']} (val accuracy {near['val_accuracy']:.4f}, {near['lut']:,.0f} LUT, "
            f"{near['latency_clocks']} clocks), is {100 * near['over_budget']:.0f} % over it"
        )
    if rule["rule"] == "accurate":  # as a trial is scored, over every trial's fitting points
        return trial_point(fitting.to_dict("records"), target)
    fitting = fitting[fitting["val_accuracy"] >= fitting["val_accuracy"].max() - rule["points"] / 100 - 1e-12]
    smallest = fitting.sort_values(["lut", "latency_clocks", "val_accuracy"], ascending=[True, True, False])
    return smallest.iloc[0].to_dict()


def select_student(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage select_student: from the Pareto search whose state inputs['hparams'] names, write its front
    (outputs['front']: front.csv, :func:`front`), the front figure (outputs['plot']) and
    the selected student (outputs['selected']: the trial, its hyperparameters, its kept model, the reuse factor
    and input type it takes on each costed target) by params `select` (student.select); params `targets`: the
    costed targets (socflow.plan.costed_targets), the first the one selected on."""
    from socflow.names import target_name
    from socflow.report.figures import pareto_front

    names, limits = [target_name(t) for t in params["targets"]], cost_limits(params["targets"])[0].limits
    state = Path(read_json(inputs["hparams"])["state"])
    trials, points = study_tables(state)
    on_front = front(points)
    with atomic_path(outputs["front"]) as tmp:
        on_front.to_csv(tmp, index=False)
    target = names[0]
    point = select(points, target, params["select"])
    trial = int(point["trial_id"])
    mine = points[points["trial_id"] == trial].to_dict("records")
    placed = {t: point if t == target else trial_point(mine, t) for t in names}
    selected = {
        "trial_id": trial,
        "rule": dict(params["select"]),
        "target": target,
        "point": plain_numbers(point),
        "reuse_factors": {t: int(p["reuse_factor"]) for t, p in placed.items()},
        "input_width": int(point["input_width"]),
        "model": point["model"],
        "config": trial_hyperparameters(state, trial),
        "trials": len(trials),
        "front_points": int((on_front["on_front"] & (on_front["target"] == target)).sum()),
    }
    write_json(outputs["selected"], selected)
    pareto_front(points, on_front, target, point, limits, outputs["plot"])
    log.info("selected trial %d by %s: val accuracy %.4f, %.0f LUT, %d clocks at R = %d on %s", trial,
             params["select"]["rule"], point["val_accuracy"], point["lut"], point["latency_clocks"],
             point["reuse_factor"], target)  # fmt: skip
    return selected

"""The design that fits (stage fit_student): the budgeted search's chosen student synthesized by Yosys before it is
deployed and, where it does not fit as synthesized, the next candidate the search costed, until one fits.

Why here: the search ranks its trials by an estimate held to the limits with a margin for its error
(docs/budget.md), and on some designs the error is larger than the margin (the folded conv model is 18-21 % under
Yosys on wide kernels, its margin 15 %). budget_check then failed after the whole search, training and synthesis,
while the search held other costed candidates that would fit. The student, its reuse factors and its input type
are shared by every target of its variant, so the choice is settled before train_student and the hardware stages.

The candidates, in order:
1. the search's choice: its trial at the input type and the reuse factors it took;
2. the same student at the other reuse factors and input types its estimate says fit: the input types most
   accurate first, on each budgeted target its reuse factors in the order the search prefers them (the fastest
   first, :func:`socflow.train.budget.pick_reuse_factor`), after one failed by Yosys only those the estimate gives
   more room (:meth:`socflow.budget.Budget.load`);
3. then the next-ranked trial's (the accuracy search's next score, the Pareto search's next most accurate fitting
   point), and so on.

Each is generated (socflow.rtl.designs) and synthesized (socflow.rtl.synth) into a cache keyed by its Verilog's
hash, which rtl_synth reads, so the deployed design is not synthesized twice. Its latency and II are the
estimate's, exact by design (rtl_sim measures them again for budget_check). The first trial and input type whose
every budgeted target has a design that fits by Yosys is deployed; chosen.json records every candidate tried. A
BudgetError only when none fits, listing them.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from socflow.budget import CAPACITY, RESOURCES, Budget, budgets
from socflow.errors import BudgetError
from socflow.fixed import FixedType
from socflow.io import read_json, read_xy, write_json
from socflow.names import input_precisions, input_types
from socflow.rtl.cost import Cost
from socflow.rtl.designs import generate
from socflow.rtl.synth import synthesized
from socflow.settings import Rtl, Target
from socflow.train.budget import KEPT_STUDENT, chosen_reuse_factors
from socflow.train.pareto import COST, study_tables, trial_point, trial_points
from socflow.train.trials import TIE_BREAK, TRIAL_RECORD, trial_folder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Trial:
    """A trained trial of the search, as kept: its student, the record of its fit (history, seconds,
    hyperparameters) and, for the search's choice, the input width and reuse factors (by target) it took."""

    trial_id: str
    model: Path
    record: Path
    chosen: Mapping[str, Any] = field(default_factory=dict)


def accuracy_trials(hparams: Mapping[str, Any], trials_csv: str | Path, limits: Sequence[Budget]) -> list[Trial]:
    """The accuracy search's completed trials that fit by the estimate, its choice first, then by score (of equal
    ones the cheaper, as socflow.train.trials.best_trial ranks them)."""
    table = pd.read_csv(trials_csv, dtype={"trial_id": str})
    done = table[(table["status"] == "COMPLETED") & table["fits"].astype(bool)]
    order = ["score", *(c for c in TIE_BREAK if c in done)]
    ranked = done.sort_values(order, ascending=[False] + [True] * (len(order) - 1), kind="stable")["trial_id"]
    best = str(hparams["trial_id"])
    folder = trial_folder(hparams["state"], best)
    judged = read_json(folder / TRIAL_RECORD)["metrics"]
    chosen = {"input_width": int(judged["input_width"]), "reuse_factors": chosen_reuse_factors(judged, limits)}
    kept = [Trial(best, folder / KEPT_STUDENT, folder / TRIAL_RECORD, chosen)]
    for trial_id in (t for t in ranked if t != best):
        folder = trial_folder(hparams["state"], trial_id)
        kept.append(Trial(trial_id, folder / KEPT_STUDENT, folder / TRIAL_RECORD))
    return kept


def pareto_trials(points: pd.DataFrame, selected: Mapping[str, Any], target: str) -> list[Trial]:
    """The Pareto search's selected trial first (select_student's selected.json), then its other trials with a point
    (of `points`, socflow.train.pareto.study_tables's) that fits by the estimate on `target` (the first budgeted
    one), the most accurate first (of equal ones the fewest LUTs, then clocks)."""
    best = {}
    for trial_id, mine in points[points["target"] == target].groupby("trial_id", sort=False):
        point = trial_point(mine.to_dict("records"), target)
        if point["fits"]:
            best[str(trial_id)] = point
    ranked = sorted(best.values(), key=lambda p: (-p["val_accuracy"], p["lut"], p["latency_clocks"]))

    def kept(point: Mapping[str, Any], chosen: Mapping[str, Any]) -> Trial:
        model = Path(point["model"])
        return Trial(str(point["trial_id"]), model, model.parent / "points.json", chosen)

    first = {"input_width": int(selected["input_width"]), "reuse_factors": dict(selected["reuse_factors"])}
    choice = kept(selected["point"] | {"model": selected["model"], "trial_id": selected["trial_id"]}, first)
    return [choice] + [kept(p, {}) for p in ranked if str(p["trial_id"]) != choice.trial_id]


def estimated(point: Mapping[str, Any]) -> Cost:
    """A costed point's estimate as a Cost (what a budget holds with the margin)."""
    return Cost(*(point[k] for k in COST), source="socflow.rtl.cost", design=point["design"])


def target_options(
    points: Sequence[Mapping[str, Any]], budget: Budget, width: int, first: int | None
) -> list[dict[str, Any]]:
    """The points of one trial, input width and budgeted target to synthesize, in order: the search's choice of
    reuse factor (`first`), then the others the estimate says fit, the fastest first (the search's preference)."""
    mine = [p for p in points if p["target"] == budget.target and p["input_width"] == width]
    fitting = sorted((p for p in mine if p["fits"] and p["reuse_factor"] != first),
                     key=lambda p: (p["initiation_interval"], p["latency_clocks"], p["lut"]))  # fmt: skip
    return [p for p in mine if p["reuse_factor"] == first] + fitting


@dataclass
class Synthesis:
    """Synthesizes the search's candidates, each project generated in a scratch folder, Yosys's report through the
    cache (socflow.rtl.synth.synthesized), and records every one it tried (`tried`: chosen.json's candidates)."""

    targets: Mapping[str, Target]
    precisions: Mapping[int, str]  # the configured input types by width
    rtl: Rtl
    cache: Path
    scratch: Path
    tried: list[dict[str, Any]] = field(default_factory=list)

    def fits(self, trial: Trial, model: Any, in_type: FixedType, point: Mapping[str, Any], budget: Budget) -> bool:
        """Whether the student's design at this point fits the budget by Yosys; recorded in `tried`."""
        target = dict(self.targets[budget.target]) | {"reuse_factor": int(point["reuse_factor"])}
        where = self.scratch / f"{len(self.tried):03d}"
        generate(model, in_type, target, self.rtl, where / "verilog")
        report = synthesized(where / "verilog", target["part"], where / "yosys.log", self.cache)
        estimate = estimated(point)
        used = {name: report["resources"][CAPACITY[name]]["used"] for name in RESOURCES}
        built = Cost(**used, latency_clocks=estimate.latency_clocks, initiation_interval=estimate.initiation_interval,
                     source="Yosys; latency and II of the design's schedule")  # fmt: skip
        excess = budget.excess(built)
        fits = not any(excess.values())
        self.tried.append(
            {
                "trial_id": trial.trial_id,
                "target": budget.target,
                "reuse_factor": int(point["reuse_factor"]),
                "input_precision": self.precisions[in_type.width],
                "val_accuracy": float(point["val_accuracy"]),
                "estimate": {k: getattr(estimate, k) for k in COST},
                "synthesized": {k: getattr(built, k) for k in COST},
                "estimate_error": {k: (getattr(estimate, k) - used[k]) / used[k] for k in RESOURCES if used[k]},
                "excess": {k: v for k, v in excess.items() if v},
                "fits": fits,
            }
        )
        log.info("trial %s at R = %d with %s inputs on %s: %s LUT estimated, %s by Yosys: %s", trial.trial_id,
                 point["reuse_factor"], self.precisions[in_type.width], budget.target, f"{estimate.lut:,.0f}",
                 f"{built.lut:,.0f}", "fits" if fits else f"over ({', '.join(self.tried[-1]['excess'])})")  # fmt: skip
        return fits


def fitting_point(
    synthesis: Synthesis, trial: Trial, model: Any, in_type: FixedType, options: Sequence[Mapping[str, Any]],
    budget: Budget,
) -> dict[str, Any] | None:  # fmt: skip
    """The first of a target's options whose design fits by Yosys, none where none does; after a failed one, only
    options the estimate gives more room are tried (one with less is likelier still to fail)."""
    room = float("inf")
    for point in options:
        load = budget.load(estimated(point), estimated=True)
        if load >= room:
            continue
        if synthesis.fits(trial, model, in_type, point, budget):
            return dict(point)
        room = load
    return None


def type_order(trial: Trial, points: Sequence[Mapping[str, Any]], types: Sequence[FixedType]) -> list[FixedType]:
    """A trial's input types in the order they are tried: the search's choice first, then the most accurate (of
    equal ones the narrowest)."""
    accuracy = {p["input_width"]: p["val_accuracy"] for p in points}
    width = trial.chosen.get("input_width")
    return sorted(types, key=lambda t: (t.width != width, -accuracy.get(t.width, 0.0), t.width))


def fit_student(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage fit_student: the candidates of the search (inputs['hparams'] and inputs['trials'], or a Pareto search's
    inputs['selected']), each costed again on its kept student (socflow.train.pareto.trial_points, with
    inputs['val']), synthesized in order until one fits every budgeted target of params `budget` (the budgeted
    targets, the input precision, the rtl section) by Yosys, through the cache params `cache`; writes
    outputs['chosen'] (chosen.json: the trial, its kept model and record, the input type, the reuse factor on every
    budgeted target, the point on the first one, every candidate tried). A BudgetError listing the candidates
    where none fits."""
    from socflow.models import load_model

    budget, hparams = params["budget"], read_json(inputs["hparams"])
    targets, limits, types = list(budget["targets"]), budgets(budget["targets"]), input_types(budget)
    if "selected" in inputs:
        _, points = study_tables(Path(hparams["state"]))
        trials = pareto_trials(points, read_json(inputs["selected"]), limits[0].target)
    else:
        trials = accuracy_trials(hparams, inputs["trials"], limits)
    val = read_xy(inputs["val"])
    with tempfile.TemporaryDirectory(prefix="fit_student-") as scratch:
        named = {b.target: t for b, t in zip(limits, targets)}
        precisions = {FixedType.parse(t).width: t for t in input_precisions(budget)}
        synthesis = Synthesis(named, precisions, budget["rtl"], Path(params["cache"]), Path(scratch))
        for trial in trials:
            model = load_model(trial.model)
            points = trial_points(model, types, targets, limits, budget["rtl"], val)
            for in_type in type_order(trial, points, types):
                first = trial.chosen["reuse_factors"] if in_type.width == trial.chosen.get("input_width") else {}
                placed = {}
                for limit in limits:
                    options = target_options(points, limit, in_type.width, first.get(limit.target))
                    placed[limit.target] = fitting_point(synthesis, trial, model, in_type, options, limit)
                    if placed[limit.target] is None:
                        break
                else:
                    chosen = _chosen(trial, precisions[in_type.width], placed, synthesis.tried)
                    write_json(outputs["chosen"], chosen)
                    return chosen
    raise BudgetError(_nothing_fits(synthesis.tried, len(trials)))


def _chosen(
    trial: Trial, precision: str, placed: Mapping[str, Mapping[str, Any]], tried: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """chosen.json: the deployed trial, its input type, its reuse factor on every budgeted target, the point on the
    first (metrics.json's `budget`), whether it is the search's own choice (every candidate tried fits: the first
    did) and every candidate tried."""
    reuse = {target: int(point["reuse_factor"]) for target, point in placed.items()}
    log.info("deployed: trial %s with %s inputs, reuse factors %s, after %d syntheses", trial.trial_id, precision,
             reuse, len(tried))  # fmt: skip
    return {
        "trial_id": trial.trial_id,
        "model": str(trial.model),
        "record": str(trial.record),
        "input_precision": precision,
        "reuse_factors": reuse,
        "point": next(iter(placed.values())),
        "search_choice": all(c["fits"] for c in tried),
        "candidates": list(tried),
    }


def _nothing_fits(tried: Sequence[Mapping[str, Any]], n_trials: int) -> str:
    """The BudgetError's message: every candidate tried, with its estimate and Yosys's LUTs."""
    listed = "; ".join(
        f"trial {c['trial_id']} R = {c['reuse_factor']} {c['input_precision']} on {c['target']}: "
        f"{c['estimate']['lut']:,.0f} LUT estimated, {c['synthesized']['lut']:,.0f} by Yosys, over in "
        f"{', '.join(c['excess'])}"
        for c in tried
    )
    return (
        f"no candidate of the search's {n_trials} trials that fit by the estimate fits its budget as synthesized "
        f"({len(tried)} tried: {listed or 'none'}). Widen the budget, or raise budget.margin so that the search "
        "holds the estimate to the budget with more room"
    )

"""The multi-objective student search (`student.search.objective: pareto`): the whole trade-off of accuracy, LUTs
and latency from one search, not one student per budget.

Every trial trains the student hypermodel with knowledge distillation and quantization-aware pruning, as the
single-objective search does, keeps the trained student (trial_NN/student.h5) and costs it with socflow.rtl.cost
(about a second) at every reuse factor and input type of the costed targets (the budgeted ones, else every
target): its points (trial_NN/points.json), each with the validation accuracy of the kept model on that input
type's grid (what the hardware sees: not the best epoch's, which early stopping may not have kept). The front
and the deployed student are taken from those points afterwards (socflow.train.front), so a new selection needs
no new training.

The engine is Optuna's TPE sampler in its multi-objective form (MOTPE): validation accuracy up, LUTs and latency
down, the budget's excess as a constraint (feasible trials first). Why not NSGA-II, the usual multi-objective
choice: its first generation (50 by default) is random, and our searches are 8-30 trials. Why Optuna here and
keras-tuner for the single objective: keras-tuner has no multi-objective search; its Bayesian optimization stays
the paper's engine for `objective: accuracy`.

State, resume, workers: the study lives in an Optuna journal file in the search's state folder (Optuna's
JournalStorage, which serializes the workers' writes through a lock file), so `search.workers` jobs share it
natively, and a search resumed with more trials continues it. A trial left RUNNING by a killed job is failed
and its values run again. Each proposal is drawn with a sampler seeded by the search seed and the number of
trials already in the study (`proposal_seed`), and each trial trains seeded by the search seed and its number: a
one-worker search gives the same trials uninterrupted or resumed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from socflow._keras import keras

import keras_tuner as kt
import numpy as np
import pandas as pd

from socflow.budget import RESOURCES, Budget
from socflow.errors import SearchError
from socflow.fixed import FixedType
from socflow.io import read_json, read_xy, write_json
from socflow.models import save_model
from socflow.names import target_name
from socflow.settings import Rtl, Search, Target
from socflow.train.budget import KEPT_STUDENT, costs_at, overrun, quantized_accuracy
from socflow.train.fit import fit_model
from socflow.train.trials import default_initial_points, seed_trial, state_dir

log = logging.getLogger(__name__)
COST = (*RESOURCES, "latency_clocks", "initiation_interval")
DIRECTIONS = ("maximize", "minimize", "minimize")  # validation accuracy, LUTs, latency in clocks
STUDY = "student"
JOURNAL = "optuna.journal"
MAX_REPEATS = 50  # proposals in a row that repeat a finished trial: the space is run through


class TrialHyperParameters(kt.HyperParameters):
    """keras-tuner's HyperParameters whose every hyperparameter, when the hypermodel first declares it, takes its
    value from an Optuna trial (define-by-run: the hypermodels are written for keras-tuner and stay so). Its
    config is keras-tuner's, space and values, what train_student rebuilds a model from."""

    def __init__(self, trial: Any) -> None:
        super().__init__()
        self._trial = trial

    def _register(self, hyperparameter: Any, overwrite: bool = False) -> Any:
        if hyperparameter.name not in self.values and self.is_active(hyperparameter):
            self.values[hyperparameter.name] = suggest(self._trial, hyperparameter)
        return super()._register(hyperparameter, overwrite)


def suggest(trial: Any, hp: Any) -> Any:
    """An Optuna trial's value for one keras-tuner hyperparameter, over the same values."""
    from keras_tuner.engine import hyperparameters as kth

    if isinstance(hp, kth.Fixed):
        return hp.value
    if isinstance(hp, kth.Boolean):
        return trial.suggest_categorical(hp.name, [False, True])
    if isinstance(hp, kth.Choice):
        return trial.suggest_categorical(hp.name, list(hp.values))
    log_scale = getattr(hp, "sampling", None) == "log"
    if isinstance(hp, kth.Int):
        return trial.suggest_int(hp.name, hp.min_value, hp.max_value, step=hp.step or 1, log=log_scale)
    if isinstance(hp, kth.Float):
        return trial.suggest_float(hp.name, hp.min_value, hp.max_value, step=hp.step, log=log_scale)
    raise SearchError(f"hyperparameter {hp.name}: keras-tuner type {type(hp).__name__} has no Optuna counterpart")


def cost_limits(targets: Sequence[Target]) -> list[Budget]:
    """The costed targets' limits: a target's budget, or none (every point fits)."""
    from socflow.budget import budget_of

    return [budget_of(t) if t.get("budget") else Budget(target_name(t), {}, t["clock_period"]) for t in targets]


def trial_points(
    student: Any,
    types: Sequence[FixedType],
    targets: Sequence[Target],
    limits: Sequence[Budget],
    rtl: Rtl,
    val: tuple[np.ndarray, np.ndarray],
) -> list[dict[str, Any]]:
    """Every point of one trained student: per input type (its validation accuracy on that type's grid), per
    costed target and per reuse factor the target may take, the estimated cost and how far over the budget."""
    points = []
    for in_type in types:
        accuracy = quantized_accuracy(student, in_type, val)
        for target, budget in zip(targets, limits):
            for reuse, cost in costs_at(student, in_type, target, rtl).items():
                over = overrun(budget, cost)
                points.append(
                    {"target": budget.target, "input_width": in_type.width, "reuse_factor": reuse,
                     "val_accuracy": accuracy, **{k: getattr(cost, k) for k in COST}, "design": cost.design,
                     "fits": over == 0, "over_budget": over}
                )  # fmt: skip
    return points


def trial_point(points: Sequence[Mapping[str, Any]], target: str) -> dict[str, Any]:
    """The point a trial is scored by, on `target`: the most accurate that fits its budget, of equal ones the
    fewest LUTs, then clocks; the one least over the budget where none fits."""
    mine = [p for p in points if p["target"] == target]
    fitting = [p for p in mine if p["fits"]]
    if fitting:
        return min(fitting, key=lambda p: (-p["val_accuracy"], p["lut"], p["latency_clocks"]))
    return dict(min(mine, key=lambda p: p["over_budget"]))


def _storage(state: Path) -> Any:
    import optuna

    state.mkdir(parents=True, exist_ok=True)
    backend = optuna.storages.journal.JournalFileBackend(str(state / JOURNAL))
    return optuna.storages.JournalStorage(backend)


def proposal_seed(search_seed: int, n_trials: int) -> int:
    """The seed of the sampler drawing a study's next trial: a stream of its own for each (search seed, trials so
    far). Not `search_seed + n_trials`: then search seed 2 draws the trials of seed 1 shifted by one, and searches
    said to be independent share their random trials."""
    return int(np.random.SeedSequence([search_seed, n_trials]).generate_state(1)[0])


def _sampler(startup: int, seed: int) -> Any:
    """TPE, multivariate (the hyperparameters of a student act together), feasible trials first (the
    constraint each trial sets: its excess over the budget)."""
    import optuna

    return optuna.samplers.TPESampler(n_startup_trials=startup, multivariate=True, seed=seed)


def open_study(state: Path, search: Search, dims: int) -> Any:
    """The search's study (created, or loaded to resume), its random trials fixed when it is created (a user
    attribute) as keras-tuner's oracle fixes them."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        study_name=STUDY, storage=_storage(state), directions=list(DIRECTIONS), load_if_exists=True
    )
    if "initial_points" not in study.user_attrs:
        startup = search["initial_points"] or default_initial_points(search["trials"], dims)
        study.set_user_attr("initial_points", startup)
    return study


def _retry_abandoned(study: Any, worker: int, workers: int) -> None:
    """Fail the trials a killed job left RUNNING (this worker's, or a worker's no longer configured; with one
    worker, every one) and queue their values to run again."""
    import optuna

    for trial in study.get_trials(deepcopy=False, states=[optuna.trial.TrialState.RUNNING]):
        owner = trial.user_attrs.get("worker", 0)
        if workers == 1 or owner == worker or owner >= workers:
            log.info("trial %d was left running by worker %d: run again", trial.number, owner)
            study.tell(trial.number, state=optuna.trial.TrialState.FAIL)
            study.enqueue_trial(dict(trial.params), user_attrs={"retry_of": trial.number})


def run_trials(
    build: Callable[[Any], keras.Model],
    data: Mapping[str, str],
    search: Search,
    settings: Mapping[str, Any],
    state_root: str | Path,
    cost: Mapping[str, Any],
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]] = list,
    worker: int = 0,
) -> list[int]:
    """Run trials of the Pareto search (this `worker` of `search['workers']`) until the study has its `trials`
    completed or claimed; the numbers of the trials this call ran. `cost`: the costed targets, the input types
    (FixedType) and the rtl section; `callbacks` makes a trial's callbacks, early stopping among them (the
    student's `trial_callbacks`). A trial that raises is recorded failed and the error re-raised."""
    import optuna

    from socflow.train.journal import search_space

    state = state_dir(state_root, settings, search)
    study = open_study(state, search, len(search_space(build).space))
    _retry_abandoned(study, worker, search["workers"])
    xy = read_xy(data["train"]), read_xy(data["val"])
    limits = cost_limits(cost["targets"])
    first = limits[0].target
    ran, repeats = [], 0
    while repeats < MAX_REPEATS:
        trials = study.get_trials(deepcopy=False)
        done = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
        running = [t for t in trials if t.state == optuna.trial.TrialState.RUNNING]
        queued = [t for t in trials if t.state == optuna.trial.TrialState.WAITING]
        if len(done) + len(running) >= search["trials"] and not queued:
            break
        study.sampler = _sampler(study.user_attrs["initial_points"], proposal_seed(search["seed"], len(trials)))
        trial = study.ask()
        trial.set_user_attr("worker", worker)
        hp = TrialHyperParameters(trial)
        folder = state / f"trial_{trial.number:02d}"
        try:
            seed_trial(search["seed"], str(trial.number))
            model = build(hp)
            if any(t.params == trial.params for t in done):  # TPE may propose a finished trial again: draw anew
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                repeats += 1
                continue
            repeats = 0
            history, seconds = fit_model(model, *xy, search["epochs"], search["batch_size"], list(callbacks()))
            student = _stripped(model)
            folder.mkdir(parents=True, exist_ok=True)
            save_model(student, folder / KEPT_STUDENT)
            points = trial_points(student, cost["types"], cost["targets"], limits, cost["rtl"], xy[1])
        except Exception:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            raise
        write_json(folder / "points.json", {"points": points, "history": history, "seconds": seconds,
                                            "hyperparameters": hp.get_config()})  # fmt: skip
        scored = trial_point(points, first)
        trial.set_constraint("over_budget", scored["over_budget"])
        study.tell(trial, [scored["val_accuracy"], scored["lut"], scored["latency_clocks"]])
        log.info("worker %d: trial %d %s: val accuracy %.4f, %.0f LUT, %d clocks%s", worker, trial.number,
                 hp.values, scored["val_accuracy"], scored["lut"], scored["latency_clocks"],
                 "" if scored["fits"] else f", {100 * scored['over_budget']:.0f} % over budget")  # fmt: skip
        ran.append(trial.number)
    return ran


def _stripped(model: keras.Model) -> keras.Model:
    import tensorflow_model_optimization as tfmot

    return tfmot.sparsity.keras.strip_pruning(getattr(model, "student", model))


def study_tables(state: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trials of a Pareto search (one row each: number, state, how proposed, hyperparameters, the scored
    point, worker; not the proposals dropped as repeats of a finished trial) and every point of every completed
    trial (one row per trial x target x reuse factor x input type, with the trial's kept model)."""
    import optuna

    states = optuna.trial.TrialState
    kept = [states.COMPLETE, states.FAIL, states.RUNNING, states.WAITING]
    study = optuna.load_study(study_name=STUDY, storage=_storage(state))
    startup = study.user_attrs["initial_points"]
    rows, points, finished = [], [], 0  # TPE draws at random while fewer than `startup` trials have finished
    for trial in study.get_trials(deepcopy=False):
        finished += trial.state in (states.COMPLETE, states.PRUNED)
        if trial.state not in kept:
            continue
        row = {"trial_id": trial.number, "status": trial.state.name, "worker": trial.user_attrs.get("worker", 0)}
        how = "retry" if "retry_of" in trial.user_attrs else "random" if finished <= startup else "guided"
        row["proposed_by"] = how
        row |= dict(trial.params)
        if trial.state == optuna.trial.TrialState.COMPLETE:
            row |= dict(zip(("val_accuracy", "lut", "latency_clocks"), trial.values))
            row["over_budget"] = trial.constraints["over_budget"]
            folder = state / f"trial_{trial.number:02d}"
            for point in read_json(folder / "points.json")["points"]:
                points.append({"trial_id": trial.number} | point | {"model": str(folder / KEPT_STUDENT)})
        rows.append(row)
    if not points:
        raise SearchError(f"no trial of the Pareto search in {state} completed; see the log for the trials' errors")
    return pd.DataFrame(rows), pd.DataFrame(points)


def trial_hyperparameters(state: Path, trial_id: int) -> dict[str, Any]:
    """A completed trial's keras-tuner config (space and values), as hparams.json holds the chosen one's."""
    return read_json(state / f"trial_{trial_id:02d}" / "points.json")["hyperparameters"]

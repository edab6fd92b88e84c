"""The pieces of a hyperparameter search that the one-worker loop (socflow.train.bayes) and the parallel
journal (socflow.train.journal) share: the objective, the state folder, the reproducible BO oracle, trial
seeding, the best trial and the trials table.

keras-tuner's BayesianOptimization draws `num_initial_points` random trials (by default 3 x the number of
hyperparameters) before its Gaussian process proposes any; a budget at or below that is a random search (the
paper's reference code ran one iteration; an 8-trial search of a 9-hyperparameter conv space was 8 random
trials). socflow's default scales with the budget instead (:func:`default_initial_points`: half of it, at least 3,
at most keras-tuner's), so any search of 6 or more trials has guided ones. trials.csv marks each trial `random`
or `guided`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from socflow._keras import keras

import keras_tuner as kt
import numpy as np
import pandas as pd
import scipy.optimize

from socflow.errors import SearchError
from socflow.io import sha256_json, write_json
from socflow.settings import Search

log = logging.getLogger(__name__)


OBJECTIVE = "val_accuracy"
KD_TERMS = ("val_ce", "val_kd")  # a Distiller's validation cross-entropy and soft term (socflow.train.distill)
# A trial's result from its trained model (as early stopping kept it) and the trial's folder, where the judge keeps
# the model: the metrics to record, the objective `score` among them (a student search's: socflow.train.budget).
# None: keras-tuner's own, the best epoch's val_accuracy (the teacher's search).
Judge = Callable[[keras.Model, Path], dict[str, Any]]
# in a judged trial's folder: its fit's history and seconds, the judge's metrics (keras-tuner's own is trial.json)
TRIAL_RECORD = "kept.json"


def objective(judge: Judge | None) -> str:
    """The name of the metric a search maximizes: val_accuracy, or a judged (student) search's score."""
    return OBJECTIVE if judge is None else "score"


def trial_folder(state: str | Path, trial_id: str | int) -> Path:
    """The folder of a trial in a search's state, as keras-tuner names it (trial_<id>; the journal's workers and the
    Pareto search's trials too), where a judged trial keeps its model and record."""
    return Path(state) / f"trial_{trial_id}"


def best_accuracy(history: Mapping[str, list[float]]) -> float:
    """The best epoch's validation accuracy, as keras-tuner scores a trial."""
    return float(np.nanmax(history[OBJECTIVE]))


def trial_metrics(
    judge: Judge | None,
    model: keras.Model,
    history: Mapping[str, list[float]],
    folder: Path,
    seconds: float = 0.0,
    hyperparameters: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """A trial's metrics: the best epoch's validation accuracy, as keras-tuner scores a trial, or the judge's of the
    model as trained (which keeps it in the trial's `folder`, beside :data:`TRIAL_RECORD`: the fit's history and
    `seconds`, the trial's `hyperparameters` config and these metrics, so the trial can be deployed as it was
    scored); and a student's KD terms at the best epoch (what distillation did)."""
    best = int(np.nanargmax(history[OBJECTIVE]))
    scored = {OBJECTIVE: best_accuracy(history)} if judge is None else judge(model, folder)
    metrics = {k: float(v) for k, v in scored.items()} | {k: float(history[k][best]) for k in KD_TERMS if k in history}
    if judge is not None:
        record = {"history": history, "seconds": seconds, "hyperparameters": hyperparameters, "metrics": metrics}
        write_json(Path(folder) / TRIAL_RECORD, record)
    return metrics


def state_key(settings: Mapping[str, Any]) -> str:
    """Folder name of a search's keras-tuner state: a hash of everything that shapes its trials except the
    trial budget, so raising `trials` extends the search while a new space or new data starts afresh."""
    return sha256_json(settings)[:12]


def seed_trial(search_seed: int, trial_id: str) -> None:
    """Start a trial's training from (search seed, trial id) alone, as a fresh process would: so a resumed
    search trains its remaining trials exactly as an uninterrupted one, and a trial scores the same whichever
    worker (or the one-worker loop) runs it."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(search_seed + int(trial_id))


class ReproducibleBayesianOracle(kt.oracles.BayesianOptimizationOracle):
    """keras-tuner's BO oracle whose every proposal starts its random restarts from the search seed, and whose
    guided proposals never repeat a trial already run.

    keras-tuner's oracle draws the restarts of its acquisition optimisation from one generator that runs on
    across proposals and is not saved with the oracle, so a reloaded search proposed other guided trials than an
    uninterrupted one would have. Seeded per proposal, a proposal depends only on the finished trials: the same
    after a resume, and the same as a parallel search's (which builds a fresh oracle for each proposal).

    keras-tuner de-duplicates its random draws but not the Gaussian process's proposal: the acquisition's optimum,
    rounded onto the integer and choice grid, is often a point already run (a wasted trial, and a second trial
    that teaches the process nothing). Here every restart's optimum and every restart's starting point is a
    candidate, ranked by the acquisition (keras-tuner's upper confidence bound); the proposal is the best one that
    is not a trial already run, and a random one only when every candidate is."""

    def populate_space(self, trial_id: str) -> dict[str, Any]:
        completed = [t for t in self.trials.values() if t.status == "COMPLETED"]
        if len(completed) < initial_points(self):
            return self._random_populate_space()
        x, y = self._vectorize_trials()  # as keras-tuner 1.4.8 (pinned) fits its process
        self.gpr.fit(np.nan_to_num(x, posinf=0, neginf=0), np.nan_to_num(y, posinf=0, neginf=0))

        def bound(point: np.ndarray) -> float:
            mu, sigma = self.gpr.predict(point.reshape(1, -1), return_std=True)
            return float((mu - self.beta * sigma)[0])

        bounds = self._get_hp_bounds()
        starts = np.random.RandomState(self.seed).uniform(bounds[:, 0], bounds[:, 1], size=(RESTARTS, bounds.shape[0]))
        optima = [scipy.optimize.minimize(bound, x0=x0, bounds=bounds, method="L-BFGS-B").x for x0 in starts]
        for point in sorted([*optima, *starts], key=bound):
            values = self._vector_to_values(point)
            if not self._duplicate(values):
                return {"status": kt.engine.trial.TrialStatus.RUNNING, "values": values}
        return self._random_populate_space()


RESTARTS = 50  # keras-tuner's restarts of the acquisition's optimisation


def bo_oracle(search: Search, hyperparameters: Any = None, metric: str = OBJECTIVE) -> ReproducibleBayesianOracle:
    """The BO oracle of a search's budget (trials, initial points, seed), maximizing `metric`."""
    return ReproducibleBayesianOracle(
        objective=kt.Objective(metric, direction="max"),
        max_trials=search["trials"],
        num_initial_points=search["initial_points"],
        seed=search["seed"],
        hyperparameters=hyperparameters,
    )


TIE_BREAK = ("lut", "latency_clocks")  # a budgeted search's cost columns (first target), the cheaper first


def best_trial(oracle: Any, table: pd.DataFrame, state_dir: str | Path) -> dict[str, Any]:
    """The best completed trial (of `table`, :func:`trials_table`'s): the highest score, of equal scores the
    cheapest where the trials were costed (fewest LUTs, then clocks; keras-tuner would take the first), then the
    first. Its values, its full hyperparameter config (space and values, what the training rule rebuilds the model
    from), id and score. No completed trial is an error, not a default model."""
    metric = oracle.objective.name
    done = table[table["status"] == "COMPLETED"]
    if not len(done):
        raise SearchError(f"no trial of the search in {state_dir} completed; see the log for the trials' errors")
    top = done[done[metric] == done[metric].max()]
    order = [c for c in TIE_BREAK if c in top]
    trial_id = top.sort_values(order, kind="stable")["trial_id"].iloc[0] if order else top["trial_id"].iloc[0]
    best = oracle.trials[trial_id]
    return {
        "values": best.hyperparameters.values,
        "config": best.hyperparameters.get_config(),
        "trial_id": best.trial_id,
        "score": best.score,
    }


def state_dir(state_root: str | Path, settings: Mapping[str, Any], search: Search) -> Path:
    """Folder of a search's state: `state_root`/<key of `settings` and of the budget except `trials` and
    `workers`>, so a larger budget or more workers continue the same search."""
    budget = {k: v for k, v in search.items() if k not in ("trials", "workers")}
    return Path(state_root) / state_key(dict(settings) | {"search": budget})


def default_initial_points(trials: int, dims: int) -> int:
    """Random trials of a search of `trials` over `dims` hyperparameters when `initial_points` is null: half the
    budget, at least 3 (a Gaussian process fitted to fewer is a guess), at most keras-tuner's 3 x dims."""
    return min(max(3 * dims, 3), max(3, trials // 2))


def initial_points(oracle: Any) -> int:
    """Random trials before the Gaussian process proposes any: the search's `initial_points`, else
    :func:`default_initial_points` of its budget, fixed on the oracle when first asked (keras-tuner saves it with
    the oracle's state), so a search resumed with more trials keeps the random trials it started with."""
    if oracle.num_initial_points is None:
        oracle.num_initial_points = default_initial_points(oracle.max_trials, len(oracle.hyperparameters.space))
    return oracle.num_initial_points


def trials_table(oracle: Any, recorded: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """One row per trial in creation order: id, status, score, random or model-guided, hyperparameters, a
    student's validation cross-entropy and KD term (val_ce, val_kd); a
    budgeted search's judge's metrics (accuracy, cost, fits).

    `recorded` (by trial id) overrides or adds columns: a parallel search records how each trial was
    proposed (with workers, trial k may be drawn at random while fewer than `initial_points` have finished),
    which worker ran it and the judge's metrics."""
    initial = initial_points(oracle)
    metric = oracle.objective.name
    rows = []
    for index, trial in enumerate(sorted(oracle.trials.values(), key=lambda t: int(t.trial_id))):
        if metric != OBJECTIVE:  # the judge's metrics
            judged = {name: trial.metrics.get_last_value(name) for name in trial.metrics.metrics if name != metric}
        else:  # what distillation did: the two terms of a student's loss on the validation part at its best epoch
            judged = {name: trial.metrics.get_last_value(name) for name in KD_TERMS if trial.metrics.exists(name)}
        rows.append(
            {
                "trial_id": trial.trial_id,
                "status": trial.status,
                metric: trial.score,
                "proposed_by": "random" if index < initial else "guided",
                **trial.hyperparameters.values,
                **judged,
            }
            | dict((recorded or {}).get(trial.trial_id, {}))
        )
    table = pd.DataFrame(rows)
    if "fits" in table:
        table["fits"] = table["fits"].map(lambda v: None if pd.isna(v) else bool(v))
    return table


def hyperparameters(config: Mapping[str, Any]) -> Any:
    """keras-tuner HyperParameters rebuilt from a saved config (with the best trial's values)."""
    return kt.HyperParameters.from_config(config)

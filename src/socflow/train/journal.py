"""One hyperparameter search split over N worker jobs that share a trial journal (search `workers` > 1).

Why not keras-tuner's own chief/worker mode: its gRPC oracle needs the chief alive while workers run, which
Snakemake does not guarantee (on 2 cores a chief and two workers deadlock, or a late worker finds no chief).
Why not its project folder shared by the workers: `Oracle.reload()` re-queues every ongoing trial, so a
worker would rerun the trials that live workers are running.

So the state is a journal, `journal.json` in the search's state folder, read and rewritten only under a file
lock (`journal.lock`): one entry per trial (id, worker, RUNNING / COMPLETED / FAILED, hyperparameter values,
score, how it was proposed, timestamps). A worker, under the lock, reclaims a RUNNING trial of its own (it
was killed and Snakemake reruns it with the same id) or of a worker id no longer configured, or asks
keras-tuner's BayesianOptimizationOracle, rebuilt in memory from the journal, for a new trial; then trains
without the lock and records the score under it. Completed trials are never run again.

Proposals are keras-tuner's: random values while fewer than `initial_points` trials have completed (trial k
draws from seed + k x the number of hyperparameters, where keras-tuner's own loop draws trial k when no value
collided, and values already in the journal are redrawn), Gaussian-process guided after. Trials other
workers are running are ongoing trials to the oracle, which scores them pessimistically (keras-tuner's
"hallucination" for distributed tuning), so two workers asking at once are steered apart. Every trial trains
seeded with the search seed + its id: its score does not depend on the worker that ran it. Which guided
values a trial gets depends on which trials had finished when it was asked for, so a parallel search is
reproducible in its random trials and in each trial's training, not in the timing of the guided ones.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from socflow._keras import keras

import numpy as np
import pandas as pd

from socflow.errors import SearchError
from socflow.io import plain_numbers, read_json, read_xy, write_json
from socflow.settings import Search
from socflow.train.fit import fit_model
from socflow.train.trials import (
    OBJECTIVE,
    Judge,
    best_trial,
    bo_oracle,
    initial_points,
    objective,
    seed_trial,
    state_dir,
    trial_folder,
    trial_metrics,
    trials_table,
)

log = logging.getLogger(__name__)
RUNNING, COMPLETED, FAILED = "RUNNING", "COMPLETED", "FAILED"


@contextmanager
def locked_journal(state: Path) -> Iterator[dict[str, Any]]:
    """Yield the search's journal (empty when new) while holding its lock; it is written back atomically when
    the block ends without error, so a worker killed at any point leaves the last consistent journal."""
    from filelock import FileLock

    state.mkdir(parents=True, exist_ok=True)
    path = state / "journal.json"
    with FileLock(state / "journal.lock"):
        journal = read_json(path) if path.exists() else {"space": None, "trials": []}
        yield journal
        write_json(path, journal)


def search_space(build: Callable[[Any], keras.Model]) -> Any:
    """The hyperparameters one build declares, as keras-tuner's tuner collects them before its first trial."""
    import keras_tuner as kt

    space = kt.HyperParameters()
    build(space)
    keras.backend.clear_session()
    return space


def with_values(space: Any, values: Mapping[str, Any]) -> Any:
    """A copy of the space holding a trial's values, in the space's order (the journal's JSON sorts keys),
    so trials.csv has its columns in the order of a one-worker search's."""
    hp = space.copy()
    hp.values = {p.name: values[p.name] for p in space.space if p.name in values}
    return hp


def journal_oracle(search: Search, space: Any, trials: Sequence[Mapping[str, Any]], metric: str = OBJECTIVE) -> Any:
    """keras-tuner's BO oracle in memory, holding the journal's trials: completed ones with their scores,
    running ones as ongoing (scored pessimistically by the Gaussian process, so proposals avoid them).

    keras-tuner's long-lived oracle scores an ongoing trial with the Gaussian process of its last proposal;
    a fresh oracle's process is unfitted and would score it +1 (the prior), an outlier that distorts the fit,
    so the process is first fitted to the finished trials, then the running ones are added."""
    from keras_tuner.engine.trial import Trial

    oracle = bo_oracle(search, space.copy(), metric)
    for running in (False, True):
        if running and any(t["status"] == COMPLETED for t in trials):
            x, y = oracle._vectorize_trials()  # keras-tuner 1.4.8 (pinned), as its populate_space does
            oracle.gpr.fit(np.nan_to_num(x, posinf=0, neginf=0), np.nan_to_num(y, posinf=0, neginf=0))
        for entry in (t for t in trials if (t["status"] == RUNNING) == running):
            trial = Trial(with_values(space, entry["values"]), trial_id=entry["trial_id"], status=entry["status"])
            trial.score = entry["score"]
            oracle.trials[trial.trial_id] = trial
            oracle._record_values(trial)  # so random proposals are not repeated
            if running:
                oracle.ongoing_trials[f"trial-{trial.trial_id}"] = trial
    return oracle


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _new_trial(search: Search, space: Any, trials: list[dict[str, Any]], worker: int) -> dict[str, Any] | None:
    """The next trial keras-tuner's oracle proposes given the journal; None when the space is exhausted."""
    index = len(trials)
    trial_id = f"{index:0{len(str(search['trials']))}d}"  # keras-tuner's own trial ids
    oracle = journal_oracle(search, space, trials)
    oracle._seed_state = search["seed"] + index * len(space.space)  # keras-tuner's draw for trial k, see above
    completed = sum(t["status"] == COMPLETED for t in trials)
    response = oracle.populate_space(trial_id)
    if response["status"] != RUNNING:
        return None
    return {
        "trial_id": trial_id,
        "worker": worker,
        "status": RUNNING,
        "values": plain_numbers(response["values"]),
        "score": None,
        "proposed_by": "random" if completed < initial_points(oracle) else "guided",
        "started": _now(),
        "finished": None,
    }


def claim_trial(journal: dict[str, Any], search: Search, space: Any, worker: int) -> dict[str, Any] | None:
    """Under the lock: the trial `worker` runs next, marked RUNNING in `journal`, or None when the search
    has its `trials` (completed, or created and left to other live workers)."""
    trials = journal["trials"]
    if sum(t["status"] == COMPLETED for t in trials) >= search["trials"]:
        return None
    for entry in trials:
        if entry["status"] == RUNNING and (entry["worker"] == worker or entry["worker"] >= search["workers"]):
            log.info(
                "worker %d reclaims trial %s (left RUNNING by worker %d)", worker, entry["trial_id"], entry["worker"]
            )
            entry.update(worker=worker, started=_now())
            return entry
    if len(trials) >= search["trials"]:
        return None
    entry = _new_trial(search, space, trials, worker)
    if entry is not None:
        trials.append(entry)
    return entry


def _train_trial(
    build: Callable[[Any], keras.Model],
    space: Any,
    entry: Mapping[str, Any],
    data: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    search: Search,
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]],
    judge: Judge | None,
    folder: Path,
) -> dict[str, Any]:
    """Train one trial as keras-tuner's search does (same build, fit and callbacks); its metrics as
    socflow.train.trials.trial_metrics gives them."""
    seed_trial(search["seed"], entry["trial_id"])
    hp = with_values(space, entry["values"])
    model = build(hp)
    history, seconds = fit_model(model, *data, search["epochs"], search["batch_size"], list(callbacks()))
    return trial_metrics(judge, model, history, folder, seconds, hp.get_config())


def _record(state: Path, trial_id: str, worker: int, **result: Any) -> None:
    with locked_journal(state) as journal:
        entry = next(t for t in journal["trials"] if t["trial_id"] == trial_id)
        entry.update(worker=worker, finished=_now(), **result)


def search_worker(
    build: Callable[[Any], keras.Model],
    data: Mapping[str, str],
    search: Search,
    settings: Mapping[str, Any],
    state_root: str | Path,
    worker: int,
    output: str | Path,
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]] = list,
    judge: Judge | None = None,
) -> list[str]:
    """Run trials of the shared search until it has its `trials`; write `output` (the trials this worker
    ran) and return their ids. A trial that raises is recorded FAILED and the error re-raised, so the job fails."""
    state = state_dir(state_root, settings, search)
    space = search_space(build)
    xy = read_xy(data["train"]), read_xy(data["val"])
    ran: list[str] = []
    while True:
        with locked_journal(state) as journal:
            journal["space"] = journal["space"] or space.get_config()
            journal.setdefault("initial_points", search["initial_points"] or initial_points(bo_oracle(search, space)))
            entry = claim_trial(journal, dict(search, initial_points=journal["initial_points"]), space, worker)
        if entry is None:
            break
        log.info("worker %d: trial %s (%s) %s", worker, entry["trial_id"], entry["proposed_by"], entry["values"])
        try:
            folder = trial_folder(state, entry["trial_id"])  # as keras-tuner names a trial's folder
            metrics = _train_trial(build, space, entry, xy, search, callbacks, judge, folder)
        except Exception as error:
            _record(state, entry["trial_id"], worker, status=FAILED, message=f"{type(error).__name__}: {error}")
            raise
        score = metrics.pop(objective(judge))
        _record(
            state,
            entry["trial_id"],
            worker,
            status=COMPLETED if math.isfinite(score) else FAILED,
            score=score if math.isfinite(score) else None,
            metrics=metrics,
        )
        log.info("worker %d: trial %s %s %.4f", worker, entry["trial_id"], objective(judge), score)
        ran.append(entry["trial_id"])
    log.info("worker %d ran %d trials of the search in %s", worker, len(ran), state)
    write_json(output, {"worker": worker, "trials": ran, "state": str(state)})
    return ran


def journal_results(state: Path, search: Search, metric: str = OBJECTIVE) -> tuple[dict[str, Any], pd.DataFrame]:
    """The best trial and the table of all trials (with the worker of each and its judge's metrics) of a
    parallel search."""
    import keras_tuner as kt

    with locked_journal(state) as journal:
        trials = journal["trials"]
        space = journal["space"]
    if space is None:
        raise SearchError(f"no trial of the search in {state} was started: its workers have not run")
    oracle = journal_oracle(search, kt.HyperParameters.from_config(space), trials, metric)
    recorded = {
        t["trial_id"]: {"proposed_by": t["proposed_by"], "worker": t["worker"], **t.get("metrics", {})} for t in trials
    }
    table = trials_table(oracle, recorded)
    return best_trial(oracle, table, state), table

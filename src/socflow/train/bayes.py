"""The one-worker Bayesian search (keras-tuner's own loop, resumable) and `tune`, which runs it or collects
the trials of a parallel search's workers (socflow.train.journal)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from socflow._keras import keras

import keras_tuner as kt
import numpy as np
import pandas as pd

from socflow.io import atomic_path, read_xy, write_json
from socflow.settings import Search
from socflow.train.journal import journal_results
from socflow.train.trials import (
    Judge,
    best_trial,
    bo_oracle,
    objective,
    seed_trial,
    state_dir,
    trial_metrics,
    trials_table,
)

log = logging.getLogger(__name__)


class SeededTuner(kt.Tuner):
    """keras-tuner's tuner training each trial seeded by (search seed, trial id), see :func:`seed_trial`; with
    a `judge`, a trial's metrics are the judge's of the model as trained (a student search's score, with a budget
    its cost), kept in the trial's folder with its fit's history and seconds (:func:`trial_metrics`)."""

    def __init__(self, *args: Any, judge: Judge | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.judge = judge

    def run_trial(self, trial: Any, *args: Any, **kwargs: Any) -> Any:
        seed_trial(self.oracle.seed, trial.trial_id)
        if self.judge is None:
            return super().run_trial(trial, *args, **kwargs)
        model = self._try_build(trial.hyperparameters)
        kwargs["callbacks"] = self._deepcopy_callbacks(kwargs.get("callbacks", []))
        start = time.perf_counter()
        history = self.hypermodel.fit(trial.hyperparameters, model, *args, **kwargs).history
        seconds = time.perf_counter() - start
        curves = {k: [float(v) for v in vs] for k, vs in history.items()}
        folder, config = Path(self.get_trial_dir(trial.trial_id)), trial.hyperparameters.get_config()
        return trial_metrics(self.judge, model, curves, folder, seconds, config)


def bayesian_search(
    build: Callable[[Any], keras.Model],
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    search: Search,
    state_dir: str | Path,
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]] = list,
    judge: Judge | None = None,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Run (or resume) the search; return the best hyperparameters' config and the table of all trials.

    The keras-tuner project lives in `state_dir`: trials finished there are not run again, and one
    interrupted mid-way is retried. Each trial trains seeded by (search seed, trial id), see :func:`seed_trial`,
    with the callbacks `callbacks` makes (early stopping among them, as the caller trains: see
    socflow.train.student's `trial_callbacks`).
    """
    state_dir = Path(state_dir)
    tuner = SeededTuner(
        oracle=bo_oracle(search, metric=objective(judge)),
        hypermodel=build,
        judge=judge,
        directory=str(state_dir.parent),
        project_name=state_dir.name,
        overwrite=False,
    )
    done = len([t for t in tuner.oracle.trials.values() if t.status == "COMPLETED"])
    log.info("search in %s: %d of %d trials already done", state_dir, done, search["trials"])
    tuner.search(
        *train,
        validation_data=val,
        epochs=search["epochs"],
        batch_size=search["batch_size"],
        callbacks=list(callbacks()),
        verbose=2,
    )
    table = trials_table(tuner.oracle)
    return best_trial(tuner.oracle, table, state_dir), table


def tune(
    build: Callable[[Any], keras.Model],
    data: Mapping[str, str],
    search: Search,
    settings: Mapping[str, Any],
    state_root: str | Path,
    outputs: Mapping[str, str],
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]] = list,
    judge: Judge | None = None,
) -> dict[str, Any]:
    """Run or resume a search (one worker), or collect the trials of its parallel workers (`workers` > 1);
    write outputs['trials'] (trials.csv) and outputs['hparams'] (best hyperparameters)."""
    state = state_dir(state_root, settings, search)
    if search["workers"] == 1:
        train, val = read_xy(data["train"]), read_xy(data["val"])
        best, table = bayesian_search(build, train, val, search, state, callbacks, judge)
    else:
        best, table = journal_results(state, search, objective(judge))
    with atomic_path(outputs["trials"]) as tmp:
        table.to_csv(tmp, index=False)
    guided = int((table["proposed_by"] == "guided").sum())
    write_json(outputs["hparams"], best | {"state": str(state), "guided_trials": guided})
    log.info(
        "best trial %s: %s %.4f %s (%d of %d trials model-guided)",
        best["trial_id"],
        objective(judge),
        best["score"],
        best["values"],
        guided,
        len(table),
    )
    return best

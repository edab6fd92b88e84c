"""Bayesian optimisation of hyperparameters with keras-tuner, resumable, with an honest trial log.

keras-tuner's BayesianOptimization draws `num_initial_points` random trials (by default 3 x the number of
hyperparameters) before its Gaussian process proposes any; a budget at or below that is a random search
(the paper's reference code ran one iteration). trials.csv marks each trial `random` or `guided`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socflow._keras import keras, set_threads  # before keras_tuner: it must find Keras 2
from socflow.io import atomic_path, read_json, read_xy, sha256_json, write_json

import keras_tuner as kt  # noqa: E402,I001

log = logging.getLogger(__name__)
OBJECTIVE = "val_accuracy"


def state_key(settings: Mapping[str, Any]) -> str:
    """Folder name of a search's keras-tuner state: a hash of everything that shapes its trials except the
    trial budget, so raising `trials` extends the search while a new space or new data starts afresh."""
    return sha256_json(settings)[:12]


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow, and make TensorFlow's ops deterministic."""
    keras.utils.set_random_seed(seed)
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()


def seed_trial(search_seed: int, trial_id: str) -> None:
    """Start a trial's training from (search seed, trial id) alone, as a fresh process would: so a resumed
    search trains its remaining trials exactly as an uninterrupted one, and a trial scores the same whichever
    worker (or the one-worker loop) runs it."""
    keras.backend.clear_session()
    keras.utils.set_random_seed(search_seed + int(trial_id))


class ReproducibleBayesianOracle(kt.oracles.BayesianOptimizationOracle):
    """keras-tuner's BO oracle whose every proposal starts its random restarts from the search seed.

    keras-tuner's oracle draws the restarts of its acquisition optimisation from one generator that runs on
    across proposals and is not saved with the oracle, so a reloaded search proposed other guided trials than an
    uninterrupted one would have. Seeded per proposal, a proposal depends only on the finished trials: the same
    after a resume, and the same as a parallel search's (which builds a fresh oracle for each proposal)."""

    def populate_space(self, trial_id: str) -> dict[str, Any]:
        self._random_state = np.random.RandomState(self.seed)
        return super().populate_space(trial_id)


def bo_oracle(search: Mapping[str, Any], hyperparameters: Any = None) -> ReproducibleBayesianOracle:
    """The BO oracle of a search's budget (trials, initial points, seed), on val accuracy."""
    return ReproducibleBayesianOracle(
        objective=kt.Objective(OBJECTIVE, direction="max"),
        max_trials=search["trials"],
        num_initial_points=search["initial_points"],
        seed=search["seed"],
        hyperparameters=hyperparameters,
    )


class SeededTuner(kt.Tuner):
    """keras-tuner's tuner training each trial seeded by (search seed, trial id), see :func:`seed_trial`."""

    def run_trial(self, trial: Any, *args: Any, **kwargs: Any) -> Any:
        seed_trial(self.oracle.seed, trial.trial_id)
        return super().run_trial(trial, *args, **kwargs)


def early_stopping(patience: int, start_epoch: int = 0) -> list[keras.callbacks.Callback]:
    """Stop when the validation loss stops improving and keep the best weights (none when patience is 0).

    The loss, not the accuracy: on a few hundred validation samples accuracy moves in coarse, noisy steps,
    and restoring its luckiest epoch gave teachers that did worse on the test set."""
    if patience <= 0:
        return []
    return [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", mode="min", patience=patience, restore_best_weights=True, start_from_epoch=start_epoch
        )
    ]


def bayesian_search(
    build: Callable[[Any], keras.Model],
    train: tuple[np.ndarray, np.ndarray],
    val: tuple[np.ndarray, np.ndarray],
    search: Mapping[str, Any],
    state_dir: str | Path,
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]] = list,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Run (or resume) the search; return the best hyperparameters' config and the table of all trials.

    The keras-tuner project lives in `state_dir`: trials finished there are not run again, and one
    interrupted mid-way is retried. Each trial trains seeded by (search seed, trial id), see :func:`seed_trial`.
    """
    state_dir = Path(state_dir)
    tuner = SeededTuner(
        oracle=bo_oracle(search),
        hypermodel=build,
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
        callbacks=[*callbacks(), *early_stopping(search["patience"])],
        verbose=2,
    )
    return best_trial(tuner.oracle, state_dir), trials_table(tuner.oracle)


def best_trial(oracle: Any, state_dir: str | Path) -> dict[str, Any]:
    """The best completed trial: its values, its full hyperparameter config (space and values, what the
    training rule rebuilds the model from), id and score. No completed trial is an error, not a default model."""
    if not any(t.status == "COMPLETED" for t in oracle.trials.values()):
        raise RuntimeError(f"no trial of the search in {state_dir} completed; see the log for the trials' errors")
    best = oracle.get_best_trials(1)[0]
    return {"values": best.hyperparameters.values, "config": best.hyperparameters.get_config(),
            "trial_id": best.trial_id, "score": best.score}


def state_dir(state_root: str | Path, settings: Mapping[str, Any], search: Mapping[str, Any]) -> Path:
    """Folder of a search's state: `state_root`/<key of `settings` and of the budget except `trials` and
    `workers`>, so a larger budget or more workers continue the same search."""
    budget = {k: v for k, v in search.items() if k not in ("trials", "workers")}
    return Path(state_root) / state_key(dict(settings) | {"search": budget})


def begin_stage(data: Mapping[str, str], search: Mapping[str, Any], threads: int) -> dict[str, Any]:
    """Common start of a training stage: thread budget, seeds; returns the data summary."""
    set_threads(threads)
    seed_everything(search["seed"])
    return read_json(data["summary"])


def tune(
    build: Callable[[Any], keras.Model],
    data: Mapping[str, str],
    search: Mapping[str, Any],
    settings: Mapping[str, Any],
    state_root: str | Path,
    outputs: Mapping[str, str],
    callbacks: Callable[[], Sequence[keras.callbacks.Callback]] = list,
) -> dict[str, Any]:
    """Run or resume a search (one worker), or collect the trials of its parallel workers (`workers` > 1);
    write outputs['trials'] (trials.csv) and outputs['hparams'] (best hyperparameters)."""
    state = state_dir(state_root, settings, search)
    if search["workers"] == 1:
        best, table = bayesian_search(build, read_xy(data["train"]), read_xy(data["val"]), search, state, callbacks)
    else:
        from socflow.parallel_search import journal_results  # that module builds on this one

        best, table = journal_results(state, search)
    with atomic_path(outputs["trials"]) as tmp:
        table.to_csv(tmp, index=False)
    guided = int((table["proposed_by"] == "guided").sum())
    write_json(outputs["hparams"], best | {"state": str(state), "guided_trials": guided})
    log.info("best trial %s: %s %.4f %s (%d of %d trials model-guided)", best["trial_id"], OBJECTIVE, best["score"],
             best["values"], guided, len(table))
    return best


def initial_points(oracle: Any) -> int:
    """Random trials before the Gaussian process proposes any, as keras-tuner's BO oracle counts them."""
    return oracle.num_initial_points or max(3 * len(oracle.hyperparameters.space), 3)


def trials_table(oracle: Any, recorded: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """One row per trial in creation order: id, status, score, random or model-guided, hyperparameters.

    `recorded` (by trial id) overrides or adds columns: a parallel search records how each trial was
    proposed (with workers, trial k may be drawn at random while fewer than `initial_points` have finished)
    and which worker ran it."""
    initial = initial_points(oracle)
    rows = []
    for index, trial in enumerate(sorted(oracle.trials.values(), key=lambda t: int(t.trial_id))):
        rows.append(
            {
                "trial_id": trial.trial_id,
                "status": trial.status,
                OBJECTIVE: trial.score,
                "proposed_by": "random" if index < initial else "guided",
                **trial.hyperparameters.values,
            }
            | dict((recorded or {}).get(trial.trial_id, {}))
        )
    return pd.DataFrame(rows)


def hyperparameters(config: Mapping[str, Any]) -> Any:
    """keras-tuner HyperParameters rebuilt from a saved config (with the best trial's values)."""
    return kt.HyperParameters.from_config(config)

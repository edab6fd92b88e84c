"""What the searches share (socflow.train.trials): a trial's metrics, with what distillation did in it."""

from __future__ import annotations

import pytest

from socflow.errors import SearchError
from socflow.train.trials import trial_metrics

HISTORY = {"val_accuracy": [0.5, 0.9, 0.8], "val_ce": [1.0, 0.3, 0.4], "val_kd": [2.0, 0.7, 0.6], "loss": [3, 2, 1]}


def test_a_trials_metrics_are_its_best_epochs_with_the_kd_terms():
    assert trial_metrics(None, None, HISTORY, None) == {"val_accuracy": 0.9, "val_ce": 0.3, "val_kd": 0.7}
    assert trial_metrics(None, None, {"val_accuracy": [0.2, 0.4]}, None) == {"val_accuracy": 0.4}  # a teacher


def test_a_judged_trial_keeps_the_judges_metrics_adds_the_kd_terms_and_records_its_fit(tmp_path):
    from socflow.io import read_json
    from socflow.train.trials import TRIAL_RECORD

    def judge(model, folder):
        return {"score": 0.5, "val_accuracy": 0.9, "lut": 1200}

    metrics = trial_metrics(judge, None, HISTORY, tmp_path, seconds=12.5, hyperparameters={"values": {"units_0": 4}})
    assert metrics == pytest.approx({"score": 0.5, "val_accuracy": 0.9, "lut": 1200.0, "val_ce": 0.3, "val_kd": 0.7})
    assert read_json(tmp_path / TRIAL_RECORD) == {"history": HISTORY, "seconds": 12.5, "metrics": metrics,
                                                   "hyperparameters": {"values": {"units_0": 4}}}  # fmt: skip


def _oracle_after(finished: list[tuple[dict, float]], low: int = 4, high: int = 20):
    """The search's BO oracle (2 initial points) holding `finished` trials (values, score) as completed."""
    import keras_tuner as kt
    from keras_tuner.engine.trial import Trial

    from socflow.train.trials import bo_oracle

    space = kt.HyperParameters()
    space.Int("units_0", low, high)
    space.Choice("learning_rate", [0.01, 0.001])
    oracle = bo_oracle({"trials": 8, "initial_points": 2, "seed": 1}, space.copy())
    for i, (values, score) in enumerate(finished):
        hp = space.copy()
        hp.values = dict(values)
        trial = Trial(hp, trial_id=str(i), status="COMPLETED")
        trial.score = score
        oracle.trials[trial.trial_id] = trial
        oracle._record_values(trial)
    return oracle


# finished trials after which keras-tuner's own proposal (the acquisition's optimum on the grid) repeats one
REPEATED = [
    [({"units_0": 11, "learning_rate": 0.001}, 0.61), ({"units_0": 12, "learning_rate": 0.01}, 0.83)],
    [({"units_0": 16, "learning_rate": 0.01}, 0.55), ({"units_0": 7, "learning_rate": 0.001}, 0.97)],
    [({"units_0": 6, "learning_rate": 0.01}, 0.9), ({"units_0": 17, "learning_rate": 0.01}, 0.7)],
    [({"units_0": 20, "learning_rate": 0.001}, 0.6), ({"units_0": 7, "learning_rate": 0.001}, 0.95)],
]


@pytest.mark.parametrize("finished", REPEATED)
def test_a_guided_proposal_never_repeats_a_finished_trial_and_is_reproducible(finished):
    oracle = _oracle_after(finished)
    proposal = oracle.populate_space("2")
    assert proposal["status"] == "RUNNING"
    assert proposal["values"] not in [values for values, _ in finished]
    assert _oracle_after(finished).populate_space("2")["values"] == proposal["values"]


def test_a_space_run_through_stops_instead_of_repeating():
    finished = [({"units_0": u, "learning_rate": r}, 0.5 + u / 10) for u in (1, 2) for r in (0.01, 0.001)]
    assert _oracle_after(finished, 1, 2).populate_space("4")["status"] == "STOPPED"


def test_the_default_random_trials_scale_with_the_budget():
    from socflow.train.trials import default_initial_points, initial_points

    # an 8-trial search of a 9-hyperparameter conv space: 4 random, 4 guided (keras-tuner's default: 27 random)
    assert [default_initial_points(t, 9) for t in (4, 6, 8, 16, 24, 100)] == [3, 3, 4, 8, 12, 27]
    assert default_initial_points(24, 2) == 6  # never more than keras-tuner's 3 x dims
    assert all(t - default_initial_points(t, d) > 0 for t in range(6, 40) for d in range(1, 12))
    oracle = _oracle_after([])
    oracle.num_initial_points, oracle.max_trials = None, 16
    assert initial_points(oracle) == 6 and oracle.get_state()["num_initial_points"] == 6  # saved with the search
    oracle.max_trials = 40  # a resumed search with more trials keeps the random trials it started with
    assert initial_points(oracle) == 6


def test_of_equally_accurate_trials_the_cheaper_is_best():
    import pandas as pd

    from socflow.train.trials import best_trial

    finished = [({"units_0": u, "learning_rate": 0.01}, s) for u, s in ((12, 0.95), (8, 0.95), (20, 0.9))]
    oracle = _oracle_after(finished)
    table = pd.DataFrame(
        {"trial_id": ["0", "1", "2"], "status": ["COMPLETED"] * 3, "val_accuracy": [0.95, 0.95, 0.9]}
        | {"lut": [1359, 1140, 900], "latency_clocks": [39, 28, 20]}
    )
    best = best_trial(oracle, table, "state")
    assert (best["trial_id"], best["values"]["units_0"]) == ("1", 8)  # trial 0 first, trial 1 cheaper
    assert best_trial(oracle, table.drop(columns=["lut", "latency_clocks"]), "state")["trial_id"] == "0"
    with pytest.raises(SearchError, match="no trial of the search in state completed"):
        best_trial(oracle, table.assign(status="FAILED"), "state")

"""What the searches share (socflow.train.trials): a trial's metrics, with what distillation did in it."""

from __future__ import annotations

import pytest

from socflow.train.trials import trial_metrics

HISTORY = {"val_accuracy": [0.5, 0.9, 0.8], "val_ce": [1.0, 0.3, 0.4], "val_kd": [2.0, 0.7, 0.6], "loss": [3, 2, 1]}


def test_a_trials_metrics_are_its_best_epochs_with_the_kd_terms():
    assert trial_metrics(None, None, HISTORY, None) == {"val_accuracy": 0.9, "val_ce": 0.3, "val_kd": 0.7}
    assert trial_metrics(None, None, {"val_accuracy": [0.2, 0.4]}, None) == {"val_accuracy": 0.4}  # a teacher


def test_a_judged_trial_keeps_the_judges_metrics_and_adds_the_kd_terms():
    def judge(model, history, folder):
        return {"score": 0.5, "val_accuracy": 0.9, "lut": 1200}

    metrics = trial_metrics(judge, None, HISTORY, None)
    assert metrics == pytest.approx({"score": 0.5, "val_accuracy": 0.9, "lut": 1200.0, "val_ce": 0.3, "val_kd": 0.7})


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

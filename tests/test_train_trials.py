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

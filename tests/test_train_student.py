"""The student stages (socflow.train.student): the search's distillation settings (a value is used as it is, a
list is a hyperparameter of the search, the soft term's kind included); the accuracy search keeps every trial's
student as it was trained and scored, and train_student deploys the chosen trial's kept student, not one trained
again."""

from __future__ import annotations

from socflow._keras import keras

import keras_tuner as kt
import numpy as np
import pandas as pd
import pytest

from conftest import RTL, TEACHER, budgeted
from socflow.config import validate_config
from socflow.errors import ConfigError
from socflow.io import read_json, read_xy, write_json
from socflow.models import load_model, save_model
from socflow.train.hypermodels import teacher_builder
from socflow.train.student import kd_settings, train_student, tune_student, tune_student_worker
from socflow.train.trials import TRIAL_RECORD, trial_folder


def test_kd_settings_are_values_or_the_searchs_choices():
    fixed = kd_settings(kt.HyperParameters(), {"alpha": 0.1, "temperature": 2.0, "kd": "scaled"})
    assert fixed == {"alpha": 0.1, "temperature": 2.0, "kd": "scaled"}
    hp = kt.HyperParameters()
    searched = kd_settings(hp, {"alpha": [0.1, 0.5], "temperature": [1.0, 4.0], "kd": ["hinton", "standardized"]})
    assert searched == {"alpha": 0.1, "temperature": 1.0, "kd": "hinton"}  # each choice's first value
    assert {name: list(p.values) for name, p in ((p.name, p) for p in hp.space)} == {
        "alpha": [0.1, 0.5],
        "temperature": [1.0, 4.0],
        "kd": ["hinton", "standardized"],
    }


def test_a_kd_kind_the_distiller_does_not_know_is_named():
    from socflow.kd import check_kind

    with pytest.raises(ConfigError, match="unknown KD kind 'hint'"):
        check_kind("hint")


VARIANT = {"bits": 8, "integer_bits": 0, "sparsity": 0.2}
TYPES = ["ap_fixed<6,3>", "ap_fixed<16,6>"]


@pytest.fixture(scope="module")
def teacher(data, tmp_path_factory):
    """A teacher trained for two epochs, saved as train_teacher saves one."""
    folder = tmp_path_factory.mktemp("teacher")
    keras.utils.set_random_seed(0)
    model = teacher_builder(TEACHER, [30], 4)(kt.HyperParameters())
    model.fit(*read_xy(data["train"]), epochs=2, batch_size=32, verbose=0)
    save_model(model, folder / "model.h5")
    write_json(folder / "metrics.json", {"params": int(model.count_params())})
    return {"teacher": str(folder / "model.h5"), "teacher_metrics": str(folder / "metrics.json")}


def student_section(workers: int) -> dict:
    """A validated student section: two trials of a few epochs, the pruning ramp over before early stopping."""
    student = {"units": [2, 8], "learning_rates": [0.01], "temperature": 2.0,
               "search": {"trials": 2, "initial_points": 2, "epochs": 8, "patience": 2, "batch_size": 32,
                          "workers": workers}}  # fmt: skip
    config = {"experiments": {"e": {"dataset": {"kind": "pulses"}, "student": student}}}
    return {k: v for k, v in validate_config(config)["experiments"]["e"]["student"].items() if k != "variants"}


@pytest.mark.parametrize("workers, budget", [(1, False), (2, True)], ids=["one worker", "two workers, budget"])
@pytest.mark.slow
def test_the_deployed_student_is_the_trial_the_search_scored(data, teacher, tmp_path, workers, budget):
    """One search of each kind: without a budget in keras-tuner's loop, with a budget (two input types, two reuse
    factors) by two workers. The deployed student's weights are its trial's kept student's and its validation
    accuracy on the input grid is its trial's score, within one sample."""
    targets = [budgeted(lut=0.5) | {"reuse_factor": [10, 20]}]
    params = {"student": student_section(workers), "variant": VARIANT, "state": str(tmp_path / "tuning"),
              "input_precision": TYPES if budget else "ap_fixed<16,6>",
              "budget": {"targets": targets, "input_precision": TYPES, "rtl": RTL} if budget else None}  # fmt: skip
    inputs = {k: data[k] for k in ("train", "val", "test", "summary")} | teacher
    search = {"hparams": str(tmp_path / "hparams.json"), "trials": str(tmp_path / "trials.csv")}
    for worker in range(workers if workers > 1 else 0):
        out = {"trials": str(tmp_path / f"worker{worker}.json")}
        tune_student_worker(inputs=inputs, params=params | {"worker": worker}, outputs=out, threads=1)
    best = tune_student(inputs=inputs, params=params, outputs=search, threads=1)
    trials = pd.read_csv(search["trials"], dtype={"trial_id": str}).set_index("trial_id")
    assert len(trials) == 2 and (trials["status"] == "COMPLETED").all()
    assert best["score"] == trials["score"].max() == trials.loc[best["trial_id"], "val_accuracy"]

    outputs = {k: str(tmp_path / f) for k, f in (("model", "model.h5"), ("metrics", "metrics.json"),
                                                  ("curves", "curves.png"))}  # fmt: skip
    metrics = train_student(inputs=inputs | search, params=params, outputs=outputs, threads=1)
    assert read_json(outputs["metrics"]) == metrics
    n_val = len(read_xy(data["val"])[1])
    assert abs(metrics["val_accuracy"] - best["score"]) <= 1 / n_val
    kept = load_model(metrics["search"]["model"])
    assert metrics["search"]["trial_id"] == best["trial_id"] and metrics["search"]["model"].startswith(params["state"])
    deployed = load_model(outputs["model"])
    assert all(np.array_equal(a, b) for a, b in zip(deployed.get_weights(), kept.get_weights()))
    record = read_json(trial_folder(read_json(search["hparams"])["state"], best["trial_id"]) / TRIAL_RECORD)
    assert metrics["history"] == record["history"] and metrics["epochs_run"] == len(record["history"]["loss"])
    if budget:
        assert metrics["input_precision"] in TYPES and metrics["reuse_factors"]
        chosen = trials.loc[best["trial_id"]]
        assert metrics["budget"]["reuse_factor"] == chosen["reuse_factor"] and chosen["fits"]
    else:
        assert metrics["input_precision"] is None and metrics["budget"] is None

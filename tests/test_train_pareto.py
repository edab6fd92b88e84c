"""The Pareto student search (socflow.train.pareto) and its front (socflow.train.front): keras-tuner hypermodels
driven by Optuna, every trial costed at every reuse factor and input type, the front and the selection rules,
resume, and a trial a killed job left running run again."""

from __future__ import annotations

from socflow._keras import keras

import keras_tuner as kt
import pandas as pd
import pytest

from conftest import RTL, STUDENT, budgeted
from socflow.errors import BudgetError, ConfigError
from socflow.fixed import FixedType
from socflow.io import read_json
from socflow.train.front import front, pareto_mask, select

POINTS = pd.DataFrame(
    [
        # trial, R, accuracy, LUT, clocks, fits
        (0, 1, 0.95, 1359, 39, True),
        (0, 10, 0.95, 900, 60, True),
        (1, 1, 0.95, 1140, 28, True),  # dominates trial 0 at R = 1: as accurate, smaller and faster
        (2, 1, 0.90, 600, 20, True),
        (3, 1, 0.97, 3000, 12, False),  # the most accurate, over the budget
        (3, 10, 0.97, 2500, 80, False),
    ],
    columns=["trial_id", "reuse_factor", "val_accuracy", "lut", "latency_clocks", "fits"],
).assign(target="basys3", input_width=16, over_budget=lambda p: (~p["fits"]) * 0.2, model="m.h5")


def test_the_front_keeps_what_no_point_beats():
    assert pareto_mask(POINTS).tolist() == [False, True, True, True, True, True]
    assert pareto_mask(pd.concat([POINTS.iloc[[2]]] * 2)).tolist() == [True, True]  # equal points both stay
    marked = front(POINTS)
    assert set(marked["trial_id"]) == {0, 1, 2, 3}  # every point of a trial with one on the front
    assert marked.loc[marked["on_front"], ["trial_id", "reuse_factor"]].values.tolist() == [
        [3, 10], [3, 1], [0, 10], [1, 1], [2, 1]
    ]  # fmt: skip


def test_the_selection_rules():
    accurate = select(POINTS, "basys3", {"rule": "accurate"})
    assert (accurate["trial_id"], accurate["reuse_factor"]) == (0, 10)  # 95 % that fits, the fewest LUTs
    small = select(POINTS, "basys3", {"rule": "smallest_within", "points": 5.0})
    assert (small["trial_id"], small["lut"]) == (2, 600)  # 90 %, within 5 points of 95
    assert select(POINTS, "basys3", {"rule": "smallest_within", "points": 1.0})["trial_id"] == 0
    chosen = select(POINTS, "basys3", {"rule": "trial", "trial": 1})
    assert (chosen["trial_id"], chosen["lut"]) == (1, 1140)
    with pytest.raises(ConfigError, match=r"trial 7 did not complete in the search; completed: \[0, 1, 2, 3\]"):
        select(POINTS, "basys3", {"rule": "trial", "trial": 7})
    with pytest.raises(BudgetError, match="no point of the Pareto search fits its budget; the nearest, trial 0"):
        select(POINTS.assign(fits=False), "basys3", {"rule": "accurate"})


def test_an_optuna_trial_drives_a_keras_tuner_hypermodel():
    import optuna

    from socflow.train.pareto import TrialHyperParameters

    def build(hp):
        return (hp.Int("units", 4, 20, step=4), hp.Choice("lr", [0.01, 0.001]), hp.Float("alpha", 0.0, 1.0),
                hp.Boolean("bias"), hp.Fixed("bits", 8))  # fmt: skip

    study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=1))
    trial = study.ask()
    hp = TrialHyperParameters(trial)
    units, lr, alpha, bias, bits = build(hp)
    assert trial.params == {"units": units, "lr": lr, "alpha": alpha, "bias": bias}
    assert units in (4, 8, 12, 16, 20) and lr in (0.01, 0.001) and 0 <= alpha <= 1 and bits == 8
    assert build(hp) == (units, lr, alpha, bias, bits)  # a second declaration keeps the value
    config = hp.get_config()  # keras-tuner's: what train_student rebuilds the student from
    rebuilt = kt.HyperParameters.from_config(config)
    assert rebuilt.values == hp.values and [p.name for p in rebuilt.space] == ["units", "lr", "alpha", "bias", "bits"]


def test_searches_of_other_seeds_draw_their_own_trials():
    """Each search seed draws its trials from a stream of its own: seed 2 is not seed 1 shifted by one trial."""
    import optuna

    from socflow.train.pareto import _sampler, proposal_seed

    def first_trials(seed: int) -> list[dict]:
        study = optuna.create_study(directions=["maximize", "minimize"])
        drawn = []
        for _ in range(4):
            study.sampler = _sampler(10, proposal_seed(seed, len(study.trials)))
            trial = study.ask()
            drawn.append({"u": trial.suggest_int("u", 0, 10_000)})
            study.tell(trial, [0.5, 1.0])
        return drawn

    one, two = first_trials(1), first_trials(2)
    assert first_trials(1) == one  # reproducible
    assert not any(t in one for t in two)  # and independent


SEARCH = {"trials": 3, "initial_points": 2, "epochs": 2, "patience": 0, "batch_size": 32, "seed": 3, "workers": 1,
          "objective": "pareto"}  # fmt: skip


def _build(hp):
    from socflow.train.compression import PruningPlan, student_model

    student = STUDENT | {"units": [4, 12]}
    plan = PruningPlan.for_training(0.2, 112, 32, epochs=2)
    model = student_model(hp, student, {"bits": 8, "integer_bits": 0, "sparsity": 0.2}, [30], 4, plan)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    model.compile(optimizer=keras.optimizers.Adam(hp.Choice("learning_rate", [0.01, 0.001])), loss=loss,
                  metrics=["accuracy"])  # fmt: skip
    return model


def _pruning():
    import tensorflow_model_optimization as tfmot

    return [tfmot.sparsity.keras.UpdatePruningStep()]


def test_a_trial_stopped_early_keeps_the_target_sparsity(tmp_path):
    """A student's trials train with train_student's callbacks: early stopping keeps no epoch of the pruning ramp.
    On random labels the validation loss rises from the first epochs; a trial kept from there would be less sparse
    than asked (Pareto trials are deployed as kept)."""
    import numpy as np

    from socflow.io import save_npz
    from socflow.models import load_model
    from socflow.train.compression import PruningPlan, sparsity_report, student_model
    from socflow.train.pareto import run_trials, study_tables
    from socflow.train.student import trial_callbacks
    from socflow.train.trials import state_dir

    rng = np.random.default_rng(0)
    data = {}
    for part, n in (("train", 256), ("val", 64)):
        data[part] = str(tmp_path / f"{part}.npz")
        save_npz(data[part], {"x": rng.normal(size=(n, 30)).astype(np.float32), "y": rng.integers(0, 4, n)})
    plan = PruningPlan.for_training(0.5, 256, 32, epochs=8)

    def build(hp):
        model = student_model(hp, STUDENT | {"units": [12, 12]}, {"bits": 8, "integer_bits": 0, "sparsity": 0.5},
                              [30], 4, plan)  # fmt: skip
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        model.compile(optimizer=keras.optimizers.Adam(0.03), loss=loss, metrics=["accuracy"])
        return model

    search = dict(SEARCH, trials=1, initial_points=1, epochs=8, patience=1)
    target = budgeted(lut=0.5) | {"name": "basys3", "reuse_factor": [10]}
    cost = {"targets": [target], "types": [FixedType.parse("ap_fixed<8,3>")], "rtl": RTL}
    run_trials(build, data, search, {}, tmp_path, cost, lambda: trial_callbacks(search["patience"], plan))
    state = state_dir(tmp_path, {}, search)
    kept = load_model(state / "trial_00" / "student.h5")
    history = read_json(state / "trial_00" / "points.json")["history"]
    assert len(history["loss"]) > plan.start_epoch + 1  # early stopping waited for the ramp's end
    assert sparsity_report(kept)["sparsity"] == pytest.approx(0.5, abs=0.01)
    assert study_tables(state)[0]["status"].tolist() == ["COMPLETE"]


@pytest.mark.slow
def test_a_pareto_search_costs_every_trial_resumes_and_reruns_an_abandoned_trial(data, tmp_path):
    from socflow.train.front import select_student
    from socflow.train.pareto import TrialHyperParameters, open_study, run_trials, study_tables
    from socflow.train.trials import state_dir

    target = budgeted(lut=0.5) | {"name": "basys3", "reuse_factor": [1, 10]}
    cost = {"targets": [target], "types": [FixedType.parse("ap_fixed<8,3>"), FixedType.parse("ap_fixed<16,6>")],
            "rtl": RTL}  # fmt: skip
    run = lambda search: run_trials(_build, data, search, {"case": 1}, tmp_path, cost, _pruning)  # noqa: E731
    first = run(SEARCH)
    assert len(first) == 3 and first[:2] == [0, 1]  # a guided proposal repeating a finished trial is drawn anew
    state = state_dir(tmp_path, {"case": 1}, SEARCH)
    trials, points = study_tables(state)
    assert trials["trial_id"].tolist() == first and trials["status"].tolist() == ["COMPLETE"] * 3
    assert trials["proposed_by"].tolist() == ["random", "random", "guided"]
    assert not trials.duplicated(["units_0", "learning_rate"]).any()
    assert len(points) == 3 * 2 * 2  # trials x reuse factors x input types
    assert set(points["reuse_factor"]) == {1, 10} and set(points["input_width"]) == {8, 16}
    assert points["fits"].all() and (state / "trial_00" / "student.h5").is_file()
    by_r = points.groupby("reuse_factor")[["lut", "latency_clocks"]].mean()
    assert by_r.loc[10, "lut"] < by_r.loc[1, "lut"] and by_r.loc[10, "latency_clocks"] > by_r.loc[1, "latency_clocks"]

    assert run(SEARCH) == []  # resumed with its trials done: nothing runs
    resumed = lambda search: run_trials(_build, data, search, {"case": 2}, tmp_path, cost, _pruning)  # noqa: E731
    assert resumed(dict(SEARCH, trials=2)) + resumed(SEARCH) == first  # interrupted after 2 trials
    again, _ = study_tables(state_dir(tmp_path, {"case": 2}, SEARCH))
    same = ["trial_id", "units_0", "learning_rate", "val_accuracy", "lut"]
    assert again[same].equals(trials[same])  # the same trials, the same scores

    study = open_study(state, SEARCH, 2)
    tried = set(zip(trials["units_0"], trials["learning_rate"]))
    study.enqueue_trial(next({"units_0": u, "learning_rate": r} for u in range(4, 13) for r in (0.01, 0.001)
                             if (u, r) not in tried))  # fmt: skip
    killed = study.ask()  # a job killed mid-trial leaves it RUNNING, its values drawn
    _build(TrialHyperParameters(killed))
    retried = run(dict(SEARCH, trials=4))
    assert len(retried) == 1 and retried[0] > killed.number  # failed, and its values run again
    trials, points = study_tables(state)
    assert trials["status"].tolist() == ["COMPLETE"] * 3 + ["FAIL", "COMPLETE"]
    assert trials.iloc[4][["units_0", "learning_rate"]].to_dict() == killed.params
    assert trials["proposed_by"].tolist()[-1] == "retry"
    # a second worker shares the study: it runs what the search lacks
    assert len(run_trials(_build, data, dict(SEARCH, trials=5, workers=2), {"case": 1}, tmp_path, cost, _pruning,
                          worker=1)) == 1  # fmt: skip
    assert study_tables(state)[0]["worker"].tolist() == [0, 0, 0, 0, 0, 1]

    outputs = {k: str(tmp_path / f) for k, f in (("front", "front.csv"), ("selected", "selected.json"),
                                                  ("plot", "front.png"))}  # fmt: skip
    (tmp_path / "hparams.json").write_text(f'{{"state": "{state}"}}')
    params = {"select": {"rule": "accurate"}, "targets": [target]}
    selected = select_student(inputs={"hparams": str(tmp_path / "hparams.json")}, params=params, outputs=outputs)
    assert read_json(outputs["selected"]) == selected and (tmp_path / "front.png").stat().st_size > 10_000
    assert selected["point"]["val_accuracy"] == points["val_accuracy"].max()
    assert selected["reuse_factors"] == {"basys3": selected["point"]["reuse_factor"]}
    chosen = trials.set_index("trial_id").loc[selected["trial_id"], ["units_0", "learning_rate"]]
    assert kt.HyperParameters.from_config(selected["config"]).values == chosen.to_dict()
    assert pd.read_csv(outputs["front"])["on_front"].any()

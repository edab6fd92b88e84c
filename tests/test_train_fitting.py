"""The design that fits (socflow.train.fitting): where the search's choice does not fit as synthesized, the next
candidate it costed is synthesized, until one fits; a BudgetError listing them where none does."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import RTL, budgeted, built_once, hp_fixed
from socflow.errors import BudgetError
from socflow.fixed import FixedType
from socflow.io import read_json, write_json
from socflow.models import load_model
from socflow.rtl.designs import generate
from socflow.rtl.synth import synthesized
from socflow.train.fitting import fit_student
from socflow.train.trials import TRIAL_RECORD, trial_folder

INPUT = "ap_fixed<16,6>"
REUSE = [4, 8]


def search_state(student, folder):
    """An accuracy search of two trials that both kept the conftest student, the first chosen at R = 4."""
    state = folder / "tuning" / "key"
    rows = []
    for trial_id, score in (("0", 0.9), ("1", 0.8)):
        trial = trial_folder(state, trial_id)
        trial.mkdir(parents=True)
        shutil.copyfile(student / "model.h5", trial / "student.h5")
        metrics = {"score": score, "val_accuracy": score, "fits": 1.0, "input_width": 16, "reuse_factor": 4.0}
        write_json(trial / TRIAL_RECORD, {"history": {"loss": [1.0]}, "seconds": 1.0, "metrics": metrics,
                                          "hyperparameters": hp_fixed(units_0=16).get_config()})  # fmt: skip
        rows.append({"trial_id": trial_id, "status": "COMPLETED", "lut": 900} | metrics)
    pd.DataFrame(rows).to_csv(folder / "trials.csv", index=False)
    write_json(folder / "hparams.json", {"trial_id": "0", "state": str(state), "score": 0.9})
    return {"hparams": str(folder / "hparams.json"), "trials": str(folder / "trials.csv"),
            "val": str(student / "test.npz")}  # fmt: skip


@pytest.fixture(scope="session")
def yosys_lut(student, tmp_path_factory):
    """Yosys's LUTs of the student's design at each reuse factor, synthesized once per suite run (built_once) into a
    cache fit_student shares."""

    def build(shared):
        folder = shared / "designs"
        model, luts = load_model(student / "model.h5"), {}
        for r in REUSE:
            generate(model, FixedType.parse(INPUT), budgeted() | {"reuse_factor": r}, RTL, folder / f"r{r}")
            report = synthesized(folder / f"r{r}", budgeted()["part"], folder / f"r{r}.log", folder / "cache")
            luts[r] = report["resources"]["LUT"]["used"]
        write_json(folder / "luts.json", luts)

    folder = built_once(tmp_path_factory, "designs", build) / "designs"
    luts = {int(r): lut for r, lut in read_json(folder / "luts.json").items()}
    assert luts[8] < luts[4]
    return luts, folder / "cache"


def fit(student, tmp_path, cache, lut):
    """fit_student of the two-trial search with a LUT limit and a margin of -90 %: every estimate fits (as an
    estimate under Yosys by more than its margin does), only Yosys tells."""
    target = budgeted(lut=lut, margin=-0.9) | {"reuse_factor": REUSE}
    params = {"budget": {"targets": [target], "input_precision": INPUT, "rtl": RTL}, "cache": str(cache)}
    outputs = {"chosen": str(tmp_path / "chosen.json")}
    return fit_student(inputs=search_state(student, tmp_path), params=params, outputs=outputs)


@pytest.mark.slow
def test_where_the_choice_does_not_fit_as_synthesized_the_next_candidate_is_deployed(student, tmp_path, yosys_lut):
    luts, cache = yosys_lut
    chosen = fit(student, tmp_path, cache, (luts[4] + luts[8]) // 2)
    assert read_json(tmp_path / "chosen.json") == chosen
    assert (chosen["trial_id"], chosen["input_precision"], chosen["search_choice"]) == ("0", INPUT, False)
    assert list(chosen["reuse_factors"].values()) == [8] and chosen["point"]["reuse_factor"] == 8
    tried = [(c["trial_id"], c["reuse_factor"], c["fits"], c["synthesized"]["lut"]) for c in chosen["candidates"]]
    assert tried == [("0", 4, False, luts[4]), ("0", 8, True, luts[8])]
    assert chosen["candidates"][0]["excess"]["lut"] > 0 and chosen["model"].endswith("trial_0/student.h5")


@pytest.mark.slow
def test_where_no_candidate_fits_the_budget_error_lists_every_one(student, tmp_path, yosys_lut):
    luts, cache = yosys_lut
    with pytest.raises(BudgetError) as error:
        fit(student, tmp_path, cache, luts[8] - 1)
    message = str(error.value)
    assert "4 tried" in message and not (tmp_path / "chosen.json").exists()
    for trial in ("0", "1"):  # the next-ranked trial's designs too (here the same Verilog: from the cache)
        for r in REUSE:
            assert f"trial {trial} R = {r} {INPUT}" in message
    assert f"{luts[8]:,.0f} by Yosys, over in lut" in message


def test_after_a_pareto_selection_the_other_trials_follow_by_their_best_fitting_point():
    from socflow.train.fitting import pareto_trials

    points = pd.DataFrame(
        [  # trial, R, accuracy, LUT, fits
            (0, 1, 0.95, 1359, True),
            (0, 10, 0.95, 900, True),
            (1, 1, 0.97, 3000, False),  # the most accurate, over the budget at every R
            (1, 10, 0.97, 2500, False),
            (2, 1, 0.90, 600, True),
            (3, 1, 0.95, 800, True),  # as accurate as trial 0, smaller
        ],
        columns=["trial_id", "reuse_factor", "val_accuracy", "lut", "fits"],
    ).assign(
        target="basys3",
        over_budget=lambda p: (~p["fits"]) * 0.2,
        input_width=16,
        latency_clocks=30,
        model=lambda p: [f"t{t}/student.h5" for t in p["trial_id"]],
    )
    selected = {"trial_id": 2, "point": {"trial_id": 2}, "model": "t2/student.h5", "input_width": 16,
                "reuse_factors": {"basys3": 1}}  # fmt: skip
    trials = pareto_trials(points, selected, "basys3")
    assert [t.trial_id for t in trials] == ["2", "3", "0"]  # the selection, then by accuracy, then LUTs; 1 never fits
    assert trials[0].chosen == {"input_width": 16, "reuse_factors": {"basys3": 1}} and not trials[1].chosen
    assert str(trials[1].record) == "t3/points.json"


@pytest.mark.slow
def test_a_design_synthesized_before_is_read_from_the_cache_not_synthesized_again(yosys_lut, monkeypatch, tmp_path):
    import socflow.rtl.synth

    luts, cache = yosys_lut
    project = cache.parent / "r8"

    def no_yosys(*args, **kwargs):
        raise AssertionError("synthesized again")

    monkeypatch.setattr(socflow.rtl.synth, "synthesize", no_yosys)
    report = synthesized(project, budgeted()["part"], tmp_path / "yosys.log", cache)
    assert report["resources"]["LUT"]["used"] == luts[8] and (tmp_path / "yosys.log").read_text()
    with pytest.raises(AssertionError, match="synthesized again"):  # another part is another design
        synthesized(project, "xc7z020clg400-1", tmp_path / "other.log", cache)

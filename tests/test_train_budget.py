"""The budgeted search (socflow.train.budget): a trial's score in and out of budget, the fastest fitting reuse
factor, the most accurate fitting input type, the named error when nothing fits."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import (
    BASYS3,
    INPUT,
    RTL,
    budgeted,
    conv_student,
)
from socflow.budget import budget_of, deployed_input, deployed_target
from socflow.errors import BudgetError, ConfigError
from socflow.fixed import FixedType
from socflow.names import target_name
from socflow.rtl.cost import Cost
from socflow.train.budget import (
    chosen_input_precision,
    chosen_reuse_factors,
    costs_at,
    judge,
    quantized_accuracy,
    require_fit,
    trial_judge,
)


def cost(lut=1000.0, dsp=10, latency=20, interval=10):
    return Cost(lut, 500.0, dsp, 0, latency, interval, "test")


def one(**figures):
    """The costs of a trial's student on a target of one reuse factor."""
    return {10: cost(**figures)}


def test_a_trial_in_budget_scores_its_accuracy_one_over_scores_how_far_over():
    limits = [budget_of(budgeted(lut=2000, latency_clocks=30, min_throughput=5e6, margin=0))]
    inside = judge([one(lut=1500)], limits, 0.9)
    assert inside["score"] == 0.9 and inside["fits"] and inside["lut"] == 1500
    over = judge([one(lut=2500, latency=33)], limits, 0.95)
    assert not over["fits"] and over["score"] == pytest.approx(-0.25)  # LUT 25 % over, latency 10 %
    slow = judge([one(interval=40)], limits, 0.9)  # 100 MHz / 40 = 2.5 M inferences/s < 5 M
    assert slow["score"] == pytest.approx(-1.0)
    nearer = judge([one(lut=2100)], limits, 0.2)
    assert over["score"] < nearer["score"] < 0 < inside["score"]
    # by default an estimate of the folded design is held to the limits 15 % larger (its error), a measured one not
    folded = budget_of(budgeted(lut=2000))
    assert judge([one(lut=1800)], [folded], 0.9)["score"] == pytest.approx(-(1800 * 1.15 / 2000 - 1))
    assert not any(folded.excess(cost(lut=1800)).values())
    parallel = Cost(1980.0, 500.0, 0, 0, 3, 1, "test", design="parallel")  # da4ml's estimate: 3 %
    assert judge([{1: parallel}], [folded], 0.9)["score"] == pytest.approx(-(1980 * 1.03 / 2000 - 1))


def test_a_search_where_nothing_fits_names_the_nearest_trial():
    rows = [
        judge([one(lut=lut)], [budget_of(budgeted(lut=1000, margin=0))], 0.8)
        | {"trial_id": t, "status": "COMPLETED", "val_accuracy": 0.8}  # fmt: skip
        for t, lut in (("0", 3000), ("1", 1500))
    ]
    with pytest.raises(BudgetError, match=r"the nearest, trial 1 \(val accuracy 0.8000\), is 50 % over it: lut 1,500"):
        require_fit(pd.DataFrame(rows), "trials.csv")
    require_fit(pd.DataFrame(rows + [rows[1] | {"fits": True, "trial_id": "2"}]), "trials.csv")


def test_a_trial_takes_the_fastest_reuse_factor_that_fits_else_the_least_over():
    limits = [budget_of(budgeted(lut=2000, dsp=15, margin=0))]
    options = {10: cost(dsp=20, latency=16), 30: cost(dsp=8, latency=36), 60: cost(dsp=4, latency=70, lut=900)}
    row = judge([options], limits, 0.9)
    assert row["fits"] and row["reuse_factor"] == 30 and row["dsp"] == 8 and row["latency_clocks"] == 36
    assert chosen_reuse_factors(row, limits) == {limits[0].target: 30}
    crowded = {10: cost(dsp=40), 30: cost(dsp=18)}  # neither fits: the one nearer the boundary, 20 % over
    row = judge([crowded], limits, 0.9)
    assert not row["fits"] and row["reuse_factor"] == 30 and row["score"] == pytest.approx(-0.2)


def test_a_searched_reuse_factor_is_costed_at_each_value_and_deployed_as_chosen(student, tmp_path):
    from socflow.io import read_xy
    from socflow.models import load_model

    searched = budgeted(lut=0.5, dsp=40) | {"reuse_factor": [4, 8, 16]}
    model, val = load_model(student / "model.h5"), read_xy(student / "test.npz")
    row = trial_judge([searched], INPUT, RTL, val)(model, tmp_path / "trial_03")
    kept = load_model(tmp_path / "trial_03" / "student.h5")  # kept, so the trial is deployed as it was scored
    assert row["val_accuracy"] == quantized_accuracy(kept, FixedType.parse(INPUT), val) > 0.9
    costs = costs_at(load_model(student / "model.h5"), FixedType.parse(INPUT), searched, RTL)
    assert list(costs) == [4, 8, 16] and costs[4].dsp > costs[8].dsp > costs[16].dsp
    fitting = [r for r, c in costs.items() if c.dsp <= 40]
    assert row["reuse_factor"] == min(fitting)  # the fastest that fits
    name = target_name(searched)
    assert name.endswith("_rf4-8-16_latency_parallel")
    assert deployed_target(searched, {"reuse_factors": {name: 8}})["reuse_factor"] == 8
    assert deployed_target(BASYS3, {}) == BASYS3
    with pytest.raises(ConfigError, match=r"records no reuse factor chosen for this target"):
        deployed_target(searched, {"reuse_factors": {}})


def test_a_searched_input_type_is_the_most_accurate_that_fits(student, tmp_path):
    from socflow.io import read_xy
    from socflow.models import load_model

    model, val = load_model(student / "model.h5"), read_xy(student / "test.npz")  # labelled by its own answers
    types = ["ap_fixed<16,6>", "ap_fixed<3,2>"]
    wide = trial_judge([budgeted(lut=0.5, dsp=60)], types, RTL, val)(model)
    assert wide["input_width"] == 16 and wide["val_accuracy"] == 1.0 and wide["fits"]
    assert chosen_input_precision(wide, types) == "ap_fixed<16,6>"
    narrow = {w: costs_at(model, FixedType.parse(t), BASYS3, RTL)[10] for w, t in ((16, types[0]), (3, types[1]))}
    assert narrow[3].lut < narrow[16].lut  # narrower inputs, smaller multipliers and registers
    limit = round((narrow[3].lut + narrow[16].lut) / 2 / 1.15)  # only the 3-bit design fits, with the margin
    tight = trial_judge([budgeted(lut=limit, dsp=60)], types, RTL, val)(model)
    assert tight["input_width"] == 3 and tight["fits"] and tight["val_accuracy"] < 1.0
    assert deployed_input(types, {"input_precision": "ap_fixed<3,2>"}) == "ap_fixed<3,2>"
    assert deployed_input("ap_fixed<16,6>", {}) == "ap_fixed<16,6>"


@pytest.mark.slow
def test_a_conv_student_is_judged_on_its_conv_design(tmp_path):
    from socflow.io import read_xy
    from socflow.models import load_model

    folder = conv_student(tmp_path / "student", "cnn_2d")
    model, val = load_model(folder / "model.h5"), read_xy(folder / "test.npz")
    roomy = trial_judge([budgeted(lut=0.5, dsp=60)], INPUT, RTL, val)(model)
    estimated = costs_at(model, FixedType.parse(INPUT), budgeted(lut=0.5), RTL)[10]
    assert roomy["fits"] and roomy["score"] == roomy["val_accuracy"] and roomy["dsp"] == estimated.dsp > 0  # R = 10
    assert estimated.design == "folded_conv" and roomy["lut"] == estimated.lut
    no_dsp = trial_judge([budgeted(lut=0.5, dsp=2)], INPUT, RTL, val)(model)
    assert not no_dsp["fits"]  # its multipliers are DSP48s: two are too few
    tight = trial_judge([budgeted(lut=estimated.lut / 20_800 / 2)], INPUT, RTL, val)(model)
    assert not tight["fits"] and tight["score"] < 0  # half its LUTs: out of budget, scored by how far over

"""The hardware budget: limits from fractions, counts and the reserve; the cost estimate of a student against
what rtl_generate writes; a trial's score in and out of budget; the named errors when nothing fits and when the
synthesized design does not."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import INPUT, RTL
from socflow.budget import budget_of
from socflow.config import validate_config
from socflow.errors import BudgetError, ConfigError
from socflow.fixed import FixedType
from socflow.io import write_json
from socflow.rtl.budget import budget_check
from socflow.rtl.cost import Cost, estimate
from socflow.rtl.generate import rtl_generate
from socflow.train.budget import judge, require_fit

BASYS3 = {
    "part": "xc7a35tcpg236-1",
    "clock_period": 10.0,
    "reuse_factor": 10,
    "io_type": "io_parallel",
    "strategy": "Latency",
}
RESERVE = {"lut": 3000, "ff": 4000, "dsp": 0, "bram_18k": 18}


def target(**budget):
    return BASYS3 | {"budget": {"reserve": RESERVE} | budget}


def cost(lut=1000.0, dsp=10, latency=20, interval=10):
    return Cost(lut, 500.0, dsp, 0, latency, interval, "test")


def test_limits_are_fractions_of_the_part_or_counts_and_leave_the_reserve():
    limits = budget_of(target(lut=0.3, dsp=45, latency_ns=250)).limits
    assert limits["lut"] == pytest.approx(0.3 * 20_800) and limits["dsp"] == 45
    assert limits["ff"] == 41_600 - 4000  # no limit given: the part less the reserve
    assert limits["latency_clocks"] == 25
    with pytest.raises(ConfigError, match=r"budget.lut: 19,000 for the IP plus the reserve of 3,000 .* 20,800"):
        budget_of(target(lut=19_000))


def test_a_trial_in_budget_scores_its_accuracy_one_over_scores_how_far_over():
    limits = [budget_of(target(lut=2000, latency_clocks=30, min_throughput=5e6, margin=0))]
    inside = judge([cost(lut=1500)], limits, 0.9)
    assert inside["score"] == 0.9 and inside["fits"] and inside["lut"] == 1500
    over = judge([cost(lut=2500, latency=33)], limits, 0.95)
    assert not over["fits"] and over["score"] == pytest.approx(-0.25)  # LUT 25 % over, latency 10 %
    slow = judge([cost(interval=40)], limits, 0.9)  # 100 MHz / 40 = 2.5 M inferences/s < 5 M
    assert slow["score"] == pytest.approx(-1.0)
    nearer = judge([cost(lut=2100)], limits, 0.2)
    assert over["score"] < nearer["score"] < 0 < inside["score"]
    # by default an estimate of the folded design is held to the limits 15 % larger (its error), a measured one not
    folded = budget_of(target(lut=2000))
    assert judge([cost(lut=1800)], [folded], 0.9)["score"] == pytest.approx(-(1800 * 1.15 / 2000 - 1))
    assert not any(folded.excess(cost(lut=1800)).values())
    assert budget_of(target(lut=2000) | {"reuse_factor": 1}).margin == 0.03


def test_a_search_where_nothing_fits_names_the_nearest_trial():
    rows = [
        judge([cost(lut=lut)], [budget_of(target(lut=1000, margin=0))], 0.8)
        | {"trial_id": t, "status": "COMPLETED", "val_accuracy": 0.8}  # fmt: skip
        for t, lut in (("0", 3000), ("1", 1500))
    ]
    with pytest.raises(BudgetError, match=r"the nearest, trial 1 \(val accuracy 0.8000\), is 50 % over it: lut 1,500"):
        require_fit(pd.DataFrame(rows), "trials.csv")
    require_fit(pd.DataFrame(rows + [rows[1] | {"fits": True, "trial_id": "2"}]), "trials.csv")


@pytest.mark.parametrize("reuse", [1, 8])
def test_the_estimate_has_the_latency_ii_and_multipliers_of_the_written_design(student, tmp_path, reuse):
    from socflow.models import load_model

    rtl_target = BASYS3 | {"reuse_factor": reuse}
    outputs = {"verilog": str(tmp_path / "verilog"), "summary": str(tmp_path / "rtl.json")}
    summary = rtl_generate(str(student / "model.h5"), INPUT, rtl_target, RTL, outputs)
    estimated = estimate(load_model(student / "model.h5"), FixedType.parse(INPUT), rtl_target, RTL)
    assert estimated.latency_clocks == summary["latency_clocks"]
    assert estimated.initiation_interval == summary["initiation_interval"]
    if reuse == 1:
        assert estimated.lut == summary["da4ml_lut_estimate"] and estimated.dsp == 0
    else:
        assert estimated.dsp == summary["multipliers"] and 200 < estimated.lut < 20_000


def test_a_synthesized_design_over_budget_fails_the_check_with_its_numbers(student, tmp_path):
    yosys = {"resources": {"LUT": {"used": 2500}, "FF": {"used": 900}, "DSP": {"used": 12}, "BRAM_18K": {"used": 0}}}
    write_json(tmp_path / "yosys.json", yosys)
    write_json(tmp_path / "sim.json", {"latency_clocks": 25, "initiation_interval": 10})
    paths = {"model_path": str(student / "model.h5"), "yosys_path": str(tmp_path / "yosys.json"),
             "sim_path": str(tmp_path / "sim.json"), "input_precision": INPUT, "rtl": RTL}  # fmt: skip
    result = budget_check(**paths, target=target(lut=3000), output=str(tmp_path / "ok.json"))
    assert result["fits"] and set(result["estimate_error"]) >= {"lut", "dsp", "latency_clocks"}
    with pytest.raises(BudgetError, match=r"does not fit its budget as synthesized \(lut 2500 over 2,000 \(\+25.0 %\)"):
        budget_check(**paths, target=target(lut=2000), output=str(tmp_path / "over.json"))


@pytest.mark.parametrize(
    ("experiment", "message"),
    [
        ({}, None),
        ({"student": {"model": "cnn"}}, r"targets\[0\]\.budget: a budget is costed on the RTL path"),
        ({"rtl": {"enabled": False}}, r"targets\[0\]\.budget: a budget is costed on the RTL path"),
        ({"budget": {"lut": 0.9}}, r"targets\[0\]\.budget: budget\.lut: 18,720 for the IP plus the reserve of 3,000"),
    ],
)
def test_budgets_are_checked_before_any_job(tiny_config, experiment, message):
    budget = experiment.pop("budget", {"lut": 0.1})
    tiny_config["experiments"]["tiny"] |= experiment
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [{"part": "xc7a35tcpg236-1", "budget": budget}]}
    if message is None:
        reserve = validate_config(tiny_config)["experiments"]["tiny"]["hls"]["targets"][0]["budget"]["reserve"]
        assert reserve == RESERVE
        return
    with pytest.raises(ConfigError, match=rf"experiments\.tiny\.hls\.{message}"):
        validate_config(tiny_config)

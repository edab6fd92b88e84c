"""socflow.budget: a target's limits from fractions of the part, counts and the reserve; what the search chose,
deployed; budgets checked before any job."""

from __future__ import annotations

import pytest

from conftest import RESERVE, budgeted
from socflow.budget import budget_of
from socflow.config import validate_config
from socflow.errors import ConfigError


def test_limits_are_fractions_of_the_part_or_counts_and_leave_the_reserve():
    limits = budget_of(budgeted(lut=0.3, dsp=45, latency_ns=250)).limits
    assert limits["lut"] == pytest.approx(0.3 * 20_800) and limits["dsp"] == 45
    assert limits["ff"] == 41_600 - 4000  # no limit given: the part less the reserve
    assert limits["latency_clocks"] == 25
    with pytest.raises(ConfigError, match=r"budget.lut: 19,000 for the IP plus the reserve of 3,000 .* 20,800"):
        budget_of(budgeted(lut=19_000))
    with pytest.raises(ConfigError, match=r"budget.dsp: 0 leaves the IP no dsp; give a positive limit"):
        budget_of(budgeted(dsp=0))


@pytest.mark.parametrize(
    ("experiment", "message"),
    [
        ({}, None),
        ({"student": {"model": "cnn"}}, None),  # a conv student is costed on its conv design
        ({"student": {"model": "cnn"}, "reuse_factor": [1, 2, 16]}, None),  # the conv design folded above R = 1
        ({"rtl": {"enabled": False}}, r"targets\[0\]\.budget: a budget is costed on the RTL path"),
        ({"budget": {"lut": 0.9}}, r"targets\[0\]\.budget: budget\.lut: 18,720 for the IP plus the reserve of 3,000"),
        ({"budget": None, "reuse_factor": [2, 4]}, r"targets\[0\]\.reuse_factor: a list of reuse factors is searched"),
        ({"reuse_factor": [2, 9999]}, r"targets\[0\]: reuse_factor 9999: no layer of these students can use it"),
        ({"budget": None, "inputs": ["ap_fixed<8,4>", "ap_fixed<16,6>"]}, r"input_precision: a list of input types"),
        ({"inputs": ["ap_fixed<16,4>", "ap_fixed<16,6>"]}, r"input_precision: the types of a list need distinct"),
        ({"inputs": ["ap_fixed<16,6>", "float"]}, r"input_precision: "),
        # a limit below one clock became 0 clocks, and every trial died with a ZeroDivisionError
        ({"budget": {"latency_ns": 4}}, r"targets\[0\]\.budget: budget\.latency_ns: 4 ns is less than one clock of 5"),
        ({"budget": {"min_throughput": 3e8}}, r"targets\[0\]\.budget: .* 300,000,000 .* more than the 200,000,000"),
        # read as 1.5 and 10 LUTs, known only after the search
        ({"budget": {"lut": 1.5}}, r"targets\[0\]\.budget: budget\.lut: 1\.5 is neither a fraction .* write 0\.015"),
        ({"budget": {"dsp": 2.5}}, r"targets\[0\]\.budget: budget\.dsp: 2\.5 is neither a fraction"),
        # the whole part (90 DSPs) or one DSP? It was read as the whole part, silently
        (
            {"budget": {"dsp": 1}},
            r"targets\[0\]\.budget: budget\.dsp: 1 could be the whole part \(a fraction: 90 on "
            r"xc7a35tcpg236-1\) or one DSP \(a count\); leave dsp out",
        ),  # fmt: skip
    ],
)
def test_budgets_are_checked_before_any_job(tiny_config, experiment, message):
    budget, reuse = experiment.pop("budget", {"lut": 0.1}), experiment.pop("reuse_factor", 1)
    inputs = experiment.pop("inputs", "ap_fixed<16,6>")
    tiny_config["experiments"]["tiny"] |= experiment
    spec = {"part": "xc7a35tcpg236-1", "reuse_factor": reuse} | ({"budget": budget} if budget else {})
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [spec], "input_precision": inputs}
    if message is None:
        reserve = validate_config(tiny_config)["experiments"]["tiny"]["hls"]["targets"][0]["budget"]["reserve"]
        assert reserve == RESERVE
        return
    with pytest.raises(ConfigError, match=rf"experiments\.tiny\.hls\.{message}"):
        validate_config(tiny_config)

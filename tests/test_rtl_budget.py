"""Stage budget_check: the synthesized design against its budget, and the named error where it does not fit."""

from __future__ import annotations

import pytest

from conftest import (
    INPUT,
    RTL,
    budgeted,
)
from socflow.errors import BudgetError
from socflow.io import write_json
from socflow.rtl.budget import budget_check


def test_a_synthesized_design_over_budget_fails_the_check_with_its_numbers(student, tmp_path):
    yosys = {"resources": {"LUT": {"used": 2500}, "FF": {"used": 900}, "DSP": {"used": 12}, "BRAM_18K": {"used": 0}}}
    write_json(tmp_path / "yosys.json", yosys)
    write_json(tmp_path / "sim.json", {"latency_clocks": 25, "initiation_interval": 10})
    inputs = {
        "model": str(student / "model.h5"),
        "yosys": str(tmp_path / "yosys.json"),
        "sim": str(tmp_path / "sim.json"),
    }

    def check(lut: int, name: str) -> dict:
        params = {"target": budgeted(lut=lut), "input_precision": INPUT, "rtl": RTL}
        return budget_check(inputs=inputs, params=params, outputs={"check": str(tmp_path / name)})

    result = check(3000, "ok.json")
    assert result["fits"] and set(result["estimate_error"]) >= {"lut", "dsp", "latency_clocks"}
    with pytest.raises(BudgetError, match=r"does not fit its budget as synthesized \(lut 2500 over 2,000 \(\+25.0 %\)"):
        check(2000, "over.json")


def test_the_check_records_the_candidates_fit_student_synthesized_on_its_target(student, tmp_path):
    from socflow.names import target_name

    yosys = {"resources": {"LUT": {"used": 1500}, "FF": {"used": 900}, "DSP": {"used": 12}, "BRAM_18K": {"used": 0}}}
    write_json(tmp_path / "yosys.json", yosys)
    write_json(tmp_path / "sim.json", {"latency_clocks": 25, "initiation_interval": 10})
    target = budgeted(lut=3000) | {"reuse_factor": [10, 20]}  # named by its list, deployed at the chosen R
    name = target_name(target)
    write_json(tmp_path / "metrics.json", {"reuse_factors": {name: 10}})
    tried = [{"target": name, "reuse_factor": 10, "fits": True}, {"target": "other", "reuse_factor": 4, "fits": False}]
    write_json(tmp_path / "chosen.json", {"candidates": tried})
    inputs = {k: str(tmp_path / f"{k}.json") for k in ("yosys", "sim", "metrics", "chosen")}
    params = {"target": target, "input_precision": INPUT, "rtl": RTL}
    result = budget_check(inputs=inputs | {"model": str(student / "model.h5")}, params=params,
                          outputs={"check": str(tmp_path / "budget.json")})  # fmt: skip
    assert result["fits"] and result["reuse_factor"] == 10 and result["candidates"] == tried[:1]

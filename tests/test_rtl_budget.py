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

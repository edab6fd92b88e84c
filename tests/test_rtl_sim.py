"""Stage rtl_sim: Verilator simulation checked bit for bit against the golden model, and its named errors."""

from __future__ import annotations

import json

import pytest

from conftest import (
    INPUT,
    INPUT_ACCURACY,
    RTL,
    RTL_TARGET,
    student_files,
)
from socflow.errors import HardwareMismatchError, ToolNotFoundError
from socflow.rtl.sim import rtl_sim


def run_sim(student, rtl_project, tmp_path):
    out, _ = rtl_project
    inputs = student_files(student) | {"verilog": str(out / "verilog")}
    params = {"target": RTL_TARGET, "input_precision": INPUT, "rtl": RTL, "input_accuracy": INPUT_ACCURACY}
    return rtl_sim(inputs=inputs, params=params, outputs={"sim": str(tmp_path / "rtl_sim.json")}, threads=2)


@pytest.mark.slow
def test_verilator_simulation_is_bit_exact_on_the_test_set(student, rtl_project, tmp_path):
    out, summary = rtl_project
    assert summary["n_inputs"] == 30 and summary["n_outputs"] == 4
    assert summary["latency_clocks"] == summary["stages"] + 1 >= 2
    assert (out / "verilog" / "src" / "student.v").is_file()
    result = run_sim(student, rtl_project, tmp_path)
    assert result["n"] == 200
    assert result["bit_exact_vs_golden"] == result["bit_exact_vs_da4ml"] == result["agreement"] == 1.0
    assert result["max_abs_diff_vs_qkeras"] == 0.0
    assert result["tools"]["verilator"].startswith("Verilator 5.")
    assert json.loads((tmp_path / "rtl_sim.json").read_text())["rtl"]["n_test"] == 200


@pytest.mark.slow
def test_rtl_that_differs_from_the_golden_model_fails_naming_the_sample(student, rtl_project, tmp_path, monkeypatch):
    import socflow.rtl.sim

    real = socflow.rtl.sim.golden_predict

    def off_by_one_lsb(*args):
        out = real(*args)
        out[7, 2] += 2.0**-12
        return out

    monkeypatch.setattr(socflow.rtl.sim, "golden_predict", off_by_one_lsb)
    with pytest.raises(
        HardwareMismatchError,
        match=r"equals the golden fixed-point model on 99.50% of 200 test samples \(1 differ\), below 100%; "
        r"first mismatch at test sample 7",
    ):
        run_sim(student, rtl_project, tmp_path)
    assert not (tmp_path / "rtl_sim.json").exists()


def test_edited_verilog_is_refused(student, rtl_project, tmp_path):
    out, _ = rtl_project
    stage = out / "verilog" / "src" / "student_stage0.v"
    original = stage.read_text()
    stage.write_text(original + "\n// edited\n")
    try:
        with pytest.raises(HardwareMismatchError, match="differs from the simulated one"):
            run_sim(student, rtl_project, tmp_path)
    finally:
        stage.write_text(original)


def test_missing_verilator_is_a_named_error(monkeypatch, tmp_path):
    import socflow.tools

    monkeypatch.setattr(socflow.tools.sysconfig, "get_paths", lambda: {"purelib": str(tmp_path)})
    with pytest.raises(ToolNotFoundError, match="Verilator is not installed"):
        socflow.tools.verilator_env()
    assert socflow.tools.open_tool("verilator") is None

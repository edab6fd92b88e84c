"""rtl_generate and rtl_sim of an HGQ2 student (socflow.rtl.sim, in the HGQ2 process): da4ml's design of the traced
model, simulated by Verilator and held to the model's own quantized answers, bit for bit, a wrong answer failing.

This module imports no Keras at its top: the HGQ2 process imports it to run :func:`sim_with_golden_off`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from socflow.errors import HardwareMismatchError
from socflow.hgq.env import in_hgq
from socflow.io import read_json
from socflow.rtl.generate import rtl_generate
from socflow.rtl.sim import rtl_sim

pytestmark = pytest.mark.slow  # the HGQ2 process, da4ml and Verilator

TARGET = {"part": "xc7a35tcpg236-1", "clock_period": 10.0, "reuse_factor": 1}
RTL = {"latency_cutoff": None, "sim_min_agreement": 1.0}
ACCURACY = {"input_max_accuracy_loss": 0.03, "input_accuracy_check": "fail"}
INPUT = "ap_fixed<16,6>"


def stage_job(student: Path, folder: Path) -> dict[str, Any]:
    """rtl_sim's arguments for the student's Verilog in folder (rtl_generate's)."""
    inputs = {name: str(student / f"{name}{suffix}") for name, suffix in
              (("model", ".keras"), ("metrics", ".json"), ("test", ".npz"), ("summary", ".json"))}  # fmt: skip
    return {
        "inputs": inputs | {"verilog": str(folder / "verilog")},
        "params": {"target": TARGET, "input_precision": INPUT, "rtl": RTL, "input_accuracy": ACCURACY},
        "outputs": {"sim": str(folder / "rtl_sim.json")},
        "threads": 2,
    }


@pytest.fixture(scope="module")
def hgq_rtl(hgq_student, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hgq_rtl")
    job = stage_job(hgq_student, folder)
    outputs = {"verilog": str(folder / "verilog"), "summary": str(folder / "rtl.json")}
    summary = rtl_generate(inputs=job["inputs"], params=job["params"], outputs=outputs)
    return folder, summary


def test_an_hgq_student_is_da4mls_design_and_answers_as_the_model_bit_for_bit(hgq_student, hgq_rtl):
    folder, summary = hgq_rtl
    assert summary["architecture"] == "parallel" and summary["input_type"] == "ap_fixed<16,6,AP_TRN,AP_WRAP>"
    assert summary["latency_clocks"] >= 2 and summary["da4ml_lut_estimate"] > 0
    assert (folder / "verilog" / "sources.json").is_file()  # rtl_synth's manifest, as for a QKeras student
    result = rtl_sim(**stage_job(hgq_student, folder))
    assert result["model"] == "HGQ2" and result["bit_exact_vs_golden"] == result["bit_exact_vs_da4ml"] == 1.0
    assert result["latency_clocks"] == summary["latency_clocks"] and result["agreement"] == 1.0
    # the model's own answers on the same quantized inputs, as train_hgq_student measured them
    assert result["rtl"]["accuracy"] == read_json(hgq_student / "metrics.json")["input_type_accuracy"]


def sim_with_golden_off(job: dict[str, Any]) -> str:
    """In the HGQ2 process: rtl_sim with the golden model's answer to test sample 3 off by 2^-20 (finer than any
    score's LSB, so no rounding hides it); the error it raises."""
    import socflow.rtl.sim

    real = socflow.rtl.sim.golden_predict

    def off_by_a_little(model: Any, x: np.ndarray, in_type: Any) -> np.ndarray:
        return real(model, x, in_type) + (np.arange(len(x)) == 3)[:, None] * 2.0**-20

    socflow.rtl.sim.golden_predict = off_by_a_little
    try:
        socflow.rtl.sim._rtl_sim(**job)
    except HardwareMismatchError as error:
        return str(error)
    return "no error"


def test_an_answer_that_differs_from_the_hgq_model_fails_loudly(hgq_student, hgq_rtl, root, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(root / "tests"))  # this module, for the HGQ2 process to import
    error = in_hgq(sim_with_golden_off, job=stage_job(hgq_student, hgq_rtl[0]))
    assert (
        "Verilator output equals the golden fixed-point model" in error and "first mismatch at test sample 3" in error
    )

"""The HGQ2 student: trained in the HGQ2 process from stored teacher logits, with its widths, EBOPs and da4ml cost;
and the config names what `student.quantizer: hgq` does not do yet."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from socflow.config import validate_config
from socflow.errors import ConfigError
from socflow.hgq.student import hgq_hyperparameters, train_hgq_student
from socflow.io import read_json, read_xy, save_npz


def student_settings(tiny_config, **changes):
    student = validate_config(copy.deepcopy(tiny_config))["experiments"]["tiny"]["student"]
    return student | changes


def test_without_a_search_the_largest_point_and_the_first_of_each_list_are_trained(tiny_config):
    student = student_settings(tiny_config, layers=[1, 2], units=[4, 12], alpha=[0.3, 0.1], beta=[2e-4, 1e-6])
    assert hgq_hyperparameters(student) == {
        "layers": 2, "units": 12, "lr": 0.01, "alpha": 0.3, "temperature": 1.0, "kd": "hinton", "beta": 2e-4,
    }  # fmt: skip


@pytest.mark.slow
def test_an_hgq_student_distils_from_stored_logits_and_reports_its_widths_and_costs(data, tiny_config, tmp_path):
    # a teacher that knows the answer: its logits favour the label by 4
    logits = {p: 4.0 * np.eye(4, dtype="float32")[read_xy(data[p])[1]] for p in ("train", "val", "test")}
    save_npz(tmp_path / "logits.npz", logits)
    student = student_settings(tiny_config, layers=1, units=[16, 16], activation_integer_bits=3)
    student["search"] = student["search"] | {"epochs": 8, "patience": 8}
    outputs = {"model": str(tmp_path / "model.keras"), "metrics": str(tmp_path / "metrics.json")}
    params = {"student": student, "variant": {"bits": 8, "integer_bits": 0, "sparsity": 0.2}}
    answer = train_hgq_student(inputs=data | {"logits": str(tmp_path / "logits.npz")}, params=params,
                               outputs=outputs, threads=1)  # fmt: skip
    metrics = read_json(outputs["metrics"])
    assert answer["accuracy"] == metrics["accuracy"] > 0.6
    assert metrics["quantizer"] == "hgq" and metrics["params"] == 30 * 16 + 16 + 16 * 4 + 4
    assert 0 < metrics["mean_weight_bits"] <= 8.5 and metrics["nonzero_params"] <= metrics["weights"] == 30 * 16 + 64
    assert metrics["ebops"] > 0 and metrics["da4ml_cost"] > 0 and metrics["epochs_run"] == 8
    assert (tmp_path / "model.keras").stat().st_size > 0


def test_hgq_is_refused_with_what_it_lacks_until_the_workflow_builds_it(tiny_config):
    config = copy.deepcopy(tiny_config)
    config["experiments"]["tiny"]["student"] = {"quantizer": "hgq", "model": "cnn", "kd": ["hinton", "scaled"]}
    with pytest.raises(ConfigError, match="student.quantizer: hgq: .*next phase.*cnn.*scaled"):
        validate_config(config)
    config["experiments"]["tiny"]["student"] = {"quantizer": "qkeras", "beta": [1e-5, 1e-4]}
    validate_config(config)

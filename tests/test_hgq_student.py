"""The HGQ2 student: trained in the HGQ2 process from stored teacher logits, with its widths, EBOPs and da4ml cost;
stale logits refused before the training; and the config names what `student.quantizer: hgq` does not do yet."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from conftest import knowing_teacher
from socflow.config import validate_config
from socflow.errors import ConfigError, DataError
from socflow.hgq.student import hgq_hyperparameters, train_hgq_student
from socflow.io import read_json, save_npz


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
    student = student_settings(tiny_config, layers=1, units=[16, 16], activation_integer_bits=3)
    student["search"] = student["search"] | {"epochs": 8, "patience": 8}
    outputs = {"model": str(tmp_path / "model.keras"), "metrics": str(tmp_path / "metrics.json")}
    params = {"student": student, "variant": {"bits": 8, "integer_bits": 0, "sparsity": 0.2},
              "input_precision": "ap_fixed<16,6>"}  # fmt: skip
    answer = train_hgq_student(inputs=knowing_teacher(data, tmp_path), params=params, outputs=outputs, threads=1)
    metrics = read_json(outputs["metrics"])
    assert answer["accuracy"] == metrics["accuracy"] > 0.6 and metrics["input_type_accuracy"] > 0.6
    params_count = 30 * 16 + 16 + 16 * 4 + 4
    assert metrics["quantizer"] == "hgq" and metrics["params"] == params_count and metrics["n_layers"] == 2
    assert metrics["compression_ratio"] == pytest.approx(1000 / params_count)
    assert 0 < metrics["mean_weight_bits"] <= 8.5 and metrics["nonzero_params"] <= metrics["weights"] == 30 * 16 + 64
    assert metrics["ebops"] > 0 and metrics["da4ml_cost"] > 0 and metrics["epochs_run"] == 8
    assert (tmp_path / "model.keras").stat().st_size > 0


def test_logits_of_other_data_are_refused_before_the_training(data, tmp_path):
    inputs = knowing_teacher(data, tmp_path)
    save_npz(inputs["logits"], {p: np.zeros((3, 4), "float32") for p in ("train", "val", "test")})
    with pytest.raises(DataError, match="logits of train have shape .*rerun teacher_logits"):
        train_hgq_student(inputs=inputs, params={}, outputs={}, threads=1)


def test_hgq_takes_the_mlp_student_at_reuse_factor_1_and_names_everything_else(tiny_config):
    config = copy.deepcopy(tiny_config)
    config["experiments"]["tiny"]["student"] = {"quantizer": "hgq", "model": "cnn", "kd": ["hinton", "scaled"]}
    config["experiments"]["tiny"]["hls"] = {"targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": 10}]}
    with pytest.raises(ConfigError, match="built for the mlp student.*not for student.model cnn.*scaled.*reuse "
                                          "factors above 1"):  # fmt: skip
        validate_config(config)
    config = copy.deepcopy(tiny_config)
    config["experiments"]["tiny"]["student"] = {"quantizer": "hgq", "beta": [1e-5, 1e-4]}
    validate_config(config)

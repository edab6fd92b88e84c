"""The stratified split, the training-only scaling, and the prepare_data stage's outputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from socflow.config import split_fractions
from socflow.data import prepare_data
from socflow.data.split import Scaler, stratified_split
from socflow.errors import ConfigError

SPLIT = {"train": 0.7, "val": 0.15, "test": 0.15, "seed": 42}
PULSES = {"kind": "pulses", "n_per_class": 100, "seed": 1, "class_weights": [1, 1, 1, 0.5], "noise_sigma": 3.0}


@pytest.fixture
def labels():
    return np.repeat([0, 1, 2], [200, 100, 60])


def test_parts_partition_the_data(labels):
    parts = stratified_split(labels, (0.7, 0.15, 0.15), seed=1)
    joined = np.concatenate(list(parts.values()))
    assert len(joined) == len(labels) and len(np.unique(joined)) == len(labels)


def test_proportions_and_stratification(labels):
    parts = stratified_split(labels, (0.7, 0.15, 0.15), seed=1)
    assert [len(parts[p]) for p in ("train", "val", "test")] == [252, 54, 54]
    overall = np.bincount(labels) / len(labels)
    for idx in parts.values():
        assert np.abs(np.bincount(labels[idx]) / len(idx) - overall).max() < 0.02


def test_split_is_deterministic_and_seeded(labels):
    a = stratified_split(labels, (0.7, 0.15, 0.15), seed=1)
    b = stratified_split(labels, (0.7, 0.15, 0.15), seed=1)
    c = stratified_split(labels, (0.7, 0.15, 0.15), seed=2)
    assert all(np.array_equal(a[p], b[p]) for p in a)
    assert not np.array_equal(a["test"], c["test"])


def test_fractions_must_sum_to_one():
    with pytest.raises(ConfigError, match="train \\+ val \\+ test must be 1"):
        split_fractions({"train": 0.7, "val": 0.2, "test": 0.2})


@pytest.mark.parametrize("method", ["minmax", "standard", "none"])
@pytest.mark.parametrize("per_feature", [False, True])
def test_scaler_fits_and_inverts(method, per_feature):
    x = np.random.default_rng(0).uniform(10, 500, size=(50, 6)).astype(np.float32)
    scaler = Scaler.fit(x, method, per_feature)
    z = scaler.transform(x)
    if method == "minmax":
        axis = 0 if per_feature else None
        assert np.allclose(z.min(axis=axis), 0, atol=1e-6) and np.allclose(z.max(axis=axis), 1, atol=1e-6)
    elif method == "standard":
        assert abs(z.mean()) < 1e-5 and (
            abs(z.std(axis=0).mean() - 1) < 1e-4 if per_feature else abs(z.std() - 1) < 1e-4
        )
    else:
        assert np.array_equal(z, x)
    restored = z.astype(np.float64) * np.asarray(scaler.scale) + np.asarray(scaler.offset)
    assert np.allclose(restored, x, rtol=1e-5)


def test_constant_feature_is_left_unscaled():
    x = np.column_stack([np.full(10, 3.0), np.arange(10.0)])
    assert np.isfinite(Scaler.fit(x, "standard", True).transform(x)).all()


def params(normalize):
    return {"dataset": PULSES, "split": SPLIT, "normalize": normalize}


def outputs(folder):
    return {p: str(folder / f"{p}.npz") for p in ("train", "val", "test")} | {
        "scaler": str(folder / "scaler.json"),
        "summary": str(folder / "summary.json"),
    }


def test_prepare_data_writes_parts_scaler_and_summary(tmp_path):
    out = outputs(tmp_path)
    prepare_data(inputs={}, params=params({"method": "minmax", "per_feature": False}), outputs=out)
    train, test = np.load(out["train"]), np.load(out["test"])
    assert train["x"].dtype == np.float32 and train["x"].shape[1:] == (30,)
    assert abs(len(train["y"]) - 0.7 * 350) <= 2
    assert train["x"].min() == 0 and train["x"].max() == 1  # scaling fitted on the training part only
    summary = json.loads(open(out["summary"]).read())
    per_class = np.sum([summary["class_counts"][p] for p in ("train", "val", "test")], axis=0)
    assert per_class.tolist() == [100, 100, 100, 50]
    assert all(abs(c - 0.7 * n) <= 1 for c, n in zip(summary["class_counts"]["train"], per_class))
    assert summary["class_counts"]["test"] == np.bincount(test["y"]).tolist()
    assert summary["input_shape"] == [30] and summary["class_names"][3] == "saturated"
    scaler = json.loads(open(out["scaler"]).read())
    assert scaler["method"] == "minmax" and scaler["scale"] > 0


def test_prepare_data_is_byte_identical_on_rerun(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        prepare_data(inputs={}, params=params({"method": "standard", "per_feature": True}), outputs=outputs(folder))
    for name in ("train.npz", "val.npz", "test.npz", "scaler.json", "summary.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

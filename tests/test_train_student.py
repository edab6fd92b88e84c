"""The student search's distillation settings (socflow.train.student): a value is used as it is, a list is a
hyperparameter of the search, the soft term's kind included."""

from __future__ import annotations

import keras_tuner as kt
import pytest

from socflow.errors import ConfigError
from socflow.train.student import kd_settings


def test_kd_settings_are_values_or_the_searchs_choices():
    fixed = kd_settings(kt.HyperParameters(), {"alpha": 0.1, "temperature": 2.0, "kd": "scaled"})
    assert fixed == {"alpha": 0.1, "temperature": 2.0, "kd": "scaled"}
    hp = kt.HyperParameters()
    searched = kd_settings(hp, {"alpha": [0.1, 0.5], "temperature": [1.0, 4.0], "kd": ["hinton", "standardized"]})
    assert searched == {"alpha": 0.1, "temperature": 1.0, "kd": "hinton"}  # each choice's first value
    assert {name: list(p.values) for name, p in ((p.name, p) for p in hp.space)} == {
        "alpha": [0.1, 0.5],
        "temperature": [1.0, 4.0],
        "kd": ["hinton", "standardized"],
    }


def test_a_kd_kind_the_distiller_does_not_know_is_named():
    from socflow.train.distill import check_kind

    with pytest.raises(ConfigError, match="unknown KD kind 'hint'"):
        check_kind("hint")

"""da4ml's tracing of QKeras students: layers without an RTL mapping are named."""

from __future__ import annotations

from socflow._keras import keras

import pytest

from conftest import (
    INPUT,
)
from socflow.errors import ModelError
from socflow.fixed import FixedType
from socflow.rtl.parallel import trace_student


def test_layers_without_an_rtl_mapping_are_named():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(x)))
    with pytest.raises(ModelError, match="'conv' \\(Conv2D\\) has no RTL mapping.*rtl.enabled: false"):
        trace_student(model, FixedType.parse(INPUT))

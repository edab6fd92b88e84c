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
    x = keras.layers.AveragePooling2D(2, name="average")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(x)))
    with pytest.raises(ModelError, match="'average' \\(AveragePooling2D\\) has no RTL mapping.*rtl.enabled: false"):
        trace_student(model, FixedType.parse(INPUT))
    # a convolution has its own design (socflow.rtl.conv), not da4ml's fully parallel one
    conv = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(keras.layers.Conv2D(2, 3)(inputs))))
    with pytest.raises(ModelError, match="fully parallel RTL takes dense students only"):
        trace_student(conv, FixedType.parse(INPUT))

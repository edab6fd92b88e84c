"""What the input type costs the student (socflow.metrics.input_accuracy_loss), checked by hls_csim and rtl_sim: the
hardware checks compare the hardware with the model on the same quantized inputs, so they cannot see it."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import INPUT_ACCURACY
from socflow.errors import InputPrecisionError
from socflow.fixed import FixedType
from socflow.io import read_xy
from socflow.metrics import input_accuracy_loss, predict_classes
from socflow.models import load_model


def quantized_accuracy(model, x, y, in_type):
    _, predicted = predict_classes(model, in_type.quantize(x).astype(np.float32))
    return float((predicted == y).mean())


def test_an_input_type_that_costs_accuracy_fails_or_is_recorded(student):
    model = load_model(student / "model.h5")
    x, y = read_xy(student / "test.npz")
    wide, coarse = FixedType.parse("ap_fixed<16,6>"), FixedType.parse("ap_fixed<4,8>")
    held = input_accuracy_loss(model, x, y, quantized_accuracy(model, x, y, wide), wide, INPUT_ACCURACY)
    assert abs(held["loss"]) <= 0.03 and "warning" not in held and held["float_accuracy"] > 0.5
    lost = quantized_accuracy(model, x, y, coarse)
    with pytest.raises(InputPrecisionError, match=r"with its inputs on the grid of ap_fixed<4,8> the student is right "
                       r"on \d+\.\d\d% of the test set, \d+\.\d\d points below the float student's \d+\.\d\d%: more "
                       r"than hls.input_max_accuracy_loss=0.03"):  # fmt: skip
        input_accuracy_loss(model, x, y, lost, coarse, INPUT_ACCURACY)
    warned = input_accuracy_loss(model, x, y, lost, coarse, INPUT_ACCURACY | {"input_accuracy_check": "warn"})
    assert (
        warned["loss"] > 0.03
        and warned["quantized_accuracy"] == lost
        and "hls.input_accuracy_check" in warned["warning"]
    )


def test_one_sample_lost_is_allowed_however_small_the_test_set():
    """1 of 20 is 5 points, above the 3-point limit; a single answer that flips is no evidence against the type."""
    from socflow._keras import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2)])
    model.set_weights([np.array([[1.0, -1.0]]), np.zeros(2)])  # class 0 for x > 0, class 1 below
    x = np.linspace(-1, 1, 20).reshape(-1, 1) + 0.01
    y = (x[:, 0] < 0).astype(int)
    one = input_accuracy_loss(model, x, y, 0.95, FixedType.parse("ap_fixed<8,2>"), INPUT_ACCURACY)
    assert one["float_accuracy"] == 1.0 and one["max_loss"] == 0.05 and "warning" not in one
    with pytest.raises(InputPrecisionError):
        input_accuracy_loss(model, x, y, 0.90, FixedType.parse("ap_fixed<8,2>"), INPUT_ACCURACY)

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

"""The line-buffered conv RTL: 1D and 2D students of the workflow's own families, Verilator bit-exact on a test
set with latency and II measured, and the named errors for what it does not map (its Yosys resources: the
digits CNN run of test_workflow.py)."""

from __future__ import annotations

from socflow._keras import keras

import numpy as np
import pytest

from conftest import CONV_STUDENTS, INPUT, RTL_TARGET, conv_student, generate, simulate
from socflow.errors import ModelError
from socflow.fixed import FixedType
from socflow.rtl.conv import network_stages


@pytest.mark.parametrize("name", sorted(CONV_STUDENTS))
def test_conv_rtl_is_bit_exact_with_measured_latency_and_ii(name, tmp_path):
    student = conv_student(tmp_path / "student", name)
    summary = generate(student, tmp_path, RTL_TARGET)
    assert summary["architecture"] == "conv" and summary["serial_input"]
    assert summary["n_inputs"] == int(np.prod(CONV_STUDENTS[name][1]))
    # a new input every longest scan: the first stage's padded map
    first = summary["stages"][0]
    assert summary["initiation_interval"] == max(first["scan_clocks"], summary["n_inputs"])
    result = simulate(student, tmp_path, RTL_TARGET)
    assert result["bit_exact_vs_golden"] == result["agreement"] == 1.0 and result["n"] == 60
    assert result["latency_clocks"] == summary["latency_clocks"] and result["initiation_interval_tight"]


def _model(shape, *layers):
    inputs = keras.Input(shape)
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


def test_what_the_conv_rtl_does_not_map_is_a_named_error():
    from qkeras import QActivation, QConv1D, QDense, quantized_bits, quantized_relu

    q = {"kernel_quantizer": quantized_bits(8, 0, alpha=1), "bias_quantizer": quantized_bits(8, 0, alpha=1)}
    relu, in_type = QActivation(quantized_relu(8, 2)), FixedType.parse(INPUT)
    strided = _model((30, 1), QConv1D(2, 3, strides=2, **q), relu, keras.layers.Flatten(), QDense(3, **q))
    with pytest.raises(ModelError, match="strides"):
        network_stages(strided, in_type)
    bare = _model((30, 1), QConv1D(2, 3, **q), keras.layers.Flatten(), QDense(3, **q))
    with pytest.raises(ModelError, match="quantized_relu after every convolution"):
        network_stages(bare, in_type)

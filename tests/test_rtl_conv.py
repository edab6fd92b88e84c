"""The line-buffered conv RTL, with da4ml's adder graphs (R = 1) and folded (R > 1): 1D and 2D students of the
workflow's own families, Verilator bit-exact on a test set with latency and II measured, the scan's schedule, and
the named errors for what it does not map (its Yosys resources: the digits CNN run of test_workflow.py and
test_rtl_synth.py)."""

from __future__ import annotations

from socflow._keras import keras

import numpy as np
import pytest

from conftest import CONV_STUDENTS, INPUT, RTL_TARGET, conv_student, generate, simulate
from socflow.errors import ConfigError, ModelError
from socflow.fixed import FixedType
from socflow.models import load_model
from socflow.rtl.conv import design, network_stages, scan_edges


@pytest.mark.parametrize("name", sorted(CONV_STUDENTS))
@pytest.mark.slow
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


# a reuse factor per student: small (many lanes) for the 1D CNN, one its kernels fold to a lane or two for the
# others (LUTs, DSPs and clocks against R: test_rtl_cost.py)
FOLDED = {"cnn_1d": [3], "cnn_2d": [30], "mobilenet": [5], "vgg": [8]}


@pytest.mark.parametrize("name,reuse", [(name, r) for name, rs in sorted(FOLDED.items()) for r in rs])
@pytest.mark.slow
def test_folded_conv_rtl_is_bit_exact_with_measured_latency_and_ii(name, reuse, tmp_path):
    student = conv_student(tmp_path / "student", name)
    target = RTL_TARGET | {"reuse_factor": reuse}
    summary = generate(student, tmp_path, target)
    assert summary["architecture"] == "folded_conv" and summary["serial_input"] and summary["reuse_factor"] == reuse
    # every kernel on ceil(nnz / R) multipliers or more (a lane per output and group of R inputs, where that
    # costs fewer LUTs), a window every C <= R clocks
    core = design(load_model(tmp_path / "student" / "model.h5"), FixedType.parse(INPUT), target, {})
    nonzero = [int(np.count_nonzero(k.core.layers[0].weights)) for k in core.kernels]
    assert all(s["multipliers"] >= -(-n // reuse) for s, n in zip(summary["stages"], nonzero))
    assert all(1 <= s["kernel_spacing"] <= reuse for s in summary["stages"])
    assert summary["multipliers"] == sum(s["multipliers"] for s in summary["stages"]) + summary["head"]["multipliers"]
    assert summary["initiation_interval"] == max(summary["n_inputs"], *(s["scan_clocks"] for s in summary["stages"]))
    result = simulate(student, tmp_path, target)
    assert result["bit_exact_vs_golden"] == result["agreement"] == 1.0 and result["n"] == 60
    assert result["latency_clocks"] == summary["latency_clocks"] and result["initiation_interval_tight"]


def test_a_scan_waits_at_each_window_until_the_kernel_is_free(tmp_path):
    student = load_model(conv_student(tmp_path / "student", "cnn_2d") / "model.h5")
    stage = network_stages(student, FixedType.parse(INPUT))[0][0]
    assert scan_edges(stage, 1) == list(range(1, stage.scan + 1))  # the adder graph: a position per clock
    edges = scan_edges(stage, 5)
    kh, kw = stage.kernel_size
    padded_w = stage.padded[1]
    windows = [e for p, e in enumerate(edges) if p // padded_w >= kh - 1 and p % padded_w >= kw - 1]
    assert len(windows) == stage.conv_shape[0] * stage.conv_shape[1]
    # a new window every 5 clocks at the most, the first 5 clocks after the scan began (one taken as due)
    assert min(b - a for a, b in zip(windows, windows[1:])) == 5 and windows[0] >= 5
    assert all(b > a for a, b in zip(edges, edges[1:]))


def test_a_reuse_factor_no_layer_of_a_conv_student_can_use_is_a_config_error(tmp_path):
    student = load_model(conv_student(tmp_path / "student", "cnn_1d") / "model.h5")
    with pytest.raises(ConfigError, match=r"reuse_factor 64: the folded conv RTL takes 2 to 63"):
        design(student, FixedType.parse(INPUT), RTL_TARGET | {"reuse_factor": 64}, {})


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

"""The folded and streaming RTL (reuse factor > 1): the schedule, the integer model, Verilator bit-exact on the
test set with latency and II measured, Yosys's DSP mapping and the named errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import (
    RTL_TARGET,
    generate,
    simulate,
    synthesize,
    tie_model,
)
from socflow.errors import ConfigError, HardwareMismatchError
from socflow.fixed import FixedType
from socflow.rtl.folded import integer_network, network_forward, schedule
from socflow.rtl.quantized import golden_predict


def folded(student, tmp_path, **target):
    target = RTL_TARGET | {"reuse_factor": 8} | target
    return generate(student, tmp_path, target), target


@pytest.mark.parametrize(
    ("reuse", "source"), [(2, "register"), (5, "register"), (30, "ram"), (64, "ram"), (4, "shared"), (12, "shared")]
)
def test_every_nonzero_product_once_on_ceil_nnz_over_r_multipliers(reuse, source):
    rng = np.random.default_rng(reuse)
    weights = rng.integers(-8, 8, (30, 16)) * (rng.random((30, 16)) > 0.5)
    weights[7] = 0  # an input no output uses: no step reads it
    nnz = int(np.count_nonzero(weights))
    plan = schedule(weights, reuse, source)
    if source == "shared":  # groups of at most R inputs, each lane one output's products of one group, in step
        assert len(plan.groups) == math.ceil(29 / reuse) and 7 not in sum(plan.groups, [])
        assert all(len(inputs) <= reuse for inputs in plan.groups) and plan.clocks <= reuse
        assert all(plan.groups[lane.group][t] == i for lane in plan.lanes for t, (i, _, _) in lane.steps.items())
        assert len(plan.lanes) == sum(np.any(weights[inputs] != 0, axis=0).sum() for inputs in plan.groups)
    else:
        assert len(plan.lanes) == math.ceil(nnz / reuse) and plan.clocks <= reuse
    done = sorted(
        (i, j) for lane in plan.lanes for i, w, g in lane.steps.values() for j in range(16) if g in plan.partials[j]
    )
    assert done == sorted(zip(*np.nonzero(weights)))  # pruned weights: neither stored nor multiplied
    assert all(
        weights[i, j] == w
        for lane in plan.lanes
        for i, w, g in lane.steps.values()
        for j in range(16)
        if g in plan.partials[j]
    )
    assert all(0 <= t < plan.clocks for lane in plan.lanes for t in lane.steps)
    # each output is the sum of its partials, each started once (from the bias for the output's first)
    owners = sorted(g for parts in plan.partials for g in parts)
    assert owners == list(range(len(owners)))
    starts = [(j, lane.steps[t][2]) for lane in plan.lanes for t, j in lane.first.items()]
    assert sorted(g for _, g in starts) == owners
    assert all(j is None or plan.partials[j][0] == g for j, g in starts)
    if source == "ram":  # input order, so the run overlaps the input's arrival
        assert all(list(lane.steps.values()) == sorted(lane.steps.values(), key=lambda s: s[0]) for lane in plan.lanes)
        # the run overlaps the input's arrival: it ends sooner after the last value than a run started there
        assert plan.tail < plan.clocks and max(30, plan.clocks) <= plan.interval < plan.clocks + plan.tail


def test_integer_model_equals_the_golden_model_at_ties():
    model, in_type = tie_model(), FixedType.parse("ap_fixed<8,7>")
    x = in_type.quantize(np.random.default_rng(1).integers(-16, 16, (2000, 4)) / 2)
    layers = integer_network(model, in_type)
    scores = network_forward(layers, in_type.to_codes(x)) * 2.0 ** -layers[-1].acc_frac
    assert np.array_equal(scores, golden_predict(model, x, in_type))


@pytest.mark.slow
def test_folded_rtl_is_bit_exact_with_measured_latency_and_tight_ii(student, tmp_path):
    summary, target = folded(student, tmp_path, reuse_factor=8)
    assert summary["architecture"] == "folded" and summary["initiation_interval"] <= 8
    first = summary["layers"][0]
    assert first["multipliers"] == math.ceil(first["nonzero_weights"] / 8)
    result = simulate(student, tmp_path, target)
    assert result["bit_exact_vs_golden"] == result["agreement"] == 1.0 and result["n"] == 200
    assert result["latency_clocks"] == summary["latency_clocks"] and result["initiation_interval_tight"]
    assert result["latency_ns"] == pytest.approx(5.0 * result["latency_clocks"])


@pytest.mark.slow
def test_streaming_rtl_takes_one_value_per_clock(student, tmp_path):
    summary, target = folded(student, tmp_path, reuse_factor=30, rtl_architecture="stream")
    assert summary["architecture"] == "stream" and summary["initiation_interval"] == 30
    assert summary["layers"][0]["input_source"] == "broadcast" and summary["layers"][0]["multipliers"] <= 16
    result = simulate(student, tmp_path, target)
    assert result["bit_exact_vs_golden"] == 1.0 and result["latency_clocks"] == summary["latency_clocks"]


def test_edited_folded_verilog_is_refused(student, tmp_path):
    _, target = folded(student, tmp_path, reuse_factor=16)
    core = tmp_path / "verilog" / "src" / "student.v"
    core.write_text(core.read_text().replace("'sd", "'sd1", 1))
    with pytest.raises(HardwareMismatchError, match="differs from the simulated one"):
        simulate(student, tmp_path, target)


def test_reuse_factors_no_layer_can_use_are_named(student, tmp_path):
    with pytest.raises(ConfigError, match=r"reuse_factor 5000: the folded RTL takes 2 to \d+ for this student"):
        folded(student, tmp_path, reuse_factor=5000)
    with pytest.raises(ConfigError, match="stream takes one input per clock, so reuse_factor must be n_inputs = 30"):
        folded(student, tmp_path, reuse_factor=8, rtl_architecture="stream")


@pytest.mark.parametrize("reuse", [3, 8])
@pytest.mark.slow
def test_verilog_rounds_ties_half_to_even_and_saturates(tmp_path, reuse):
    """The tie model through the generated Verilog, its input as a vector (R < 4 inputs) and one value per clock
    into LUT-RAM (R >= 4): >1,000 exact ties and saturated ReLUs, every answer equal."""
    from socflow.rtl.folded import design, write_project
    from socflow.rtl.harness import Testbench, pack

    model, in_type = tie_model(), FixedType.parse("ap_fixed<8,7>")
    codes = in_type.to_codes(np.random.default_rng(1).integers(-16, 16, (2000, 4)) / 2)
    layers = integer_network(model, in_type)
    core = design(layers, reuse, "folded")
    assert core.serial_input == (reuse >= 4) and core.schedules[0].source == ("ram" if reuse >= 4 else "register")
    files = write_project(core, "tie", tmp_path)  # the core, and the shared modules it instantiates
    width, per_sample = layers[-1].acc_width, 4 if core.serial_input else 1
    bench = Testbench(files, "tie", 4 * in_type.width // per_sample, 3 * width, tmp_path / "tb")
    beats = pack(codes.reshape(len(codes) * per_sample, -1), in_type.width)
    run = bench.run(beats, core.initiation_interval, per_sample, 3, width)
    assert run.exact(network_forward(layers, codes))
    assert set(run.latencies.tolist()) == {core.latency_clocks}


@pytest.mark.slow
def test_yosys_maps_each_multiplier_to_a_dsp48(student, tmp_path):
    summary, _ = folded(student, tmp_path, reuse_factor=30, rtl_architecture="stream")
    report = synthesize(tmp_path)
    assert report["resources"]["DSP"]["used"] == summary["multipliers"]
    assert 0 < report["resources"]["LUT"]["used"] < 5_000

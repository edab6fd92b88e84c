"""The cost model (socflow.rtl.cost): the latency, II and multipliers of the design rtl_generate writes."""

from __future__ import annotations

import pytest

from conftest import (
    BASYS3,
    INPUT,
    RTL,
    RTL_TARGET,
    conv_student,
    generate,
)
from socflow.fixed import FixedType
from socflow.rtl.designs import estimate


@pytest.mark.parametrize("reuse", [1, 8])
def test_the_estimate_has_the_latency_ii_and_multipliers_of_the_written_design(student, tmp_path, reuse):
    from socflow.models import load_model

    rtl_target = BASYS3 | {"reuse_factor": reuse}
    summary = generate(student, tmp_path, rtl_target)
    estimated = estimate(load_model(student / "model.h5"), FixedType.parse(INPUT), rtl_target, RTL)
    assert estimated.latency_clocks == summary["latency_clocks"]
    assert estimated.initiation_interval == summary["initiation_interval"]
    if reuse == 1:
        assert estimated.lut == summary["da4ml_lut_estimate"] and estimated.dsp == 0
    else:
        assert estimated.dsp == summary["multipliers"] and 200 < estimated.lut < 20_000


def test_the_estimate_of_a_conv_student_is_its_conv_design(tmp_path):
    from socflow.models import load_model

    student = conv_student(tmp_path / "student", "cnn_2d")
    summary = generate(student, tmp_path, RTL_TARGET)
    estimated = estimate(load_model(student / "model.h5"), FixedType.parse(INPUT), RTL_TARGET, RTL)
    assert estimated.design == "conv" and estimated.dsp == 0
    assert (estimated.latency_clocks, estimated.initiation_interval) == (
        summary["latency_clocks"],
        summary["initiation_interval"],
    )
    # da4ml's adder graphs, and the design around them on top
    assert summary["da4ml_lut_estimate"] < estimated.lut < 2 * summary["da4ml_lut_estimate"] + 1000


def test_the_estimate_of_a_folded_conv_design_has_its_multipliers_latency_and_ii(tmp_path):
    from socflow.models import load_model

    student = conv_student(tmp_path / "student", "cnn_2d")
    model = load_model(student / "model.h5")
    costs = []
    for reuse in (2, 8, 32):
        target = RTL_TARGET | {"reuse_factor": reuse}
        summary = generate(student, tmp_path / f"rf{reuse}", target)
        estimated = estimate(model, FixedType.parse(INPUT), target, RTL)
        assert estimated.design == "folded_conv" and estimated.dsp == summary["multipliers"] > 0
        assert (estimated.latency_clocks, estimated.initiation_interval) == (
            summary["latency_clocks"],
            summary["initiation_interval"],
        )
        costs.append(estimated)
    # time for area: fewer LUTs and DSPs, more clocks, as R grows
    assert [c.lut for c in costs] == sorted((c.lut for c in costs), reverse=True)
    assert [c.dsp for c in costs] == sorted((c.dsp for c in costs), reverse=True)
    assert [c.initiation_interval for c in costs] == sorted(c.initiation_interval for c in costs)

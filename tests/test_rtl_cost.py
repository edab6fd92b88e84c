"""The cost model (socflow.rtl.cost): the latency, II and multipliers of the design rtl_generate writes."""

from __future__ import annotations

import pytest

from conftest import (
    BASYS3,
    INPUT,
    RTL,
    generate,
)
from socflow.fixed import FixedType
from socflow.rtl.cost import estimate


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

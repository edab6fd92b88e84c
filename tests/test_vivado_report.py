"""Vivado's post-route report parsers on real Vivado reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from socflow.vivado.report import ReportError, parse_timing_summary, parse_utilization

REPORTS = Path(__file__).parent / "fixtures" / "reports"


def test_utilization_and_timing_from_real_vivado_reports():
    z7 = parse_utilization(REPORTS / "vivado2018_zynq7020_conv64_utilization_placed.rpt")
    assert z7["device"] == "7z020clg484-1" and z7["state"] == "Fully Placed"
    assert z7["resources"]["LUT"] == {"used": 7674, "available": 53200, "percent": 14.42}
    assert z7["resources"]["DSP"]["used"] == 148 and z7["resources"]["BRAM_36K"]["used"] == 2
    zu = parse_utilization(REPORTS / "vivado2024_zu48dr_rfsoc_utilization_placed.rpt")
    assert zu["resources"]["LUT"]["available"] == 425280 and zu["resources"]["BRAM_36K"]["used"] == 66.5
    assert zu["tool"].startswith("Vivado v.2024.1")
    timing = parse_timing_summary(REPORTS / "vivado2018_zynq7020_conv64_timing_summary_routed.rpt")
    assert (timing["wns_ns"], timing["whs_ns"], timing["met"]) == (6.828, 0.022, True)
    with pytest.raises(ReportError, match="not a Vivado report_utilization report"):
        parse_utilization(REPORTS / "vivadohls2020_hls4ml_test_myproject_csynth.rpt")
    with pytest.raises(ReportError, match="no Design Timing Summary"):
        parse_timing_summary(REPORTS / "vivado2018_zynq7020_conv64_utilization_placed.rpt")

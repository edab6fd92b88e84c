"""The csynth.xml parser, on real reports of public projects (tests/fixtures/reports/README.md cites them)."""

from pathlib import Path

import pytest

from socflow.errors import ReportError
from socflow.hls.report import parse_csynth_xml

FIXTURES = Path(__file__).parent / "fixtures" / "reports"


def test_vivado_hls_2020_hls4ml_test_report():
    r = parse_csynth_xml(FIXTURES / "vivadohls2020_hls4ml_test_myproject_csynth.xml")
    assert (r["tool"], r["part"], r["top"]) == ("2020.1", "xc7z020-clg400-1", "myproject")
    assert r["latency_cycles"] == {"best": 10, "worst": 10} and r["interval_cycles"] == {"min": 8, "max": 8}
    assert r["latency_ns"] == {"best": 50.0, "worst": 50.0} and r["target_clock_ns"] == 5.0
    res = r["resources"]
    assert (res["DSP"]["used"], res["DSP"]["available"]) == (73, 220)  # <DSP48E> in this version
    assert (res["FF"]["used"], res["LUT"]["used"], res["BRAM_18K"]["used"]) == (7969, 2532, 0)
    assert res["LUT"]["percent"] == pytest.approx(100 * 2532 / 53200)


def test_vivado_hls_2019_report_with_dataflow_interval_range():
    r = parse_csynth_xml(FIXTURES / "vivadohls2019_autoencoder_hls4ml_myproject_csynth.xml")
    assert r["tool"] == "2019.2.1"
    assert r["latency_cycles"] == {"best": 96014, "worst": 96165}
    assert r["interval_cycles"] == {"min": 4625, "max": 95949}
    assert r["resources"]["BRAM_18K"]["percent"] > 100  # the estimate exceeds the part: reported, not hidden
    assert r["resources"]["URAM"] == {"used": 0, "available": 0, "percent": None}


def test_vitis_hls_2023_report():
    r = parse_csynth_xml(FIXTURES / "vitis2023_hgdream_hls4ml_myproject_csynth.xml")
    assert (r["tool"], r["part"]) == ("2023.1", "xczu49dr-ffvf1760-2-e")
    assert r["latency_cycles"]["worst"] == 695 and r["interval_cycles"]["min"] == 578
    res = r["resources"]
    assert (res["DSP"]["used"], res["DSP"]["available"]) == (29, 4272)  # <DSP> in Vitis HLS
    assert (res["LUT"]["used"], res["LUT"]["available"], res["URAM"]["available"]) == (339116, 425280, 80)
    assert r["estimated_clock_ns"] == pytest.approx(3.649)


def test_missing_and_wrong_reports_are_named(tmp_path):
    with pytest.raises(ReportError, match="synthesis report not found"):
        parse_csynth_xml(tmp_path / "absent.xml")
    (tmp_path / "other.xml").write_text("<profile><ReportVersion/></profile>")
    with pytest.raises(ReportError, match="no <UserAssignments> element"):
        parse_csynth_xml(tmp_path / "other.xml")
    (tmp_path / "broken.xml").write_text("<profile>")
    with pytest.raises(ReportError, match="not an XML report"):
        parse_csynth_xml(tmp_path / "broken.xml")

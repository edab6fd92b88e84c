"""Fig. 5 from synthesis reports (parsed from the real fixture reports)."""

from pathlib import Path

import matplotlib.image as mpimg
import pytest

from socflow.figures import fig5_points, latency_vs_reuse
from socflow.hls_report import parse_csynth_xml

FIXTURES = Path(__file__).parent / "fixtures" / "reports"


def test_fig5_from_real_reports(tmp_path):
    reports = {
        "a": parse_csynth_xml(FIXTURES / "vivadohls2020_hls4ml_test_myproject_csynth.xml"),
        "b": parse_csynth_xml(FIXTURES / "vitis2023_hgdream_hls4ml_myproject_csynth.xml"),
    }
    targets = {
        "a": {"part": "xc7z020clg400-1", "clock_period": 5.0, "reuse_factor": 1},
        "b": {"part": "xczu49dr-ffvf1760-2-e", "clock_period": 10.0, "reuse_factor": 8},
    }
    points = fig5_points(reports, targets)
    assert {(p["part"], p["clock_mhz"], p["reuse_factor"], p["latency_cycles"]) for p in points} == {
        ("xc7z020clg400-1", 200.0, 1, 10), ("xczu49dr-ffvf1760-2-e", 100.0, 8, 695)}
    latency_vs_reuse(points, tmp_path / "fig5.png")
    image = mpimg.imread(tmp_path / "fig5.png")
    assert image.shape[0] > 300 and image.shape[1] > 500


def test_no_reports_is_an_error_not_an_empty_figure(tmp_path):
    with pytest.raises(ValueError, match="no synthesis reports"):
        latency_vs_reuse([], tmp_path / "fig5.png")
    assert not (tmp_path / "fig5.png").exists()

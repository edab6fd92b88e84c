"""Table I rows: numbers from the metrics, hardware numbers with their source, or the reason there are none."""

from pathlib import Path

import pandas as pd
import pytest

from socflow.hls_report import parse_csynth_xml
from socflow.report import COLUMNS, table1_row, write_table1

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "vivadohls2020_hls4ml_test_myproject_csynth.xml"
TEACHER = {"params": 16352, "accuracy": 0.997}
STUDENT = {"params": 529, "compression_ratio": 30.91, "n_layers": 2, "accuracy": 0.9896, "bits": 8, "sparsity": 0.2}
CSIM = {"agreement": 1.0}


def test_row_with_a_synthesis_report(tmp_path):
    synth = parse_csynth_xml(FIXTURE) | {"backend": "Vivado"}
    row = table1_row("pulses", "b8_s20", "z7", "xc7z020clg400-1", TEACHER, STUDENT, CSIM, synth, "")
    assert (row["teacher P"], row["teacher OA [%]"], row["P"], row["CR"], row["OA [%]"], row["SP [%]"]) == (
        16352, 99.7, 529, 30.91, 98.96, 20.0)
    assert (row["DSP [%]"], row["LUT [%]"], row["L [clk]"]) == (pytest.approx(33.18), pytest.approx(4.76), 10)
    assert row["hardware source"] == "HLS report (Vivado HLS 2020.1, before place and route)"


def test_row_without_synthesis_says_why_and_leaves_cells_empty(tmp_path):
    row = table1_row("pulses", "b8_s20", "a7", "xc7a100tcsg324-1", TEACHER, STUDENT, CSIM, None,
                     "vitis-run not found on PATH (toolchain: auto)")
    frame = write_table1([row], tmp_path / "t.csv", tmp_path / "t.md")
    assert list(frame.columns) == COLUMNS
    assert pd.read_csv(tmp_path / "t.csv")["LUT [%]"].isna().all()
    markdown = (tmp_path / "t.md").read_text()
    assert "none: vitis-run not found on PATH (toolchain: auto)" in markdown and "nan" not in markdown

"""Fig. 5 from synthesis reports (parsed from the real fixture reports) and RTL simulations; confusion matrices."""

import json
from pathlib import Path

import matplotlib.image as mpimg
import pytest

from socflow.errors import ReportError
from socflow.hls.report import parse_csynth_xml
from socflow.report import figures
from socflow.report.figures import confusion_matrices, fig5_points, latency_vs_reuse

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
    yosys = {"b": {"resources": {"LUT": {"used": 900}, "FF": {"used": 300}, "DSP": {"used": 5}}}}
    rtl_sim = {"a": {"latency_clocks": 4}, "b": {"latency_clocks": 33, "initiation_interval": 8}}
    points = fig5_points(targets, synth=reports, rtl_sim=rtl_sim, yosys=yosys)
    assert {(p["source"], p["part"], p["clock_mhz"], p["reuse_factor"], p["latency_cycles"]) for p in points} == {
        ("HLS report", "xc7z020clg400-1", 200.0, 1, 10),
        ("HLS report", "xczu49dr-ffvf1760-2-e", 100.0, 8, 695),
        ("RTL (da4ml R=1, folded R>1)", "xc7z020clg400-1", 200.0, 1, 4),
        ("RTL (da4ml R=1, folded R>1)", "xczu49dr-ffvf1760-2-e", 100.0, 8, 33),
    }
    folded = next(p for p in points if p["latency_cycles"] == 33)
    assert (folded["latency_ns"], folded["LUT"], folded["DSP"], folded["initiation_interval"]) == (330.0, 900, 5, 8)
    hls = next(p for p in points if p["latency_cycles"] == 10)
    assert hls["LUT"] > 0 and hls["latency_ns"] == 50.0
    latency_vs_reuse(points, tmp_path / "fig5.png")
    image = mpimg.imread(tmp_path / "fig5.png")
    assert image.shape[0] > 300 and image.shape[1] > 500


def test_fig5_draws_a_cnn_students_conv_and_folded_conv_designs_as_one_curve():
    targets = {f"rf{r}": {"part": "xc7a35tcpg236-1", "clock_period": 10.0, "reuse_factor": r} for r in (1, 8, 32)}
    sims = {
        "rf1": {"architecture": "conv", "latency_clocks": 64, "initiation_interval": 34},
        "rf8": {"architecture": "folded_conv", "latency_clocks": 303, "initiation_interval": 150},
        "rf32": {"architecture": "folded_conv", "latency_clocks": 428, "initiation_interval": 225},
    }
    points = fig5_points(targets, rtl_sim=sims)
    assert {p["source"] for p in points} == {"RTL conv"}
    assert sorted((p["reuse_factor"], p["latency_cycles"]) for p in points) == [(1, 64), (8, 303), (32, 428)]


def test_no_reports_is_an_error_not_an_empty_figure(tmp_path):
    with pytest.raises(ReportError, match="no latency reports"):
        latency_vs_reuse([], tmp_path / "fig5.png")
    assert not (tmp_path / "fig5.png").exists()


def test_confusion_matrices_one_panel_per_source(tmp_path):
    matrices = {"QKeras": [[5, 1], [0, 6]], "RTL sim": [[5, 1], [0, 6]], "C sim": [[5, 1], [0, 6]]}
    confusion_matrices(matrices, ["a", "b"], tmp_path / "c.png", "t")
    height, width = mpimg.imread(tmp_path / "c.png").shape[:2]
    assert width > 2.5 * height  # three panels side by side


def test_fig5_takes_the_clock_each_routed_design_reaches(tmp_path):
    targets = {f"rf{r}": {"part": "LFE5U-85F-6BG381C", "clock_period": 10.0, "reuse_factor": r} for r in (10, 30)}
    sims = {f"rf{r}": {"architecture": "folded", "latency_clocks": r + 9, "initiation_interval": r} for r in (10, 30)}
    pnr = {"rf10": {"fmax_mhz": 102.8}, "rf30": {"fmax_mhz": 117.4}}
    points = fig5_points(targets, rtl_sim=sims, pnr=pnr)
    by_r = {p["reuse_factor"]: p for p in points}
    assert by_r[10]["fmax_mhz"] == 102.8 and by_r[30]["latency_ns_at_fmax"] == pytest.approx(1000 * 39 / 117.4)
    latency_vs_reuse(points, tmp_path / "fig5.png")
    assert (tmp_path / "fig5.png").stat().st_size > 10_000
    assert "fmax_mhz" not in fig5_points(targets, rtl_sim=sims)[0]  # unrouted: no Fmax panel


def _budget_trials(tmp_path):
    rows = ["trial_id,status,lut,latency_clocks,val_accuracy,fits", "00,COMPLETED,900,40,0.95,True",
            "01,COMPLETED,600,40,0.90,True", "02,COMPLETED,3000,40,0.97,False"]  # fmt: skip
    (tmp_path / "trials.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "hparams.json").write_text('{"trial_id": "00"}')


@pytest.mark.parametrize("search_choice", [True, False])
def test_the_budget_figure_stars_the_deployed_design_and_the_passed_over_choice(tmp_path, monkeypatch, search_choice):
    saved = []
    monkeypatch.setattr(figures, "_save", lambda fig, path: saved.append(fig))
    _budget_trials(tmp_path)
    point = {"lut": 600, "latency_clocks": 40, "val_accuracy": 0.90} if not search_choice else {"lut": 900}
    (tmp_path / "chosen.json").write_text(json.dumps({"search_choice": search_choice, "point": point}))
    figures.budget_search(tmp_path / "trials.csv", tmp_path / "hparams.json", {"lut": 1000}, "x.png",
                          tmp_path / "chosen.json")  # fmt: skip
    stars = {c.get_label(): c.get_offsets()[0].tolist() for c in saved[0].axes[0].collections if "choice" in
             c.get_label() or c.get_label() in ("deployed", "chosen")}  # fmt: skip
    if search_choice:
        assert stars == {"chosen": [900.0, 95.0]}
    else:
        assert stars == {"deployed": [600.0, 90.0], "search's choice (over by Yosys)": [900.0, 95.0]}

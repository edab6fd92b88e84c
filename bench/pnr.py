"""Post-route truth on an ECP5: every design kind of the RTL path placed and routed by nextpnr-ecp5, in one run.

Runs the workflow on config/examples/ecp5.yaml (the pulses MLP student at R = 1, 10, 30 and its streaming design at
100 MHz, the 1D-CNN student's conv and folded conv designs at 100 MHz too, all on the ULX3S's LFE5U-85F; rtl.timing:
warn, so that a design that misses its clock is measured too) in bench/out/pnr/, then
prints per design: Yosys's xc7 LUT estimate of the same Verilog (synth_xilinx for the Basys 3's xc7a35t, what the
budget search calibrates on), the ECP5 post-route LUT4 / FF / MULT18X18D / EBR, the clock reached (Fmax), its
slack above the target's clock (rtl.timing_slack asks for 5 %), the placement seeds tried (each seed's Fmax) and the
place-and-route time; and the total place-and-route time of the MLP student's designs.

    .venv/bin/python bench/pnr.py            # runs what is missing, then prints the table
    .venv/bin/python bench/pnr.py --run DIR  # the table of a run of the preset in DIR that ended (nothing is run)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml
from common import ROOT, benchmark_seconds, run_workflow, table

from socflow.names import targets
from socflow.rtl.designs import verilog_sources
from socflow.rtl.quantized import TOP
from socflow.rtl.synth import synthesize

WORK = ROOT / "bench" / "out" / "pnr"
XILINX = "xc7a35tcpg236-1"


def xc7_lut(verilog: Path) -> int:
    """Yosys synth_xilinx's LUT count of a design's Verilog (the xc7a35t's fabric)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = synthesize(verilog_sources(verilog), TOP, XILINX, scratch, Path(scratch) / "yosys.log")
    return report["resources"]["LUT"]["used"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--run", type=Path, help="the folder of a run of config/examples/ecp5.yaml that ended: its results are read"
    )
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config" / "examples" / "ecp5.yaml").read_text())
    work = args.run or WORK
    if not args.run:
        for experiment in config["experiments"].values():  # measure every design: a miss is a row, not a stop
            experiment["rtl"] = {"timing": "warn"}
        wanted = [
            f"results/{exp}/rtl/{variant}/{target}/{name}"
            for exp, cfg in config["experiments"].items()
            for variant in ("b8_s20",)
            for target in targets(cfg)
            for name in ("pnr.json", "rtl_sim.json")
        ]
        run_workflow(WORK, config, *wanted)
    rows, mlp_seconds = [], 0.0
    for exp, cfg in config["experiments"].items():
        for target in targets(cfg):
            where = work / "results" / exp / "rtl" / "b8_s20" / target
            pnr, sim = (json.loads((where / name).read_text()) for name in ("pnr.json", "rtl_sim.json"))
            used = {k: v["used"] for k, v in pnr["resources"].items()}
            seconds = benchmark_seconds(work / "benchmarks" / "rtl_pnr" / exp / "b8_s20" / f"{target}.tsv")
            mlp_seconds += seconds if exp == "pulses_ecp5" else 0.0
            rows.append([
                exp, target, sim["architecture"], json.loads((where / "rtl.json").read_text())["reuse_factor"],
                f"{xc7_lut(where / 'verilog'):,}", f"{used['LUT']:,}", f"{used['FF']:,}", used["DSP"],
                used["BRAM_18K"], round(pnr["target_mhz"], 1), round(pnr["fmax_mhz"], 1), f"{100 * pnr['slack']:+.1f}",
                "yes" if pnr["meets_slack"] else "NO",
                ", ".join(f"{r['seed']}: {r['fmax_mhz']:.1f}" for r in pnr["seeds"]),
                sim["latency_clocks"], round(1000 * sim["latency_clocks"] / pnr["fmax_mhz"]), round(seconds),
            ])  # fmt: skip
    header = ["experiment", "target", "design", "R", "Yosys xc7 LUT (estimate)", "ECP5 LUT4", "FF", "MULT18",
              "EBR", "clock [MHz]", "Fmax [MHz]", "slack [%]", "meets clock + 5 %", "seeds (Fmax)", "latency [clk]",
              "latency at Fmax [ns]", "pnr [s]"]  # fmt: skip
    print(table(header, rows))
    print(f"\nplace and route of the MLP student's designs: {mlp_seconds:.0f} s in total (2 threads each)")


if __name__ == "__main__":
    main()

"""The assessment SoC on open tools: the generated Algorithm 1 firmware on a simulated VexRiscv (LiteX) against
each design of the RTL path, and where its time goes.

Runs the workflow on config/examples/soc.yaml (the default config's pulses MLP student at R = 1, 10, 30, the
1D-CNN student's conv and folded conv designs; board backends emulated and soc_sim) in bench/out/soc/, then prints
per design: the IP's latency (clocks from a complete input to its answer, rtl_sim), the CPU's cycles per inference
through Algorithm 1 (writing the input words, waiting for and reading the answer words), what the CPU and the bus
add to the IP's latency, inferences per second at the SoC clock, and the SoC's build (LiteX, firmware, Verilator)
and simulation times; and for the ULX3S targets the SoC's bitstream (soc_bitstream): its post-route LUT4, FF,
MULT18, EBR, the SoC clock's Fmax and the build time.

    .venv/bin/python bench/soc.py                # runs what is missing (bitstreams too), then prints the tables
    .venv/bin/python bench/soc.py --no-bitstream # the simulated SoC only (about 10 minutes)
"""

from __future__ import annotations

import argparse
import json

import yaml
from common import ROOT, benchmark_seconds, emit, run_workflow

from socflow.names import targets
from socflow.plan import for_part

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "about 30 min", "quick": ["--no-bitstream"], "quick_time": "about 10 min"}
WORK = ROOT / "bench" / "out" / "soc"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-bitstream", action="store_true", help="the simulated SoC only")
    args = parser.parse_args()
    config = yaml.safe_load((ROOT / "config" / "examples" / "soc.yaml").read_text())
    designs = [(exp, t, tcfg["part"]) for exp, cfg in config["experiments"].items() for t, tcfg in targets(cfg).items()]
    bitstreams = [] if args.no_bitstream else [(e, t) for e, t, part in designs if for_part("soc_bitstream", part)]
    wanted = [f"results/{e}/board/b8_s20/{t}/soc_sim.json" for e, t, _ in designs]
    run_workflow(WORK, config, *wanted, *(f"results/{e}/hw/b8_s20/{t}/soc/soc.json" for e, t in bitstreams))
    rows = []
    for exp, cfg in config["experiments"].items():
        for target in targets(cfg):
            soc = json.loads((WORK / "results" / exp / "board" / "b8_s20" / target / "soc_sim.json").read_text())
            rtl = json.loads((WORK / "results" / exp / "rtl" / "b8_s20" / target / "rtl.json").read_text())
            cycles, latency = soc["cycles_per_inference"], soc["ip_latency_clocks"]
            rows.append([
                exp, rtl["architecture"], rtl["reuse_factor"], latency, f"{soc['agreement'] * soc['n']:.0f}/{soc['n']}",
                round(soc["cycles_send"]), round(soc["cycles_answer"]), round(cycles), f"{cycles / latency:.1f}x",
                f"{soc['inferences_per_second']:,.0f}", round(soc["build_seconds"]), round(soc["sim_seconds"], 1),
            ])  # fmt: skip
    header = ["experiment", "design", "R", "IP latency [clk]", "bit-exact", "CPU send [clk]", "CPU answer [clk]",
              "CPU per inference [clk]", "vs IP latency", "inferences/s at 50 MHz", "build [s]", "sim [s]"]  # fmt: skip
    emit("designs", header, rows)
    rows = []
    for exp, target in bitstreams:
        soc = json.loads((WORK / "results" / exp / "hw" / "b8_s20" / target / "soc" / "soc.json").read_text())
        used = {k: v["used"] for k, v in soc["resources"].items()}
        seconds = benchmark_seconds(WORK / "benchmarks" / "soc_bitstream" / exp / "b8_s20" / f"{target}.tsv")
        rows.append([exp, target, f"{used['LUT']:,}", f"{used['FF']:,}", used["DSP"], used["BRAM_18K"],
                     round(soc["fmax_mhz"], 1), soc["soc_clock_mhz"], round(seconds)])  # fmt: skip
    if rows:
        header = ["experiment", "target", "SoC LUT4", "FF", "MULT18", "EBR", "Fmax [MHz]", "SoC clock [MHz]",
                  "build [s]"]  # fmt: skip
        print("ULX3S bitstreams (soc_bitstream):\n")
        emit("bitstreams", header, rows)


if __name__ == "__main__":
    main()

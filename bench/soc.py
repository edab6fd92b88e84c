"""The assessment SoC on open tools: the generated Algorithm 1 firmware on a simulated VexRiscv (LiteX) against
each design of the RTL path, and where its time goes.

Runs the workflow on config/examples/soc.yaml (the default config's pulses MLP student at R = 1, 10, 30, the
1D-CNN student's conv and folded conv designs; board backends emulated and soc_sim) in bench/out/soc/, then prints
per design: the IP's latency (clocks from a complete input to its answer, rtl_sim), the CPU's cycles per inference
through Algorithm 1 (writing the input words, waiting for and reading the answer words), what the CPU and the bus
add to the IP's latency, inferences per second at the SoC clock, and the SoC's build (LiteX, firmware, Verilator)
and simulation times.

    .venv/bin/python bench/soc.py            # runs what is missing, then prints the table
"""

from __future__ import annotations

import json

import yaml
from common import ROOT, run_workflow, table

from socflow.names import targets

WORK = ROOT / "bench" / "out" / "soc"


def main() -> None:
    config = yaml.safe_load((ROOT / "config" / "examples" / "soc.yaml").read_text())
    wanted = [
        f"results/{exp}/board/b8_s20/{target}/soc_sim.json"
        for exp, cfg in config["experiments"].items()
        for target in targets(cfg)
    ]
    run_workflow(WORK, config, *wanted)
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
    print(table(header, rows))


if __name__ == "__main__":
    main()

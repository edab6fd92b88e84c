"""Benchmark of the open RTL path on the paper-scale 1D student (30-15-4, 8 bits, 20 % sparsity: the paper's
529 parameters): Yosys resource estimate and RTL latency next to the paper's Artix-7 row of Table I, on the
paper's parts and clocks (Basys 3 xc7a35t, PYNQ-Z1 xc7z020, ZCU102 xczu9eg; 200 and 100 MHz), and the time
each open tool takes. Runs the workflow itself (snakemake) in bench/out/rtl/ and prints a Markdown table.

    .venv/bin/python bench/rtl.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml
from common import ROOT, run_workflow

# Table I, 1D-MLP row (Artix-7, post place and route, Vivado): LUT, FF, DSP, BRAM in % and latency in clocks
PAPER = {"LUT [%]": 26.27, "FF [%]": 2.75, "DSP [%]": 14.00, "BRAM [%]": 0.00, "L [clk]": 10}
TARGETS = [
    {"part": "xc7a35tcpg236-1", "clock_period": 5.0},
    {"part": "xc7a35tcpg236-1", "clock_period": 10.0},
    {"part": "xc7z020clg400-1", "clock_period": 5.0},
    {"part": "xczu9eg-ffvb1156-2-e", "clock_period": 5.0},
]


def config(n_per_class: int) -> dict:
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    exp = cfg["experiments"].pop("pulses")
    exp["dataset"]["n_per_class"] = n_per_class
    exp["student"] |= {"layers": 1, "units": [15, 15], "variants": [{"bits": 8, "sparsity": 0.2}]}
    exp["hls"]["targets"] = [t | {"reuse_factor": 1, "io_type": "io_parallel"} for t in TARGETS]
    cfg["experiments"]["pulses_30_15_4"] = exp
    return cfg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/rtl"))
    parser.add_argument("--n-per-class", type=int, default=2000)
    args = parser.parse_args()
    work = Path(args.out)
    run_workflow(work, config(args.n_per_class))

    exp = work / "results" / "pulses_30_15_4"
    student = json.loads((exp / "student/b8_s20/metrics.json").read_text())
    print(
        f"student: {student['params']} parameters, {100 * student['accuracy']:.2f} % test accuracy, "
        f"sparsity {100 * student['sparsity']:.1f} %, {student['bits']} bits\n"
    )
    header = [
        "part",
        "MHz",
        "LUT",
        "LUT [%]",
        "FF",
        "FF [%]",
        "DSP [%]",
        "BRAM [%]",
        "CARRY",
        "L [clk]",
        "L [ns]",
        "RTL = golden",
        "agree %",
        "da4ml s",
        "Verilator compile s",
        "sim s",
        "Yosys s",
    ]
    rows = [
        [
            "paper, Artix-7 (Vivado post-route)",
            "200",
            "",
            PAPER["LUT [%]"],
            "",
            PAPER["FF [%]"],
            PAPER["DSP [%]"],
            PAPER["BRAM [%]"],
            "",
            PAPER["L [clk]"],
            50.0,
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    ]
    for folder in sorted((exp / "rtl/b8_s20").iterdir()):
        rtl = json.loads((folder / "rtl.json").read_text())
        sim = json.loads((folder / "rtl_sim.json").read_text())
        yosys = json.loads((folder / "yosys.json").read_text())
        res = yosys["resources"]
        rows.append(
            [
                rtl["part"],
                f"{1000 / rtl['clock_period_ns']:g}",
                res["LUT"]["used"],
                res["LUT"]["percent"],
                res["FF"]["used"],
                res["FF"]["percent"],
                res["DSP"]["percent"],
                res["BRAM_18K"]["percent"],
                res["CARRY"]["used"],
                sim["latency_clocks"],
                sim["latency_clocks"] * rtl["clock_period_ns"],
                f"{100 * sim['bit_exact_vs_golden']:.0f} %",
                100 * sim["agreement"],
                rtl["generate_seconds"],
                sim["compile_seconds"],
                sim["predict_seconds"],
                yosys["synth_seconds"],
            ]
        )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(f"{v:.2f}" if isinstance(v, float) else str(v) for v in row) + " |")


if __name__ == "__main__":
    main()

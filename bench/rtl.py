"""Benchmark of the open RTL path against the reuse factor: the paper-scale 1D student (30-15-4, 8 bits, 20 %
sparsity: the paper's 529 parameters) at R = 1 (da4ml, fully parallel), 2 ... 60 (socflow's folded design) and
the streaming design (R = 30), on the paper's Basys 3 part (xc7a35t) at 100 and 200 MHz: Yosys resources,
latency and II measured in Verilator, tool times; beside the paper repository's own Vivado-HLS IP for the same
network (tests/fixtures/thirdparty_ip) through the same Yosys, and a random 40-20-10 student (1,030 parameters)
folded at R = 4 ... 40 (its fully parallel design is not synthesized here). Trains the student with the workflow
(bench/out/rtl/), then runs the RTL stages' functions per design point and prints Markdown tables.

    .venv/bin/python bench/rtl.py
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from common import ROOT, emit, random_student, run_workflow

from socflow.parts import part_info
from socflow.rtl.folded import design, write_project
from socflow.rtl.generate import rtl_generate
from socflow.rtl.sim import rtl_sim
from socflow.rtl.synth import rtl_synth, synthesize

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "not timed"}
PART = "xc7a35tcpg236-1"
REUSE = [1, 2, 4, 8, 15, 30, 60]
CLOCKS = [10.0, 5.0]  # ns: 100 and 200 MHz
INPUT = "ap_fixed<16,6>"
RTL = {"latency_cutoff": None, "sim_min_agreement": 1.0}
INPUT_ACCURACY = {"input_max_accuracy_loss": 0.03, "input_accuracy_check": "fail"}  # the schema's defaults
PAPER_IP = ROOT / "tests" / "fixtures" / "thirdparty_ip"
EXP = "pulses_30_15_4"


def config(n_per_class: int) -> dict:
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    exp = cfg["experiments"].pop("pulses")
    exp["dataset"]["n_per_class"] = n_per_class
    exp["student"] |= {"layers": 1, "units": [15, 15], "variants": [{"bits": 8, "sparsity": 0.2}]}
    exp["hls"]["targets"] = [{"part": PART, "clock_period": 10.0, "io_type": "io_parallel"}]
    cfg["experiments"][EXP] = exp
    return cfg


def point(student: Path, data: Path, work: Path, target: dict[str, Any]) -> dict[str, Any]:
    """rtl_generate, rtl_sim and rtl_synth of one target, as the workflow runs them."""
    folder = work / f"rf{target['reuse_factor']}_{target.get('rtl_architecture', 'auto')}_{target['clock_period']:g}ns"
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {"verilog": str(folder / "verilog"), "summary": str(folder / "rtl.json")}
    params = {"target": target, "input_precision": INPUT, "rtl": RTL, "input_accuracy": INPUT_ACCURACY}
    inputs = {"model": str(student / "model.h5"), "test": str(data / "test.npz"), "summary": str(data / "summary.json")}
    rtl = rtl_generate(inputs=inputs, params=params, outputs=outputs)
    inputs |= {"verilog": outputs["verilog"]}
    sim = rtl_sim(inputs=inputs, params=params, outputs={"sim": str(folder / "rtl_sim.json")}, threads=2)
    report = rtl_synth(inputs=inputs, params={"part": PART},
                       outputs={"report": str(folder / "yosys.json"), "yosys": str(folder / "yosys.log")})  # fmt: skip
    return {"rtl": rtl, "sim": sim, "yosys": report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/rtl"))
    parser.add_argument("--n-per-class", type=int, default=2000)
    args = parser.parse_args()
    work = Path(args.out)
    student = work / "results" / EXP / "student" / "b8_s20"
    data = work / "results" / EXP / "data"
    run_workflow(work, config(args.n_per_class), str(student / "model.h5").replace(f"{work}/", ""))
    metrics = json.loads((student / "metrics.json").read_text())
    print(
        f"student: {metrics['params']} parameters, {100 * metrics['accuracy']:.2f} % test accuracy, "
        f"sparsity {100 * metrics['sparsity']:.1f} %, {metrics['bits']} bits; part {PART} "
        f"({part_info(PART).lut} LUT, {part_info(PART).dsp} DSP)\n"
    )
    header = ["design", "R", "MHz", "LUT", "LUT %", "FF", "DSP", "BRAM18", "L [clk]", "L [ns]", "II [clk]"]
    header += ["bit-exact", "generate s", "Verilator s", "Yosys s"]
    rows = []
    targets = [{"reuse_factor": r, "clock_period": c} for r in REUSE for c in (CLOCKS if r == 1 else CLOCKS[:1])]
    targets.append({"reuse_factor": 30, "clock_period": 10.0, "rtl_architecture": "stream"})
    for target in targets:
        result = point(student, data, work / "points", {"part": PART, **target})
        rtl, sim, res = result["rtl"], result["sim"], result["yosys"]["resources"]
        mhz = (
            [f"{1000 / c:g}" for c in CLOCKS]
            if rtl["architecture"] != "parallel"
            else [f"{1000 / rtl['clock_period_ns']:g}"]
        )
        for m in mhz:
            rows.append(
                [
                    rtl["architecture"], rtl["reuse_factor"], m, res["LUT"]["used"], res["LUT"]["percent"],
                    res["FF"]["used"], res["DSP"]["used"], res["BRAM_18K"]["used"], sim["latency_clocks"],
                    sim["latency_clocks"] * 1000 / float(m), sim["initiation_interval"],
                    f"{100 * sim['bit_exact_vs_golden']:.0f} % of {sim['n']}", rtl["generate_seconds"],
                    sim["compile_seconds"] + sim["predict_seconds"], result["yosys"]["synth_seconds"],
                ]
            )  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        sources = sorted(PAPER_IP.glob("*.v"))
        paper = synthesize(sources, "myproject", PART, scratch, Path(scratch) / "yosys.log")
    res, seconds = paper["resources"], paper["synth_seconds"]
    rows.append(
        [
            "paper's Vivado-HLS IP (30-15-4)", 30, "", res["LUT"]["used"], res["LUT"]["percent"], res["FF"]["used"],
            res["DSP"]["used"], res["BRAM_18K"]["used"], "~44", "", 30, "", "", "", seconds,
        ]
    )  # fmt: skip
    emit("designs", header, rows)
    print(
        "The folded designs do not depend on the clock (one design per R, latency in ns at both clocks); "
        "timing at 200 MHz is not checked without Vivado. The paper IP's latency and II are its HLS report's."
    )

    print("\n40-20-10 student (1,030 parameters at 0 % sparsity; here 20 % sparse, 16-bit inputs):\n")
    rows = []
    layers = random_student([40, 20, 10], 0.2, seed=1)
    for reuse in (4, 8, 16, 40):
        core = design(layers, reuse, "folded")
        with tempfile.TemporaryDirectory() as scratch:
            files = write_project(core, "student", Path(scratch))
            stat = synthesize(files, "student", PART, scratch, Path(scratch) / "yosys.log")
        res, seconds = stat["resources"], stat["synth_seconds"]
        rows.append(
            [
                reuse, res["LUT"]["used"], res["LUT"]["percent"], res["FF"]["used"], res["DSP"]["used"],
                core.latency_clocks, core.initiation_interval, seconds,
            ]
        )  # fmt: skip
    emit("wide_student", ["R", "LUT", "LUT %", "FF", "DSP", "L [clk]", "II [clk]", "Yosys s"], rows)


if __name__ == "__main__":
    main()

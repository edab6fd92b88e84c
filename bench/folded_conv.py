"""Benchmark of folded convolutions: what a reuse factor does to a convolutional student, and the accuracy a budget
buys now that CNN students can trade time for area.

1. Sweep: the pulses' 1D-CNN student and the digits' 2D-CNN student (config/examples/pulses_cnn.yaml and
   digits_cnn.yaml, their searches cut to --trials) trained by the workflow, then at R = 1, 2, 4, ..., 64 on the
   Basys 3's xc7a35t at 100 MHz through the workflow's own stages (rtl_generate, rtl_sim on the whole test set,
   rtl_synth): LUT, FF, DSP, BRAM by Yosys, latency and II measured in Verilator, bit-exact or not, and the cost
   model's LUT beside Yosys's. A reuse factor above the student's largest layer is shown as not usable.
2. Budgets: per data set, a budgeted search of CNN students and one of MLP students at 10 % and 30 % of the
   xc7a35t's LUTs, reuse_factor [1, 2, 4, ..., 64], the teacher of part 1 imported (teacher.pretrained), through
   budget_check (the chosen student synthesized by Yosys and simulated): per budget the student each chooses,
   its test accuracy, R, LUT estimated and by Yosys, and whether it fits.

    .venv/bin/python bench/folded_conv.py                      # about an hour on 2 cores
    .venv/bin/python bench/folded_conv.py --part sweep         # the sweep alone, about 20 minutes
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

import yaml
from common import ROOT, emit, run_workflow

from socflow.config import validate_config
from socflow.errors import ConfigError
from socflow.names import target_name, variant_name

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "about an hour", "quick": ["--part", "sweep"], "quick_time": "about 20 min"}
PART = "xc7a35tcpg236-1"
REUSE = [1, 2, 4, 8, 16, 32, 64]
BUDGETS = [0.1, 0.3]
TARGET = {"part": PART, "clock_period": 10.0, "io_type": "io_stream"}
DATASETS = {"pulses": "pulses_cnn", "digits": "digits_cnn"}  # data set: its example file and experiment


def base(dataset: str, trials: int) -> dict[str, Any]:
    """The example's CNN experiment of the data set, its searches cut to `trials`."""
    name = DATASETS[dataset]
    exp = yaml.safe_load((ROOT / f"config/examples/{name}.yaml").read_text())["experiments"][name]
    for section in ("teacher", "student"):
        exp[section]["search"] |= {"trials": trials, "initial_points": max(1, trials // 2)}
    exp["board"] = {"backends": ["emulated"]}
    return exp


def sweep_config(trials: int) -> dict[str, Any]:
    """Part 1: each data set's CNN experiment with one unbudgeted target (the students are trained once; the sweep
    runs the RTL stages itself)."""
    experiments = {}
    for dataset in DATASETS:
        exp = base(dataset, trials)
        exp["hls"]["targets"] = [TARGET | {"reuse_factor": 1}]
        experiments[f"{dataset}_cnn"] = exp
    return {"toolchain": "auto", "experiments": experiments}


def sweep_row(work: Path, exp: str, settings: dict[str, Any], reuse: int) -> list[Any]:
    """The student of `exp` at reuse factor `reuse` through rtl_generate, rtl_sim and rtl_synth."""
    from socflow.fixed import FixedType
    from socflow.models import load_model
    from socflow.rtl.designs import estimate
    from socflow.rtl.generate import rtl_generate
    from socflow.rtl.sim import rtl_sim
    from socflow.rtl.synth import rtl_synth

    variant = variant_name(settings["student"]["variants"][0])
    student = work / "results" / exp / "student" / variant
    target = TARGET | {"reuse_factor": reuse}
    folder = work / "sweep" / exp / f"rf{reuse}"
    inputs = {"model": str(student / "model.h5"), "metrics": str(student / "metrics.json"),
              "test": str(work / "results" / exp / "data" / "test.npz"),
              "summary": str(work / "results" / exp / "data" / "summary.json")}  # fmt: skip
    params = {"target": target, "input_precision": settings["hls"]["input_precision"], "rtl": settings["rtl"],
              "input_accuracy": settings["hls"]}  # fmt: skip
    outputs = {"verilog": str(folder / "verilog"), "summary": str(folder / "rtl.json")}
    try:
        if not (folder / "yosys.json").is_file():
            rtl_generate(inputs=inputs, params=params, outputs=outputs)
            rtl_sim(inputs=inputs | {"verilog": outputs["verilog"], "rtl": outputs["summary"]}, params=params,
                    outputs={"sim": str(folder / "rtl_sim.json")}, threads=2)  # fmt: skip
            rtl_synth(inputs={"verilog": outputs["verilog"]}, params={"part": PART},
                      outputs={"report": str(folder / "yosys.json"), "yosys": str(folder / "yosys.log")})  # fmt: skip
    except ConfigError as error:
        return [exp, reuse, f"not usable ({str(error).split(':')[1].strip()})", *[""] * 9]
    rtl, sim = (json.loads((folder / f).read_text()) for f in ("rtl.json", "rtl_sim.json"))
    used = {k: v["used"] for k, v in json.loads((folder / "yosys.json").read_text())["resources"].items()}
    cost = estimate(load_model(student / "model.h5"), FixedType.parse(rtl["input_type"]), target, settings["rtl"])
    return [
        exp, reuse, rtl["architecture"], used["LUT"], f"{100 * used['LUT'] / 20800:.1f} %", used["FF"], used["DSP"],
        used["BRAM_18K"], sim["latency_clocks"], sim["initiation_interval"],
        f"{100 * sim['bit_exact_vs_golden']:.0f} %", f"{cost.lut:,.0f} ({100 * (cost.lut / used['LUT'] - 1):+.1f} %)",
    ]  # fmt: skip


def sweep_figure(work: Path, experiments: list[str]) -> Path:
    """Fig. 5 of the sweep (socflow.report.figures): latency, II, LUT, FF and DSP against R, a curve per student."""
    from socflow.report.figures import fig5_points, latency_vs_reuse

    points = []
    for exp in experiments:
        runs = {p.name: p for p in sorted((work / "sweep" / exp).glob("rf*")) if (p / "yosys.json").is_file()}
        targets = {name: TARGET | {"reuse_factor": int(name[2:])} for name in runs}
        sims = {name: json.loads((p / "rtl_sim.json").read_text()) for name, p in runs.items()}
        yosys = {name: json.loads((p / "yosys.json").read_text()) for name, p in runs.items()}
        points += [dict(p, source=f"{exp}, {p['source']}") for p in fig5_points(targets, rtl_sim=sims, yosys=yosys)]
    path = work / "fig5_conv.png"
    latency_vs_reuse(points, path, "CNN students on the xc7a35t at 100 MHz: conv (R = 1) and folded conv designs")
    return path


def budget_config(work: Path, trials: int) -> dict[str, Any]:
    """Part 2: per data set, model family and budget an experiment, the teacher of part 1 imported."""
    experiments = {}
    for dataset in DATASETS:
        for family in ("cnn", "mlp"):
            for lut in BUDGETS:
                exp = base(dataset, trials)
                exp["teacher"]["pretrained"] = str(work / "results" / f"{dataset}_cnn" / "teacher" / "model.h5")
                if family == "mlp":
                    exp["student"] |= {"model": "mlp", "layers": [1, 2], "units": [4, 32]}
                exp["hls"]["targets"] = [TARGET | {"reuse_factor": REUSE, "budget": {"lut": lut}}]
                experiments[f"{dataset}_{family}_lut{round(100 * lut)}"] = exp
    return {"toolchain": "auto", "experiments": experiments}


def budget_row(work: Path, exp: str, settings: dict[str, Any]) -> list[Any]:
    target = settings["hls"]["targets"][0]
    variant = variant_name(settings["student"]["variants"][0])
    student = work / "results" / exp / "student" / variant
    metrics = json.loads((student / "metrics.json").read_text())
    check = json.loads((work / "results" / exp / "rtl" / variant / target_name(target) / "budget.json").read_text())
    return [
        exp, f"{100 * metrics['accuracy']:.2f} %", check["reuse_factor"], f"{check['estimate']['lut']:,.0f}",
        check["synthesized"]["lut"], f"{100 * check['synthesized']['lut'] / 20800:.1f} %", check["synthesized"]["dsp"],
        check["synthesized"]["latency_clocks"], check["synthesized"]["initiation_interval"],
        "yes" if check["fits"] else "NO",
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/folded_conv"))
    parser.add_argument("--trials", type=int, default=8, help="teacher and student search trials")
    parser.add_argument("--part", choices=["sweep", "budget", "all"], default="all")
    args = parser.parse_args()
    work = Path(args.out)
    sweep = sweep_config(args.trials)
    students = [
        f"results/{exp}/student/{variant_name(s['student']['variants'][0])}/metrics.json"
        for exp, s in sweep["experiments"].items()
    ]
    run_workflow(work, sweep, *students)
    settings = validate_config(copy.deepcopy(sweep))["experiments"]
    rows = [sweep_row(work, exp, settings[exp], r) for exp in settings for r in REUSE]
    header = ["student", "R", "design", "LUT", "LUT % xc7a35t", "FF", "DSP", "BRAM18", "latency [clk]", "II [clk]",
              "bit-exact", "estimate LUT (error)"]  # fmt: skip
    emit("sweep", header, rows)
    print(f"Fig. 5 of the sweep: {sweep_figure(work, list(settings))}\n")
    for exp in settings:
        metrics = json.loads((work / students[list(settings).index(exp)]).read_text())
        print(f"{exp}: test accuracy {100 * metrics['accuracy']:.2f} %, {metrics.get('params', '?')} parameters")
    if args.part == "sweep":
        return
    budgets = budget_config(work, args.trials)
    settings = validate_config(copy.deepcopy(budgets))["experiments"]
    checks = [
        f"results/{exp}/rtl/{variant_name(s['student']['variants'][0])}/{target_name(s['hls']['targets'][0])}/budget.json"
        for exp, s in settings.items()
    ]
    run_workflow(work / "budgets", budgets, *checks)
    header = ["experiment", "test accuracy", "R", "estimate LUT", "Yosys LUT", "LUT % xc7a35t", "DSP", "latency [clk]",
              "II [clk]", "fits"]  # fmt: skip
    emit("budgets", header, [budget_row(work / "budgets", exp, settings[exp]) for exp in settings])


if __name__ == "__main__":
    main()

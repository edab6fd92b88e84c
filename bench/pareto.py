"""The whole trade-off from one search: the Pareto student search against the accuracy-only budgeted search.

Per dataset (the pulses MLP of config/examples/pareto.yaml, the digits CNN of config/examples/digits_cnn.yaml) and
search seed, with one data split and one teacher per dataset, the same number of trials each:

- three accuracy-only budgeted searches (keras-tuner's BO), the Basys 3's LUTs limited to 10, 20 and 30 %, each
  trial at the fastest reuse factor of the target's list that fits, the chosen student trained again;
- one Pareto search (Optuna's multi-objective TPE), no budget, every trial costed at every reuse factor;

and prints: the hypervolume of (validation accuracy, estimated LUT) each reached (reference: 0 % accuracy at the
part's 20,800 LUTs; the accuracy searches' three together, and each alone), and for each budget the student each
offers (the accuracy search's trained student; the Pareto search's most accurate point that fits, its kept model,
as select_student takes it; and the front's fitting point most accurate on the test set, which the issue's "best
test accuracy each offers" asks for: a user choosing from the front), its test accuracy and whether its design fits
as Yosys synthesizes it. The issue's target: the Pareto search's
offer is at least as good at every budget, with no more trials than one accuracy search.

    .venv/bin/python bench/pareto.py                                  # pulses and digits, 3 seeds, 24 trials
    .venv/bin/python bench/pareto.py --datasets pulses --seeds 1      # one line of it (about 40 minutes)
"""

from __future__ import annotations

import argparse
import copy
import json
from pathlib import Path
from typing import Any

import socflow._keras  # noqa: F401  (Keras 2 first)

import numpy as np
import pandas as pd
import yaml
from common import ROOT, data_and_teacher, emit, stage_outputs

from socflow.budget import budget_of, deployed_target
from socflow.config import validate_config
from socflow.fixed import FixedType
from socflow.io import read_json, read_xy
from socflow.metrics import predict_classes
from socflow.models import load_model
from socflow.names import input_precisions, variants
from socflow.rtl.budget import synthesized_cost
from socflow.rtl.cost import Cost
from socflow.rtl.generate import rtl_generate
from socflow.rtl.synth import rtl_synth
from socflow.train.front import pareto_mask, select
from socflow.train.pareto import study_tables
from socflow.train.student import train_student, tune_student

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "about 2.5 h", "quick": ["--datasets", "pulses", "--seeds", "1"], "quick_time": "about 17 min"}
OUT = ROOT / "bench" / "out" / "pareto"
PART, LUTS = "xc7a35tcpg236-1", 20_800
DATASETS = {
    # preset, experiment, io_type, reuse factors, input types
    "pulses": ("pareto.yaml", "pulses_pareto", "io_parallel", [1, 5, 10, 15, 30, 60], None),
    "digits": ("digits_cnn.yaml", "digits_cnn", "io_stream", [1, 2, 4, 8, 16, 32], "ap_fixed<8,3>"),
}


def target_cfg(io_type: str, reuse: list[int], lut: float | None) -> dict[str, Any]:
    """A Basys 3 target at 100 MHz over the reuse factors, its LUTs limited to `lut` of the part (None: no budget)."""
    cfg = {"name": "basys3" if lut is None else f"basys3_lut{round(100 * lut)}", "part": PART, "clock_period": 10.0,
           "io_type": io_type, "reuse_factor": reuse}  # fmt: skip
    return cfg | ({"budget": {"lut": lut}} if lut is not None else {})


def prepared(name: str, args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, str]]:
    """The dataset's experiment (the preset's, its targets the bench's: the schema fills them), its split and its
    teacher (trained once, kept across runs)."""
    preset, exp_name, io_type, reuse, in_type = DATASETS[name]
    raw = yaml.safe_load((ROOT / "config" / "examples" / preset).read_text())["experiments"][exp_name]
    raw["hls"]["targets"] = [target_cfg(io_type, reuse, lut) for lut in (None, *args.budgets)]
    raw["hls"]["input_precision"] = in_type or raw["hls"]["input_precision"]
    raw["student"].setdefault("search", {})["objective"] = "pareto"  # lets the unbudgeted target take a list
    exp = validate_config({"experiments": {exp_name: raw}})["experiments"][exp_name]
    return exp, data_and_teacher(exp, OUT / name)


def student_params(exp: dict[str, Any], args: argparse.Namespace, seed: int, objective: str) -> dict[str, Any]:
    student = {k: v for k, v in copy.deepcopy(exp["student"]).items() if k not in ("variants", "select")}
    student["search"] |= {"trials": args.trials, "initial_points": None, "seed": seed, "objective": objective,
                          "epochs": args.epochs, "workers": 1}  # fmt: skip
    return student


def hypervolume(accuracy: np.ndarray, lut: np.ndarray) -> float:
    """The area of (accuracy, LUT) the points dominate, from 0 % accuracy at the part's LUTs, in % x part."""
    front = sorted(zip(lut / LUTS, accuracy), key=lambda p: p[0])
    area, best = 0.0, 0.0
    for i, (x, y) in enumerate(front):
        best = max(best, y)
        right = front[i + 1][0] if i + 1 < len(front) else 1.0
        area += (min(right, 1.0) - min(x, 1.0)) * best
    return 100 * area


def yosys_fits(model_path: str, tcfg: dict[str, Any], reuse: int, in_type: str, exp: dict, folder: Path) -> bool:
    """Whether the student's design at `reuse` fits the target's budget as Yosys synthesizes it (the latency is
    the design's schedule, exact); a synthesis already in `folder` (an earlier run of the bench) is read."""
    from socflow.rtl.designs import estimate

    folder.mkdir(parents=True, exist_ok=True)
    deployed = deployed_target(tcfg, {"reuse_factors": {tcfg["name"]: reuse}})
    params = {"target": deployed, "input_precision": in_type, "rtl": exp["rtl"]}
    report = folder / "yosys.json"
    if report.exists() and report.stat().st_mtime >= Path(model_path).stat().st_mtime:  # not of a model trained since
        yosys = read_json(report)
    else:
        rtl_generate(inputs={"model": model_path}, params=params,
                     outputs={"verilog": str(folder / "verilog"), "summary": str(folder / "rtl.json")})  # fmt: skip
        outputs = {"report": str(report), "yosys": str(folder / "yosys.log")}
        yosys = rtl_synth(inputs={"verilog": str(folder / "verilog")}, params={"part": PART}, outputs=outputs)
    est = estimate(load_model(model_path), FixedType.parse(in_type), deployed, exp["rtl"])
    built = synthesized_cost(yosys, {"latency_clocks": est.latency_clocks,
                                     "initiation_interval": est.initiation_interval})  # fmt: skip
    return not any(budget_of(deployed).excess(built).values())


def test_accuracy(model_path: str, in_type: str, data: dict[str, str]) -> float:
    x, y = read_xy(data["test"])
    _, predicted = predict_classes(load_model(model_path), FixedType.parse(in_type).quantize(x))
    return float((predicted == y).mean())


def input_type(width: int, types: list[str]) -> str:
    """The input type of a Pareto point of this input width (the points keep the width)."""
    return next(t for t in types if FixedType.parse(t).width == width)


def best_on_test(fitted: pd.DataFrame, types: list[str], data: dict[str, str]) -> dict[str, Any]:
    """Of the front's points that fit, the most accurate on the test set (of equal ones the fewest LUTs, then
    clocks): what the front offers a user who compares its fitting points on data the search never saw. Test
    accuracy is the kept model's at the point's input type, the same at every reuse factor."""
    fitting = fitted[fitted["fits"] & pareto_mask(fitted)].copy()
    scores = {(m, w): test_accuracy(m, input_type(w, types), data)
              for m, w in set(zip(fitting["model"], fitting["input_width"]))}  # fmt: skip
    fitting["test"] = [scores[mw] for mw in zip(fitting["model"], fitting["input_width"])]
    best = fitting.sort_values(["test", "lut", "latency_clocks"], ascending=[False, True, True])
    return best.iloc[0].drop("test").to_dict()


def run(name: str, seed: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    exp, data = prepared(name, args)
    cfgs = {t["name"]: t for t in exp["hls"]["targets"]}
    types = input_precisions(exp["hls"])
    variant = next(iter(variants(exp).values()))
    folder = OUT / name / f"seed{seed}"
    rows, searched = [], []
    for lut in args.budgets:
        tcfg = cfgs[f"basys3_lut{round(100 * lut)}"]
        where = folder / f"accuracy_lut{round(100 * lut)}"
        budget = {"targets": [tcfg], "input_precision": exp["hls"]["input_precision"], "rtl": exp["rtl"]}
        params = {"student": student_params(exp, args, seed, "accuracy"), "variant": variant, "budget": budget,
                  "input_precision": exp["hls"]["input_precision"], "state": str(where / "tuning")}  # fmt: skip
        out = stage_outputs(where)
        if not Path(out["metrics"]).exists():
            tune_student(inputs=data, params=params, outputs=out, threads=2)
            train_student(inputs=data | out, params=params, outputs=out, threads=2)
        trials = pd.read_csv(out["trials"])
        searched.append(trials[trials["status"] == "COMPLETED"])
        metrics = read_json(out["metrics"])
        chosen_type = metrics["input_precision"] or types[0]
        r = metrics["reuse_factors"][tcfg["name"]]
        rows.append({"dataset": name, "seed": seed, "budget": lut, "search": "accuracy", "trials": len(trials),
                     "val": metrics["budget"]["val_accuracy"], "test": metrics["accuracy"], "R": r,
                     "lut_estimate": metrics["budget"]["lut"],
                     "yosys_fits": yosys_fits(out["model"], tcfg, r, chosen_type, exp, where / "rtl")})  # fmt: skip
    where = folder / "pareto"
    budget = {"targets": [cfgs["basys3"]], "input_precision": exp["hls"]["input_precision"], "rtl": exp["rtl"]}
    params = {"student": student_params(exp, args, seed, "pareto"), "variant": variant, "budget": budget,
              "input_precision": exp["hls"]["input_precision"], "state": str(where / "tuning")}  # fmt: skip
    out = stage_outputs(where)
    if not Path(out["hparams"]).exists():
        tune_student(inputs=data, params=params, outputs=out, threads=2)
    _, points = study_tables(Path(read_json(out["hparams"])["state"]))
    for lut in args.budgets:
        tcfg = cfgs[f"basys3_lut{round(100 * lut)}"]
        limits = budget_of(tcfg)
        costs = [Cost(*(p[k] for k in ("lut", "ff", "dsp", "bram_18k", "latency_clocks", "initiation_interval")),
                      "estimate", p["design"]) for p in points.to_dict("records")]  # fmt: skip
        over = [max(limits.excess(c, estimated=True).values(), default=0.0) for c in costs]
        fitted = points.assign(target=limits.target, fits=[o == 0 for o in over], over_budget=over)
        offers = {"pareto": select(fitted, limits.target, {"rule": "accurate"}),
                  "pareto front, best on test": best_on_test(fitted, types, data)}  # fmt: skip
        for search, point in offers.items():
            chosen_type = input_type(point["input_width"], types)
            rtl = where / f"rtl_lut{round(100 * lut)}_r{point['reuse_factor']}_{point['trial_id']}"
            fits = yosys_fits(point["model"], tcfg, int(point["reuse_factor"]), chosen_type, exp, rtl)
            rows.append({"dataset": name, "seed": seed, "budget": lut, "search": search,
                         "trials": int(points["trial_id"].nunique()), "val": point["val_accuracy"],
                         "test": test_accuracy(point["model"], chosen_type, data), "R": int(point["reuse_factor"]),
                         "lut_estimate": point["lut"], "yosys_fits": fits})  # fmt: skip
    accuracy_points = pd.concat(searched)
    volumes = {
        "pareto": hypervolume(points["val_accuracy"].to_numpy(), points["lut"].to_numpy()),
        "accuracy (3 searches)": hypervolume(
            accuracy_points["val_accuracy"].to_numpy(), accuracy_points["lut"].to_numpy()
        ),  # fmt: skip
    }
    volumes |= {f"accuracy, LUT {round(100 * b)} %": hypervolume(t["val_accuracy"].to_numpy(), t["lut"].to_numpy())
                for b, t in zip(args.budgets, searched)}  # fmt: skip
    front = points[pareto_mask(points)]
    print(f"{name} seed {seed}: hypervolume {json.dumps({k: round(v, 2) for k, v in volumes.items()})}; "
          f"front {len(front)} of {len(points)} points")  # fmt: skip
    for row in rows:
        row["hypervolume"] = volumes["pareto" if row["search"].startswith("pareto") else "accuracy (3 searches)"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=list(DATASETS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--trials", type=int, default=24)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--budgets", nargs="+", type=float, default=[0.1, 0.2, 0.3])
    args = parser.parse_args()
    rows = [row for name in args.datasets for seed in args.seeds for row in run(name, seed, args)]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(rows, indent=2, default=float))
    header = ["dataset", "seed", "LUT budget", "search", "trials", "R", "LUT (estimate)", "val acc [%]",
              "test acc [%]", "fits (Yosys)", "hypervolume [% x part]"]  # fmt: skip
    emit("budgets", header, [[r["dataset"], r["seed"], f"{100 * r['budget']:.0f} %", r["search"], r["trials"], r["R"],
                          f"{r['lut_estimate']:,.0f}", 100 * r["val"], 100 * r["test"], r["yosys_fits"],
                         r["hypervolume"]] for r in rows])  # fmt: skip


if __name__ == "__main__":
    main()

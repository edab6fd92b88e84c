"""Benchmark of stages 1-2 on the paper-scale 1D pulse preset (config/examples/pulses_mlp.yaml).

Runs the same socflow stage functions as the workflow, on one working folder, and prints:
teacher vs student (accuracy, parameters, compression ratio, sparsity, bits), the student search with
knowledge distillation on (the preset's alpha) and off (alpha = 1), and BO vs random search at the same
number of trials (random = BO with every trial an initial random point). Budgets are flags, so the
figures say what they cost.

    .venv/bin/python bench/student_search.py --out bench/out/student_search
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

import socflow._keras  # noqa: F401  (Keras 2 first)

from common import ROOT, emit, stage_outputs

from socflow.config import load_config
from socflow.data import prepare_data
from socflow.names import variants
from socflow.train.student import train_student, tune_student
from socflow.train.teacher import train_teacher, tune_teacher

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "not timed"}


def run(args: argparse.Namespace) -> list[dict]:
    exp = load_config(ROOT / "config/examples/pulses_mlp.yaml")["experiments"]["pulses_mlp"]
    out = Path(args.out)
    data = {p: str(out / "data" / f"{p}.npz") for p in ("train", "val", "test")}
    data |= {"scaler": str(out / "data/scaler.json"), "summary": str(out / "data/summary.json")}
    dataset = dict(exp["dataset"], n_per_class=args.n_per_class)
    prepare_data(
        inputs={}, params={"dataset": dataset, "split": exp["split"], "normalize": exp["normalize"]}, outputs=data
    )

    teacher = copy.deepcopy(exp["teacher"])
    teacher["search"] |= {
        "trials": args.teacher_trials,
        "initial_points": args.teacher_trials // 2,
        "epochs": args.epochs,
    }
    t_out = stage_outputs(out / "teacher")
    start = time.perf_counter()
    t_params = {"teacher": teacher, "state": str(out / "teacher/tuning")}
    tune_teacher(inputs=data, params=t_params, outputs=t_out, threads=args.threads)
    t_metrics = train_teacher(inputs=data | t_out, params=t_params, outputs=t_out, threads=args.threads)
    rows = [
        {
            "run": "teacher (BO)",
            "accuracy": t_metrics["accuracy"],
            "params": t_metrics["params"],
            "seconds": time.perf_counter() - start,
        }
    ]

    variant = variants(exp)["b8_s20"]
    half = args.student_trials // 2
    settings = {
        "student KD on, BO": {"initial_points": half},
        "student KD off (alpha=1), BO": {"initial_points": half, "alpha": 1.0, "temperature": 1.0},
        "student KD on, random search": {"initial_points": args.student_trials},
    }
    for name, change in settings.items():
        student = copy.deepcopy(exp["student"])
        student.pop("variants")
        student["alpha"] = change.get("alpha", student["alpha"])
        student["temperature"] = change.get("temperature", student["temperature"])
        student["search"] |= {
            "trials": args.student_trials,
            "initial_points": change["initial_points"],
            "epochs": args.epochs,
        }
        folder = out / name.replace(" ", "_").replace(",", "").replace("(", "").replace(")", "").replace("=", "")
        s_out = stage_outputs(folder)
        start = time.perf_counter()
        inputs = data | {"teacher": t_out["model"], "teacher_metrics": t_out["metrics"]}
        s_params = {"student": student, "variant": variant, "state": str(folder / "tuning")}
        best = tune_student(inputs=inputs, params=s_params, outputs=s_out, threads=args.threads)
        m = train_student(inputs=inputs | s_out, params=s_params, outputs=s_out, threads=args.threads)
        rows.append(
            {
                "run": name,
                "accuracy": m["accuracy"],
                "params": m["params"],
                "cr": m["compression_ratio"],
                "sparsity": m["sparsity"],
                "bits": m["bits"],
                "best_val": best["score"],
                "hyperparameters": m["hyperparameters"],
                "seconds": time.perf_counter() - start,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out/student_search")
    parser.add_argument("--n-per-class", type=int, default=5000)
    parser.add_argument("--teacher-trials", type=int, default=10)
    parser.add_argument("--student-trials", type=int, default=10)
    parser.add_argument("--epochs", type=int, default=80)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    rows = run(args)
    teacher = rows[0]
    header = ["run", "test acc %", "params", "CR", "sparsity %", "bits", "val best %", "time s"]
    table = [[r["run"], f"{100 * r['accuracy']:.2f}", f"{r['params']:,}", r.get("cr", 1), 100 * r.get("sparsity", 0),
              r.get("bits", 32), f"{100 * r['best_val']:.2f}" if "best_val" in r else "", round(r["seconds"])]
             for r in rows]  # fmt: skip
    emit("runs", header, table, "lrrrrrrr")
    for r in rows[1:]:
        print(f"  {r['run']}: {r['hyperparameters']}")
    kd_on = rows[1]
    ok = kd_on["accuracy"] >= teacher["accuracy"] - 0.01 and kd_on["cr"] >= 30 and kd_on["sparsity"] >= 0.195
    print(
        f"\ntarget (student >= teacher - 1 point at CR >= 30, 8 bits, >= 20 % sparsity): {'met' if ok else 'NOT met'}"
    )
    Path(args.out, "bench.json").write_text(json.dumps(rows, indent=2, default=str))


if __name__ == "__main__":
    main()

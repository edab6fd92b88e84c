"""Does distillation pay? Each KD kind against plain training at the same search budget, over several seeds.

For each dataset and seed (the seed moves the data split, the generated pulses, the weights and both searches),
one teacher is searched and trained; then the student search runs once per kind with the same trials: plain
(alpha = 1, no soft term) and each `student.kd` kind at the config's alpha and T list. It prints, per dataset and
kind, the mean and standard deviation over seeds of the test accuracy, of the agreement with the teacher, and of
the paired difference to plain training (same seed, same data, same teacher).

    .venv/bin/python bench/kd_seeds.py                      # reduced budget (5 seeds): ~30 min on 2 cores
    .venv/bin/python bench/kd_seeds.py --seeds 10 --student-trials 10 --epochs 80 --n-per-class 5000  # fuller

Every (dataset, seed) is a task in its own process (--jobs at a time, one thread each) and writes its rows to
--out/<dataset>_s<seed>/rows.json, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml
from common import ROOT, emit

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "about 35 min"}
KINDS = ("plain", "hinton", "standardized", "scaled", "dkd")
STUDENT = {"digits_mlp": {"model": "mlp"}, "digits_cnn": {"model": "cnn", "layers": 2, "units": [2, 8]}}
DATASETS = ("pulses", "digits_mlp", "digits_cnn")


def experiment(name: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """The validated experiment of a dataset at a seed, with the benchmark's budgets."""
    from socflow.config import validate_config

    if name == "pulses":
        raw = yaml.safe_load((ROOT / "config/config.yaml").read_text())["experiments"]["pulses"]
        raw["dataset"] = dict(raw["dataset"], n_per_class=args.n_per_class, seed=seed)
    else:
        raw = yaml.safe_load((ROOT / "config/examples/digits_cnn.yaml").read_text())["experiments"]["digits_cnn"]
        raw["student"] |= STUDENT[name]
    raw["split"] = dict(raw["split"], seed=seed)
    raw["teacher"]["search"] = {"trials": args.teacher_trials, "epochs": args.epochs, "patience": 5, "seed": seed}
    raw["student"]["search"] = {"trials": args.student_trials, "epochs": args.epochs, "patience": 8, "seed": seed}
    raw["student"]["variants"] = [raw["student"]["variants"][0]]
    return validate_config({"experiments": {"bench": raw}})["experiments"]["bench"]


def files(folder: Path, names: tuple[str, ...]) -> dict[str, str]:
    return {name.split(".")[0]: str(folder / name) for name in names}


def task(name: str, seed: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """One dataset at one seed: the teacher, then the student search and training of every kind."""
    out = Path(args.out) / f"{name}_s{seed}"
    done = out / "rows.json"
    if done.is_file():
        return json.loads(done.read_text())
    import socflow._keras  # noqa: F401  (Keras 2 first)

    from socflow.data import prepare_data
    from socflow.train.student import train_student, tune_student
    from socflow.train.teacher import train_teacher, tune_teacher

    exp = experiment(name, seed, args)
    data = files(out / "data", ("train.npz", "val.npz", "test.npz", "scaler.json", "summary.json"))
    prepare_data(inputs={}, params={k: exp[k] for k in ("dataset", "split", "normalize")}, outputs=data)
    t_out = files(out / "teacher", ("hparams.json", "trials.csv", "model.h5", "metrics.json", "curves.png"))
    t_params = {"teacher": exp["teacher"], "state": str(out / "teacher/tuning")}
    tune_teacher(inputs=data, params=t_params, outputs=t_out)
    teacher = train_teacher(inputs=data | t_out, params=t_params, outputs=t_out)
    rows = []
    for kind in args.kinds:
        student = {k: v for k, v in copy.deepcopy(exp["student"]).items() if k != "variants"}
        student |= {"alpha": 1.0, "temperature": 1.0} if kind == "plain" else {"kd": kind}
        folder = out / kind
        s_out = files(folder, ("hparams.json", "trials.csv", "model.h5", "metrics.json", "curves.png"))
        inputs = data | {"teacher": t_out["model"], "teacher_metrics": t_out["metrics"]}
        params = {"student": student, "variant": exp["student"]["variants"][0], "state": str(folder / "tuning"),
                  "input_precision": exp["hls"]["input_precision"]}  # fmt: skip
        tune_student(inputs=inputs, params=params, outputs=s_out)
        metrics = train_student(inputs=inputs | s_out, params=params, outputs=s_out)
        rows.append(
            {
                "dataset": name,
                "seed": seed,
                "kind": kind,
                "teacher_accuracy": teacher["accuracy"],
                "accuracy": metrics["accuracy"],
                "agreement": metrics["agreement_with_teacher"],
                "temperature": metrics["kd"]["temperature"],
                "scale": metrics["kd"]["scale"],
                "params": metrics["params"],
                "n_test": metrics["n_test"],
            }
        )
    done.write_text(json.dumps(rows, indent=1))
    return rows


def spread(values: list[float]) -> str:
    """mean ± standard deviation in percent."""
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{100 * statistics.mean(values):.2f} ± {100 * sd:.2f}"


def summary(rows: list[dict[str, Any]]) -> list[list[str | int]]:
    """Per dataset and kind, over the seeds: test accuracy, the paired difference to plain training, agreement."""
    lines: list[list[str | int]] = []
    for name in dict.fromkeys(r["dataset"] for r in rows):
        plain = {r["seed"]: r["accuracy"] for r in rows if r["dataset"] == name and r["kind"] == "plain"}
        for kind in dict.fromkeys(r["kind"] for r in rows):
            sel = [r for r in rows if r["dataset"] == name and r["kind"] == kind]
            diff = [r["accuracy"] - plain[r["seed"]] for r in sel if r["seed"] in plain]
            lines.append([name, kind, spread([r["accuracy"] for r in sel]), "" if kind == "plain" else spread(diff),
                          spread([r["agreement"] for r in sel]), spread([r["teacher_accuracy"] for r in sel]),
                          len(sel)])  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/kd_seeds"))
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--n-per-class", type=int, default=1000, help="pulses per class")
    parser.add_argument("--teacher-trials", type=int, default=2)
    parser.add_argument("--student-trials", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2, help="tasks at once, one thread each")
    args = parser.parse_args()
    tasks = [(name, seed) for name in args.datasets for seed in range(1, args.seeds + 1)]
    with ProcessPoolExecutor(args.jobs) as pool:
        rows = [row for result in pool.map(task, *zip(*tasks), [args] * len(tasks)) for row in result]
    Path(args.out, "rows.json").write_text(json.dumps(rows, indent=1))
    header = ["dataset", "kind", "test accuracy %", "vs plain (paired)", "agreement with teacher %", "teacher %",
              "seeds"]  # fmt: skip
    emit("kinds", header, summary(rows), "llrrrrr")


if __name__ == "__main__":
    main()

"""Guided search at small budgets: the default config's budgeted student search (config/config.yaml: the pulses
MLP, the Basys 3 budget of 8 % LUT, 15 DSP, 40 clocks at R = 15, 30 or 60, 8- or 16-bit inputs) at 8 and 16
trials over 3 seeds, three ways:

- socflow's default (`initial_points: null`: half the trials random, then keras-tuner's Gaussian process),
- keras-tuner's default (3 x the number of hyperparameters random: 9 here, so 8 trials are all random),
- random search (every trial random),

printing per budget and way the best score each search reached (the validation accuracy of the most accurate
student that fits), its mean over the seeds, and how many of its trials were guided. One data split and one
teacher for all.

    .venv/bin/python bench/guided.py                 # 8 and 16 trials, seeds 1-3 (about 25 minutes)
"""

from __future__ import annotations

import argparse
import copy
import json
from typing import Any

import socflow._keras  # noqa: F401  (Keras 2 first)

import pandas as pd
from common import ROOT, data_and_teacher, emit, stage_outputs

from socflow.config import load_config
from socflow.names import variants
from socflow.train.student import tune_student

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "25 min"}
OUT = ROOT / "bench" / "out" / "guided"
WAYS = {"socflow default (half random)": None, "keras-tuner default (3 x dims)": "keras", "random": "random"}


def initial(way: str | None, trials: int, dims: int) -> int | None:
    return {None: None, "keras": max(3 * dims, 3), "random": trials}[way]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", nargs="+", type=int, default=[8, 16])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    args = parser.parse_args()
    exp = load_config(ROOT / "config" / "config.yaml")["experiments"]["pulses"]
    data = data_and_teacher(exp, OUT)
    variant = next(iter(variants(exp).values()))
    budget = {"targets": [t for t in exp["hls"]["targets"] if t.get("budget")],
              "input_precision": exp["hls"]["input_precision"], "rtl": exp["rtl"]}  # fmt: skip
    dims = 3  # units_0, temperature, learning_rate
    rows: list[dict[str, Any]] = []
    for trials in args.trials:
        for name, way in WAYS.items():
            for seed in args.seeds:
                student = {k: v for k, v in copy.deepcopy(exp["student"]).items() if k not in ("variants", "select")}
                student["search"] |= {"trials": trials, "seed": seed, "initial_points": initial(way, trials, dims)}
                folder = OUT / f"t{trials}_{way or 'socflow'}_s{seed}"
                out = stage_outputs(folder)
                params = {"student": student, "variant": variant, "budget": budget, "state": str(folder / "tuning"),
                          "input_precision": exp["hls"]["input_precision"]}  # fmt: skip
                best = tune_student(inputs=data, params=params, outputs=out, threads=2)
                table_ = pd.read_csv(out["trials"])
                rows.append({"trials": trials, "way": name, "seed": seed, "best": best["score"],
                             "guided": int((table_["proposed_by"] == "guided").sum()),
                             "fitting": int(table_["fits"].astype(bool).sum())})  # fmt: skip
    (OUT / "bench.json").write_text(json.dumps(rows, indent=2))
    frame = pd.DataFrame(rows)
    summary = []
    for (trials, way), group in frame.groupby(["trials", "way"], sort=False):
        scores = " / ".join(f"{100 * v:.1f}" for v in group["best"])
        summary.append([trials, way, scores, 100 * group["best"].mean(), group["guided"].iloc[0],
                        f"{group['fitting'].mean():.1f}"])  # fmt: skip
    header = ["trials", "search", "best val accuracy per seed [%]", "mean [%]", "guided trials", "fitting trials"]
    emit("searches", header, summary)


if __name__ == "__main__":
    main()

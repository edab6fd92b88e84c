"""Benchmark of the budget-aware student search: paper-scale pulses on the Basys 3 part (xc7a35t, 100 MHz, the
folded design at reuse factor 10), LUT budgets of 10, 20 and 30 % of the part, at the same number of trials as an
accuracy-only search. The accuracy-only search is the same workflow with a budget everything fits (85 % of the
LUTs), so its trials.csv has every trial's cost: its best trial within each budget is what a user would pick
after an accuracy-only search. For the budget-aware search: the chosen student's validation and test accuracy,
its estimated and Yosys LUTs (budget_check), whether it fits, and the search's time.

The runs share one work folder (bench/out/budget/): data and teacher are made once, each budget reruns the student
search and its hardware stages, as editing the budget in a config does.

    .venv/bin/python bench/budget.py                   # about 20 minutes on 2 cores
    .venv/bin/python bench/budget.py --n-per-class 500 --trials 6
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import yaml
from common import ROOT, benchmark_seconds, run_workflow, table

PART, REUSE = "xc7a35tcpg236-1", 10
EXP = "pulses_budget"
TARGET = f"{PART}_100mhz_rf{REUSE}_latency_parallel"
BUDGETS = [0.1, 0.2, 0.3]
EVERYTHING = 0.85  # the part less the default reserve: every student of this space fits


def config(n_per_class: int, trials: int, lut: float) -> dict:
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    exp = cfg["experiments"].pop("pulses")
    exp["dataset"]["n_per_class"] = n_per_class
    exp["student"] |= {"units": [4, 32], "search": {"trials": trials, "initial_points": trials // 2, "epochs": 60,
                                                     "patience": 10}}  # fmt: skip
    target = {"part": PART, "clock_period": 10.0, "reuse_factor": REUSE, "io_type": "io_parallel"}
    exp["hls"]["targets"] = [target | {"budget": {"lut": lut}}]
    cfg["experiments"][EXP] = exp
    return cfg


def run(work: Path, args: argparse.Namespace, lut: float) -> dict:
    """One search with a LUT budget, through its budget check; its trials and the chosen student's figures."""
    files = [f"results/{EXP}/rtl/b8_s20/{TARGET}/budget.json", f"results/{EXP}/student/b8_s20/metrics.json"]
    run_workflow(work, config(args.n_per_class, args.trials, lut), *files)
    student = work / "results" / EXP / "student" / "b8_s20"
    return {
        "trials": pd.read_csv(student / "trials.csv", dtype={"trial_id": str}),
        "chosen": json.loads((student / "hparams.json").read_text())["trial_id"],
        "metrics": json.loads((student / "metrics.json").read_text()),
        "check": json.loads((work / files[0]).read_text()),
        "seconds": benchmark_seconds(work / "benchmarks" / "tune_student" / EXP / "b8_s20.tsv"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/budget"))
    parser.add_argument("--n-per-class", type=int, default=2000)
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    work = Path(args.out)
    free = run(work, args, EVERYTHING)
    capacity = free["check"]["limits"]["lut"] / EVERYTHING
    rows = []
    for lut in BUDGETS:
        limit = lut * capacity
        fitting = free["trials"][(free["trials"]["status"] == "COMPLETED") & (free["trials"]["lut"] <= limit)]
        best = fitting.loc[fitting["val_accuracy"].idxmax()] if len(fitting) else None
        aware = run(work, args, lut)
        chosen = aware["trials"].set_index("trial_id").loc[aware["chosen"]]
        check = aware["check"]
        rows.append(
            [
                f"{100 * lut:.0f} % ({limit:,.0f})",
                "none" if best is None else f"{100 * best['val_accuracy']:.2f} % ({best['lut']:,.0f} est.)",
                f"{100 * chosen['val_accuracy']:.2f} %", f"{100 * aware['metrics']['accuracy']:.2f} %",
                f"units {chosen['units_0']}", f"{check['estimate']['lut']:,.0f}", check["synthesized"]["lut"],
                f"{100 * check['estimate_error']['lut']:+.1f} %", check["synthesized"]["dsp"],
                check["synthesized"]["latency_clocks"], "yes" if check["fits"] else "NO",
                f"{int((aware['trials']['fits'].astype(bool)).sum())}/{len(aware['trials'])}", round(aware["seconds"]),
            ]
        )  # fmt: skip
    header = ["LUT budget", "accuracy-only: best fitting trial (val)", "budget-aware: val", "test", "student"]
    header += ["LUT est.", "LUT Yosys", "est. error", "DSP", "L [clk]", "fits (Yosys)", "trials fitting", "search s"]
    print(f"{args.n_per_class} pulses per class, {args.trials} trials, {PART} at R = {REUSE} (100 MHz)\n")
    print(table(header, rows))
    print(f"\naccuracy-only search: {round(free['seconds'])} s, its best trial "
          f"{100 * free['trials']['val_accuracy'].max():.2f} % val")  # fmt: skip


if __name__ == "__main__":
    main()

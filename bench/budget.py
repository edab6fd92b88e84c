"""Benchmark of the budget-aware student search: paper-scale pulses on the Basys 3 part (xc7a35t, 100 MHz, the
folded design at reuse factor 10), LUT budgets of 10, 20 and 30 % of the part, at the same number of trials as an
accuracy-only search.

The accuracy-only search is the same workflow with a budget everything fits (85 % of the LUTs), so each of its
trials keeps its student (tuning/trial_*/student.h5): its best trial *that fits by Yosys* is what a user would
deploy after an accuracy-only search, found by synthesizing its trials in order of validation accuracy until one
fits (each synthesis is cached, so the budgets share them). Those syntheses also measure the cost model's error
on every trial they reach. For the budget-aware search: the chosen trial's validation accuracy, the test accuracy
of its kept student and of the deployed one (the same model: train_student deploys the kept student), its estimated
and Yosys LUTs (budget_check), whether it fits, and the search's time.

The runs share one work folder (bench/out/budget/): data and teacher are made once, each budget reruns the student
search and its hardware stages, as editing the budget in a config does.

    .venv/bin/python bench/budget.py                   # about 40 minutes on 2 cores
    .venv/bin/python bench/budget.py --n-per-class 1000 --trials 8
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from common import ROOT, benchmark_seconds, emit, run_workflow

from socflow.config import validate_config

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "about 40 min", "quick": ["--n-per-class", "1000", "--trials", "8"], "quick_time": "about 25 min"}
PART, REUSE, INPUT = "xc7a35tcpg236-1", 10, "ap_fixed<16,6>"
EXP = "pulses_budget"
TARGET = {"part": PART, "clock_period": 10.0, "reuse_factor": REUSE, "io_type": "io_parallel", "strategy": "Latency"}
NAME = f"{PART}_100mhz_rf{REUSE}_latency_parallel"
BUDGETS = [0.1, 0.2, 0.3]
EVERYTHING = 0.85  # the part less the default reserve: every student of this space fits


def config(n_per_class: int, trials: int, lut: float) -> dict:
    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    exp = cfg["experiments"].pop("pulses")
    exp["dataset"]["n_per_class"] = n_per_class
    exp["student"] |= {"units": [4, 32], "search": {"trials": trials, "initial_points": trials // 2, "epochs": 60,
                                                     "patience": 10}}  # fmt: skip
    exp["hls"]["targets"] = [TARGET | {"budget": {"lut": lut}}]
    exp["hls"]["input_precision"] = INPUT  # one input type for both searches (the default config searches two)
    cfg["experiments"][EXP] = exp
    return cfg


def run(work: Path, args: argparse.Namespace, lut: float) -> dict[str, Any]:
    """One search with a LUT budget, through its budget check; its trials and the chosen student's figures."""
    files = [f"results/{EXP}/rtl/b8_s20/{NAME}/budget.json", f"results/{EXP}/student/b8_s20/metrics.json"]
    run_workflow(work, config(args.n_per_class, args.trials, lut), *files)
    student = work / "results" / EXP / "student" / "b8_s20"
    hparams = json.loads((student / "hparams.json").read_text())
    return {
        "trials": pd.read_csv(student / "trials.csv", dtype={"trial_id": str}).set_index("trial_id"),
        "chosen": hparams["trial_id"],
        "state": Path(hparams["state"]) if Path(hparams["state"]).is_absolute() else work / hparams["state"],
        "metrics": json.loads((student / "metrics.json").read_text()),
        "check": json.loads((work / files[0]).read_text()),
        "seconds": benchmark_seconds(work / "benchmarks" / "tune_student" / EXP / "b8_s20.tsv"),
    }


def built(trial: Path, rtl: dict[str, Any]) -> dict[str, Any]:
    """The kept student of a trial folder as the workflow would build it at R = 10: its Yosys resources (cached
    in the folder) and its test accuracy on the inputs the hardware sees."""
    from socflow.io import read_json, read_xy
    from socflow.rtl.generate import rtl_generate
    from socflow.rtl.synth import rtl_synth

    cache = trial / f"yosys_rf{REUSE}.json"
    if not cache.is_file():
        with tempfile.TemporaryDirectory() as scratch:
            outputs = {"verilog": f"{scratch}/verilog", "summary": f"{scratch}/rtl.json"}
            params = {"target": TARGET, "input_precision": INPUT, "rtl": rtl}
            rtl_generate(inputs={"model": str(trial / "student.h5")}, params=params, outputs=outputs)
            rtl_synth(inputs=outputs, params={"part": PART},
                      outputs={"report": str(cache), "yosys": f"{scratch}/yosys.log"})  # fmt: skip
    lut = read_json(cache)["resources"]["LUT"]["used"]
    return {"lut": lut, "test": test_accuracy(trial / "student.h5", read_xy(trial.parents[4] / "data" / "test.npz"))}


def test_accuracy(model_path: Path, test: tuple[Any, Any]) -> float:
    from socflow.fixed import FixedType
    from socflow.metrics import predict_classes
    from socflow.models import load_model

    x, y = test
    _, predicted = predict_classes(load_model(model_path), FixedType.parse(INPUT).quantize(x))
    return float((predicted == y).mean())


def best_fitting(
    free: dict[str, Any], limit: float, synthesized: dict[str, dict[str, Any]], rtl: dict[str, Any]
) -> dict[str, Any] | None:
    """The accuracy-only search's most accurate trial (validation) that fits the limit by Yosys."""
    done = free["trials"][free["trials"]["status"] == "COMPLETED"].sort_values("val_accuracy", ascending=False)
    for trial_id, row in done.iterrows():
        if trial_id not in synthesized:
            synthesized[trial_id] = built(free["state"] / f"trial_{trial_id}", rtl) | {"estimate": row["lut"]}
        if synthesized[trial_id]["lut"] <= limit:
            return {"trial_id": trial_id, "val": row["val_accuracy"], **synthesized[trial_id]}
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/budget"))
    parser.add_argument("--n-per-class", type=int, default=2000)
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    work = Path(args.out)
    rtl = validate_config(config(args.n_per_class, args.trials, EVERYTHING))["experiments"][EXP]["rtl"]
    free = run(work, args, EVERYTHING)
    capacity = free["check"]["limits"]["lut"] / EVERYTHING
    synthesized: dict[str, dict[str, Any]] = {}
    rows = []
    for lut in BUDGETS:
        limit = lut * capacity
        best = best_fitting(free, limit, synthesized, rtl)
        aware = run(work, args, lut)
        chosen, check = aware["trials"].loc[aware["chosen"]], aware["check"]
        kept = built(aware["state"] / f"trial_{aware['chosen']}", rtl)
        rows.append(
            [
                f"{100 * lut:.0f} % ({limit:,.0f})",
                "none" if best is None else f"{best['trial_id']}: {100 * best['val']:.2f} / {100 * best['test']:.2f} % "
                f"({best['lut']:,})",
                f"{aware['chosen']}: {100 * chosen['val_accuracy']:.2f} / {100 * kept['test']:.2f} %",
                f"{100 * aware['metrics']['accuracy']:.2f} %", f"units {int(chosen['units_0'])}",
                f"{check['estimate']['lut']:,.0f}", check["synthesized"]["lut"],
                f"{100 * check['estimate_error']['lut']:+.1f} %", check["synthesized"]["dsp"],
                check["synthesized"]["latency_clocks"], "yes" if check["fits"] else "NO",
                "yes" if best is None or chosen["val_accuracy"] >= best["val"] else "no",
                f"{int((aware['trials']['fits'].astype(bool)).sum())}/{len(aware['trials'])}", round(aware["seconds"]),
            ]
        )  # fmt: skip
    header = ["LUT budget", "accuracy-only: best fitting by Yosys, val / test (LUT)", "budget-aware: val / test"]
    header += ["retrained test", "student", "LUT est.", "LUT Yosys", "est. error", "DSP", "L [clk]", "fits (Yosys)"]
    header += ["val >= acc.-only", "trials fitting (est.)", "search s"]
    print(f"{args.n_per_class} pulses per class, {args.trials} trials, {PART} at R = {REUSE} (100 MHz); val / test of")
    print("a trial: its kept student's validation (search) and test accuracy\n")
    emit("searches", header, rows, "lllrlrrrrrlrrr")
    errors = pd.Series({t: (s["estimate"] - s["lut"]) / s["lut"] for t, s in synthesized.items()})
    print(f"\naccuracy-only search: {round(free['seconds'])} s, its best trial "
          f"{100 * free['trials']['val_accuracy'].max():.2f} % val; cost model vs Yosys on the {len(errors)} trials "
          f"synthesized: mean {100 * errors.mean():+.1f} %, mean |error| {100 * errors.abs().mean():.1f} %, "
          f"max |error| {100 * errors.abs().max():.1f} %")  # fmt: skip


if __name__ == "__main__":
    main()

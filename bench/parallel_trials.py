"""Benchmark of parallel trials: the teacher search of the default config (built-in pulses) with 1 and with 2
workers at the same number of trials, through Snakemake, printing wall time and best validation accuracy.

Each run starts in a fresh working folder; the data are prepared first and not timed. On 2 cores, 1 worker
is one 2-thread job and 2 workers are two 1-thread jobs (then a collecting job).

    .venv/bin/python bench/parallel_trials.py --out bench/out/parallel_trials
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import pandas as pd
import yaml
from common import ROOT, emit, run_workflow

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "about 3 min"}
EXP = "pulses"


def run(workers: int, args: argparse.Namespace) -> dict:
    workdir = Path(args.out).resolve() / f"workers{workers}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["experiments"][EXP]["teacher"]["search"] |= {
        "trials": args.trials,
        "epochs": args.epochs,
        "workers": workers,
    }
    run_workflow(workdir, config, f"results/{EXP}/data/summary.json", cores=args.cores)
    start = time.perf_counter()
    run_workflow(workdir, config, f"results/{EXP}/teacher/hparams.json", cores=args.cores)
    seconds = time.perf_counter() - start
    best = json.loads((workdir / f"results/{EXP}/teacher/hparams.json").read_text())
    trials = pd.read_csv(workdir / f"results/{EXP}/teacher/trials.csv")
    return {
        "workers": workers,
        "seconds": seconds,
        "best": best["score"],
        "completed": int((trials["status"] == "COMPLETED").sum()),
        "guided": int((trials["proposed_by"] == "guided").sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench/out/parallel_trials")
    parser.add_argument("--trials", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    rows = [run(n, args) for n in args.workers]
    base = rows[0]["seconds"]
    print(
        f"\nteacher search of config/config.yaml, {args.trials} trials x {args.epochs} epochs at most, "
        f"--cores {args.cores}\n"
    )
    header = ["workers", "wall time s", "speed-up", "best val_accuracy", "completed", "guided"]
    table = [[r["workers"], f"{r['seconds']:.0f}", f"{base / r['seconds']:.2f}", f"{r['best']:.4f}", r["completed"],
              r["guided"]] for r in rows]  # fmt: skip
    emit("workers", header, table, "rrrrrr")
    Path(args.out, "bench.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

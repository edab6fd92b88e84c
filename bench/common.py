"""What the benchmarks share: running this repository's workflow in a work folder, reading a rule's
`benchmark:` file, random integer students (their hardware cost without the training), the cost models' fit, and
emitting a result table (printed, and stored as data under `python -m bench run`)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.optimize import nnls
from suite import ROOT, TABLES, Cell, table

from socflow.rtl.folded import IntLayer


def run_workflow(work: Path, config: dict[str, Any], *args: str, cores: int = 2) -> None:
    """Write `config` to work/config.yaml and run the workflow there (extra snakemake `args`, e.g. a target);
    a failed run stops the benchmark with the end of snakemake's output."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "config.yaml").write_text(yaml.safe_dump(config))
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "-s",
        str(ROOT / "Snakefile"),
        "-d",
        str(work),
        "--configfile",
        str(work / "config.yaml"),
        "--cores",
        str(cores),
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, cwd=work, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"snakemake {' '.join(args)} failed in {work}:\n{done.stderr[-3000:]}")


def stage_outputs(folder: Path) -> dict[str, str]:
    """The files a tune/train pair of stages writes, as the rules name them, in `folder`."""
    names = ("hparams.json", "trials.csv", "model.h5", "metrics.json", "curves.png")
    return {name.split(".")[0]: str(folder / name) for name in names}


def data_and_teacher(exp: dict[str, Any], out: Path) -> dict[str, str]:
    """An experiment's split and its searched teacher in `out` (made once, kept across runs): the inputs of the
    student's stages (data, teacher, teacher_metrics), for benches that call the stage functions directly."""
    from socflow.data import prepare_data
    from socflow.train.teacher import train_teacher, tune_teacher

    data = {p: str(out / "data" / f"{p}.npz") for p in ("train", "val", "test")}
    data |= {"scaler": str(out / "data" / "scaler.json"), "summary": str(out / "data" / "summary.json")}
    teacher = stage_outputs(out / "teacher")
    if not Path(teacher["metrics"]).exists():
        prepare_data(inputs={}, params={k: exp[k] for k in ("dataset", "split", "normalize")}, outputs=data)
        params = {"teacher": exp["teacher"], "state": str(out / "teacher" / "tuning")}
        tune_teacher(inputs=data, params=params, outputs=teacher, threads=2)
        train_teacher(inputs=data | teacher, params=params, outputs=teacher, threads=2)
    return data | {"teacher": teacher["model"], "teacher_metrics": teacher["metrics"]}


def benchmark_seconds(tsv: Path) -> float:
    """Wall seconds of a job from its `benchmark:` file."""
    with open(tsv) as handle:
        return float(next(csv.DictReader(handle, delimiter="\t"))["s"])


def random_student(sizes: list[int], sparsity: float, seed: int, in_width: int = 16) -> list[IntLayer]:
    """Integer layers of a student of these sizes: 8-bit weights, `sparsity` of them zero, signed inputs of
    `in_width` bits (16: ap_fixed<16,6>), 8-bit ReLUs: what a trained one costs in hardware, without the training."""
    rng = np.random.default_rng(seed)
    layers, width, signed, frac = [], in_width, True, in_width - 6
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        weights = rng.integers(-128, 128, (n_in, n_out)) * (rng.random((n_in, n_out)) >= sparsity)
        relu = None if k == len(sizes) - 2 else (3, 5)
        layers.append(IntLayer(weights, rng.integers(-(2**12), 2**12, n_out), width, signed, frac, 7, relu))
        if relu:
            width, signed, frac = 8, False, 5
    return layers


def emit(name: str, header: list[str], rows: list[list[Cell]], align: str = "") -> None:
    """Print a result table as Markdown and, when `python -m bench run` runs the script, add it to the run's data
    (the file the TABLES variable names; the runner stores it with the commit, date and machine)."""
    rows = [[value.item() if isinstance(value, np.generic) else value for value in row] for row in rows]
    print(table(header, rows, align) + "\n")
    if path := os.environ.get(TABLES):
        tables = json.loads(Path(path).read_text()) if Path(path).is_file() else {}
        tables[name] = {"columns": header, "rows": rows} | ({"align": align} if align else {})
        Path(path).write_text(json.dumps(tables))


def fit(features: list[dict[str, float]], measured: np.ndarray, names: list[str]) -> np.ndarray:
    """Coefficients (>= 0) minimizing the squared relative error of sum(c_k * feature_k) against `measured`: how
    bench/cost_model.py and bench/conv_cost.py fit socflow's cost models (src/socflow/resources/cost_models.json)."""
    x = np.array([[row[k] for k in names] for row in features]) / measured[:, None]
    return nnls(x, np.ones(len(measured)))[0]


def left_out_errors(features: list[dict[str, float]], measured: np.ndarray, names: list[str]) -> np.ndarray:
    """Relative error on each design of the model fitted to all the others (how it does on a student it was not
    fitted to)."""
    errors = []
    for k in range(len(measured)):
        keep = [i for i in range(len(measured)) if i != k]
        c = fit([features[i] for i in keep], measured[keep], names)
        errors.append(sum(c[n] * features[k][name] for n, name in enumerate(names)) / measured[k] - 1)
    return np.array(errors)

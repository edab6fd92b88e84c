"""Calibration of the folded-RTL cost model (socflow.rtl.cost) against Yosys: random integer students of
several shapes, sparsities, input widths and reuse factors, each written by the folded generator and
synthesized by the same Yosys flow as rtl_synth; the model's coefficients fitted by non-negative least squares
(printed, to be copied into socflow/rtl/cost.py), then its error per design against Yosys, and in sum.

    .venv/bin/python bench/cost_model.py            # about 15 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from common import random_student, table
from scipy.optimize import nnls

from socflow.rtl.cost import FF_MODEL, LUT_MODEL, folded_cost, folded_features
from socflow.rtl.folded import FoldedDesign, design, write_project
from socflow.rtl.synth import synthesize

PART = "xc7a35tcpg236-1"
# (sizes, sparsity, input width, reuse factors): the paper's 1D students, a wider and a deeper one, images
SHAPES = [
    ([30, 15, 4], 0.2, 16, [2, 4, 8, 15, 30, 60]),
    ([30, 12, 4], 0.5, 16, [3, 10, 30, 45]),
    ([30, 9, 4], 0.2, 8, [5, 10, 30]),
    ([40, 20, 10], 0.2, 16, [4, 8, 16, 40]),
    ([30, 20, 10, 4], 0.3, 16, [6, 12, 30]),
    ([64, 20, 10], 0.5, 8, [8, 16, 64, 128]),
    ([16, 8, 3], 0.0, 12, [2, 8, 16]),
]


def synthesized(core: FoldedDesign) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        top = write_project(core, "student", Path(scratch))
        return synthesize([top], "student", PART, scratch, Path(scratch) / "yosys.log")["resources"]


def fit(rows: list[dict[str, float]], measured: np.ndarray, names: list[str]) -> dict[str, float]:
    coefficients, _ = nnls(np.array([[row[k] for k in names] for row in rows]), measured)
    return {k: round(float(c), 3) for k, c in zip(names, coefficients)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="Yosys runs at once")
    args = parser.parse_args()
    cores = []
    for seed, (sizes, sparsity, width, reuses) in enumerate(SHAPES):
        layers = random_student(sizes, sparsity, seed, in_width=width)
        cores += [(sizes, sparsity, width, design(layers, r, "folded")) for r in reuses]
        if sizes[0] in reuses:
            cores.append((sizes, sparsity, width, design(layers, sizes[0], "stream")))
    with ThreadPoolExecutor(args.jobs) as pool:
        yosys = list(pool.map(synthesized, [core for *_, core in cores]))
    features = [folded_features(core) for *_, core in cores]
    lut = np.array([r["LUT"]["used"] for r in yosys], dtype=float)
    ff = np.array([r["FF"]["used"] for r in yosys], dtype=float)
    print("LUT_MODEL =", fit(features, lut, list(LUT_MODEL)))
    print("FF_MODEL =", fit(features, ff, list(FF_MODEL)))
    print("\nwith the coefficients in socflow/rtl/cost.py:\n")
    rows, errors = [], {"LUT": [], "FF": [], "DSP": []}
    for (sizes, sparsity, width, core), res in zip(cores, yosys):
        cost = folded_cost(core)
        for name, estimated in (("LUT", cost.lut), ("FF", cost.ff), ("DSP", cost.dsp)):
            errors[name].append((estimated - res[name]["used"]) / max(1, res[name]["used"]))
        rows.append(
            [
                "-".join(map(str, sizes)), f"{sparsity:.0%}", width, core.architecture, core.reuse_factor,
                res["LUT"]["used"], round(cost.lut), f"{100 * errors['LUT'][-1]:+.1f} %", res["FF"]["used"],
                round(cost.ff), f"{100 * errors['FF'][-1]:+.1f} %", res["DSP"]["used"], cost.dsp,
            ]
        )  # fmt: skip
    header = ["student", "sparsity", "in bits", "design", "R", "LUT Yosys", "LUT model", "error"]
    print(table(header + ["FF Yosys", "FF model", "error", "DSP Yosys", "DSP model"], rows))
    for name, values in errors.items():
        values = np.abs(values)
        print(f"\n{name}: mean |error| {100 * values.mean():.1f} %, max {100 * values.max():.1f} %", end="")
    print()


if __name__ == "__main__":
    main()

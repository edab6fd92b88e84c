"""Calibration of the folded-RTL cost model (socflow.rtl.cost) against Yosys: random integer students of
several shapes, sparsities, input widths and reuse factors, each written by the folded generator and
synthesized by the same Yosys flow as rtl_synth (the measurements kept in bench/out/cost_model.json); the
model's coefficients fitted by non-negative least squares of the relative error (to be copied into
src/socflow/resources/cost_models.json, with the stored result they come from), then the error of the coefficients
in use per design and in sum, and the error of the fit on each design left out of it (how the model does on a
student it was not fitted to). Its tables: designs (Yosys against the model), features (what the fit reads),
coefficients, errors.

    .venv/bin/python -m bench run cost_model           # about 17 minutes on 2 cores (34 Yosys runs), stored
    .venv/bin/python bench/cost_model.py --cached      # refit from bench/out/cost_model.json, seconds
"""

from __future__ import annotations

import argparse
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from common import ROOT, emit, fit, left_out_errors, random_student

from socflow.rtl.cost import FF_MODEL, LUT_MODEL, folded_cost, folded_features
from socflow.rtl.folded import FoldedDesign, design, write_project
from socflow.rtl.synth import synthesize

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "17 min", "quick": ["--cached"], "quick_time": "seconds"}
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
        files = write_project(core, "student", Path(scratch))
        return synthesize(files, "student", PART, scratch, Path(scratch) / "yosys.log")["resources"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="Yosys runs at once")
    parser.add_argument("--cached", action="store_true", help="refit from the measurements of an earlier run")
    args = parser.parse_args()
    cores = []
    for seed, (sizes, sparsity, width, reuses) in enumerate(SHAPES):
        layers = random_student(sizes, sparsity, seed, in_width=width)
        cores += [(sizes, sparsity, width, design(layers, r, "folded")) for r in reuses]
        if sizes[0] in reuses:
            cores.append((sizes, sparsity, width, design(layers, sizes[0], "stream")))
    cache = ROOT / "bench" / "out" / "cost_model.json"
    if args.cached:
        yosys = json.loads(cache.read_text())
    else:
        with ThreadPoolExecutor(args.jobs) as pool:
            yosys = list(pool.map(synthesized, [core for *_, core in cores]))
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(yosys))
    features = [folded_features(core) for *_, core in cores]
    measured = {name: np.array([r[name]["used"] for r in yosys], dtype=float) for name in ("LUT", "FF")}
    names = sorted(features[0])
    labels = [f"{'-'.join(map(str, sizes))} s{sparsity:g} {width}b {core.architecture} R{core.reuse_factor}"
              for sizes, sparsity, width, core in cores]  # fmt: skip
    emit("features", ["case", *names, "LUT Yosys", "FF Yosys"],
         [[label, *(f[n] for n in names), r["LUT"]["used"], r["FF"]["used"]]
          for label, f, r in zip(labels, features, yosys)])  # fmt: skip
    coefficients, errors = [], []
    for name, model in (("LUT", LUT_MODEL), ("FF", FF_MODEL)):
        fitted = fit(features, measured[name], list(model))
        coefficients += [[name, k, round(float(c), 3)] for k, c in zip(model, fitted)]
        left_out = np.abs(left_out_errors(features, measured[name], list(model)))
        errors.append([name, "fit, each design left out", len(left_out), 100 * left_out.mean(), 100 * left_out.max()])
    emit("coefficients", ["model", "feature", "coefficient"], coefficients, "llr")
    rows = []
    in_use = {"LUT": [], "FF": [], "DSP": []}
    for (sizes, sparsity, width, core), res in zip(cores, yosys):
        cost = folded_cost(core)
        for name, estimated in (("LUT", cost.lut), ("FF", cost.ff), ("DSP", cost.dsp)):
            in_use[name].append((estimated - res[name]["used"]) / max(1, res[name]["used"]))
        rows.append(
            [
                "-".join(map(str, sizes)), f"{sparsity:.0%}", width, core.architecture, core.reuse_factor,
                res["LUT"]["used"], round(cost.lut), f"{100 * in_use['LUT'][-1]:+.1f} %", res["FF"]["used"],
                round(cost.ff), f"{100 * in_use['FF'][-1]:+.1f} %", res["DSP"]["used"], cost.dsp,
            ]
        )  # fmt: skip
    header = ["student", "sparsity", "in bits", "design", "R", "LUT Yosys", "LUT model", "error"]
    emit("designs", header + ["FF Yosys", "FF model", "error", "DSP Yosys", "DSP model"], rows, "lrrlrrrrrrrrr")
    for name, values in in_use.items():
        values = np.abs(values)
        errors.append([name, "coefficients in use", len(values), 100 * values.mean(), 100 * values.max()])
    emit("errors", ["resource", "model", "designs", "mean abs. error [%]", "max abs. error [%]"], errors, "llrrr")


if __name__ == "__main__":
    main()

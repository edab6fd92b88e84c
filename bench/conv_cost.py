"""Error of the conv-design cost model (socflow.rtl.cost.conv_cost) against Yosys: convolutional students of
the workflow's families (1D and 2D CNNs, MobileNet- and VGG-like) with random weights, several widths, kernel
sizes, sparsities and input types, each written by the conv generator and synthesized by rtl_synth's Yosys flow.
Each at reuse factor 1 (da4ml's adder graphs) and folded (R > 1, where a layer can use it). Its tables: per design
the estimate beside Yosys (designs); what the folded models' fit reads (features) and its coefficients (to be
copied into src/socflow/resources/cost_models.json, with the stored result they come from); per design family the
mean and extreme LUT and FF error (errors: what the budget's default margin for the conv and folded conv designs,
socflow.budget.DEFAULT_MARGIN, covers).

    .venv/bin/python -m bench run conv_cost        # ~25 min on 2 cores (measurements: bench/out/conv_cost.json)
    .venv/bin/python bench/conv_cost.py --cached   # refit from the measurements, a minute
(A run keeps what the measurements file holds and synthesizes only the designs it lacks.)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from socflow._keras import keras  # noqa: F401  (Keras 2 before qkeras)

import keras_tuner as kt
import numpy as np
from common import ROOT, emit, fit, left_out_errors

from socflow.errors import ConfigError
from socflow.fixed import FixedType
from socflow.rtl.conv import design as conv_design
from socflow.rtl.cost import (
    FOLDED_CONV_FF_MODEL,
    FOLDED_CONV_LUT_MODEL,
    conv_cost,
    conv_structure,
    folded_conv_features,
)
from socflow.rtl.designs import generate, verilog_sources
from socflow.rtl.quantized import TOP
from socflow.rtl.synth import synthesize
from socflow.train.compression import student_model

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "25 min", "quick": ["--cached"], "quick_time": "a minute"}
PART = "xc7a35tcpg236-1"
TARGET = {"part": PART, "clock_period": 10.0}
RTL = {"latency_cutoff": None}
# (model, input shape, hyperparameters, sparsity, input type)
STUDENTS = [
    ("cnn", [30], {"conv_0": 4, "kernel_0": 5, "conv_1": 3, "kernel_1": 3}, 0.2, "ap_fixed<16,6>"),
    ("cnn", [30], {"conv_0": 8, "kernel_0": 3, "conv_1": 8, "kernel_1": 5}, 0.5, "ap_fixed<8,4>"),
    ("cnn", [64], {"conv_0": 6, "kernel_0": 5, "conv_1": 4, "kernel_1": 5}, 0.2, "ap_fixed<10,4>"),
    ("cnn", [8, 8, 1], {"conv_0": 4, "conv_1": 3}, 0.5, "ap_fixed<8,1>"),
    ("cnn", [8, 8, 1], {"conv_0": 8, "conv_1": 8}, 0.5, "ap_fixed<8,1>"),
    ("cnn", [16, 16, 1], {"conv_0": 4, "conv_1": 6}, 0.5, "ap_fixed<8,1>"),
    ("mobilenet", [8, 8, 1], {"conv_0": 3, "conv_1": 4}, 0.5, "ap_fixed<8,1>"),
    ("vgg", [8, 8, 1], {"conv_0": 4, "conv_1": 4}, 0.5, "ap_fixed<8,1>"),
    # wider students, as the digits' searches choose (only folded: their adder graphs take Yosys long)
    ("cnn", [8, 8, 1], {"conv_0": 20, "conv_1": 13}, 0.5, "ap_fixed<16,6>"),
    ("cnn", [8, 8, 1], {"conv_0": 12, "conv_1": 8}, 0.5, "ap_fixed<8,1>"),
    ("cnn", [30], {"conv_0": 8, "kernel_0": 5, "conv_1": 8, "kernel_1": 5}, 0.2, "ap_fixed<16,6>"),
]
WIDE = 8  # STUDENTS[WIDE:] are synthesized at R >= 4 only


def student(kind: str, shape: list[int], hp: dict[str, int], sparsity: float, seed: int) -> Any:
    values = kt.HyperParameters()
    for name, value in hp.items():
        values.Fixed(name, value)
    cfg = {"model": kind, "layers": 2, "units": [1, 8], "activation_integer_bits": 2}
    model = student_model(values, cfg, {"bits": 8, "integer_bits": 0, "sparsity": sparsity}, shape, 4, None)
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0, 0.4, w.shape) * (rng.random(w.shape) >= sparsity) for w in model.get_weights()])
    return model


def case_model(index: int) -> tuple[Any, FixedType]:
    kind, shape, hp, sparsity, in_text = STUDENTS[index]
    return student(kind, shape, hp, sparsity, index), FixedType.parse(in_text)


def synthesized(case: tuple[int, int]) -> dict[str, int] | None:
    """Yosys's LUT, FF and DSP of one student's design at one reuse factor (None where no layer can use it)."""
    index, reuse = case
    model, in_type = case_model(index)
    target = TARGET | {"reuse_factor": reuse}
    try:
        core = conv_design(model, in_type, target, RTL)
    except ConfigError:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        generate(model, in_type, target, RTL, Path(scratch) / "rtl")
        stat = synthesize(verilog_sources(Path(scratch) / "rtl"), TOP, PART, scratch, Path(scratch) / "y.log")
    return {k: stat["resources"][k]["used"] for k in ("LUT", "FF", "DSP")} | {"schedules": schedules(core)}


def current(case: tuple[int, int], used: dict[str, Any] | None) -> bool:
    """Whether a measurement is of the design the generator writes now (its kernels' schedules unchanged)."""
    if used is None or case[1] == 1:
        return True
    model, in_type = case_model(case[0])
    try:
        return used.get("schedules") == schedules(conv_design(model, in_type, TARGET | {"reuse_factor": case[1]}, RTL))
    except ConfigError:
        return False


def schedules(core: Any) -> list[str]:
    """The schedule of every folded layer of a design (which a measurement is of: the choice follows the model)."""
    return [s.source for k in [*core.kernels, core.head] for s in k.core.schedules] if core.reuse_factor > 1 else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="Yosys runs at once")
    parser.add_argument("--reuse", default="1,2,3,4,8,16,32,64", help="reuse factors (1: the adder-graph design)")
    parser.add_argument("--cached", action="store_true", help="refit from the measurements of an earlier run")
    args = parser.parse_args()
    cases = [(i, int(r)) for i in range(len(STUDENTS)) for r in args.reuse.split(",") if i < WIDE or int(r) >= 4]
    cache = ROOT / "bench" / "out" / "conv_cost.json"
    measured = {tuple(k): v for k, v in json.loads(cache.read_text())} if cache.is_file() else {}
    if not args.cached:  # what an earlier run measured of the same design is kept, the rest synthesized
        todo = [case for case in cases if case not in measured or not current(case, measured[case])]
        with ThreadPoolExecutor(args.jobs) as pool:
            measured |= dict(zip(todo, pool.map(synthesized, todo)))
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps([[list(k), v] for k, v in measured.items()]))
    rows, folded = [], []
    for (index, reuse), used in measured.items():
        if used is None:
            continue
        model, in_type = case_model(index)
        core = conv_design(model, in_type, TARGET | {"reuse_factor": reuse}, RTL)
        cost = conv_cost(core)
        kind, shape, hp, sparsity, _ = STUDENTS[index]
        name = f"{kind} {'x'.join(map(str, shape))} {hp} s{sparsity:g} {in_type.width}b"
        if reuse > 1:
            folded.append((name, reuse, folded_conv_features(core), conv_structure(core), used))
        rows.append([name, reuse, model.count_params(), cost.lut, used["LUT"], 100 * (cost.lut / used["LUT"] - 1),
                     cost.ff, used["FF"], 100 * (cost.ff / used["FF"] - 1), cost.dsp, used["DSP"]])  # fmt: skip
    header = ["student", "R", "P", "est. LUT", "Yosys LUT", "LUT err %", "est. FF", "Yosys FF", "FF err %", "est. DSP",
              "Yosys DSP"]  # fmt: skip
    emit("designs", header, rows, "lrrrrrrrrrr")
    names = sorted(folded[0][2]) if folded else []
    emit("features", ["case", "R", *names, "structure LUT", "structure FF", "LUT Yosys", "FF Yosys"],
         [[name, reuse, *(f[n] for n in names), *structure, used["LUT"], used["FF"]]
          for name, reuse, f, structure, used in folded])  # fmt: skip
    families = (("conv (R = 1)", [r for r in rows if r[1] == 1]), ("folded conv", [r for r in rows if r[1] > 1]))
    coefficients, errors = [], []
    for design, chosen in families:
        for what, column in (("LUT", 5), ("FF", 8)):
            error = np.array([row[column] for row in chosen])
            if error.size:
                errors.append([design, what, "coefficients in use", error.size, np.abs(error).mean(), error.min(),
                               error.max()])  # fmt: skip
    if folded:  # the folded models' coefficients, fitted to these designs
        for what, column, model_names in (("LUT", 0, FOLDED_CONV_LUT_MODEL), ("FF", 1, FOLDED_CONV_FF_MODEL)):
            features = [f | {"structure": structure[column]} for _, _, f, structure, _ in folded]
            values = np.array([used[what] for *_, used in folded], dtype=float)
            fitted = fit(features, values, list(model_names))
            coefficients += [[what, k, round(float(c), 3)] for k, c in zip(model_names, fitted)]
            left_out = 100 * left_out_errors(features, values, list(model_names))
            errors.append(["folded conv", what, "fit, each design left out", left_out.size, np.abs(left_out).mean(),
                           left_out.min(), left_out.max()])  # fmt: skip
    emit("coefficients", ["model", "feature", "coefficient"], coefficients, "llr")
    header = ["design", "resource", "model", "designs", "mean abs. error [%]", "from [%]", "to [%]"]
    emit("errors", header, errors, "lllrrrr")


if __name__ == "__main__":
    main()

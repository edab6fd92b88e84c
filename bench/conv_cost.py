"""Error of the conv-design cost model (socflow.rtl.cost.conv_cost) against Yosys: convolutional students of
the workflow's families (1D and 2D CNNs, MobileNet- and VGG-like) with random weights, several widths, kernel
sizes, sparsities and input types, each written by the conv generator and synthesized by rtl_synth's Yosys flow.
Prints per design the estimate beside Yosys, then the mean and largest LUT and FF error (what the budget's
default margin for the conv design, socflow.budget.DEFAULT_MARGIN, covers).

    .venv/bin/python bench/conv_cost.py            # about 4 minutes on 2 cores
"""

from __future__ import annotations

import argparse
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from socflow._keras import keras  # noqa: F401  (Keras 2 before qkeras)

import keras_tuner as kt
import numpy as np
from common import table

from socflow.fixed import FixedType
from socflow.rtl.conv import design as conv_design
from socflow.rtl.cost import conv_cost
from socflow.rtl.designs import generate, verilog_sources
from socflow.rtl.quantized import TOP
from socflow.rtl.synth import synthesize
from socflow.train.compression import student_model

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
]


def student(kind: str, shape: list[int], hp: dict[str, int], sparsity: float, seed: int) -> Any:
    values = kt.HyperParameters()
    for name, value in hp.items():
        values.Fixed(name, value)
    cfg = {"model": kind, "layers": 2, "units": [1, 8], "activation_integer_bits": 2}
    model = student_model(values, cfg, {"bits": 8, "integer_bits": 0, "sparsity": sparsity}, shape, 4, None)
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0, 0.4, w.shape) * (rng.random(w.shape) >= sparsity) for w in model.get_weights()])
    return model


def measure(index: int) -> list[Any]:
    kind, shape, hp, sparsity, in_text = STUDENTS[index]
    model, in_type = student(kind, shape, hp, sparsity, index), FixedType.parse(in_text)
    cost = conv_cost(conv_design(model, in_type, TARGET, RTL))
    with tempfile.TemporaryDirectory() as scratch:
        generate(model, in_type, TARGET, RTL, Path(scratch) / "rtl")
        stat = synthesize(verilog_sources(Path(scratch) / "rtl"), TOP, PART, scratch, Path(scratch) / "y.log")
    lut, ff = stat["resources"]["LUT"]["used"], stat["resources"]["FF"]["used"]
    name = f"{kind} {'x'.join(map(str, shape))} {hp} s{sparsity:g} {in_type.width}b"
    return [
        name,
        model.count_params(),
        cost.lut,
        lut,
        100 * (cost.lut / lut - 1),
        cost.ff,
        ff,
        100 * (cost.ff / ff - 1),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="Yosys runs at once")
    args = parser.parse_args()
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = list(pool.map(measure, range(len(STUDENTS))))
    print(table(["student", "P", "est. LUT", "Yosys LUT", "LUT err %", "est. FF", "Yosys FF", "FF err %"], rows) + "\n")
    for what, column in (("LUT", 4), ("FF", 7)):
        error = np.array([row[column] for row in rows])
        print(f"{what} error: mean |e| {np.abs(error).mean():.1f} %, from {error.min():+.1f} % to {error.max():+.1f} %")


if __name__ == "__main__":
    main()

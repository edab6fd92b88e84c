"""Benchmark of convolutional students on the open RTL path: the pulses' 1D-CNN student and the digits' 2D-CNN
student beside the MLP student of the same data (config/examples/pulses_cnn.yaml and digits_cnn.yaml, the
digits with an MLP experiment added and the searches cut to --trials), run by the workflow (bench/out/conv_rtl/):
Table I's P, CR, NL, OA, bits, sparsity; LUT / FF / DSP / BRAM from Yosys; latency and II measured in
Verilator (bit-exact on the test set); the conv cost model's estimate beside Yosys; the paper's row 2.

    .venv/bin/python bench/conv_rtl.py            # ~25 min on 2 cores
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
from pathlib import Path

import yaml
from common import ROOT, emit, run_workflow

from socflow.fixed import FixedType
from socflow.models import load_model
from socflow.rtl.designs import estimate

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "13 min"}
# Table I row 2 of the paper (its CNN student on the ZCU102, Vivado post-implementation)
PAPER_ROW2 = "paper row 2 (CNN, 11 layers, ZCU102, Vivado): 18.79 % LUT, 6 % FF, 10.9 % DSP, 17,411 clk"


def config(trials: int, epochs: int) -> dict:
    """The two example configs in one, the digits with an MLP student beside the CNN one."""
    pulses = yaml.safe_load((ROOT / "config/examples/pulses_cnn.yaml").read_text())
    digits = yaml.safe_load((ROOT / "config/examples/digits_cnn.yaml").read_text())
    cnn = digits["experiments"]["digits_cnn"]
    for section in ("teacher", "student"):
        cnn[section]["search"] |= {"trials": trials, "epochs": epochs}
    mlp = copy.deepcopy(cnn)
    mlp["teacher"] |= {"model": "mlp", "layers": 2, "units": [32, 128]}
    mlp["student"] |= {"model": "mlp", "layers": 1, "units": [8, 32]}
    pulses["experiments"] |= {"digits_mlp": mlp, "digits_cnn": cnn}
    return pulses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/conv_rtl"))
    parser.add_argument("--trials", type=int, default=4, help="search trials of the digits' teachers and students")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    work = Path(args.out)
    cfg = config(args.trials, args.epochs)
    run_workflow(work, cfg, "all")
    with open(work / "results/report/table1.csv") as handle:
        rows = [row for row in csv.DictReader(handle) if row["implementation"] != "hls4ml IP"]
    columns = ["application", "implementation", "FPGA", "P", "CR", "NL", "OA [%]", "bits", "SP [%]"]
    header = [*columns, "LUT", "LUT [%]", "FF", "FF [%]", "DSP", "BRAM18", "L [clk]", "II [clk]", "agreement [%]"]
    lines = []
    for row in rows:
        where = work / "results" / row["application"] / "rtl" / row["variant"] / row["target"]
        used = {k: v["used"] for k, v in json.loads((where / "yosys.json").read_text())["resources"].items()}
        lines.append(
            [row[c] for c in columns]
            + [used["LUT"], row["LUT [%]"], used["FF"], row["FF [%]"], used["DSP"], used["BRAM_18K"]]
            + [row["L [clk]"], row["II [clk]"], row["agreement [%]"]]
        )
    emit("table1", header, lines)
    print(f"{PAPER_ROW2}\n")
    # the conv cost model (what a budgeted search ranks with) against Yosys, per conv student
    header, points = ["experiment", "target", "estimate LUT", "Yosys LUT", "error LUT", "estimate FF", "Yosys FF"], []
    for exp, settings in cfg["experiments"].items():
        if settings["student"]["model"] == "mlp":
            continue
        for variant in (work / "results" / exp / "rtl").iterdir():
            student = work / "results" / exp / "student" / variant.name
            for target_dir in variant.iterdir():
                rtl = json.loads((target_dir / "rtl.json").read_text())
                yosys = json.loads((target_dir / "yosys.json").read_text())["resources"]
                target = {"part": rtl["part"], "clock_period": rtl["clock_period_ns"]}
                cost = estimate(
                    load_model(student / "model.h5"), FixedType.parse(rtl["input_type"]), target,
                    {"latency_cutoff": settings.get("rtl", {}).get("latency_cutoff")},
                )  # fmt: skip
                lut, ff = yosys["LUT"]["used"], yosys["FF"]["used"]
                points.append(
                    [exp, target_dir.name, cost.lut, lut, f"{100 * (cost.lut / lut - 1):+.1f} %", cost.ff, ff]
                )
    emit("cost", header, points)


if __name__ == "__main__":
    main()

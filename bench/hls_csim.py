"""Stage 3, C simulation of the HLS IP: agreement and accuracy, and the time to convert and compile, for the
default student (config/config.yaml) and the 2D-CNN preset (config/examples/digits_cnn.yaml, search budget
cut by flags). Runs the workflow itself (snakemake) in bench/out/hls_csim/<name>/ and prints a table.

    .venv/bin/python bench/hls_csim.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml
from common import ROOT, benchmark_seconds, emit, run_workflow

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "not timed"}


def configs(trials: int, epochs: int) -> dict[str, dict]:
    default = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    cnn = yaml.safe_load((ROOT / "config/examples/digits_cnn.yaml").read_text())
    for stage in ("teacher", "student"):
        cnn["experiments"]["digits_cnn"][stage]["search"] |= {"trials": trials, "epochs": epochs}
    return {"default_pulses_mlp": default, "digits_cnn": cnn}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/hls_csim"))
    parser.add_argument("--cnn-trials", type=int, default=4)
    parser.add_argument("--cnn-epochs", type=int, default=20)
    args = parser.parse_args()
    rows = []
    for name, config in configs(args.cnn_trials, args.cnn_epochs).items():
        work = Path(args.out) / name
        run_workflow(work, config)
        for csim_file in sorted(work.glob("results/*/hls/*/*/csim.json")):
            exp, _, variant, target = csim_file.parts[-5:-1]
            csim = json.loads(csim_file.read_text())
            convert = benchmark_seconds(work / "benchmarks/hls_convert" / exp / variant / f"{target}.tsv")
            rows.append(
                [
                    name,
                    variant,
                    target,
                    csim["n"],
                    100 * csim["agreement"],
                    csim["max_diff_lsb"],
                    100 * csim["qkeras_accuracy"],
                    100 * csim["csim"]["accuracy"],
                    convert,
                    csim["compile_seconds"],
                    csim["predict_seconds"],
                ]
            )
    header = [
        "config",
        "variant",
        "target",
        "n",
        "agree %",
        "max LSB",
        "QKeras acc %",
        "csim acc %",
        "convert s",
        "compile s",
        "predict s",
    ]
    emit("csim", header, [[f"{v:.2f}" if isinstance(v, float) else v for v in row] for row in rows], "lllrrrrrrrr")


if __name__ == "__main__":
    main()

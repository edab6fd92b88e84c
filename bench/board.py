"""Stage 4, the emulated board, with each inference IP: Algorithm 1 over the whole test set and the generated
firmware, for the default config with board.ip rtl, then hls, in one work folder so that only the board's jobs run
again for the second. Prints agreement, bit-exactness, fabric cycles per inference and times.

    .venv/bin/python bench/board.py
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml
from common import ROOT, benchmark_seconds, emit, run_workflow

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "not timed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/out/board"))
    args = parser.parse_args()
    work = Path(args.out)
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    header = [
        "board.ip",
        "IP model",
        "n",
        "agree %",
        "bit-exact %",
        "firmware",
        "cycles/inference",
        "host s",
        "board_eval s",
    ]
    rows = []
    for ip in ("rtl", "hls"):
        for experiment in config["experiments"].values():
            experiment.setdefault("board", {})["ip"] = ip
        run_workflow(work, config)
        for result_file in sorted(work.glob("results/*/board/*/*/emulated.json")):
            exp, _, variant, target = result_file.parts[-5:-1]
            result = json.loads(result_file.read_text())
            firmware = f"{result['firmware']['agree']}/{result['firmware']['n']}"
            rows.append(
                [
                    ip,
                    result["ip_model"],
                    result["n"],
                    100 * result["agreement"],
                    100 * result["bit_exact_vs_golden"],
                    firmware,
                    result["fabric_cycles_per_inference"],
                    result["host_seconds"],
                    benchmark_seconds(work / "benchmarks/board_eval" / exp / variant / target / "emulated.tsv"),
                ]
            )
    emit("board", header, [[f"{v:.2f}" if isinstance(v, float) else v for v in row] for row in rows], "llrrrlrrr")


if __name__ == "__main__":
    main()

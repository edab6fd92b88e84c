"""What the benchmarks share: running this repository's workflow in a work folder, and reading a rule's
`benchmark:` file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


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


def benchmark_seconds(tsv: Path) -> float:
    """Wall seconds of a job from its `benchmark:` file."""
    with open(tsv) as handle:
        return float(next(csv.DictReader(handle, delimiter="\t"))["s"])

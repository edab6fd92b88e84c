"""Shared fixtures: the repository root, a valid minimal experiment, and a helper to run Snakemake."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import socflow._keras  # noqa: F401  (Keras 2 first: test modules import keras_tuner and qkeras directly)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def tiny_config() -> dict[str, Any]:
    """A config with one small pulse experiment (schema defaults not yet filled)."""
    return copy.deepcopy({"experiments": {"tiny": {"dataset": {"kind": "pulses", "n_per_class": 40}}}})


def run_snakemake(workdir: Path, config: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    """Run this repository's workflow in ``workdir`` with ``config`` written to workdir/config.yaml."""
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir)]
    cmd += ["--configfile", str(workdir / "config.yaml"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, timeout=600)

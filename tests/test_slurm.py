"""The slurm profile on a real single-node Slurm (tools/slurm-local.sh start): every job, the two workers of
the teacher search among them, goes through sbatch and ends COMPLETED, and the results equal a local run with
the same seeds. Skipped where no Slurm is up."""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT, run_snakemake

JOBCOMP = Path("/tmp/socflow-slurm/jobcomp.txt")


def slurm_up() -> bool:
    if shutil.which("sinfo") is None:
        return False
    state = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    return state.returncode == 0 and any(s in state.stdout for s in ("idle", "mixed"))


pytestmark = [
    pytest.mark.workflow,
    pytest.mark.slurm,
    pytest.mark.longest,
    pytest.mark.skipif(not slurm_up(), reason="no Slurm up: run tools/slurm-local.sh start"),
]

CONFIG = {
    "experiments": {
        "tiny": {
            "dataset": {"kind": "pulses", "n_per_class": 60},
            # two workers; both trials random, so they do not depend on which worker finished first
            "teacher": {
                "layers": 1,
                "units": [8, 16],
                "search": {"trials": 2, "initial_points": 2, "epochs": 3, "patience": 0, "workers": 2},
            },
        }
    }
}
TARGET = "results/tiny/teacher/metrics.json"


def test_slurm_profile_runs_every_job_through_sbatch_and_matches_a_local_run(tmp_path):
    before = JOBCOMP.read_text().splitlines() if JOBCOMP.exists() else []
    cluster, local = tmp_path / "slurm", tmp_path / "local"
    cluster.mkdir()
    local.mkdir()
    # the local run alongside (it waits on nothing of the cluster's; most of a Slurm job's time is waiting)
    with ThreadPoolExecutor(1) as pool:
        local_run = pool.submit(run_snakemake, local, CONFIG, "--cores", "1", TARGET)
        result = run_snakemake(
            cluster,
            CONFIG,
            "--workflow-profile",
            str(ROOT / "workflow/profiles/slurm"),
            "--slurm-status-command",
            "squeue",
            "--slurm-init-seconds-before-status-checks",
            "2",
            TARGET,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    records = JOBCOMP.read_text().splitlines()[len(before) :]
    states = [r.split("JobState=")[1].split()[0] for r in records]
    assert states == ["COMPLETED"] * 5  # prepare_data, tune_teacher_worker x 2, tune_teacher, train_teacher
    workers = [json.loads((cluster / f"results/tiny/teacher/workers/{w}.json").read_text())["trials"] for w in (0, 1)]
    assert sorted(workers[0] + workers[1]) == ["0", "1"]

    assert local_run.result().returncode == 0
    for part in ("train.npz", "val.npz", "test.npz", "summary.json", "scaler.json"):
        assert (cluster / "results/tiny/data" / part).read_bytes() == (local / "results/tiny/data" / part).read_bytes()
    a, b = (pd.read_csv(d / "results/tiny/teacher/trials.csv").drop(columns="worker") for d in (cluster, local))
    pd.testing.assert_frame_equal(a, b)  # the worker that ran a trial is a matter of timing
    a, b = (json.loads((d / TARGET).read_text()) for d in (cluster, local))
    for m in (a, b):
        m.pop("train_seconds")
    assert a == b

"""Parallel trials (search.workers > 1): workers in separate processes share one search through the trial
journal, a killed worker's trial is rerun by its restart while completed trials are kept, and the collected
hparams.json / trials.csv have the form of a one-worker search's."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import TEACHER
from socflow.io import read_json, write_json
from socflow.train.bayes import tune
from socflow.train.hypermodels import teacher_builder
from socflow.train.journal import search_worker
from socflow.train.trials import hyperparameters, state_dir

SEARCH = dict(TEACHER["search"], trials=4, initial_points=2, workers=2)
SETTINGS = {"test": "parallel"}

# A worker process whose first trial waits until the other worker has claimed one too, so that both run trials
# whatever their start-up times.
WORKER = """
import json, sys, time
from pathlib import Path
import socflow._keras
from socflow.train.hypermodels import teacher_builder
from socflow.train.journal import search_worker

args = json.loads(sys.argv[1])
build, builds = teacher_builder(args["teacher"], [30], 4), []

def meeting(hp):
    builds.append(hp)
    if len(builds) == 2:  # the first trial's model (the first build declares the space)
        Path(args["folder"], f"claimed{args['worker']}").touch()
        other, deadline = Path(args["folder"], f"claimed{1 - args['worker']}"), time.time() + 300
        while not other.exists() and time.time() < deadline:
            time.sleep(0.1)
    return build(hp)

search_worker(meeting, args["data"], args["search"], args["settings"], args["root"], args["worker"], args["output"])
"""


def journal(root):
    return read_json(state_dir(root, SETTINGS, SEARCH) / "journal.json")


@pytest.mark.slow
def test_two_worker_processes_share_one_search_and_collect_like_one_worker(tmp_path, data):
    root = tmp_path / "tuning"
    procs = []
    for worker in (0, 1):
        args = {
            "teacher": TEACHER,
            "search": SEARCH,
            "settings": SETTINGS,
            "root": str(root),
            "worker": worker,
            "data": data,
            "folder": str(tmp_path),
            "output": str(tmp_path / f"worker{worker}.json"),
        }
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER, json.dumps(args)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    for proc in procs:
        output = proc.communicate(timeout=600)[0]
        assert proc.returncode == 0, output[-3000:]

    trials = journal(root)["trials"]
    ran = [read_json(tmp_path / f"worker{w}.json")["trials"] for w in (0, 1)]
    assert [t["trial_id"] for t in trials] == ["0", "1", "2", "3"]
    assert all(t["status"] == "COMPLETED" and 0 <= t["score"] <= 1 for t in trials)
    assert ran[0] and ran[1] and sorted(ran[0] + ran[1]) == ["0", "1", "2", "3"]
    assert all(t["trial_id"] in ran[t["worker"]] for t in trials)
    assert [t["proposed_by"] for t in trials[:2]] == ["random", "random"]

    # one worker, keras-tuner's own loop, same seed: the same random trials, and outputs of the same form
    build = teacher_builder(TEACHER, [30], 4)
    one = {"hparams": str(tmp_path / "one" / "hparams.json"), "trials": str(tmp_path / "one" / "trials.csv")}
    tune(build, data, dict(SEARCH, trials=2, workers=1), SETTINGS, tmp_path / "one_tuning", one)
    two = {"hparams": str(tmp_path / "two" / "hparams.json"), "trials": str(tmp_path / "two" / "trials.csv")}
    best = tune(build, data, SEARCH, SETTINGS, root, two)
    table, reference = pd.read_csv(two["trials"]), pd.read_csv(one["trials"])
    assert list(table.columns) == [*reference.columns, "worker"]
    hp_columns = ["units_0", "units_1", "learning_rate"]
    assert table[hp_columns].head(2).equals(reference[hp_columns])
    assert table["worker"].tolist() == [t["worker"] for t in trials]
    saved = read_json(two["hparams"])
    assert set(saved) == set(read_json(one["hparams"]))
    assert saved["score"] == pytest.approx(table["val_accuracy"].max()) == pytest.approx(best["score"])
    assert hyperparameters(saved["config"]).values == saved["values"]
    assert saved["guided_trials"] == (table["proposed_by"] == "guided").sum()
    build(hyperparameters(saved["config"]))  # the training rule rebuilds the best model from it


def test_restarted_worker_reruns_its_killed_trial_and_keeps_completed_ones(tmp_path, data):
    root = tmp_path / "tuning"
    values = [{"units_0": 8 + i, "units_1": 16, "learning_rate": 0.01} for i in range(4)]
    done = {
        "trial_id": "0",
        "worker": 0,
        "status": "COMPLETED",
        "values": values[0],
        "score": 0.5,
        "proposed_by": "random",
        "started": "t0",
        "finished": "t1",
    }
    running = [
        {
            "trial_id": str(i),
            "worker": w,
            "status": "RUNNING",
            "values": values[i],
            "score": None,
            "proposed_by": "random",
            "started": "t0",
            "finished": None,
        }
        for i, w in ((1, 1), (2, 5), (3, 0))
    ]
    write_json(state_dir(root, SETTINGS, SEARCH) / "journal.json", {"space": None, "trials": [done, *running]})
    build, built = teacher_builder(TEACHER, [30], 4), []

    def counting(hp):
        built.append(dict(hp.values))
        return build(hp)

    # worker 1 was killed in trial 1; worker 5 is no longer configured (workers: 2); worker 0 is alive in trial 3
    assert search_worker(counting, data, SEARCH, SETTINGS, root, 1, tmp_path / "w1.json") == ["1", "2"]
    trials = journal(root)["trials"]
    assert trials[0] == done and trials[3] == running[2]
    assert [(t["status"], t["worker"], t["values"]) for t in trials[1:3]] == [
        ("COMPLETED", 1, values[1]),
        ("COMPLETED", 1, values[2]),
    ]
    assert built[1:] == values[1:3]  # one build declares the space, then one model per trial rerun
    assert read_json(tmp_path / "w1.json")["trials"] == ["1", "2"]

    assert search_worker(counting, data, SEARCH, SETTINGS, root, 1, tmp_path / "w1.json") == []  # trial 3 is 0's
    assert search_worker(counting, data, SEARCH, SETTINGS, root, 0, tmp_path / "w0.json") == ["3"]
    assert [t["status"] for t in journal(root)["trials"]] == ["COMPLETED"] * 4
    assert journal(root)["trials"][0] == done


def small_enough(model, folder):
    """A judge as a budgeted search has: the score is the accuracy only for models of at most 500 weights."""
    params = float(model.count_params())
    accuracy = 1 - params / 10_000  # a stand-in: the judge is what is tested
    fits = params <= 500
    return {"score": accuracy if fits else -params / 500, "val_accuracy": accuracy, "fits": fits, "lut": params}


def test_a_judged_search_ranks_by_its_score_in_both_loops_and_records_its_metrics(tmp_path, data):
    build = teacher_builder(dict(TEACHER, units=[2, 32]), [30], 4)
    search = dict(SEARCH, trials=3, initial_points=3)
    tables = {}
    for workers in (1, 2):
        out = {"hparams": str(tmp_path / f"{workers}" / "hparams.json"), "trials": str(tmp_path / f"{workers}.csv")}
        run = dict(search, workers=workers)
        if workers == 2:  # one worker process runs every trial of a two-worker search, then it is collected
            search_worker(build, data, run, SETTINGS, tmp_path / "t2", 0, tmp_path / "w0.json", judge=small_enough)
        best = tune(build, data, run, SETTINGS, tmp_path / f"t{workers}", out, judge=small_enough)
        table = pd.read_csv(out["trials"])
        assert {"score", "val_accuracy", "fits", "lut"} <= set(table.columns) and "units_0" in table
        assert (table["score"] == table["val_accuracy"]).equals(table["fits"]) and (table["lut"] > 0).all()
        assert best["score"] == table["score"].max()
        tables[workers] = table
    assert tables[1]["lut"].tolist() == tables[2]["lut"].tolist()  # the same random trials, judged the same

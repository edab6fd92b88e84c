"""The Snakemake workflow itself: the whole DAG, a real prepare_data run, config errors before any job,
reruns limited to the stages a config edit touches, and a clean --lint / snakefmt."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from conftest import ROOT, built_once, run_snakemake

pytestmark = pytest.mark.workflow

EVERY_RULE = {
    "prepare_data",
    "tune_teacher",
    "train_teacher",
    "tune_student",
    "fit_student",
    "train_student",
    "hls_convert",
    "hls_csim",
    "hls_synth",
    "rtl_generate",
    "rtl_sim",
    "rtl_synth",
    "vivado_project",
    "vivado_bitstream",
    "board_protocol",
    "board_firmware",
    "board_eval",
    "report",
    "plot_fig5",
    "plot_confusion",
}


def planned_jobs(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    """Rule -> job count from the 'Job stats' table of a dry run (empty when there is nothing to do)."""
    assert result.returncode == 0, result.stderr + result.stdout
    out = result.stdout + result.stderr
    if "Nothing to be done" in out:
        return {}
    assert "Job stats:" in out, out[-2000:]  # a dry run that plans jobs lists them; nothing else is an answer
    table = out.split("Job stats:")[-1]
    jobs = {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M) if m[1] != "total"}
    assert jobs, table[:2000]
    return jobs


def test_default_config_dry_run_shows_every_stage(tmp_path):
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    jobs = planned_jobs(run_snakemake(tmp_path, config, "-n", "all_stages"))
    assert EVERY_RULE <= set(jobs)


def test_default_target_asks_only_for_what_runs_here_with_the_default_profile_found_unnamed(tmp_path, tiny_config):
    result = run_snakemake(tmp_path, tiny_config, "-n")
    jobs = planned_jobs(result)
    assert "prepare_data" in jobs and "vivado_bitstream" not in jobs and "hls_synth" not in jobs
    assert jobs["rtl_sim"] == jobs["rtl_synth"] == 1  # open tools, installed by the project
    assert "Using workflow specific profile" in result.stdout + result.stderr
    profile = yaml.safe_load((ROOT / "profiles" / "default" / "config.yaml").read_text())
    assert profile["rerun-incomplete"] is True and profile["show-failed-logs"] is True


def test_an_ecp5_design_is_evaluated_and_packaged_only_after_its_place_and_route(tmp_path, tiny_config):
    """board_eval and board_package of an ECP5 target need rtl_pnr's pnr.json: a design that misses its clock
    (rtl_pnr's TimingError) is never evaluated nor packaged."""
    ulx3s = {"name": "u", "part": "LFE5U-85F-6BG381C", "clock_period": 10.0}
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [ulx3s]}
    for wanted in ("board/b8_s20/u/emulated.json", "deploy/b8_s20/u.zip"):
        jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", f"results/tiny/{wanted}"))
        assert jobs["rtl_pnr"] == 1, (wanted, jobs)


def test_cnn_students_get_the_conv_rtl_and_without_it_say_why(tmp_path, tiny_config):
    tiny_config["experiments"]["tiny"]["student"] = {"model": "cnn"}
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))
    assert "hls_csim" in jobs and jobs["rtl_generate"] == jobs["rtl_sim"] == jobs["rtl_synth"] == 1
    tiny_config["experiments"]["tiny"]["rtl"] = {"enabled": False}
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))
    assert "hls_csim" in jobs and "rtl_generate" not in jobs
    every = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", "all_stages"))  # every stage the config allows
    assert "rtl_generate" not in every and every["hls_synth"] == every["vivado_project"] == 1
    assert run_snakemake(tmp_path, tiny_config, "--cores", "1", SUMMARY).returncode == 0  # writes the stage plan
    plan = json.loads((tmp_path / "results" / "stage_plan.json").read_text())["tiny"]
    assert plan["rtl_sim"] == {"included": False, "reason": "needs rtl.enabled: true"}
    # the assessment design then takes the HLS IP, which needs the vendor HLS tool
    assert plan["vivado_project"] == {
        "included": False,
        "reason": "needs the HLS IP exported by hls_synth (board.ip), left out here: "
        "vitis-run not found on PATH (toolchain: auto)",
    }


def test_an_hgq_student_is_trained_by_its_own_rule_from_the_stored_logits(tmp_path, tiny_config, monkeypatch):
    tiny_config["experiments"]["tiny"]["student"] = {"quantizer": "hgq"}
    result = run_snakemake(tmp_path, tiny_config, "-n")
    jobs = planned_jobs(result)
    assert jobs["train_hgq_student"] == jobs["teacher_logits"] == 1
    assert "train_student" not in jobs and "tune_student" not in jobs
    assert "results/tiny/student/b8_s20/model.keras" in result.stdout
    # the stages after it as for a QKeras student: da4ml's RTL, hls4ml's C simulation, the board, Table I
    assert jobs["rtl_generate"] == jobs["rtl_sim"] == jobs["rtl_synth"] == jobs["hls_csim"] == 1
    assert jobs["board_eval"] == jobs["board_package"] == jobs["report"] == 1
    monkeypatch.setenv("SOCFLOW_HGQ", str(tmp_path / "nowhere"))  # HGQ2 not installed: named when planned
    result = run_snakemake(tmp_path, tiny_config, "-n")
    assert result.returncode != 0 and "ToolNotFoundError" in result.stdout + result.stderr
    assert "run `make install`" in result.stdout + result.stderr


def test_pretrained_teacher_is_imported_not_searched_and_checked_before_any_job(tmp_path, tiny_config):
    from socflow._keras import keras

    for name, classes in (("teacher.h5", 4), ("three.h5", 3)):
        keras.Sequential([keras.Input((30,)), keras.layers.Dense(classes)]).save(tmp_path / name, save_format="h5")
    tiny_config["experiments"]["tiny"]["teacher"] = {"pretrained": "teacher.h5"}
    result = run_snakemake(tmp_path, tiny_config, "-n", "all_stages")
    jobs = planned_jobs(result)
    assert "import_teacher" in jobs and "tune_teacher" not in jobs and "train_teacher" not in jobs
    # its own folder: a trained teacher's files are never an import's outputs (Snakemake deletes a job's outputs)
    assert "results/tiny/teacher/pretrained/model.h5" in result.stdout
    assert not re.search(r"results/tiny/teacher/(model\.h5|metrics\.json|curves\.png)", result.stdout)
    tiny_config["experiments"]["tiny"]["teacher"] = {"pretrained": "three.h5"}
    result = run_snakemake(tmp_path, tiny_config, "-n", "all_stages")
    assert (
        result.returncode != 0 and "experiments.tiny.teacher.pretrained: three.h5: model has 3 outputs" in result.stdout
    )


def test_a_hypermodel_of_the_folder_snakemake_runs_in_is_found_and_checked_before_any_job(tmp_path, tiny_config):
    (tmp_path / "mine.py").write_text(
        "from socflow._keras import keras\n"
        "def good(hp, input_shape, n_classes):\n"
        "    return keras.Sequential([keras.Input(input_shape), keras.layers.Dense(n_classes)])\n"
    )
    tiny_config["experiments"]["tiny"]["teacher"] = {"model": "mine:good"}
    assert "tune_teacher" in planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", "all_stages"))
    tiny_config["experiments"]["tiny"]["teacher"] = {"model": "mine:bad"}
    result = run_snakemake(tmp_path, tiny_config, "-n", "all_stages")
    assert result.returncode != 0 and "experiments.tiny.teacher.model: hypermodel 'mine:bad': module" in result.stdout


def test_one_job_per_variant_and_target(tmp_path, tiny_config):
    tiny_config["experiments"]["tiny"]["student"] = {
        "variants": [{"bits": 8, "sparsity": 0.2}, {"bits": 6, "sparsity": 0.5}]
    }
    tiny_config["experiments"]["tiny"]["hls"] = {
        "targets": [{"part": "xc7z020clg400-1", "reuse_factor": r} for r in (1, 8, 16)]
    }
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", "all_stages"))
    assert jobs["train_student"] == 2 and jobs["hls_csim"] == 6 and jobs["train_teacher"] == 1


def test_parallel_searches_plan_one_job_per_worker_and_one_collector(tmp_path, tiny_config):
    tiny_config["experiments"]["tiny"]["teacher"] = {"search": {"workers": 2}}
    tiny_config["experiments"]["tiny"]["student"] = {"search": {"workers": 3}}
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))
    assert jobs["tune_teacher_worker"] == 2 and jobs["tune_teacher"] == 1
    assert jobs["tune_student_worker"] == 3 and jobs["tune_student"] == 1


SUMMARY = "results/tiny/data/summary.json"


def test_prepare_data_runs_through_snakemake_and_a_config_edit_reruns_only_the_stages_it_touches(tmp_path, tiny_config):
    result = run_snakemake(tmp_path, tiny_config, "--cores", "1", SUMMARY)
    assert result.returncode == 0, result.stderr
    data = tmp_path / "results" / "tiny" / "data"
    summary = json.loads((data / "summary.json").read_text())
    assert summary["n_samples"] == 160 and summary["input_shape"] == [30]
    train = np.load(data / "train.npz")
    assert train["x"].shape == (112, 30) and np.bincount(train["y"]).tolist() == [28] * 4
    assert "loaded pulses" in (tmp_path / "logs" / "prepare_data" / "tiny.log").read_text()
    plan = json.loads((tmp_path / "results" / "stage_plan.json").read_text())["tiny"]
    assert plan["prepare_data"] == {"included": True, "reason": "runs here"}
    assert plan["hls_synth"]["reason"] in ("vitis-run found", "vitis-run not found on PATH (toolchain: auto)")
    # a config edit: the stages it touches are planned again, the ones before them not
    tiny_config["experiments"]["tiny"]["teacher"] = {"units": [16, 64]}
    assert "prepare_data" not in planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", "all_stages"))
    tiny_config["experiments"]["tiny"]["student"] = {"alpha": 0.5}
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", "all_stages"))
    assert "prepare_data" not in jobs and "tune_student" in jobs
    tiny_config["experiments"]["tiny"]["split"] = {"seed": 7}
    assert "prepare_data" in planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))


def test_bad_config_stops_before_any_job(tmp_path, tiny_config):
    tiny_config["experiments"]["tiny"]["split"] = {"train": 0.8, "val": 0.15, "test": 0.15}
    result = run_snakemake(tmp_path, tiny_config, "--cores", "1")
    assert result.returncode != 0
    assert "experiments.tiny.split: train + val + test must be 1" in result.stderr
    assert not (tmp_path / "results").exists()


def test_unknown_dataset_kind_stops_before_any_job(tmp_path, tiny_config):
    tiny_config["experiments"]["tiny"]["dataset"]["kind"] = "mnist"
    result = run_snakemake(tmp_path, tiny_config, "--cores", "1")
    assert result.returncode != 0 and "ConfigError" in result.stderr
    assert "experiments.tiny.dataset.kind: 'mnist' is not one of" in result.stderr
    assert "$defs" not in result.stderr  # the reason, not a dump of the schema


def test_missing_user_file_is_named_before_any_job(tmp_path, tiny_config):
    tiny_config["experiments"]["tiny"]["dataset"] = {"kind": "npz", "path": "data/absent.npz"}
    result = run_snakemake(tmp_path, tiny_config, "--cores", "1")
    assert result.returncode != 0 and "data/absent.npz" in result.stderr
    assert not (tmp_path / "results").exists()


def test_a_bad_data_file_stops_before_any_job_and_the_good_split_stays(tmp_path, tiny_config):
    """Snakemake deletes a job's outputs before it runs: a bad file must stop the run at planning instead."""
    np.savez(tmp_path / "good.npz", x=np.random.default_rng(0).normal(size=(40, 4)), y=np.repeat([0, 1], 20))
    tiny_config["experiments"]["tiny"]["dataset"] = {"kind": "npz", "path": "good.npz"}
    assert run_snakemake(tmp_path, tiny_config, "--cores", "1", SUMMARY).returncode == 0
    split = (tmp_path / "results" / "tiny" / "data" / "train.npz").read_bytes()
    np.savez(tmp_path / "short.npz", x=np.zeros((30, 4)), y=np.repeat([0, 1], 15)[:29])
    (tmp_path / "truncated.npz").write_bytes((tmp_path / "good.npz").read_bytes()[:300])
    for bad, message in (
        ("short.npz", "short.npz: 30 samples but 29 labels"),
        ("truncated.npz", "truncated.npz: not a readable .npz"),
    ):
        tiny_config["experiments"]["tiny"]["dataset"]["path"] = bad
        result = run_snakemake(tmp_path, tiny_config, "--cores", "1", SUMMARY)
        assert result.returncode != 0 and "DataError" in result.stderr
        assert f"experiments.tiny.dataset: {message}" in result.stderr
        assert (tmp_path / "results" / "tiny" / "data" / "train.npz").read_bytes() == split
    tiny_config["experiments"]["tiny"]["dataset"]["path"] = "good.npz"  # back to the good file: nothing to redo
    assert planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", SUMMARY)) == {}


def test_built_in_data_the_config_cannot_make_stops_before_any_job_and_the_good_split_stays(tmp_path, tiny_config):
    """The built-in pulses' class counts and size follow from the config: known when the workflow is planned."""
    dataset = tiny_config["experiments"]["tiny"]["dataset"]
    assert run_snakemake(tmp_path, tiny_config, "--cores", "1", SUMMARY).returncode == 0
    split = (tmp_path / "results" / "tiny" / "data" / "train.npz").read_bytes()
    for change, message in (
        ({"class_weights": [1, 1, 1, 0.01]}, "DataError in .*\nexperiments.tiny.dataset: pulses: classes {'saturated'"),
        ({"n_per_class": 10**9}, "ConfigError in .*\nexperiments.tiny.dataset: n_per_class: 1,000,000,000 pulses per"),
    ):
        result = run_snakemake(tmp_path, {"experiments": {"tiny": {"dataset": dataset | change}}}, "--cores", "1",
                               SUMMARY)  # fmt: skip
        assert result.returncode != 0 and re.search(message, result.stderr), result.stderr[-2000:]
        assert (tmp_path / "results" / "tiny" / "data" / "train.npz").read_bytes() == split
    assert planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", SUMMARY)) == {}


def test_forced_toolchain_without_the_tool_stops_before_any_job(tmp_path, tiny_config):
    if shutil.which("vitis-run"):
        pytest.skip("vitis-run is installed here")
    tiny_config["toolchain"] = "force"
    result = run_snakemake(tmp_path, tiny_config, "--cores", "1")
    assert result.returncode != 0 and "ToolNotFoundError" in result.stderr
    assert "stage 'hls_synth' needs 'vitis-run', which is not on PATH" in result.stderr
    assert "stage 'vivado_bitstream' needs 'vivado', which is not on PATH" in result.stderr  # every missing tool
    assert not (tmp_path / "results").exists()


def test_a_config_file_yaml_cannot_read_is_named_with_its_line_before_any_job(tmp_path, tiny_config):
    """The embedded default (config/config.yaml, the file a user of a clone edits) and a --configfile with a key given
    twice (Snakemake keeps the last one silently) get a ConfigError with the file and line."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("experiments:\n  a:\n\tdataset: {kind: pulses}\n")
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(tmp_path), "-n"]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and "config/config.yaml:3:1: found character '\\t'" in out, out[-2000:]
    twice = tmp_path / "twice.yaml"
    twice.write_text(yaml.safe_dump(tiny_config) + "experiments: {}\n")
    result = subprocess.run([*cmd, "--configfile", str(twice)], capture_output=True, text=True, cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and f"{twice}:6:1: key 'experiments' appears twice" in out, out[-2000:]


def test_a_configfile_on_the_command_line_replaces_the_default_one(tmp_path):
    """From the repository root, as the README shows: --configfile replaces config/config.yaml (no `pulses` jobs),
    and an experiment named like one there takes the schema defaults, not that file's values."""

    def dry_run(*args):
        # --forceall: every job listed, whether or not an earlier run (`make run` in this checkout) made its files
        cmd = [sys.executable, "-m", "snakemake", "-n", "--forceall", *args]
        result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout + result.stderr

    text = dry_run("--configfile", "config/examples/digits_cnn.yaml")
    files = [line for line in text.splitlines() if line.strip().startswith(("input:", "output:"))]
    assert "results/digits_cnn/data/summary.json" in text and not any("results/pulses/" in line for line in files)
    (tmp_path / "c.yaml").write_text(yaml.safe_dump({"experiments": {"pulses": {"dataset": {"kind": "pulses"}}}}))
    text = dry_run("--configfile", str(tmp_path / "c.yaml"))
    assert "xc7a100tcsg324-1_200mhz_rf1_latency_stream" in text  # the schema's io_stream, not config.yaml's io_parallel
    assert "_latency_parallel" not in text
    assert "results/pulses/data/summary.json" in dry_run()  # no --configfile: the embedded default


def test_lint_is_clean():
    result = subprocess.run([sys.executable, "-m", "snakemake", "--lint"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_snakefmt_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "snakefmt", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


BUDGETED = "xc7a35tcpg236-1_100mhz_rf15-30-60_latency_parallel"  # the default config's budgeted Basys 3 target


def default_run_to(tmp_path_factory, part: str, *targets: str) -> dict:
    """The README's first command, the embedded default config, run in one folder shared by the xdist workers (whose
    path holds a space: every tool's paths quoted) up to `targets` (all when none), once per suite run
    (conftest.built_once, by the name of the `part`): the rest of the run continues from what the part before
    made."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())

    def run(shared):
        folder = shared / "default run" / "a project"
        folder.mkdir(parents=True, exist_ok=True)
        result = run_snakemake(folder, config, "--cores", "2", *targets, timeout=1800)
        assert result.returncode == 0, result.stderr[-3000:]

    folder = built_once(tmp_path_factory, f"default_run.{part}", run) / "default run" / "a project"
    return {"folder": folder, "config": config, "exp": folder / "results" / "pulses"}


@pytest.fixture(scope="session")
def default_teacher(tmp_path_factory):
    """The default run's data and teacher stages (about 1 minute on 2 cores)."""
    return default_run_to(tmp_path_factory, "teacher", "results/pulses/teacher/metrics.json")


@pytest.fixture(scope="session")
def default_training(default_teacher, tmp_path_factory):
    """The default run's student stages after its teacher (about 1 minute on 2 cores)."""
    return default_run_to(
        tmp_path_factory, "student", "results/pulses/student/b8_s20/metrics.json", "results/pulses/student/pareto.png"
    )


# the default config's Basys 3 targets by reuse factor, the budgeted one's (BUDGETED) by the R its search chose
FIXED_R = {1: "xc7a35tcpg236-1_100mhz_rf1_latency_parallel", 10: "xc7a35tcpg236-1_100mhz_rf10_latency_parallel"}


@pytest.fixture(scope="session")
def default_hls(default_training, tmp_path_factory):
    """The default run's hls4ml projects and C simulations after its training (about 1 minute on 2 cores): a part
    of its own, so that no test waits for the whole hardware half of the run."""
    csims = (f"results/pulses/hls/b8_s20/{name}/csim.json" for name in [*FIXED_R.values(), BUDGETED])
    return default_run_to(tmp_path_factory, "hls", *csims)


@pytest.fixture(scope="session")
def default_run(default_hls, tmp_path_factory):
    """The whole default run: its RTL, board and report stages after the C simulations (about 2 minutes on 2
    cores)."""
    run = default_run_to(tmp_path_factory, "all")
    student = json.loads((run["exp"] / "student" / "b8_s20" / "metrics.json").read_text())
    reuse = student["reuse_factors"][BUDGETED]
    return run | {"student": student, "reuse": reuse, "names": FIXED_R | {reuse: BUDGETED}}


def rtl_results(run, name):
    """rtl_sim.json and Yosys's resources of the default run's design of a target, by reuse factor."""
    rtl_dir = run["exp"] / "rtl" / "b8_s20"
    sims = {r: json.loads((rtl_dir / n / "rtl_sim.json").read_text()) for r, n in run["names"].items()}
    yosys = {r: json.loads((rtl_dir / n / "yosys.json").read_text())["resources"] for r, n in run["names"].items()}
    return {"sim": sims, "yosys": yosys}[name]


@pytest.mark.longest(0)
def test_the_default_run_searches_and_trains_its_teacher(default_teacher):
    """tune_teacher and train_teacher on the embedded default config: 3 random trials, 1 guided."""
    exp = default_teacher["exp"]
    trials = (exp / "teacher" / "trials.csv").read_text().splitlines()
    assert len(trials) == 1 + 4 and sum(",guided," in t for t in trials) == 1
    teacher = json.loads((exp / "teacher" / "metrics.json").read_text())
    assert teacher["accuracy"] > 0.85 and teacher["params"] > 1000


@pytest.mark.longest(2)
def test_the_default_run_distils_and_compresses_its_student(default_training):
    """tune_student and train_student on the embedded default config: a QKeras student, pruned and quantized."""
    from socflow.models import load_model

    exp = default_training["exp"]
    student = json.loads((exp / "student" / "b8_s20" / "metrics.json").read_text())
    teacher = json.loads((exp / "teacher" / "metrics.json").read_text())
    assert student["accuracy"] > 0.8 and student["bits"] == 8
    assert abs(student["sparsity"] - 0.2) <= 0.01 and student["compression_ratio"] >= 10
    assert student["compression_ratio"] == pytest.approx(teacher["params"] / student["params"])
    assert (exp / "student" / "pareto.png").read_bytes()[:4] == b"\x89PNG"
    model = load_model(exp / "student" / "b8_s20" / "model.h5")
    assert {"QDense", "QActivation"} <= {type(layer).__name__ for layer in model.layers}
    assert not any("Prune" in type(layer).__name__ for layer in model.layers)


@pytest.mark.longest(3)
def test_the_default_runs_c_simulations_are_bit_exact(default_hls):
    for name in [*FIXED_R.values(), BUDGETED]:
        csim = json.loads((default_hls["exp"] / "hls" / "b8_s20" / name / "csim.json").read_text())
        assert csim["agreement"] == 1.0 and csim["max_diff_lsb"] == 0.0 and csim["n"] == 300, name


@pytest.mark.longest(5)
def test_the_default_runs_rtl_is_bit_exact_with_resources_falling_with_the_reuse_factor(default_run):
    """Basys 3 at R = 1 (da4ml), 10 and the R of 15, 30, 60 the budgeted search chose for this student (folded),
    built with the input type of the two it chose."""
    from socflow.fixed import FixedType

    student, r = default_run["student"], default_run["reuse"]
    assert r in (15, 30, 60) and student["budget"]["reuse_factor"] == r
    built = json.loads((default_run["exp"] / "rtl" / "b8_s20" / BUDGETED / "rtl.json").read_text())
    assert built["reuse_factor"] == r
    assert student["input_precision"] in ("ap_fixed<8,4>", "ap_fixed<16,6>")
    assert FixedType.parse(built["input_type"]) == FixedType.parse(student["input_precision"])
    assert FixedType.parse(student["input_precision"]).width == student["budget"]["input_width"]
    sims, yosys = rtl_results(default_run, "sim"), rtl_results(default_run, "yosys")
    for reuse, rtl in sims.items():
        assert rtl["bit_exact_vs_golden"] == rtl["agreement"] == 1.0 and rtl["n"] == 300
        assert rtl["initiation_interval"] <= reuse and rtl["latency_clocks"] >= 2
    assert sims[1]["architecture"] == "parallel" and sims[r]["architecture"] == "folded"
    assert sims[r]["latency_clocks"] > sims[10]["latency_clocks"] > sims[1]["latency_clocks"]
    assert yosys[1]["DSP"]["used"] == 0 < yosys[r]["DSP"]["used"] < yosys[10]["DSP"]["used"]
    assert yosys[r]["LUT"]["used"] < yosys[1]["LUT"]["used"] and 0 < yosys[1]["LUT"]["percent"] < 100


def test_the_default_runs_board_answers_bit_exactly_through_the_driver_and_the_firmware(default_run):
    exp, names, sims = default_run["exp"], default_run["names"], rtl_results(default_run, "sim")
    for reuse, name in names.items():
        board = json.loads((exp / "board" / "b8_s20" / name / "emulated.json").read_text())
        assert board["agreement"] == board["bit_exact_vs_golden"] == 1.0 and board["board"]["n_test"] == 300
        assert board["board"]["accuracy"] == sims[reuse]["rtl"]["accuracy"]
        assert board["firmware"]["agree"] == board["firmware"]["n"] == 256
    assert "#define SF_N_INPUTS 30" in (exp / "board" / "b8_s20" / names[1] / "protocol.h").read_text()
    vivado = json.loads((exp / "hw" / "b8_s20" / names[10] / "vivado_check.json").read_text())
    assert vivado["board"] == "basys3" and vivado["comblock_vlnv"] == "www.ictp.it:user:comblock:2.0"


def test_the_default_runs_budgeted_search_chooses_a_student_that_fits_as_synthesized(default_run):
    """The search's trials costed at the R each takes; the chosen one fits, checked on Yosys's numbers."""
    exp, r = default_run["exp"], default_run["reuse"]
    search = pd.read_csv(exp / "student" / "b8_s20" / "trials.csv", dtype={"trial_id": str})
    assert {"val_accuracy", "fits", "over_budget", "reuse_factor", "lut", "dsp", "latency_clocks"} <= set(search)
    assert (search["val_kd"] > 0).all() and (search["val_ce"] > 0).all()  # what distillation did in each trial
    assert set(search["reuse_factor"]) <= {15, 30, 60}
    hparams = json.loads((exp / "student" / "b8_s20" / "hparams.json").read_text())
    assert search.set_index("trial_id").loc[hparams["trial_id"], "fits"]
    check = json.loads((exp / "rtl" / "b8_s20" / BUDGETED / "budget.json").read_text())
    assert check["fits"] and check["limits"]["lut"] == pytest.approx(1664)
    lut = rtl_results(default_run, "yosys")[r]["LUT"]["used"]
    assert check["synthesized"]["lut"] == lut <= 1664 and check["synthesized"]["dsp"] <= 15
    assert abs(check["estimate_error"]["lut"]) < 0.15 and check["estimate"]["dsp"] == check["synthesized"]["dsp"]
    assert (exp / "student" / "b8_s20" / "budget.png").read_bytes()[:4] == b"\x89PNG"
    # fit_student synthesized the candidates until one fit; the deployed student is that trial's, as it was scored
    chosen = json.loads((exp / "student" / "b8_s20" / "chosen.json").read_text())
    assert chosen["candidates"][-1]["fits"] and check["candidates"] == chosen["candidates"]
    assert chosen["candidates"][-1]["synthesized"]["lut"] == lut  # rtl_synth's report is fit_student's
    student = default_run["student"]
    assert student["fit"]["trial_id"] == chosen["trial_id"] and student["reuse_factors"] == chosen["reuse_factors"]
    assert student["val_accuracy"] == pytest.approx(chosen["point"]["val_accuracy"], abs=1 / 300)  # one sample


def test_the_default_runs_table1_figures_and_html_report(default_run):
    folder, exp, student, r = default_run["folder"], default_run["exp"], default_run["student"], default_run["reuse"]
    sims, yosys = rtl_results(default_run, "sim"), rtl_results(default_run, "yosys")
    table = pd.read_csv(folder / "results" / "report" / "table1.csv")
    rows = ["hls4ml IP", "da4ml RTL", "hls4ml IP", "folded RTL", "hls4ml IP", "folded RTL"]
    assert list(table["implementation"]) == rows and set(table["P"]) == {student["params"]}
    assert list(table["II [clk]"][1::2]) == [1, sims[10]["initiation_interval"], sims[r]["initiation_interval"]]
    rtl_row = table.iloc[1]
    assert rtl_row["LUT [%]"] == pytest.approx(yosys[1]["LUT"]["percent"], abs=0.01)
    assert rtl_row["L [clk]"] == sims[1]["latency_clocks"] and rtl_row["resources source"].startswith("Yosys estim")
    assert table["budget"].iloc[5].endswith("fits (Yosys)") and table["budget"].iloc[:5].isna().all()
    # each row's accuracy is its implementation's own answers on the test set, the float student's beside it
    assert list(table["OA [%]"][1::2]) == [round(100 * sims[k]["rtl"]["accuracy"], 2) for k in (1, 10, r)]
    assert table["accuracy source"][1::2].str.startswith("emulated board, Algorithm 1, 300 test samples").all()
    assert (table["float OA [%]"] == round(100 * student["accuracy"], 2)).all()
    for figure in ("fig5_latency", "confusion"):
        assert (exp / "figures" / "b8_s20" / f"{figure}.png").read_bytes()[:4] == b"\x89PNG"
    report = run_snakemake(folder, default_run["config"], "--report", str(folder / "report.html"))
    assert report.returncode == 0, report.stderr[-2000:]
    html = (folder / "report.html").read_text()
    sections = ("1 Teacher", "2 Student", "Pareto front", "search trials", "budget", "4 Table I", "Fig. 5", "confusion")
    assert [s for s in sections if s not in html] == []


def test_after_the_default_run_a_restated_config_reruns_nothing_and_an_hls_edit_only_hls(default_run):
    """The same config with its keys in another order, defaults stated and its input types spelled otherwise: nothing
    to rerun; an edit of the hls
    section reruns hls jobs (and the RTL of the renamed target), never data or training."""
    folder, config = default_run["folder"], json.loads(json.dumps(default_run["config"]))
    restated = json.loads(json.dumps(config))
    pulses = restated["experiments"]["pulses"]
    for section in ("teacher", "student"):
        pulses[section]["search"] = dict(reversed(list(pulses[section]["search"].items())), workers=1, seed=7)
        pulses[section] = dict(reversed(list(pulses[section].items())))
    pulses["hls"]["targets"] = [dict(t, strategy="Latency") for t in pulses["hls"]["targets"]]
    pulses["hls"]["input_precision"] = ["ap_fixed<8, 4>", "ap_fixed<16, 6,AP_TRN>"]  # the same types, spelled otherwise
    restated["experiments"]["pulses"] = dict(reversed(list(pulses.items())))
    assert planned_jobs(run_snakemake(folder, restated, "-n")) == {}
    config["experiments"]["pulses"]["hls"]["targets"][0]["reuse_factor"] = 4
    jobs = planned_jobs(run_snakemake(folder, config, "-n"))
    assert {"hls_convert", "hls_csim"} <= set(jobs)
    assert "rtl_generate" in jobs  # the target's name changes with its reuse factor
    assert not {"prepare_data", "tune_teacher", "train_teacher", "tune_student", "train_student"} & set(jobs)


def test_after_the_default_run_a_generator_edit_reruns_the_rtl_and_what_follows_never_the_training(
    default_run, tmp_path, monkeypatch
):
    """Results follow the code: with socflow's folded generator and its template edited (a copy of the package on
    PYTHONPATH), a dry run plans the RTL of every target and the jobs after it, and nothing before it."""
    package = shutil.copytree(
        ROOT / "src" / "socflow", tmp_path / "src" / "socflow", ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "src"))
    folder, config = default_run["folder"], default_run["config"]
    assert planned_jobs(run_snakemake(folder, config, "-n")) == {}  # the copy is the same code
    template = package / "resources" / "rtl" / "folded.v.j2"
    template.write_text(template.read_text() + "\n// revised\n")
    jobs = planned_jobs(run_snakemake(folder, config, "-n"))
    targets = len(config["experiments"]["pulses"]["hls"]["targets"])
    hardware = ("rtl_generate", "rtl_sim", "rtl_synth", "board_protocol", "board_firmware", "board_eval")
    assert jobs == dict.fromkeys(hardware, targets) | {
        "board_package": targets,
        "vivado_project": targets,  # its Tcl dry run: the design around the RTL IP
        "budget_check": 1,
        "plot_fig5": 1,
        "plot_confusion": 1,
        "report": 1,
        "all": 1,
    }


def test_board_ip_picks_the_design_around_the_rtl_or_the_hls_ip(tmp_path, tiny_config):
    """board.ip: the emulated board and the Vivado project take the da4ml RTL or the HLS IP; the HLS IP's
    project needs the IP that hls_synth exports, so it is planned only where the HLS tool is (here: forced)."""
    tiny_config["experiments"]["tiny"]["board"] = {"ip": "hls"}
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))
    assert "board_eval" in jobs and "vivado_project" not in jobs and "rtl_sim" in jobs  # RTL numbers still made
    tiny_config["toolchain"] = "force"
    result = run_snakemake(
        tmp_path,
        tiny_config,
        "-n",
        "-p",
        "results/tiny/hw/b8_s20/xc7a100tcsg324-1_200mhz_rf1_latency_stream/vivado_check.json",
    )
    jobs = planned_jobs(result)
    assert jobs["hls_synth"] == jobs["vivado_project"] == 1 and "rtl_generate" not in jobs
    tiny_config["experiments"]["tiny"]["rtl"] = {"enabled": False}
    tiny_config["experiments"]["tiny"]["board"] = {"ip": "rtl"}
    result = run_snakemake(tmp_path, tiny_config, "-n")
    assert result.returncode != 0
    assert "experiments.tiny.board.ip: rtl needs the RTL path (rtl.enabled: true)" in result.stdout + result.stderr


def test_forced_toolchain_puts_vendor_stages_in_the_default_target(tmp_path, tiny_config):
    tiny_config["toolchain"] = "force"
    assert "hls_synth" in planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))
    tiny_config["toolchain"] = "off"
    assert "hls_synth" not in planned_jobs(run_snakemake(tmp_path, tiny_config, "-n"))


@pytest.mark.longest(1)
def test_cnn_path_on_digits_runs_to_a_bit_exact_c_simulation_conv_rtl_and_board(tmp_path):
    """The 2D path: CNN teacher, QConv2D student searched within a LUT budget (its adder-graph design, R = 1, would
    take about 3,600 LUT), taking the fastest folded reuse factor of the list that fits; hls4ml io_stream
    project and its C simulation; the folded conv RTL bit-exact in Verilator, Yosys within the budget, the emulated
    board around it, the Vivado project and the package (tiny searches)."""
    search = {"trials": 1, "epochs": 2, "patience": 0}
    config = {
        "experiments": {
            "digits": {
                "dataset": {"kind": "digits"},
                "teacher": {"model": "cnn", "layers": 2, "units": [8, 8], "search": search},
                "student": {
                    "model": "cnn",
                    "layers": 2,
                    "units": [4, 4],
                    "temperature": 2.0,
                    "search": search,
                    "variants": [{"bits": 8, "sparsity": 0.5}],
                },
                "hls": {
                    "targets": [
                        {
                            "name": "zcu102",
                            "part": "xczu9eg-ffvb1156-2-e",
                            "io_type": "io_stream",
                            "strategy": "Resource",
                            "reuse_factor": [4, 16],
                            "budget": {"lut": 2600},
                        }
                    ]
                },
            }
        }
    }
    result = run_snakemake(tmp_path, config, "--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    exp = tmp_path / "results" / "digits"
    student = json.loads((exp / "student" / "b8_s50" / "metrics.json").read_text())
    assert student["n_layers"] == 3 and abs(student["sparsity"] - 0.5) <= 0.01
    csim = json.loads((exp / "hls" / "b8_s50" / "zcu102" / "csim.json").read_text())
    assert csim["agreement"] == 1.0 and csim["max_diff_lsb"] == 0.0 and csim["n"] == 270
    where = exp / "rtl" / "b8_s50" / "zcu102"
    rtl, summary = (json.loads((where / name).read_text()) for name in ("rtl_sim.json", "rtl.json"))
    assert student["reuse_factors"]["zcu102"] == summary["reuse_factor"] in (4, 16)
    assert rtl["architecture"] == "folded_conv" and rtl["bit_exact_vs_golden"] == rtl["agreement"] == 1.0
    assert rtl["n"] == 270 and rtl["initiation_interval"] == summary["initiation_interval"] > 100  # R = 1: 100
    yosys = json.loads((where / "yosys.json").read_text())["resources"]
    # the frame buffers are LUT-RAM, each multiplier of the folded kernels a DSP48, within the budget by Yosys
    assert yosys["LUTRAM"]["used"] > 0 and yosys["DSP"]["used"] == summary["multipliers"] > 0
    budget = json.loads((where / "budget.json").read_text())
    assert budget["fits"] and budget["synthesized"]["lut"] == yosys["LUT"]["used"] <= 2600
    board = json.loads((exp / "board" / "b8_s50" / "zcu102" / "emulated.json").read_text())
    assert "folded conv design" in board["ip_model"] and board["protocol"]["n_inputs"] == 64
    assert board["agreement"] == board["bit_exact_vs_golden"] == 1.0 and board["firmware"]["agree"] == 256
    assert (exp / "deploy" / "b8_s50" / "zcu102.zip").is_file()
    table = (tmp_path / "results" / "report" / "table1.md").read_text()
    assert "folded conv RTL" in table


@pytest.mark.longest(4)
def test_a_transfer_learning_teacher_distils_its_student_family_to_a_bit_exact_c_simulation_and_board(tmp_path):
    """Table I row 4 on a tiny generated image folder: a MobileNetV2-headed teacher (weights: none), frozen for one
    epoch and then fine-tuned, distils a MobileNet-like (QDepthwiseConv2D + pointwise QConv2D) student through
    hls4ml to a bit-exact C simulation and to the emulated board around the HLS IP (tiny budgets; the RTL path is
    off here, test_rtl_conv covers this family's conv RTL). Row 3's VGG16 teacher and VGG-like student are
    covered without a workflow run (test_train_teacher builds the teacher, test_hls_csim and test_rtl_conv
    simulate the student family): the workflow's stages are the same for both."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for label in range(3):
        folder = tmp_path / "images" / f"class_{label}"
        folder.mkdir(parents=True)
        for i in range(20):
            pixels = rng.integers(0, 60, (8, 8)) + 180 * (np.arange(8)[:, None] // 3 == label)
            Image.fromarray(pixels.astype(np.uint8), mode="L").save(folder / f"{i}.png")
    search = {"trials": 1, "epochs": 2, "patience": 0}
    config = {
        "experiments": {
            "pest": {
                "dataset": {"kind": "images", "path": str(tmp_path / "images")},
                "teacher": {"model": "mobilenetv2", "weights": "none", "freeze_epochs": 1, "units": [8, 16],
                            "search": search},
                "student": {"model": "mobilenet", "layers": 1, "units": [2, 4], "search": search,
                            "variants": [{"bits": 8, "sparsity": 0.5}]},
                "hls": {"targets": [{"name": "zcu102", "part": "xczu9eg-ffvb1156-2-e", "io_type": "io_stream"}]},
                "rtl": {"enabled": False},
            }
        }
    }  # fmt: skip
    # the path, without the reports; the board: the HLS IP of a conv student behind socflow_axis
    files = ["hls/b8_s50/zcu102/csim.json", "board/b8_s50/zcu102/emulated.json"]
    result = run_snakemake(tmp_path, config, "--cores", "2", *(f"results/pest/{f}" for f in files))
    assert result.returncode == 0, result.stderr[-3000:]
    exp = tmp_path / "results" / "pest"
    teacher_metrics = json.loads((exp / "teacher" / "metrics.json").read_text())
    student_metrics = json.loads((exp / "student" / "b8_s50" / "metrics.json").read_text())
    assert teacher_metrics["params"] > 2_000_000 and student_metrics["compression_ratio"] > 1000
    csim = json.loads((exp / "hls" / "b8_s50" / "zcu102" / "csim.json").read_text())
    assert csim["agreement"] == 1.0 and csim["max_diff_lsb"] == 0.0 and csim["n"] == 9
    result = json.loads((exp / "board" / "b8_s50" / "zcu102" / "emulated.json").read_text())
    assert result["agreement"] == result["bit_exact_vs_golden"] == 1.0 and result["ip_model"].startswith("HLS IP")


def test_a_pareto_search_writes_its_front_and_a_new_selection_trains_nothing(tmp_path, tiny_config):
    tiny = tiny_config["experiments"]["tiny"]
    tiny["teacher"] = {"search": {"trials": 1, "epochs": 2}}
    tiny["student"] = {"units": [4, 12], "search": {"trials": 3, "initial_points": 2, "epochs": 3,
                                                    "objective": "pareto"}}  # fmt: skip
    tiny["hls"] = {"targets": [{"part": "xc7a35tcpg236-1", "clock_period": 10.0, "reuse_factor": [1, 10]}],
                   "input_precision": ["ap_fixed<8,3>", "ap_fixed<16,6>"]}  # fmt: skip
    student = tmp_path / "results" / "tiny" / "student" / "b8_s20"
    files = [f"results/tiny/student/b8_s20/{f}" for f in ("metrics.json", "front.png")]
    result = run_snakemake(tmp_path, tiny_config, "--cores", "2", *files)
    assert result.returncode == 0, result.stderr[-3000:]
    front = pd.read_csv(student / "front.csv")
    selected, metrics = (json.loads((student / f).read_text()) for f in ("selected.json", "metrics.json"))
    assert front["on_front"].any() and set(front["reuse_factor"]) <= {1, 10} and set(front["input_width"]) <= {8, 16}
    assert metrics["pareto"]["trial_id"] == selected["trial_id"] and metrics["hyperparameters"]["units_0"] in range(
        4, 13
    )
    assert metrics["reuse_factors"] == selected["reuse_factors"] and metrics["input_precision"].startswith("ap_fixed")
    assert pd.read_csv(student / "trials.csv")["status"].tolist() == ["COMPLETE"] * 3
    # another selection rule: the front is taken again, the student deployed again; nothing is searched or trained
    tiny["student"]["select"] = {"rule": "smallest_within", "points": 50.0}
    jobs = planned_jobs(run_snakemake(tmp_path, tiny_config, "-n", *files))
    assert set(jobs) == {"select_student", "train_student"}

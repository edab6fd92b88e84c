"""Shared fixtures, built once per test session, and the helpers that call the stages as their rules do: the
repository root, a valid minimal experiment, a helper to run Snakemake, a small pulse dataset, a trained QKeras
student (model, saved with a test set), its da4ml RTL and the emulated board around it, its hls4ml project;
convolutional students of the workflow's families."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from socflow._keras import keras  # Keras 2 first: test modules import keras_tuner and qkeras directly

import keras_tuner as kt
import numpy as np
import pytest
import yaml

from socflow.board.firmware import board_firmware
from socflow.board.rtl_fabric import build
from socflow.data import prepare_data
from socflow.fixed import FixedType
from socflow.hls.convert import hls_convert
from socflow.hls.csim import hls_csim
from socflow.io import read_xy, save_npz, write_json
from socflow.models import load_model
from socflow.rtl.generate import rtl_generate
from socflow.rtl.quantized import golden_predict
from socflow.train.compression import PruningPlan, student_model

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, in the order of their mark's rank (longest(rank)): collected last (test_workflow.py),
    they would start when the other worker has run out of tests, and the suite would wait for them alone. With
    --maxschedchunk 1 (pyproject) xdist hands each worker one test at a time, so they go out in this order to
    whichever worker is free: the default run's teacher, the digits CNN run, the default run's student and C
    simulations, the MobileNet run, the default run's hardware stages (each part of the default run after the one
    before it, which the other worker is then done with or near), the Slurm run, then the rest."""

    def rank(item: pytest.Item) -> tuple[int, int]:
        mark = item.get_closest_marker("longest")
        return (1, 0) if mark is None else (0, mark.args[0] if mark.args else 9)

    items.sort(key=rank)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def tiny_config() -> dict[str, Any]:
    """A config with one small pulse experiment (schema defaults not yet filled)."""
    return {"experiments": {"tiny": {"dataset": {"kind": "pulses", "n_per_class": 40}}}}


def run_snakemake(
    workdir: Path, config: dict[str, Any], *args: str, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run this repository's workflow in ``workdir`` with ``config`` written to workdir/config.yaml."""
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir)]
    cmd += ["--configfile", str(workdir / "config.yaml"), *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, timeout=timeout)


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]) -> Path:
    """The suite run's folder shared by the xdist workers, where `build(folder)` has run once however many workers
    ask for `name`: under a file lock the first worker to need it builds, a later one finds it done (pytest-xdist's
    recipe for a session fixture run once). A session fixture alone runs once per worker: a minutes-long workflow
    run or synthesis would be done twice on 2 cores."""
    from filelock import FileLock

    # the workers' basetemps are popen-gw<n> in the session's folder; without xdist the basetemp is the session's
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    with FileLock(shared / f"{name}.lock"):
        if not (shared / f"{name}.done").exists():
            build(shared)
            (shared / f"{name}.done").touch()
    return shared


STUDENT = {"model": "mlp", "layers": 1, "units": [16, 16], "activation_integer_bits": 2}
RTL_TARGET = {"part": "xc7z020clg400-1", "clock_period": 5.0}
RTL = {"latency_cutoff": None, "sim_min_agreement": 1.0}
INPUT_ACCURACY = {"input_max_accuracy_loss": 0.03, "input_accuracy_check": "fail"}  # the schema's defaults
INPUT = "ap_fixed<16,6>"
TEACHER = {
    "model": "mlp",
    "layers": 2,
    "units": [8, 32],
    "learning_rates": [0.01, 0.001],
    "pretrained": None,
    "fine_tune_epochs": 0,
    "search": {"trials": 2, "initial_points": 1, "epochs": 2, "patience": 0, "batch_size": 32, "seed": 3},
}


@pytest.fixture(scope="session")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    paths = {p: str(folder / f"{p}.npz") for p in ("train", "val", "test")}
    paths |= {"scaler": str(folder / "scaler.json"), "summary": str(folder / "summary.json")}
    dataset = {"kind": "pulses", "n_per_class": 60, "seed": 1, "class_weights": [1, 1, 1, 1], "noise_sigma": 3.0}
    split = {"train": 0.7, "val": 0.15, "test": 0.15, "seed": 1}
    normalize = {"method": "standard", "per_feature": False}
    prepare_data(inputs={}, params={"dataset": dataset, "split": split, "normalize": normalize}, outputs=paths)
    return paths


def hp_fixed(**values):
    hp = kt.HyperParameters()
    for name, value in values.items():
        hp.Fixed(name, value)
    return hp


@pytest.fixture(scope="session")
def trained():
    """A 30-16-4 student pruned to 50 % and quantized to 6 bits (1 integer bit), trained briefly."""
    import tensorflow_model_optimization as tfmot

    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(512, 30)).astype(np.float32)
    y = (x[:, :4].argmax(axis=1)).astype(np.int64)
    variant = {"bits": 6, "integer_bits": 1, "sparsity": 0.5}
    plan = PruningPlan.for_training(0.5, len(x), 64, epochs=4)
    model = student_model(hp_fixed(units_0=16), STUDENT, variant, [30], 4, plan)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=4, batch_size=64, callbacks=[tfmot.sparsity.keras.UpdatePruningStep()], verbose=0)
    return tfmot.sparsity.keras.strip_pruning(model), variant, x


@pytest.fixture(scope="session")
def student(tmp_path_factory, request):
    """The trained 30-16-4 QKeras student, saved, with a test set labelled by its own answers: trained once per
    suite run (built_once), so that every worker builds the same designs and can share what is built from them."""

    def save(shared: Path) -> None:
        model, _, x = request.getfixturevalue("trained")
        folder = shared / "student"
        folder.mkdir()
        model.save(folder / "model.h5", save_format="h5", include_optimizer=False)
        y = model.predict(x, verbose=0).argmax(1)
        save_npz(folder / "test.npz", {"x": x[:200], "y": y[:200]})
        write_json(folder / "summary.json", {"class_names": ["a", "b", "c", "d"], "input_shape": [30]})

    return built_once(tmp_path_factory, "student", save) / "student"


def knowing_teacher(data: dict[str, str], folder: Path) -> dict[str, str]:
    """train_hgq_student's inputs with a teacher of 1,000 parameters that knows the answer: its stored logits favour
    the label by 4."""
    logits = {p: 4.0 * np.eye(4, dtype="float32")[read_xy(data[p])[1]] for p in ("train", "val", "test")}
    save_npz(folder / "logits.npz", logits)
    write_json(folder / "teacher.json", {"params": 1000})
    return data | {"logits": str(folder / "logits.npz"), "teacher_metrics": str(folder / "teacher.json")}


@pytest.fixture(scope="session")
def hgq_student(tmp_path_factory, data):
    """A 30-8-4 HGQ2 student (model.keras) trained briefly by train_hgq_student from a teacher that knows the answer,
    with the data's test set and summary beside it, and its metrics.json."""
    from socflow.config import validate_config
    from socflow.hgq.student import train_hgq_student

    folder = tmp_path_factory.mktemp("hgq_student")
    student = validate_config({"experiments": {"h": {"dataset": {"kind": "pulses"}}}})["experiments"]["h"]["student"]
    student |= {"layers": 1, "units": [8, 8], "search": student["search"] | {"epochs": 6, "patience": 6}}
    params = {"student": student, "variant": {"bits": 8, "integer_bits": 0, "sparsity": 0.2}, "input_precision": INPUT}
    outputs = {"model": str(folder / "model.keras"), "metrics": str(folder / "metrics.json")}
    train_hgq_student(inputs=knowing_teacher(data, folder), params=params, outputs=outputs, threads=2)
    for name in ("test", "summary"):
        shutil.copy(data[name], folder / Path(data[name]).name)
    return folder


def student_files(student: Path, model: str = "model.h5") -> dict[str, str]:
    """A saved student folder (the `student` fixture's) as the inputs of a stage after training."""
    return {"model": str(student / model), "test": str(student / "test.npz"), "summary": str(student / "summary.json")}


def generate(
    student: Path, folder: Path, target: dict[str, Any] = RTL_TARGET, input_precision: str = INPUT
) -> dict[str, Any]:
    """rtl_generate of the student for `target`, into folder/verilog and folder/rtl.json."""
    outputs = {"verilog": str(folder / "verilog"), "summary": str(folder / "rtl.json")}
    params = {"target": target, "input_precision": input_precision, "rtl": RTL}
    return rtl_generate(inputs=student_files(student), params=params, outputs=outputs)


def simulate(
    student: Path, folder: Path, target: dict[str, Any] = RTL_TARGET, input_precision: str = INPUT
) -> dict[str, Any]:
    """rtl_sim of folder/verilog (generate's) on the student's test set, into folder/rtl_sim.json."""
    from socflow.rtl.sim import rtl_sim

    inputs = student_files(student) | {"verilog": str(folder / "verilog")}
    params = {"target": target, "input_precision": input_precision, "rtl": RTL, "input_accuracy": INPUT_ACCURACY}
    return rtl_sim(inputs=inputs, params=params, outputs={"sim": str(folder / "rtl_sim.json")}, threads=2)


def synthesize(folder: Path, part: str = RTL_TARGET["part"]) -> dict[str, Any]:
    """rtl_synth of folder/verilog (generate's), into folder/yosys.json and folder/yosys.log."""
    from socflow.rtl.synth import rtl_synth

    outputs = {"report": str(folder / "yosys.json"), "yosys": str(folder / "yosys.log")}
    return rtl_synth(inputs={"verilog": str(folder / "verilog")}, params={"part": part}, outputs=outputs)


def protocol_of(ip_json: Path, student: Path, folder: Path, board: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """board_protocol of an rtl.json or csim.json, into folder/protocol.json and folder/protocol.h: the protocol
    and those two paths."""
    from socflow.board.protocol import board_protocol

    paths = {"json": str(folder / "protocol.json"), "header": str(folder / "protocol.h")}
    inputs = {"ip_json": str(ip_json), "summary": str(student / "summary.json")}
    return board_protocol(inputs=inputs, params={"board": board}, outputs=paths), paths


@pytest.fixture(scope="session")
def rtl_project(student, tmp_path_factory):
    out = tmp_path_factory.mktemp("rtl")
    return out, generate(student, out)


HLS = {"backend": "Vitis", "default_precision": "ap_fixed<16,6>", "input_precision": "ap_fixed<16,6>"}
HLS_TARGET = {
    "part": "xc7z020clg400-1",
    "clock_period": 10.0,
    "reuse_factor": 1,
    "strategy": "Latency",
    "io_type": "io_parallel",
}


def convert(student, tmp_path, target=HLS_TARGET, model="model.h5"):
    out = {"project": str(tmp_path / "project"), "config": str(tmp_path / "hls_config.yml")}
    hls_convert(inputs={"model": str(student / model)}, params={"hls": HLS, "target": target}, outputs=out)
    return out


def csim(student, out, tmp_path, min_agreement=1.0, model="model.h5"):
    files = {name: str(student / name) for name in (model, "test.npz", "summary.json")}
    return hls_csim(
        inputs={name.split(".")[0]: path for name, path in files.items()} | out,
        params={"min_agreement": min_agreement, "input_accuracy": INPUT_ACCURACY},
        outputs={"csim": str(tmp_path / "csim.json")},
    )


def tie_model() -> keras.Model:
    """4-8-3 QKeras MLP whose pre-activations are on a 2^-6 grid, half a ReLU LSB (2^-5): with inputs on a
    2^-1 grid and weights on a 2^-5 grid, every odd multiple of 2^-6 in the ReLU range is an exact tie."""
    from qkeras import QActivation, QDense, quantized_bits, quantized_relu

    q = {"kernel_quantizer": quantized_bits(6, 0, alpha=1), "bias_quantizer": quantized_bits(6, 0, alpha=1)}
    inputs = keras.Input((4,))
    x = QActivation(quantized_relu(8, 3), name="relu")(QDense(8, name="hidden", **q)(inputs))
    model = keras.Model(inputs, QDense(3, name="logits", **q)(x))
    rng = np.random.default_rng(0)
    model.set_weights([rng.integers(-32, 32, w.shape) / 32 for w in model.get_weights()])
    return model


BOARD = {"send_scores": True, "fifo_depth": 1024, "min_agreement": 1.0}


@pytest.fixture(scope="session")
def board_setup(student, rtl_project, tmp_path_factory):
    """The student's RTL behind socflow_stream, Verilated once per suite run (built_once): its protocol, the test
    words, the golden model's and QKeras's answers."""
    out, _ = rtl_project
    folder = tmp_path_factory.mktemp("board")
    protocol, paths = protocol_of(out / "rtl.json", student, folder, BOARD)
    verilated = built_once(
        tmp_path_factory, "board", lambda shared: build(out / "verilog", protocol, shared / "board", jobs=2)
    )
    in_type = FixedType.parse(INPUT)
    x, _ = read_xy(student / "test.npz")
    xq = in_type.quantize(x)
    model = load_model(student / "model.h5")
    reference = np.asarray(model.predict(xq.astype(np.float32), verbose=0), dtype=np.float64)
    return {
        "out": out,
        "protocol": protocol,
        "paths": paths,
        "words": protocol.encode(xq),
        "golden": golden_predict(model, xq, in_type),
        "reference": reference,
        "library": verilated / "board" / "libsocflow_sim.so",
    }


def firmware_of(student, protocol_json, ip, folder, samples):
    """board_firmware of the student behind the IP files `ip`, into `folder`."""
    inputs = student_files(student) | ip | {"protocol": protocol_json}
    params = {"samples": samples, "input_precision": INPUT}
    return board_firmware(inputs=inputs, params=params, outputs={"firmware": str(folder)})


BASYS3 = {
    "part": "xc7a35tcpg236-1",
    "clock_period": 10.0,
    "reuse_factor": 10,
    "io_type": "io_parallel",
    "strategy": "Latency",
}  # the paper's smallest board, at R = 10
RESERVE = {"lut": 3000, "ff": 4000, "dsp": 0, "bram_18k": 18}  # the schema's default reserve


def budgeted(**budget: Any) -> dict[str, Any]:
    """BASYS3 with a budget of these limits and the default reserve."""
    return BASYS3 | {"budget": {"reserve": RESERVE} | budget}


CONV_VARIANT = {"bits": 8, "integer_bits": 0, "sparsity": 0.0}
# (student.model, input shape, hyperparameters): a 1D CNN on 30-sample signals (kernels 5 and 3), a 2D CNN on
# 8x8 images, a MobileNet-like student (stem conv, depthwise 3x3 + pointwise 1x1) and a VGG-like one (two
# stacked 3x3 convolutions before the pool)
CONV_STUDENTS = {
    "cnn_1d": ("cnn", [30], {"conv_0": 4, "kernel_0": 5, "conv_1": 3, "kernel_1": 3}),
    "cnn_2d": ("cnn", [8, 8, 1], {"conv_0": 4, "conv_1": 3}),
    "mobilenet": ("mobilenet", [8, 8, 1], {"conv_0": 3, "conv_1": 4}),
    "vgg": ("vgg", [8, 8, 1], {"conv_0": 3}),
}


def conv_student(folder: Path, name: str, n: int = 60) -> Path:
    """A student of the workflow's family, random weights (a third of them pruned to 0), a random test set
    labelled by its own answers, saved as a trained student is."""
    model_kind, shape, hp = CONV_STUDENTS[name]
    cfg = dict(STUDENT, model=model_kind, layers=2, units=[3, 4])
    model = student_model(hp_fixed(**hp), cfg, CONV_VARIANT, shape, 3, None)
    rng = np.random.default_rng(7)
    model.set_weights([rng.normal(0, 0.4, w.shape) * (rng.random(w.shape) > 0.3) for w in model.get_weights()])
    x = rng.normal(0, 1, (n, *shape)).astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    model.save(folder / "model.h5", save_format="h5", include_optimizer=False)
    save_npz(folder / "test.npz", {"x": x, "y": model.predict(x, verbose=0).argmax(1)})
    write_json(folder / "summary.json", {"class_names": ["a", "b", "c"], "input_shape": shape})
    return folder

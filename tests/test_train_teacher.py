"""Stage 1: the pretrained-teacher checks, the hypermodels, and the resumable BO search with its trial log."""

from __future__ import annotations

from socflow._keras import keras

import numpy as np
import pandas as pd
import pytest

from conftest import TEACHER
from socflow.errors import ConfigError, DataError
from socflow.io import read_json
from socflow.train.bayes import bayesian_search
from socflow.train.hypermodels import teacher_builder
from socflow.train.teacher import import_teacher


def saved_model(path, n_in, n_out, softmax=True):
    model = keras.Sequential(
        [
            keras.Input((n_in,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(n_out, activation="softmax" if softmax else None),
        ]
    )
    model.save(path, save_format="h5")
    return str(path)


def imported(data, pretrained, folder, **teacher):
    """import_teacher of the .h5 `pretrained`, into folder."""
    outputs = {"model": str(folder / "m.h5"), "metrics": str(folder / "metrics.json"), "curves": str(folder / "c.png")}
    params = {"teacher": TEACHER | teacher}
    return import_teacher(inputs=data | {"pretrained": pretrained}, params=params, outputs=outputs)


def test_pretrained_teacher_with_wrong_input_shape_is_named(tmp_path, data):
    path = saved_model(tmp_path / "t.h5", 20, 4)
    with pytest.raises(
        ConfigError, match=r"teacher\.pretrained .*t\.h5: model input shape \(20,\) does not match the data's \(30,\)"
    ):
        imported(data, path, tmp_path)
    assert not (tmp_path / "m.h5").exists()


def test_pretrained_teacher_with_wrong_class_count_is_named(tmp_path, data):
    path = saved_model(tmp_path / "t.h5", 30, 3)
    with pytest.raises(ConfigError, match="model has 3 outputs but the data have 4 classes"):
        imported(data, path, tmp_path)


def test_pretrained_teacher_that_is_not_a_model_is_named(tmp_path, data):
    (tmp_path / "t.h5").write_text("not hdf5")
    with pytest.raises(DataError, match=r"t\.h5: not a loadable Keras \.h5 model"):
        imported(data, str(tmp_path / "t.h5"), tmp_path)
    with pytest.raises(DataError, match=r"absent\.h5: model file not found"):
        imported(data, str(tmp_path / "absent.h5"), tmp_path)


def test_pretrained_softmax_teacher_is_evaluated_and_fine_tuned(tmp_path, data):
    path = saved_model(tmp_path / "t.h5", 30, 4)
    metrics = imported(data, path, tmp_path, fine_tune_epochs=2)
    assert metrics["params"] == 30 * 8 + 8 + 8 * 4 + 4 and len(metrics["history"]["loss"]) == 2
    assert 0 <= metrics["accuracy"] <= 1 and np.array(metrics["confusion_matrix"]).sum() == metrics["n_test"]
    assert read_json(tmp_path / "metrics.json")["source"].startswith("pretrained")


def test_user_hypermodel_is_loaded_from_module_function(tmp_path, monkeypatch):
    (tmp_path / "my_models.py").write_text(
        "from socflow._keras import keras\n"
        "def tiny(hp, input_shape, n_classes):\n"
        "    return keras.Sequential([keras.Input(input_shape), keras.layers.Dense(hp.Int('w', 2, 4)),\n"
        "                             keras.layers.Dense(n_classes)])\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import keras_tuner as kt

    model = teacher_builder(dict(TEACHER, model="my_models:tiny"), [30], 4)(kt.HyperParameters())
    assert model.output_shape == (None, 4) and model.optimizer is not None


def test_a_user_hypermodel_in_the_folder_snakemake_runs_in_is_found_and_a_bad_one_named(tmp_path, monkeypatch):
    """A module of the working directory imports without PYTHONPATH (it was "No module named ...")."""
    import keras_tuner as kt

    (tmp_path / "here_models.py").write_text(
        "from socflow._keras import keras\n"
        "def tiny(hp, input_shape, n_classes):\n"
        "    return keras.Sequential([keras.Input(input_shape), keras.layers.Dense(n_classes)])\n"
        "def text(hp, input_shape, n_classes):\n"
        "    return 'a model'\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if p not in ("", str(tmp_path))])
    assert teacher_builder(dict(TEACHER, model="here_models:tiny"), [30], 4)(kt.HyperParameters()).output_shape == (
        None,
        4,
    )
    # it returned a str: AttributeError: 'str' object has no attribute 'input_shape'
    with pytest.raises(ConfigError, match=r"hypermodel 'here_models:text' returned a str, not a Keras model"):
        teacher_builder(dict(TEACHER, model="here_models:text"), [30], 4)(kt.HyperParameters())
    with pytest.raises(
        ConfigError, match=r"here_models:nothing': module here_models \(.*here_models.py\) has no funct"
    ):
        teacher_builder(dict(TEACHER, model="here_models:nothing"), [30], 4)
    with pytest.raises(
        ConfigError, match=r"cannot import module 'nowhere' of hypermodel 'nowhere:fn' \(ModuleNotFound"
    ):
        teacher_builder(dict(TEACHER, model="nowhere:fn"), [30], 4)


def test_cnn_teacher_convolves_signals_in_1d_and_images_in_2d():
    import keras_tuner as kt

    cnn = dict(TEACHER, model="cnn", units=[4, 8])
    signal = teacher_builder(cnn, [30], 4)(kt.HyperParameters())
    kinds = [type(layer).__name__ for layer in signal.layers]
    assert kinds.count("Conv1D") == 2 and "Reshape" in kinds and signal.output_shape == (None, 4)
    channels = teacher_builder(cnn, [30, 2], 4)(kt.HyperParameters())
    assert "Reshape" not in [type(layer).__name__ for layer in channels.layers]
    image = teacher_builder(cnn, [8, 8, 1], 10)(kt.HyperParameters())
    assert [type(layer).__name__ for layer in image.layers].count("Conv2D") == 2
    with pytest.raises(ConfigError, match=r"model 'cnn' needs a signal \(samples\[, channels\]\) or an image"):
        teacher_builder(cnn, [2, 2, 2, 2], 4)(kt.HyperParameters())


def test_search_resumes_and_marks_random_and_guided_trials(tmp_path, data):
    from socflow.io import read_xy

    built = []
    build = teacher_builder(TEACHER, [30], 4)

    def counting(hp):
        built.append(1)
        return build(hp)

    train, val = read_xy(data["train"]), read_xy(data["val"])
    state = tmp_path / "tuning" / "k"
    best, table = bayesian_search(counting, train, val, TEACHER["search"], state)
    first = len(built)
    assert len(table) == 2 and (table["status"] == "COMPLETED").all()
    more = dict(TEACHER["search"], trials=3)
    best, table = bayesian_search(counting, train, val, more, state)
    assert len(table) == 3
    assert len(built) - first <= 2  # one new trial (plus keras-tuner's initial build), not three
    assert table["proposed_by"].tolist() == ["random", "guided", "guided"]
    assert best["score"] == pytest.approx(table["val_accuracy"].max())
    assert isinstance(table, pd.DataFrame) and {"units_0", "units_1", "learning_rate"} <= set(table.columns)


# A one-worker search in its own process; with "kill_in_trial" set it kills itself (SIGKILL, as a node loss or
# `kill -9` would) after the first epoch of that trial.
SEARCH_PROCESS = """
import json, os, signal, sys
from socflow._keras import keras, set_threads
from socflow.train.hypermodels import teacher_builder
from socflow.io import read_xy
from socflow.train.bayes import bayesian_search

args = json.loads(sys.argv[1])
set_threads(1)
trainings = [0]

class Kill(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        trainings[0] += 1

    def on_epoch_end(self, epoch, logs=None):
        if trainings[0] == args["kill_in_trial"]:
            os.kill(os.getpid(), signal.SIGKILL)

build = teacher_builder(args["teacher"], [30], 4)
_, table = bayesian_search(build, read_xy(args["data"]["train"]), read_xy(args["data"]["val"]), args["search"],
                           args["state"], callbacks=lambda: [Kill()])
table.to_csv(args["out"], index=False)
"""


def run_search(tmp_path, data, state, kill_in_trial=0):
    import json
    import subprocess
    import sys

    args = {
        "teacher": TEACHER,
        "search": dict(TEACHER["search"], trials=4, initial_points=2),
        "data": data,
        "state": str(tmp_path / state),
        "out": str(tmp_path / f"{state}.csv"),
        "kill_in_trial": kill_in_trial,
    }
    result = subprocess.run(
        [sys.executable, "-c", SEARCH_PROCESS, json.dumps(args)], capture_output=True, text=True, timeout=600
    )
    return result, tmp_path / f"{state}.csv"


@pytest.mark.slow
def test_a_killed_and_resumed_search_gives_the_trials_of_an_uninterrupted_one(tmp_path, data):
    result, whole = run_search(tmp_path, data, "whole")
    assert result.returncode == 0, result.stderr[-3000:]
    result, resumed = run_search(tmp_path, data, "resumed", kill_in_trial=3)
    assert result.returncode == -9 and not resumed.exists()  # killed in trial 3, after two completed trials
    result, resumed = run_search(tmp_path, data, "resumed")
    assert result.returncode == 0, result.stderr[-3000:]
    a, b = pd.read_csv(whole), pd.read_csv(resumed)
    assert len(a) == 4 and (a["status"] == "COMPLETED").all()
    pd.testing.assert_frame_equal(a, b)  # same values, same scores, trial by trial


def application(model):
    return dict(TEACHER, model=model, units=[8, 16], weights="none", freeze_epochs=0, fine_tune_learning_rate=1e-4)


@pytest.mark.slow
def test_a_transfer_learning_teacher_is_frozen_then_fine_tuned():
    """A MobileNetV2-headed teacher (weights: none) on grey 8x8 images: repeated to 3 channels, resized to the
    backbone's 32x32; with freeze_epochs 1 the backbone does not move in the first epoch, then it is fine-tuned."""
    import keras_tuner as kt

    from socflow.train.hypermodels import teacher_callbacks

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x, y = rng.random((48, 8, 8, 1)).astype(np.float32), np.arange(48) % 3
    cfg = application("mobilenetv2") | {"freeze_epochs": 1}
    model = teacher_builder(cfg, [8, 8, 1], 3)(kt.HyperParameters())
    backbone = model.get_layer("backbone")
    weights = [[w.copy() for w in backbone.get_weights()]]  # before training, then after each epoch
    after_epoch = keras.callbacks.LambdaCallback(on_epoch_end=lambda *_: weights.append(backbone.get_weights()))
    model.fit(x, y, epochs=2, batch_size=16, callbacks=[*teacher_callbacks(cfg), after_epoch], verbose=0)
    moved = [max(float(np.abs(a - b).max()) for a, b in zip(*pair)) for pair in zip(weights, weights[1:])]
    assert {"rgb", "resize", "backbone", "dense", "logits"} <= {layer.name for layer in model.layers}
    assert moved[0] == 0.0 and moved[1] > 0.0 and model.output_shape == (None, 3)
    vgg = teacher_builder(application("vgg16"), [40, 40, 3], 5)(kt.HyperParameters())
    assert vgg.get_layer("backbone").count_params() == 14_714_688 and "rgb" not in [lay.name for lay in vgg.layers]


@pytest.mark.parametrize(
    ("teacher", "kind", "message"),
    [
        ({"model": "mobilenetv2"}, "digits", r"teacher: weights: a mobilenetv2 teacher starts from ImageNet weights in "
         r"a local file .* put Keras's mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"),
        ({"model": "vgg16", "weights": "absent.h5"}, "digits", r"teacher: weights: absent.h5 not found; it should be "
         r"Keras's vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
        ({"model": "vgg16", "weights": "none"}, "pulses", "teacher.model: vgg16 teachers take images; the pulses"),
        ({"model": "vgg16", "weights": "none"}, "digits", None),
    ],
)  # fmt: skip
def test_transfer_learning_teachers_are_checked_before_any_job(tiny_config, teacher, kind, message):
    from socflow.config import validate_config

    tiny_config["experiments"]["tiny"] |= {"teacher": teacher, "dataset": {"kind": kind}}
    if message is None:
        assert validate_config(tiny_config)["experiments"]["tiny"]["teacher"]["freeze_epochs"] == 0
        return
    with pytest.raises(ConfigError, match=message):
        validate_config(tiny_config)

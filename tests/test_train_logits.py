"""Stage teacher_logits: the teacher's logits on every part, stored once."""

from __future__ import annotations

from socflow._keras import keras

import numpy as np

from socflow.io import save_npz
from socflow.models import save_model
from socflow.train.logits import PARTS, teacher_logits


def test_the_stored_logits_are_the_teachers_on_every_part_and_log_probabilities_of_a_softmax_teacher(tmp_path):
    rng = np.random.default_rng(0)
    inputs = {}
    for n, part in zip((12, 5, 7), PARTS):
        inputs[part] = str(tmp_path / f"{part}.npz")
        save_npz(inputs[part], {"x": rng.normal(size=(n, 6)).astype("float32"), "y": rng.integers(0, 3, n)})
    teacher = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")])
    save_model(teacher, tmp_path / "teacher.h5")
    outputs = {"logits": str(tmp_path / "logits.npz")}
    teacher_logits(inputs={**inputs, "teacher": str(tmp_path / "teacher.h5")}, params={}, outputs=outputs)
    with np.load(outputs["logits"]) as stored:
        assert sorted(stored.files) == sorted(PARTS) and [len(stored[p]) for p in PARTS] == [12, 5, 7]
        with np.load(inputs["val"]) as val:
            expected = np.log(teacher.predict(val["x"], verbose=0))
        np.testing.assert_allclose(stored["val"], expected, rtol=1e-5, atol=1e-5)

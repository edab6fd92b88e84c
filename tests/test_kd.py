"""Distillation from stored teacher logits: the same loss as the Distiller's, and it teaches with a plain fit."""

from __future__ import annotations

from socflow._keras import keras

import numpy as np
import pytest

from socflow.errors import ConfigError
from socflow.kd import kd_loss, label_accuracy, stored_logits_loss, with_teacher_logits

S = np.array([[2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 3.0, -2.0]], "float32")
T = np.array([[4.0, 0.0, -1.0, 1.0], [-1.0, 2.5, 1.5, 0.0]], "float32")
Y = np.array([0, 2])


@pytest.mark.parametrize("kind", ["hinton", "standardized", "dkd"])
def test_the_stored_logits_loss_is_the_distillers_loss(kind):
    packed = with_teacher_logits(Y, T)
    assert packed.shape == (2, 5) and np.array_equal(packed[:, 0], Y)
    stored = float(stored_logits_loss(0.3, 2.0, kind)(packed, S))
    assert stored == pytest.approx(float(kd_loss(Y, S, T, 0.3, 2.0, kind)), rel=1e-6)
    assert float(label_accuracy(packed, S)) == 1.0
    assert float(label_accuracy(with_teacher_logits(np.array([1, 2]), T), S)) == 0.5


def test_the_scaled_kind_needs_the_teacher_model():
    with pytest.raises(ConfigError, match="student.kd: scaled"):
        stored_logits_loss(0.1, 2.0, "scaled")


def test_a_plain_fit_on_stored_logits_moves_the_student_toward_the_teacher():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype(np.float32)
    y = rng.integers(0, 3, 256)  # labels carry no signal: only the teacher's logits can be learned
    teacher_logits = x @ rng.normal(scale=2.0, size=(8, 3)).astype(np.float32)
    student = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)])
    student.compile(keras.optimizers.Adam(0.01), loss=stored_logits_loss(0.0, 2.0), metrics=[label_accuracy])
    history = student.fit(x, with_teacher_logits(y, teacher_logits), epochs=30, batch_size=32, verbose=0).history
    agreement = (teacher_logits.argmax(1) == student(x).numpy().argmax(1)).mean()
    assert agreement > 0.9 and history["loss"][-1] < 0.3 * history["loss"][0]

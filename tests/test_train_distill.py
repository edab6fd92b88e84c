"""Knowledge distillation: the loss equals the formula, its soft term is alive, and it pulls the student
toward the teacher."""

from __future__ import annotations

from socflow._keras import keras, tf

import numpy as np
import pytest

from socflow.train.distill import Distiller, kd_loss, kd_terms, logits_of


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def by_hand(y, s, t, alpha, temperature):
    ce = -np.log(softmax(s)[np.arange(len(y)), y]).mean()
    p_t, p_s = softmax(t / temperature), softmax(s / temperature)
    kl = (p_t * np.log(p_t / p_s)).sum(axis=-1).mean()
    return alpha * ce + (1 - alpha) * temperature**2 * kl


S = np.array([[2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 3.0, -2.0]])
T = np.array([[4.0, 0.0, -1.0, 1.0], [-1.0, 2.5, 1.5, 0.0]])
Y = np.array([0, 2])


@pytest.mark.parametrize("alpha,temperature", [(0.1, 4.0), (0.5, 1.0), (0.9, 10.0)])
def test_loss_equals_the_formula(alpha, temperature):
    assert float(kd_loss(Y, S, T, alpha, temperature)) == pytest.approx(by_hand(Y, S, T, alpha, temperature), rel=1e-5)


def test_soft_term_is_nonzero_when_models_differ_and_zero_when_equal():
    _, kd = kd_terms(tf.constant(Y), tf.constant(S), tf.constant(T), 4.0)
    _, same = kd_terms(tf.constant(Y), tf.constant(S), tf.constant(S), 4.0)
    assert float(kd) > 0.1 and float(same) == pytest.approx(0.0, abs=1e-6)


def test_softmax_teacher_gives_the_same_soft_targets_as_its_logits():
    inputs = keras.Input((3,))
    logits = keras.layers.Dense(4, name="z")(inputs)
    with_softmax = keras.Model(inputs, keras.layers.Dense(4, activation="softmax")(inputs))
    assert logits_of(keras.Model(inputs, logits)).output is logits  # a logits model is kept as it is
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    z = logits_of(with_softmax)(x).numpy()
    dense = with_softmax.layers[-1]
    true_logits = x @ dense.kernel.numpy() + dense.bias.numpy()
    assert np.allclose(softmax(z / 4.0), softmax(true_logits / 4.0), atol=1e-5)


def mean_kl(teacher, student, x, temperature=2.0):
    p_t = softmax(teacher(x).numpy() / temperature)
    p_s = softmax(student(x).numpy() / temperature)
    return float((p_t * np.log(p_t / p_s)).sum(axis=-1).mean())


def test_distillation_moves_the_student_toward_the_teacher():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype(np.float32)
    y = rng.integers(0, 3, 256)  # labels carry no signal: only the teacher's soft targets can be learned
    teacher = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(3, kernel_initializer=keras.initializers.RandomNormal(stddev=2.0))]
    )
    student = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)])
    before = mean_kl(teacher, student, x)
    teacher_kernel = teacher.layers[0].kernel.numpy().copy()
    distiller = Distiller(student, teacher, alpha=0.0, temperature=2.0)
    distiller.compile(optimizer=keras.optimizers.Adam(0.01))
    history = distiller.fit(x, y, epochs=30, batch_size=32, verbose=0).history
    after = mean_kl(teacher, student, x)
    assert after < 0.3 * before
    assert history["kd"][-1] < history["kd"][0] and set(history) >= {"loss", "ce", "kd", "accuracy"}
    agreement = (teacher(x).numpy().argmax(1) == student(x).numpy().argmax(1)).mean()
    assert agreement > 0.9
    assert np.array_equal(teacher.layers[0].kernel.numpy(), teacher_kernel)  # the teacher stays frozen

"""Knowledge distillation: each kind of loss equals its formula, its soft term is alive, and it pulls the student
toward the teacher."""

from __future__ import annotations

from socflow._keras import keras, tf

import numpy as np
import pytest

from socflow.errors import ConfigError
from socflow.kd import DKD_BETA, kd_loss, kd_terms
from socflow.train.distill import Distiller, logits_of


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def kl(p, q):
    return (p * np.log(p / q)).sum(axis=-1)


def z(logits):
    return (logits - logits.mean(-1, keepdims=True)) / logits.std(-1, keepdims=True)


def dkd(y, s, t):
    """Zhao et al.'s decoupled KD, per sample, on logits already divided by T."""
    p_s, p_t = softmax(s), softmax(t)
    rows = np.arange(len(y))
    b_s = np.stack([p_s[rows, y], 1 - p_s[rows, y]], -1)
    b_t = np.stack([p_t[rows, y], 1 - p_t[rows, y]], -1)
    others = np.ones_like(s, bool)
    others[rows, y] = False
    n_s = softmax(s[others].reshape(len(y), -1))
    n_t = softmax(t[others].reshape(len(y), -1))
    return kl(b_t, b_s) + DKD_BETA * kl(n_t, n_s)


def by_hand(y, s, t, alpha, temperature, kind="hinton", scale=1.0):
    ce = -np.log(softmax(s)[np.arange(len(y)), y]).mean()
    if kind == "standardized":
        s, t = z(s), z(t)
    s = s * scale
    if kind == "dkd":
        soft = dkd(y, s / temperature, t / temperature).mean()
    else:
        soft = kl(softmax(t / temperature), softmax(s / temperature)).mean()
    return alpha * ce + (1 - alpha) * temperature**2 * soft


S = np.array([[2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 3.0, -2.0]])
T = np.array([[4.0, 0.0, -1.0, 1.0], [-1.0, 2.5, 1.5, 0.0]])
Y = np.array([0, 2])


@pytest.mark.parametrize("alpha,temperature", [(0.1, 4.0), (0.5, 1.0), (0.9, 10.0)])
def test_loss_equals_the_formula(alpha, temperature):
    assert float(kd_loss(Y, S, T, alpha, temperature)) == pytest.approx(by_hand(Y, S, T, alpha, temperature), rel=1e-5)


@pytest.mark.parametrize(
    "kind,scale", [("hinton", 1.0), ("standardized", 1.0), ("scaled", 3.0), ("scaled", 1.0), ("dkd", 1.0)]
)
def test_every_kind_equals_its_formula(kind, scale):
    expected = by_hand(Y, S, T, 0.3, 2.0, kind, scale)
    assert float(kd_loss(Y, S, T, 0.3, 2.0, kind, scale)) == pytest.approx(expected, rel=1e-5)


def test_standardized_kd_ignores_the_teachers_logit_scale_and_offset_the_classic_one_does_not():
    """A teacher's logits 20x larger and shifted (a float teacher's sigma of ~34 against an 8-bit student's)
    leave the standardized term as it is; the classic term grows with them."""
    wide = 20.0 * T + 5.0
    assert float(kd_loss(Y, S, wide, 0.0, 2.0, "standardized")) == pytest.approx(
        float(kd_loss(Y, S, T, 0.0, 2.0, "standardized")), rel=1e-4
    )
    assert float(kd_loss(Y, S, wide, 0.0, 2.0)) > 4 * float(kd_loss(Y, S, T, 0.0, 2.0))


def test_an_unknown_kind_is_named():
    with pytest.raises(ConfigError, match="unknown KD kind 'fitnet'; one of hinton, standardized, scaled, dkd"):
        Distiller(keras.Sequential([keras.Input((2,)), keras.layers.Dense(2)]), None, 0.1, 2.0, kd="fitnet")


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


def test_the_scaled_kind_learns_its_scale_beside_the_student_and_leaves_the_student_unscaled():
    """Against a teacher whose logits are 10x a reachable target, the scale starts near the ratio of the two
    deviations and is learned; the student keeps its own weights only (the scale is not one of them)."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 8)).astype(np.float32)
    teacher = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(3, kernel_initializer=keras.initializers.RandomNormal(stddev=10.0))]
    )
    y = teacher(x).numpy().argmax(1)
    student = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3)])
    n_weights = len(student.weights)
    distiller = Distiller(student, teacher, alpha=0.1, temperature=2.0, kd="scaled")
    distiller.compile(optimizer=keras.optimizers.Adam(0.01))
    assert distiller.scale == 1.0
    distiller.fit(x, y, epochs=10, batch_size=32, verbose=0)
    assert distiller.scale > 3.0 and len(student.weights) == n_weights
    assert (student(x).numpy().argmax(1) == y).mean() > 0.8

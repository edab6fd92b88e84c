"""The distillation loss on logits, in TensorFlow alone: shared by the QKeras students (Keras 2,
:class:`socflow.train.distill.Distiller`, the teacher run on every batch) and the HGQ2 students (Keras 3, the
teacher's logits stored once by teacher_logits), so both distil by the same formula.

Knowledge distillation done right (the paper's reference code applies softmax twice and feeds
probabilities to a loss built for logits, which shrinks the distillation term to almost nothing).

loss = alpha * CE(y, softmax(s)) + (1 - alpha) * T^2 * D(s, t),
with s and t the student's and the teacher's logits. The T^2 factor keeps the gradient of the soft term
on the scale of the hard term when T changes (Hinton et al., 2015). The soft term D (`student.kd`):

- hinton: KL(softmax(t / T) || softmax(s / T)) (Hinton et al., 2015).
- standardized: the same KL on logits standardized per sample (zero mean, unit deviation) before T (Sun et al.,
  "Logit Standardization in Knowledge Distillation", CVPR 2024). A small quantized student cannot reach the
  logit scale of a float teacher (sigma ~ 34 on the pulses); standardized, only the shape of the logits is
  matched.
- scaled: the KL with the student's logits times a learned positive scale, used only inside this term: the
  student may match the teacher's scale without its 8-bit logits having to, and the scale costs nothing in
  hardware (a positive factor leaves the argmax unchanged). Started at the ratio of the two deviations.
- dkd: decoupled KD (Zhao et al., "Decoupled Knowledge Distillation", CVPR 2022): the target-class KL of the
  binary (target, rest) distributions plus beta = 8 times the KL over the non-target classes (their CIFAR
  setting), which the classic form weighs down by the teacher's confidence.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf

from socflow.errors import ConfigError

KD_KINDS = ("hinton", "standardized", "scaled", "dkd")
DKD_BETA = 8.0  # Zhao et al.'s weight of the non-target term (CIFAR-100)
EPS = 1e-6


def check_kind(kind: str) -> str:
    """The soft term's kind, or a ConfigError naming the kinds there are."""
    if kind not in KD_KINDS:
        raise ConfigError(f"unknown KD kind {kind!r}; one of {', '.join(KD_KINDS)}")
    return kind


def _kl(t_log: tf.Tensor, s_log: tf.Tensor) -> tf.Tensor:
    """Per-sample KL(p_t || p_s) from log-probabilities."""
    return tf.reduce_sum(tf.exp(t_log) * (t_log - s_log), axis=-1)


def standardized(logits: tf.Tensor) -> tf.Tensor:
    """Each sample's logits at zero mean and unit standard deviation."""
    mean, var = tf.nn.moments(logits, axes=[-1], keepdims=True)
    return (logits - mean) / tf.sqrt(var + EPS)


def decoupled(y: tf.Tensor, s: tf.Tensor, t: tf.Tensor) -> tf.Tensor:
    """Per-sample DKD of logits already divided by T: TCKD + beta * NCKD."""
    target = tf.one_hot(tf.cast(y, tf.int32), tf.shape(s)[-1], dtype=s.dtype)

    def binary(log_p: tf.Tensor) -> tf.Tensor:  # log [p(target), p(rest)], stable in log space
        log_target = tf.reduce_sum(log_p * target, axis=-1)
        log_rest = tf.reduce_logsumexp(log_p + target * -1e9, axis=-1)
        return tf.stack([log_target, log_rest], axis=-1)

    s_log, t_log = tf.nn.log_softmax(s, axis=-1), tf.nn.log_softmax(t, axis=-1)
    tckd = _kl(binary(t_log), binary(s_log))
    masked = target * -1e9  # the non-target classes alone, renormalized
    nckd = _kl(tf.nn.log_softmax(t + masked, axis=-1), tf.nn.log_softmax(s + masked, axis=-1))  # target: 0 * finite
    return tckd + DKD_BETA * nckd


def soft_term(
    kind: str, y: tf.Tensor, student_logits: tf.Tensor, teacher_logits: tf.Tensor, temperature: float,
    scale: tf.Tensor | float = 1.0,
) -> tf.Tensor:  # fmt: skip
    """T^2 times the batch mean of the soft term D of the module docstring (`scale`: the scaled kind's factor
    on the student's logits)."""
    s, t = student_logits, teacher_logits
    if check_kind(kind) == "standardized":
        s, t = standardized(s), standardized(t)
    elif kind == "scaled":
        s = s * scale
    s, t = s / temperature, t / temperature
    if kind == "dkd":
        per_sample = decoupled(y, s, t)
    else:
        per_sample = _kl(tf.nn.log_softmax(t, axis=-1), tf.nn.log_softmax(s, axis=-1))
    return temperature**2 * tf.reduce_mean(per_sample)


def kd_terms(
    y: tf.Tensor, student_logits: tf.Tensor, teacher_logits: tf.Tensor, temperature: float, kind: str = "hinton",
    scale: tf.Tensor | float = 1.0,
) -> tuple[tf.Tensor, tf.Tensor]:  # fmt: skip
    """(cross-entropy on the labels, T^2-scaled soft term), each a batch mean. The labels' term always sees the
    student's own logits: those are what the hardware computes."""
    ce = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.cast(y, tf.int32), logits=student_logits)
    )
    return ce, soft_term(kind, y, student_logits, teacher_logits, temperature, scale)


def kd_loss(
    y: Any, student_logits: Any, teacher_logits: Any, alpha: float, temperature: float, kind: str = "hinton",
    scale: float = 1.0,
) -> tf.Tensor:  # fmt: skip
    """The distillation loss of the module docstring."""
    s, t = tf.convert_to_tensor(student_logits), tf.convert_to_tensor(teacher_logits)
    ce, kd = kd_terms(tf.convert_to_tensor(y), s, t, temperature, kind, scale)
    return alpha * ce + (1.0 - alpha) * kd


def with_teacher_logits(y: np.ndarray, teacher_logits: np.ndarray) -> np.ndarray:
    """Labels and the teacher's stored logits as one target array (column 0 the label, then the logits), so a
    plain ``compile``/``fit`` distils with :func:`stored_logits_loss`: no teacher model in the process."""
    return np.concatenate([np.asarray(y, "float32")[:, None], np.asarray(teacher_logits, "float32")], axis=1)


def stored_logits_loss(alpha: float, temperature: float, kind: str = "hinton") -> Any:
    """The distillation loss of the module docstring as a Keras loss on :func:`with_teacher_logits` targets. The
    scaled kind trains a factor beside the student (the Distiller's), which a plain loss cannot."""
    if check_kind(kind) == "scaled":
        raise ConfigError(
            "student.kd: scaled trains a scale beside the student and needs the teacher model (the QKeras Distiller); "
            "with stored teacher logits take hinton, standardized or dkd"
        )

    def kd(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
        ce, soft = kd_terms(y_true[:, 0], y_pred, y_true[:, 1:], temperature, kind)
        return alpha * ce + (1.0 - alpha) * soft

    return kd


def label_accuracy(y_true: tf.Tensor, y_pred: tf.Tensor) -> tf.Tensor:
    """Accuracy on the labels of :func:`with_teacher_logits` targets (the metric Keras would compute wrongly on
    the packed array)."""
    hits = tf.equal(tf.cast(y_true[:, 0], tf.int64), tf.argmax(y_pred, axis=-1))
    return tf.reduce_mean(tf.cast(hits, tf.float32))

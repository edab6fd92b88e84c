"""Knowledge distillation done right (the paper's reference code applies softmax twice and feeds
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

from socflow._keras import keras, tf

from socflow.errors import ConfigError

KD_KINDS = ("hinton", "standardized", "scaled", "dkd")
DKD_BETA = 8.0  # Zhao et al.'s weight of the non-target term (CIFAR-100)
_EPS = 1e-6


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
    return (logits - mean) / tf.sqrt(var + _EPS)


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


def logits_of(teacher: keras.Model) -> keras.Model:
    """The teacher as a logits model. A softmax-output teacher (a pretrained one, typically) gets a log on
    top: log p = logits - logsumexp(logits), and softmax is shift-invariant, so softmax(log p / T) equals
    softmax(logits / T) exactly."""
    from socflow.train.hypermodels import outputs_probabilities

    if not outputs_probabilities(teacher):
        return teacher
    log_p = keras.layers.Lambda(lambda p: tf.math.log(tf.maximum(p, 1e-12)), name="log_probabilities")(teacher.output)
    return keras.Model(teacher.input, log_p, name=f"{teacher.name}_logits")


class Distiller(keras.Model):
    """Trains ``student`` on labels and on the frozen ``teacher``'s softened logits.

    fit/evaluate report ``loss``, ``ce``, ``kd`` and ``accuracy`` (so a tuner's objective is ``val_accuracy``).
    `kd` is the soft term's kind (KD_KINDS); the scaled kind trains `log_scale` beside the student, which the
    saved student does not carry.
    """

    def __init__(
        self, student: keras.Model, teacher: keras.Model, alpha: float, temperature: float, kd: str = "hinton"
    ) -> None:
        super().__init__(name="distiller")
        self.kd = check_kind(kd)
        self.student = student
        self.teacher = logits_of(teacher)
        self.teacher.trainable = False
        self.alpha = float(alpha)
        self.temperature = float(temperature)
        self.log_scale = tf.Variable(0.0, trainable=kd == "scaled", name="kd_log_scale")
        self.scale_started = tf.Variable(False, trainable=False, name="kd_scale_started")
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("loss", "ce", "kd")}
        self.accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")

    @property
    def metrics(self) -> list[Any]:
        return [*self.trackers.values(), self.accuracy]

    def call(self, inputs: Any, training: bool = False) -> Any:
        return self.student(inputs, training=training)

    @property
    def scale(self) -> float:
        """The learned factor on the student's logits inside the scaled soft term (1 for the other kinds)."""
        return float(tf.exp(self.log_scale)) if self.kd == "scaled" else 1.0

    def _start_scale(self, student_logits: tf.Tensor, teacher_logits: tf.Tensor) -> None:
        """At the first batch, the scale that gives the student's logits the teacher's deviation."""
        ratio = tf.math.reduce_std(teacher_logits) / (tf.math.reduce_std(student_logits) + _EPS)
        start = tf.math.log(tf.maximum(ratio, _EPS))
        self.log_scale.assign(tf.where(self.scale_started, self.log_scale, start))
        self.scale_started.assign(True)

    def _step(self, data: Any, training: bool) -> dict[str, Any]:
        x, y = data
        teacher_logits = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            student_logits = self.student(x, training=training)
            if training and self.kd == "scaled":
                self._start_scale(tf.stop_gradient(student_logits), teacher_logits)
            scale = tf.exp(self.log_scale)
            ce, kd = kd_terms(y, student_logits, teacher_logits, self.temperature, self.kd, scale)
            loss = self.alpha * ce + (1.0 - self.alpha) * kd
            if training and self.student.losses:
                loss += tf.add_n(self.student.losses)
        if training:
            variables = self.student.trainable_variables + ([self.log_scale] if self.kd == "scaled" else [])
            self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        for name, value in (("loss", loss), ("ce", ce), ("kd", kd)):
            self.trackers[name].update_state(value)
        self.accuracy.update_state(y, student_logits)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data: Any) -> dict[str, Any]:
        return self._step(data, training=True)

    def test_step(self, data: Any) -> dict[str, Any]:
        return self._step(data, training=False)

"""Knowledge distillation of the QKeras students: the Distiller runs the frozen teacher on every batch and trains the
student on the loss of :mod:`socflow.kd` (its formula and the KD kinds are described there)."""

from __future__ import annotations

from typing import Any

from socflow._keras import keras, tf

from socflow.kd import EPS, check_kind, kd_terms


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
        ratio = tf.math.reduce_std(teacher_logits) / (tf.math.reduce_std(student_logits) + EPS)
        start = tf.math.log(tf.maximum(ratio, EPS))
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

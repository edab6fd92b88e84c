"""Knowledge distillation done right (the paper's reference code applies softmax twice and feeds
probabilities to a loss built for logits, which shrinks the distillation term to almost nothing).

loss = alpha * CE(y, softmax(s)) + (1 - alpha) * T^2 * KL(softmax(t / T) || softmax(s / T)),
with s and t the student's and the teacher's logits. The T^2 factor keeps the gradient of the soft term
on the scale of the hard term when T changes (Hinton et al., 2015).
"""

from __future__ import annotations

from typing import Any

from socflow._keras import keras, tf


def kd_terms(
    y: tf.Tensor, student_logits: tf.Tensor, teacher_logits: tf.Tensor, temperature: float
) -> tuple[tf.Tensor, tf.Tensor]:
    """(cross-entropy on the labels, T^2-scaled KL of the softened distributions), each a batch mean."""
    ce = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.cast(y, tf.int32), logits=student_logits)
    )
    t = tf.nn.log_softmax(teacher_logits / temperature, axis=-1)
    s = tf.nn.log_softmax(student_logits / temperature, axis=-1)
    kl = tf.reduce_mean(tf.reduce_sum(tf.exp(t) * (t - s), axis=-1))
    return ce, temperature**2 * kl


def kd_loss(y: Any, student_logits: Any, teacher_logits: Any, alpha: float, temperature: float) -> tf.Tensor:
    """The distillation loss of the module docstring."""
    ce, kd = kd_terms(y, tf.convert_to_tensor(student_logits), tf.convert_to_tensor(teacher_logits), temperature)
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
    """

    def __init__(self, student: keras.Model, teacher: keras.Model, alpha: float, temperature: float) -> None:
        super().__init__(name="distiller")
        self.student = student
        self.teacher = logits_of(teacher)
        self.teacher.trainable = False
        self.alpha = float(alpha)
        self.temperature = float(temperature)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in ("loss", "ce", "kd")}
        self.accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")

    @property
    def metrics(self) -> list[Any]:
        return [*self.trackers.values(), self.accuracy]

    def call(self, inputs: Any, training: bool = False) -> Any:
        return self.student(inputs, training=training)

    def _step(self, data: Any, training: bool) -> dict[str, Any]:
        x, y = data
        teacher_logits = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            student_logits = self.student(x, training=training)
            ce, kd = kd_terms(y, student_logits, teacher_logits, self.temperature)
            loss = self.alpha * ce + (1.0 - self.alpha) * kd
            if training and self.student.losses:
                loss += tf.add_n(self.student.losses)
        if training:
            variables = self.student.trainable_variables
            self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        for name, value in (("loss", loss), ("ce", ce), ("kd", kd)):
            self.trackers[name].update_state(value)
        self.accuracy.update_state(y, student_logits)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data: Any) -> dict[str, Any]:
        return self._step(data, training=True)

    def test_step(self, data: Any) -> dict[str, Any]:
        return self._step(data, training=False)

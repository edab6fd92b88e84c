"""What a large teacher costs the student search: one epoch of distillation (the Distiller runs the frozen teacher
on every training batch, batch by batch, so memory stays at one batch of teacher activations) against one epoch
of the same student trained on labels alone, and against one epoch distilled from the teacher's stored logits
(teacher_logits computes them once; socflow.kd.stored_logits_loss: a plain fit, no teacher in the process), for a
MobileNetV2 and a VGG16 teacher (weights: none: the cost does not depend on the weights) on random 32x32 RGB images.

    .venv/bin/python bench/kd_teacher_cost.py --images 1024 --batch-size 64
"""

from __future__ import annotations

import argparse
import time

import socflow._keras  # noqa: F401  (Keras 2 first)

from common import emit

# python -m bench: the time on 2 cores, and what --quick passes and takes
SUITE = {"time": "not timed"}


def epoch_seconds(model, x, y, batch_size: int) -> float:
    """The second epoch's wall time (the first one traces and compiles)."""
    model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)
    return time.perf_counter() - start


def main() -> None:
    from socflow._keras import keras

    import keras_tuner as kt
    import numpy as np

    from socflow.kd import stored_logits_loss, with_teacher_logits
    from socflow.train.compression import student_model
    from socflow.train.distill import Distiller
    from socflow.train.hypermodels import teacher_builder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=1024)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((args.images, 32, 32, 3)).astype(np.float32)
    y = np.arange(args.images) % 10
    student_cfg = {"model": "mobilenet", "layers": 2, "units": [8, 8], "activation_integer_bits": 3}
    variant = {"bits": 8, "integer_bits": 0, "sparsity": 0.0}
    rows = []
    for name in ("mobilenetv2", "vgg16"):
        cfg = {"model": name, "weights": "none", "freeze_epochs": 0, "fine_tune_learning_rate": 1e-4,
               "units": [64, 64], "learning_rates": [1e-3]}  # fmt: skip
        teacher = teacher_builder(cfg, [32, 32, 3], 10)(kt.HyperParameters())
        student = student_model(kt.HyperParameters(), student_cfg, variant, [32, 32, 3], 10, None)
        student.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        plain = epoch_seconds(student, x, y, args.batch_size)
        distiller = Distiller(student_model(kt.HyperParameters(), student_cfg, variant, [32, 32, 3], 10, None),
                              teacher, alpha=0.1, temperature=2.0)  # fmt: skip
        distiller.compile(optimizer=keras.optimizers.Adam(1e-3))
        distilled = epoch_seconds(distiller, x, y, args.batch_size)
        stored = student_model(kt.HyperParameters(), student_cfg, variant, [32, 32, 3], 10, None)
        stored.compile(optimizer=keras.optimizers.Adam(1e-3), loss=stored_logits_loss(0.1, 2.0))
        targets = with_teacher_logits(y, teacher.predict(x, batch_size=args.batch_size, verbose=0))
        from_logits = epoch_seconds(stored, x, targets, args.batch_size)
        rows.append([name, f"{teacher.count_params():,}", f"{student.count_params():,}", f"{plain:.2f}",
                     f"{distilled:.2f}", f"{distilled / plain:.1f}x", f"{from_logits:.2f}",
                     f"{distilled / from_logits:.1f}x"])  # fmt: skip
    header = ["teacher", "teacher params", "student params", "epoch, labels only s", "epoch, distilled s", "ratio",
              "epoch, stored logits s", "distilled / stored"]  # fmt: skip
    emit("teachers", header, rows, "lrrrrrrr")


if __name__ == "__main__":
    main()

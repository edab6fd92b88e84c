"""Stage teacher_logits: the teacher's logits on every data part, computed once.

Why: the HGQ2 students (Keras 3, their own process) cannot load the tf-keras teacher, and a student search that
runs the teacher on every batch of every trial pays for its forward pass again and again (bench/kd_teacher_cost.py
measures it); from the stored logits a student distils with a plain fit (socflow.kd.stored_logits_loss).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from socflow._keras import set_threads

from socflow.io import read_xy, save_npz
from socflow.models import load_model
from socflow.train.distill import logits_of

log = logging.getLogger(__name__)
PARTS = ("train", "val", "test")


def teacher_logits(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Writes outputs['logits'], an .npz of the teacher's (inputs['teacher']) logits on each part of PARTS (one
    array per part, rows in the part's order); a softmax teacher's are its log-probabilities (logits_of)."""
    set_threads(threads)
    teacher = logits_of(load_model(inputs["teacher"]))
    logits = {part: teacher.predict(read_xy(inputs[part])[0], batch_size=1024, verbose=0) for part in PARTS}
    save_npz(outputs["logits"], logits)
    log.info("teacher logits: %s", {part: array.shape for part, array in logits.items()})
    return {part: list(array.shape) for part, array in logits.items()}

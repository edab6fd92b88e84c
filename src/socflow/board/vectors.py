"""Test vectors of the assessment framework, made once for the firmware, the deployment package and the PYNQ
run: the FIFO words of the test samples (on the IP's input grid, as in training), the answer words the model
gives for them (golden fixed-point model: class, then score codes) and the labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from socflow.board.protocol import MASK32, Protocol
from socflow.fixed import FixedType
from socflow.io import read_xy


@dataclass
class Vectors:
    words: np.ndarray  # (n, n_inputs) uint32
    expected: np.ndarray  # (n, words_out) uint32
    labels: np.ndarray  # (n,)


def expected_words(protocol: Protocol, golden: np.ndarray) -> np.ndarray:
    """The answer words the IP must give: the golden model's class, then its score codes."""
    classes = golden.argmax(axis=1)[:, None]
    if not protocol.send_scores:
        return classes.astype(np.uint32)
    codes = np.rint(golden * 2.0**protocol.score_fractional).astype(np.int64) & MASK32
    return np.concatenate([classes, codes], axis=1).astype(np.uint32)


def model_vectors(
    protocol: Protocol,
    reference: Callable[[np.ndarray], np.ndarray],
    test_path: str,
    input_precision: str,
    samples: int | None = None,
) -> Vectors:
    """Vectors of the first `samples` test samples (all when None); `reference` gives the exact outputs the IP
    must answer (ip_model.golden_reference or csim_reference)."""
    x, y = read_xy(test_path)
    xq = FixedType.parse(input_precision).quantize(x[:samples])
    return Vectors(protocol.encode(xq), expected_words(protocol, reference(xq)), y[: len(xq)])

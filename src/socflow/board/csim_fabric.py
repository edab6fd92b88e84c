"""The emulated board's IP model where the student has no RTL (cnn students): the hls4ml IP's C simulation
behind the same stream protocol as socflow_stream. On the ComBlock side it behaves like the HDL wrapper (one
FIFO read outstanding, one frame at a time, answer words one per cycle while the IN_FIFO has room); the
inference is the compiled hls4ml model, bit-accurate to the HLS IP."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

from socflow.board.protocol import MASK32, Protocol


class CsimFabric:
    """Implements comblock.Fabric with `predict` (a batch of inputs on the input grid -> outputs)."""

    def __init__(self, predict: Callable[[np.ndarray], np.ndarray], protocol: Protocol, input_shape: Sequence[int]) -> None:
        self.predict, self.protocol, self.input_shape = predict, protocol, tuple(input_shape)
        self._clear()

    def _clear(self) -> None:
        self.frame: list[int] = []
        self.outstanding = False
        self.answer: deque[int] = deque()
        self.wrote = False

    def _infer(self) -> None:
        fixed = self.protocol.input_fixed
        codes = np.array(self.frame, dtype=np.int64) & ((1 << fixed.width) - 1)
        if fixed.signed:
            codes = np.where(codes >= 1 << (fixed.width - 1), codes - (1 << fixed.width), codes)
        x = (codes * fixed.lsb).reshape((1, *self.input_shape))
        scores = np.asarray(self.predict(x), dtype=np.float64).reshape(-1)
        self.answer.append(int(scores.argmax()))
        if self.protocol.send_scores:
            codes = np.rint(scores * 2.0**self.protocol.score_fractional).astype(np.int64) & MASK32
            self.answer.extend(int(c) for c in codes)
        self.frame = []

    def cycle(self, reset: bool, empty: bool, rvalid: bool, rdata: int, full: bool) -> tuple[bool, bool, int]:
        if reset:
            self._clear()
            return False, False, 0
        re = False
        if rvalid:
            self.frame.append(rdata)
            self.outstanding = False
            if len(self.frame) == self.protocol.n_inputs:
                self._infer()
        elif not empty and not self.outstanding and not self.answer:
            re = self.outstanding = True
        we = bool(self.answer) and not full and not self.wrote
        wdata = self.answer.popleft() if we else 0
        self.wrote = we
        return re, we, wdata

    def close(self) -> None:
        """Nothing to free (the same interface as RtlFabric)."""

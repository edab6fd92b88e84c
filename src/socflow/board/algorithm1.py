"""The paper's Algorithm 1 over a whole test set, with the protocol made explicit: flush the FIFOs, reset the
IP, then per sample write its words, read the answer words, and check the FIFO flags. The same function runs
against PYNQ's MMIO and against the emulated board; the generated firmware runs the same steps in C."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from socflow.board.comblock import ComBlock
from socflow.board.protocol import Protocol
from socflow.errors import BoardError


@dataclass
class Run:
    answers: np.ndarray  # (n, protocol.words_out) answer words
    seconds: float  # wall time on the host for the whole set


def wait_for_answer(board: ComBlock, sample: int, word: int, max_polls: int) -> None:
    for _ in range(max_polls):
        if not board.in_empty():
            return
    raise BoardError(f"sample {sample}: answer word {word} did not arrive after {max_polls} status polls")


def algorithm1(board: ComBlock, protocol: Protocol, words: np.ndarray, max_polls: int = 10_000) -> Run:
    """Classify every row of `words` (protocol.encode of the samples); a BoardError names the sample at fault."""
    start = time.perf_counter()
    board.fifo_flush()
    board.register_write(protocol.reset_register, 1)
    board.register_write(protocol.reset_register, 0)
    answers = np.zeros((len(words), protocol.words_out), dtype=np.uint32)
    filler = np.zeros(protocol.n_inputs, dtype=np.uint32)  # pushes the last frames out of a lagging IP
    for i in range(len(words) + protocol.lag_frames):
        for value in words[i] if i < len(words) else filler:
            board.fifo_write(int(value))
        for _ in range(protocol.drain_words):
            board.fifo_write(0)
        sample = i - protocol.lag_frames
        if sample < 0:
            continue
        for k in range(protocol.words_out):
            wait_for_answer(board, sample, k, max_polls)
            answers[sample, k] = board.fifo_read()
        status = board.status()
        if status.out_overflow or status.in_underflow:
            raise BoardError(f"sample {sample}: FIFO {'overflow' if status.out_overflow else 'underflow'} ({status})")
    return Run(answers, time.perf_counter() - start)

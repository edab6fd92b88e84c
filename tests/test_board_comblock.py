"""The emulated ComBlock's register map and FIFO flags, and Algorithm 1's named error for an IP that never answers."""

from __future__ import annotations

import numpy as np
import pytest

from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import (
    IFIFO_STATUS,
    IFIFO_VALUE,
    OFIFO_STATUS,
    OFIFO_VALUE,
    BoardError,
    ComBlock,
    EmulatedComBlock,
)
from socflow.board.protocol import Protocol


class Silent:
    """A fabric that reads nothing and answers nothing."""

    def cycle(self, reset, empty, rvalid, rdata, full):
        return False, False, 0


class Chatty:
    """A fabric that writes a word every cycle, whether the IN_FIFO is full or not."""

    def cycle(self, reset, empty, rvalid, rdata, full):
        return False, True, 7


def test_emulated_comblock_registers_and_fifo_flags():
    device = EmulatedComBlock(Silent(), depth=4)
    board = ComBlock(device)
    board.register_write(3, 0xABCD)
    assert device.read(16 + 3) == 0xABCD and board.register_read(0) == 0
    assert board.status().in_empty and not board.status().out_full
    for value in range(5):  # one more than the depth
        board.fifo_write(value)
    assert device.read(OFIFO_STATUS) & 0b111 == 0b111  # full, almost full, overflow
    assert device.read(OFIFO_STATUS) & 0b100 == 0  # overflow is cleared when read
    assert board.fifo_read() == 0 and device.read(IFIFO_STATUS) & 0b101 == 0b101  # empty + underflow
    board.fifo_flush()
    assert device.read(OFIFO_STATUS) >> 16 == 0  # element count after the flush
    with pytest.raises(BoardError, match="no readable register at word 35"):
        device.read(35)
    with pytest.raises(BoardError, match="no writable register at word 0"):
        device.write(0, 1)
    with pytest.raises(BoardError, match="wrote to a full IN_FIFO"):
        ComBlock(EmulatedComBlock(Chatty(), depth=2)).fifo_read()
    assert IFIFO_VALUE == 32 and OFIFO_VALUE == 36  # ComBlock rev 2.1 map


def test_an_ip_that_never_answers_is_named():
    protocol = Protocol(n_inputs=2, input_type="ap_fixed<16,6>", n_classes=2, score_width=19, score_fractional=12)
    with pytest.raises(BoardError, match="sample 0: answer word 0 did not arrive after 50 status polls"):
        algorithm1(ComBlock(EmulatedComBlock(Silent())), protocol, np.zeros((3, 2), np.uint32), max_polls=50)

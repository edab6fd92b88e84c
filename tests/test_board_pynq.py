"""The PYNQ transport: ComBlock words through the overlay's MMIO."""

from __future__ import annotations

import pytest

from socflow.board.comblock import (
    BoardError,
    ComBlock,
)


def test_pynq_transport_reads_and_writes_comblock_words(monkeypatch):
    import sys
    import types

    calls = []

    class MMIO:
        def __init__(self, base, size):
            calls.append(("mmio", base, size))

        def read(self, offset):
            calls.append(("read", offset))
            return 1

        def write(self, offset, value):
            calls.append(("write", offset, value))

    class Overlay:
        def __init__(self, bitfile):
            self.ip_dict = {"comblock_0/AXIL": {"phys_addr": 0x43C00000, "addr_range": 0x10000}, "ps": {}}

    monkeypatch.setitem(sys.modules, "pynq", types.SimpleNamespace(MMIO=MMIO, Overlay=Overlay))
    from socflow.board.pynq import PynqTransport

    board = ComBlock(PynqTransport("design.bit"))
    board.fifo_write(-1)
    assert board.in_empty()
    assert calls == [("mmio", 0x43C00000, 0x10000), ("write", 36 * 4, 0xFFFFFFFF), ("read", 34 * 4)]
    with pytest.raises(BoardError, match="no IP 'comblock_1' in the overlay"):
        PynqTransport("design.bit", name="comblock_1")

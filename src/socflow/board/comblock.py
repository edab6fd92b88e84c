"""ComBlock (ICTP, rev 2.1) from the processor side: its register map, a driver over any transport that reads
and writes 32-bit words at word addresses, and a software ComBlock that emulates the board.

Register map (word address; byte offset = 4 x word), from the ComBlock User Guide rev 2.1 and its C driver
(comblock.h): input registers 0-15 (IREGn, fabric -> processor), output registers 16-31 (OREGn), IN_FIFO
(fabric -> processor) value/control/status 32/33/34, OUT_FIFO (processor -> fabric) 36/37/38. Rev 2.1
swapped the FIFO addresses of earlier revisions. Control bit 0 clears the FIFO while set (write 1, then 0).
Status bit 0 is empty (IN_FIFO) or full (OUT_FIFO), bit 1 almost empty / almost full, bit 2 underflow /
overflow (sticky, cleared when read), as public ComBlock drivers use them; the guide draws the status words
as an image only, so our driver relies on bits 0-2 and the emulator's element count (bits 31:16) is ours.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Protocol as Interface

from socflow.errors import BoardError

IREG0, OREG0 = 0, 16
IFIFO_VALUE, IFIFO_CONTROL, IFIFO_STATUS = 32, 33, 34
OFIFO_VALUE, OFIFO_CONTROL, OFIFO_STATUS = 36, 37, 38
EMPTY_OR_FULL, ALMOST, UNDER_OR_OVERFLOW = 1, 2, 4


class Transport(Interface):
    """32-bit word access to ComBlock's AXI-Lite registers."""

    def read(self, word: int) -> int: ...

    def write(self, word: int, value: int) -> None: ...


class Fabric(Interface):
    """The programmable-logic side behind ComBlock, clocked one cycle at a time: given ComBlock's FIFO flags
    and data before the rising edge, returns (fifo_re, fifo_we, fifo_wdata) after it."""

    def cycle(self, reset: bool, empty: bool, rvalid: bool, rdata: int, full: bool) -> tuple[bool, bool, int]: ...


@dataclass
class FifoStatus:
    in_empty: bool
    in_underflow: bool
    out_full: bool
    out_overflow: bool


class ComBlock:
    """The ComBlock driver used on every board: the same calls over PYNQ's MMIO or the emulated board."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def register_read(self, index: int) -> int:
        return self.transport.read(IREG0 + index)

    def register_write(self, index: int, value: int) -> None:
        self.transport.write(OREG0 + index, value)

    def fifo_write(self, value: int) -> None:
        self.transport.write(OFIFO_VALUE, value)

    def fifo_read(self) -> int:
        return self.transport.read(IFIFO_VALUE)

    def fifo_flush(self) -> None:
        for control in (IFIFO_CONTROL, OFIFO_CONTROL):
            self.transport.write(control, 1)
            self.transport.write(control, 0)

    def status(self) -> FifoStatus:
        inp, out = self.transport.read(IFIFO_STATUS), self.transport.read(OFIFO_STATUS)
        return FifoStatus(
            bool(inp & EMPTY_OR_FULL),
            bool(inp & UNDER_OR_OVERFLOW),
            bool(out & EMPTY_OR_FULL),
            bool(out & UNDER_OR_OVERFLOW),
        )

    def in_empty(self) -> bool:
        return bool(self.transport.read(IFIFO_STATUS) & EMPTY_OR_FULL)


class EmulatedComBlock:
    """A software ComBlock (registers, two FIFOs with depth, flags, sticky overflow/underflow) in front of a
    fabric model. Every processor access first clocks the fabric `cycles_per_access` cycles, the time an
    AXI-Lite transaction takes, so the IP runs while the processor works, as on the board."""

    def __init__(self, fabric: Fabric, depth: int = 1024, cycles_per_access: int = 4, almost: int = 1) -> None:
        self.fabric, self.depth, self.cycles_per_access, self.almost = fabric, depth, cycles_per_access, almost
        self.oregs = [0] * 16
        self.iregs = [0] * 16
        self.to_fabric: deque[int] = deque()  # OUT_FIFO
        self.to_processor: deque[int] = deque()  # IN_FIFO
        self.clear = {IFIFO_CONTROL: False, OFIFO_CONTROL: False}
        self.overflow = self.underflow = False
        self.rvalid, self.rdata = False, 0
        self.re, self.we, self.wdata = False, False, 0
        self.cycles = 0

    def _clock(self, n: int) -> None:
        for _ in range(n):
            reset = bool(self.oregs[0] & 1)
            empty, full = not self.to_fabric, len(self.to_processor) >= self.depth
            rvalid, rdata = self.rvalid, self.rdata
            re, we, wdata = self.re, self.we, self.wdata  # the fabric's outputs before this edge
            self.re, self.we, self.wdata = self.fabric.cycle(reset, empty, rvalid, rdata, full)
            self.rvalid = re and not empty
            if self.rvalid:
                self.rdata = self.to_fabric.popleft()
            if we and not self.clear[IFIFO_CONTROL]:
                if full:  # ComBlock would raise fifo_overflow_o on the fabric side and drop the word
                    raise BoardError(f"the IP wrote to a full IN_FIFO at fabric cycle {self.cycles}")
                self.to_processor.append(wdata & 0xFFFF_FFFF)
            self.cycles += 1

    def read(self, word: int) -> int:
        self._clock(self.cycles_per_access)
        if IREG0 <= word < OREG0:
            return self.iregs[word]
        if OREG0 <= word < IFIFO_VALUE:
            return self.oregs[word - OREG0]
        if word == IFIFO_VALUE:
            if not self.to_processor:
                self.underflow = True
                return 0
            return self.to_processor.popleft()
        if word == IFIFO_STATUS:
            n = len(self.to_processor)
            status = (
                (n << 16) | (n == 0) * EMPTY_OR_FULL | (n <= self.almost) * ALMOST | self.underflow * UNDER_OR_OVERFLOW
            )
            self.underflow = False
            return status
        if word == OFIFO_STATUS:
            n = len(self.to_fabric)
            status = (
                (n << 16)
                | (n >= self.depth) * EMPTY_OR_FULL
                | (n >= self.depth - self.almost) * ALMOST
                | self.overflow * UNDER_OR_OVERFLOW
            )
            self.overflow = False
            return status
        if word in self.clear:
            return int(self.clear[word])
        raise BoardError(f"ComBlock has no readable register at word {word} (byte offset {4 * word:#x})")

    def write(self, word: int, value: int) -> None:
        self._clock(self.cycles_per_access)
        if OREG0 <= word < IFIFO_VALUE:
            self.oregs[word - OREG0] = value & 0xFFFF_FFFF
        elif word == OFIFO_VALUE:
            if len(self.to_fabric) >= self.depth:
                self.overflow = True
            elif not self.clear[OFIFO_CONTROL]:
                self.to_fabric.append(value & 0xFFFF_FFFF)
        elif word in self.clear:
            self.clear[word] = bool(value & 1)
            if self.clear[word]:
                (self.to_processor if word == IFIFO_CONTROL else self.to_fabric).clear()
        else:
            raise BoardError(f"ComBlock has no writable register at word {word} (byte offset {4 * word:#x})")

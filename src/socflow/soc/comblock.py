"""A ComBlock-compatible peripheral for a LiteX SoC: the register map of ComBlock rev 2.1 (socflow.board.comblock)
on a Wishbone bus, its two FIFOs, and the fabric-side FIFO ports socflow_top takes (socflow.board.design).

ComBlock (ICTP) is a Vivado IP: on a Xilinx board the assessment design uses it; here its behaviour as the
firmware and the driver use it is rebuilt in Migen: output registers 16-31 (OREG0 bit 0 resets the IP), IN_FIFO
(fabric -> processor) value/control/status 32/33/34, OUT_FIFO (processor -> fabric) 36/37/38; control bit 0
clears a FIFO while set; status bit 0 empty (IN) / full (OUT), bit 1 almost empty / almost full, bit 2 underflow /
overflow (sticky, cleared when read), bits 31:16 the number of words. The fabric reads the OUT_FIFO one word per
`fifo_re` with the word valid a clock later (`fifo_rvalid`), as ComBlock's FIFO does; it writes the IN_FIFO with
`fifo_we` while not `fifo_full`.
"""

from __future__ import annotations

from litex.gen import LiteXModule
from litex.soc.interconnect import wishbone
from migen import Case, Cat, ClockSignal, Constant, If, Instance, Mux, ResetInserter, Signal
from migen.genlib.fifo import SyncFIFO, SyncFIFOBuffered

from socflow.board.comblock import (
    IFIFO_CONTROL,
    IFIFO_STATUS,
    IFIFO_VALUE,
    OFIFO_CONTROL,
    OFIFO_STATUS,
    OFIFO_VALUE,
    OREG0,
)

ADDRESS_BITS = 6  # word addresses 0-63: the registers and the FIFOs


class ComBlock(LiteXModule):
    """ComBlock's processor side on a Wishbone slave (`bus`, word addressed) and its fabric side as signals,
    joined to socflow_top (the glue and the inference IP) by :meth:`attach_ip`."""

    def __init__(self, depth: int, almost: int = 1) -> None:
        self.bus = wishbone.Interface(data_width=32, address_width=30, addressing="word")
        # fabric side (the names of socflow_top's ports)
        self.fifo_re, self.fifo_rvalid, self.fifo_empty = Signal(), Signal(), Signal()
        self.fifo_rdata = Signal(32)
        self.fifo_we, self.fifo_full = Signal(), Signal()
        self.fifo_wdata = Signal(32)
        self.ip_reset = Signal()

        oregs = [Signal(32, name=f"oreg{i}") for i in range(16)]
        clear_in, clear_out = Signal(), Signal()
        # the IN_FIFO's head word in a register (SyncFIFOBuffered): its memory is then read synchronously, so it maps to
        # block RAM; a plain first-word-fall-through FIFO is read asynchronously, 1,024 words of LUT-RAM
        self.to_processor = inp = ResetInserter()(SyncFIFOBuffered(32, depth))
        self.to_fabric = out = ResetInserter()(SyncFIFO(32, depth, fwft=False))
        underflow, overflow = Signal(), Signal()
        self.comb += [
            inp.reset.eq(clear_in),
            out.reset.eq(clear_out),
            self.ip_reset.eq(oregs[0][0]),
            # fabric -> IN_FIFO (a word written while cleared is dropped, as ComBlock's)
            inp.din.eq(self.fifo_wdata),
            inp.we.eq(self.fifo_we & ~clear_in),
            self.fifo_full.eq(~inp.writable),
            # OUT_FIFO -> fabric: the word a clock after fifo_re
            out.re.eq(self.fifo_re),
            self.fifo_empty.eq(~out.readable),
            self.fifo_rdata.eq(out.dout),
        ]
        self.sync += self.fifo_rvalid.eq(self.fifo_re & out.readable)

        bus, word = self.bus, Signal(ADDRESS_BITS)
        access = Signal()
        self.comb += [word.eq(bus.adr[:ADDRESS_BITS]), access.eq(bus.cyc & bus.stb & ~bus.ack)]
        # status words: bit 0 empty / full, 1 almost, 2 underflow / overflow, 31:16 the number of words (built
        # bit by bit: an inverted flag in a 32-bit expression would be inverted at 32 bits, as Verilog widens first)
        in_status = Cat(~inp.readable, inp.level <= almost, underflow, Constant(0, 13), inp.level)
        out_status = Cat(~out.writable, out.level >= depth - almost, overflow, Constant(0, 13), out.level)
        read, write = Signal(), Signal()
        self.comb += [
            read.eq(access & ~bus.we),
            write.eq(access & bus.we),
            # a FIFO access pops or pushes in the clock it is acknowledged in
            inp.re.eq(read & (word == IFIFO_VALUE) & inp.readable),
            out.we.eq(write & (word == OFIFO_VALUE) & out.writable),
            out.din.eq(bus.dat_w),
        ]
        reads = {OREG0 + i: bus.dat_r.eq(r) for i, r in enumerate(oregs)}
        reads |= {
            IFIFO_VALUE: [bus.dat_r.eq(Mux(inp.readable, inp.dout, 0)), If(~inp.readable, underflow.eq(1))],
            IFIFO_STATUS: [bus.dat_r.eq(in_status), underflow.eq(0)],
            OFIFO_STATUS: [bus.dat_r.eq(out_status), overflow.eq(0)],
            IFIFO_CONTROL: bus.dat_r.eq(clear_in),
            OFIFO_CONTROL: bus.dat_r.eq(clear_out),
            "default": bus.dat_r.eq(0),
        }
        writes = {OREG0 + i: r.eq(bus.dat_w) for i, r in enumerate(oregs)}
        writes |= {
            OFIFO_VALUE: If(~out.writable, overflow.eq(1)),
            IFIFO_CONTROL: clear_in.eq(bus.dat_w[0]),
            OFIFO_CONTROL: clear_out.eq(bus.dat_w[0]),
        }
        self.sync += [
            bus.ack.eq(access),
            If(read, Case(word, reads)),
            If(write, Case(word, writes)),
        ]

    def attach_ip(self, reset: Signal) -> Instance:
        """socflow_top (ComBlock glue + inference IP) on this block's fabric side, reset by the system's
        `reset` or OREG0 bit 0, clocked by the system clock."""
        return Instance(
            "socflow_top",
            i_clk=ClockSignal(),
            i_rst=reset | self.ip_reset,
            o_fifo_re=self.fifo_re,
            i_fifo_rdata=self.fifo_rdata,
            i_fifo_rvalid=self.fifo_rvalid,
            i_fifo_empty=self.fifo_empty,
            o_fifo_we=self.fifo_we,
            o_fifo_wdata=self.fifo_wdata,
            i_fifo_full=self.fifo_full,
        )

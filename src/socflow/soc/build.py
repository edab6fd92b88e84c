"""The assessment SoC (the paper's Fig. 4 on open tools), built with LiteX: a VexRiscv CPU booting the firmware
from its ROM, SRAM, a UART, a cycle counter (LiteX's timer with uptime) and the ComBlock-compatible peripheral
(socflow.soc.comblock) in front of socflow_top, the glue and the inference IP; in Verilator (`sim`, with a
finish register the firmware ends the simulation with) or for an ECP5 board.

Why LiteX: it is the field's open SoC builder (boards with their pins and clocks, Wishbone and CSR buses,
simulation in Verilator, the ECP5 flow), and VexRiscv its most used CPU; PicoRV32 in a home-made SoC ran the
same firmware (shared/notes/open-implementation.md) but would have meant our own bus, UART and board support.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from litex.build.generic_platform import Pins, Subsignal
from litex.build.sim import SimPlatform
from litex.build.sim.config import SimConfig
from litex.build.sim.platform import SimFinish
from litex.soc.integration.builder import Builder
from litex.soc.integration.soc import SoCRegion
from litex.soc.integration.soc_core import SoCCore
from migen import ResetSignal
from migen.genlib.io import CRG

from socflow.soc.comblock import ComBlock

CPU = ("vexriscv", "standard")
COMBLOCK_BASE = 0x8200_0000  # in VexRiscv's uncached I/O region (0x80000000 and above)
ROM_SIZE, SRAM_SIZE = 0x2_0000, 0x4000  # ROM_SIZE: the most firmware the ROM takes (the link's limit)
MIN_ROM = 0x1000
SIM_CLOCK_HZ = 100_000_000  # what the cycle counts are converted to seconds at; the simulation counts cycles

_SIM_IO = [
    ("sys_clk", 0, Pins(1)),
    (
        "serial",
        0,
        Subsignal("source_valid", Pins(1)),
        Subsignal("source_ready", Pins(1)),
        Subsignal("source_data", Pins(8)),
        Subsignal("sink_valid", Pins(1)),
        Subsignal("sink_ready", Pins(1)),
        Subsignal("sink_data", Pins(8)),
    ),
]


def rom_size(rom: Sequence[int]) -> int:
    """The ROM's bytes: the firmware's rounded up to a power of two (block RAM comes in powers of two; the ULX3S
    SoC's 41 KB firmware takes 32 EBR, not the 64 of the largest ROM), or ROM_SIZE before the firmware is built
    (its link fails beyond ROM_SIZE)."""
    if not rom:
        return ROM_SIZE
    return max(MIN_ROM, 1 << (4 * len(rom) - 1).bit_length())


class AssessmentSoC(SoCCore):
    """VexRiscv, ROM (the firmware, `rom` 32-bit words, sized to it), SRAM, UART, timer with uptime, ComBlock +
    socflow_top; `sources` are socflow_top's HDL (socflow.board.design)."""

    def __init__(self, platform, clock_hz: int, rom: Sequence[int], sources: Sequence[Path], depth: int,
                 uart: str, simulation: bool) -> None:  # fmt: skip
        super().__init__(
            platform,
            clk_freq=clock_hz,
            ident="socflow assessment SoC",
            cpu_type=CPU[0],
            cpu_variant=CPU[1],
            integrated_rom_size=rom_size(rom),
            integrated_rom_init=list(rom),
            integrated_sram_size=SRAM_SIZE,
            uart_name=uart,
            timer_uptime=True,
        )
        if simulation:
            self.crg = CRG(platform.request("sys_clk"))  # a power-on reset, as litex_sim's
            self.sim_finish = SimFinish()
            self.comb += platform.trace.eq(0)
        self.comblock = ComBlock(depth)
        self.bus.add_slave("comblock", self.comblock.bus, SoCRegion(origin=COMBLOCK_BASE, size=0x100, cached=False))
        self.specials += self.comblock.attach_ip(ResetSignal())
        for source in sources:
            platform.add_source(str(source))


def sim_soc(rom: Sequence[int], sources: Sequence[Path], depth: int) -> AssessmentSoC:
    return AssessmentSoC(SimPlatform("SIM", list(_SIM_IO)), SIM_CLOCK_HZ, rom, sources, depth, "sim", True)


def sim_config() -> SimConfig:
    """Verilator's modules: the clock, and the UART to the simulation's standard output."""
    config = SimConfig()
    config.add_clocker("sys_clk", freq_hz=SIM_CLOCK_HZ)
    config.add_module("serial2console", "serial")
    return config


def generate(soc: AssessmentSoC, folder: Path, **build: object) -> Builder:
    """The SoC's gateware and software headers (generated/csr.h, soc.h, mem.h) in `folder`, without compiling
    LiteX's BIOS (the firmware is ours)."""
    builder = Builder(soc, output_dir=str(folder), compile_software=False, compile_gateware=False)
    builder.build(**build)
    return builder

"""FPGA parts socflow knows: capacities (to turn resource counts into % of the part) and the Yosys
`synth_xilinx -family` that maps to their fabric.

Capacities are the device tables of Xilinx's data sheets (DS180 7 series, DS190 Zynq-7000, DS891 Zynq
UltraScale+); the test suite checks them against the "Available" column of real Vivado reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from socflow.errors import ConfigError


@dataclass(frozen=True)
class Part:
    """Resources of one device (any package and speed grade). `bram36` counts 36 Kb block-RAM tiles."""

    device: str
    family: str
    lut: int
    ff: int
    dsp: int
    bram36: int

    def capacity(self, resource: str) -> float:
        """Available count of a resource named as in our reports (LUT, FF, DSP, BRAM_18K, BRAM_36K)."""
        return {"LUT": self.lut, "FF": self.ff, "DSP": self.dsp, "BRAM_18K": 2 * self.bram36, "BRAM_36K": self.bram36}[resource]


PARTS = {
    p.device: p
    for p in (
        Part("xc7a35t", "Artix-7", 20_800, 41_600, 90, 50),
        Part("xc7a50t", "Artix-7", 32_600, 65_200, 120, 75),
        Part("xc7a100t", "Artix-7", 63_400, 126_800, 240, 135),
        Part("xc7a200t", "Artix-7", 133_800, 267_600, 740, 365),
        Part("xc7z010", "Zynq-7000", 17_600, 35_200, 80, 60),
        Part("xc7z020", "Zynq-7000", 53_200, 106_400, 220, 140),
        Part("xczu3eg", "Zynq UltraScale+", 70_560, 141_120, 360, 216),
        Part("xczu7ev", "Zynq UltraScale+", 230_400, 460_800, 1_728, 312),
        Part("xczu9eg", "Zynq UltraScale+", 274_080, 548_160, 2_520, 912),
        Part("xczu48dr", "Zynq UltraScale+ RFSoC", 425_280, 850_560, 4_272, 1_080),
    )
}

# Device name at the start of a part number: xc7a100t of xc7a100tcsg324-1, xczu9eg of xczu9eg-ffvb1156-2-e.
_DEVICE = re.compile(r"^(xc7[asz]\d+t?|xczu\d+[a-z]{2}|xc[kv]u\d+p?)", re.IGNORECASE)


def device_of(part: str) -> str:
    match = _DEVICE.match(part.strip())
    if not match:
        raise ConfigError(f"part {part!r}: not a Xilinx 7-series or UltraScale(+) part number (e.g. xc7a100tcsg324-1)")
    return match[1].lower()


def part_info(part: str) -> Part | None:
    """The device's capacities, or None for a device not in :data:`PARTS` (percentages are then left out)."""
    return PARTS.get(device_of(part))


def yosys_family(part: str) -> str:
    """`synth_xilinx -family` for a part: xc7 (7 series, Zynq-7000), xcup (UltraScale+), xcu (UltraScale)."""
    device = device_of(part)
    if device.startswith("xc7"):
        return "xc7"
    if device.startswith("xczu") or device.endswith("p"):
        return "xcup"
    return "xcu"

"""FPGA parts and boards socflow knows: capacities (to turn resource counts into % of the part), the Yosys
`synth_xilinx -family` that maps to their fabric, and the boards the assessment design is built for.

Capacities are the device tables of Xilinx's data sheets (DS180 7 series, DS190 Zynq-7000, DS891 Zynq
UltraScale+); the test suite checks them against the "Available" column of real Vivado reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from socflow.errors import ConfigError
from socflow.settings import Target


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
        return {"LUT": self.lut, "FF": self.ff, "DSP": self.dsp, "BRAM_18K": 2 * self.bram36, "BRAM_36K": self.bram36}[
            resource
        ]


PARTS = {
    p.device: p
    for p in (
        Part("xc7a35t", "Artix-7", 20_800, 41_600, 90, 50),
        Part("xc7a50t", "Artix-7", 32_600, 65_200, 120, 75),
        Part("xc7a100t", "Artix-7", 63_400, 126_800, 240, 135),
        Part("xc7a200t", "Artix-7", 133_800, 267_600, 740, 365),
        Part("xc7k325t", "Kintex-7", 203_800, 407_600, 840, 445),
        Part("xc7z010", "Zynq-7000", 17_600, 35_200, 80, 60),
        Part("xc7z020", "Zynq-7000", 53_200, 106_400, 220, 140),
        Part("xczu3eg", "Zynq UltraScale+", 70_560, 141_120, 360, 216),
        Part("xczu7ev", "Zynq UltraScale+", 230_400, 460_800, 1_728, 312),
        Part("xczu9eg", "Zynq UltraScale+", 274_080, 548_160, 2_520, 912),
        Part("xczu48dr", "Zynq UltraScale+ RFSoC", 425_280, 850_560, 4_272, 1_080),
    )
}

# Xilinx families by the device name at the start of a part number (xc7a100t of xc7a100tcsg324-1, xczu9eg of
# xczu9eg-ffvb1156-2-e) and the Yosys `synth_xilinx -family` of their fabric (None: Yosys has no mapping for it).
_FAMILIES = (
    (re.compile(r"^(xc7a\d+t)", re.I), "Artix-7", "xc7"),
    (re.compile(r"^(xc7k\d+t)", re.I), "Kintex-7", "xc7"),
    (re.compile(r"^(xc7v[xh]?\d+t)", re.I), "Virtex-7", "xc7"),
    (re.compile(r"^(xc7s\d+)", re.I), "Spartan-7", "xc7"),
    (re.compile(r"^(xc7z\d+s?)", re.I), "Zynq-7000", "xc7"),
    (re.compile(r"^(xczu\d+[a-z]{2})", re.I), "Zynq UltraScale+", "xcup"),
    (re.compile(r"^(xc[kv]u\d+p)", re.I), "UltraScale+", "xcup"),
    (re.compile(r"^(xc[kv]u\d+)", re.I), "UltraScale", "xcu"),
    (re.compile(r"^(xcv[cmeph]\d+)", re.I), "Versal", None),
)
KNOWN_FAMILIES = ", ".join(dict.fromkeys(name for _, name, _ in _FAMILIES))
YOSYS_FAMILIES = ", ".join(dict.fromkeys(name for _, name, yosys in _FAMILIES if yosys))


def _family(part: str) -> tuple[str, str, str | None]:
    for pattern, family, yosys in _FAMILIES:
        match = pattern.match(part.strip())
        if match:
            return match[1].lower(), family, yosys
    raise ConfigError(
        f"part {part!r}: not a Xilinx part number of a family socflow knows ({KNOWN_FAMILIES}), e.g. xc7a100tcsg324-1"
    )


def device_of(part: str) -> str:
    """The device of a part number: xc7a100t of xc7a100tcsg324-1."""
    return _family(part)[0]


def family_of(part: str) -> str:
    """The family of a part number, e.g. Artix-7, Zynq UltraScale+."""
    return _family(part)[1]


def part_info(part: str) -> Part | None:
    """The device's capacities, or None for a device not in :data:`PARTS` (percentages are then left out)."""
    return PARTS.get(device_of(part))


def yosys_family(part: str) -> str:
    """`synth_xilinx -family` for a part: xc7 (7 series, Zynq-7000), xcup (UltraScale+), xcu (UltraScale);
    a :class:`ConfigError` naming the stage and the families it supports for a part Yosys cannot map."""
    _, family, yosys = _family(part)
    if yosys is None:
        raise ConfigError(
            f"part {part!r} ({family}): stage rtl_synth (Yosys synth_xilinx) supports {YOSYS_FAMILIES} "
            "parts; set rtl.enabled: false to leave the RTL stages out"
        )
    return yosys


@dataclass(frozen=True)
class Board:
    """A board the assessment design is built for: its part and its processor."""

    name: str
    part: str
    processor: str  # microblaze (soft core + UART), zynq7 or zynqmp (hard core)


BOARDS = {
    b.name: b
    for b in (
        Board("basys3", "xc7a35tcpg236-1", "microblaze"),
        Board("arty-a7-100", "xc7a100tcsg324-1", "microblaze"),
        Board("kc705", "xc7k325tffg900-2", "microblaze"),
        Board("pynq-z1", "xc7z020clg400-1", "zynq7"),
        Board("pynq-z2", "xc7z020clg400-1", "zynq7"),
        Board("zcu102", "xczu9eg-ffvb1156-2-e", "zynqmp"),
    )
}


def board_for(target: Target) -> Board:
    """The target's board: its `board` key, or the first known board with its part (the paper's boards first)."""
    name = target.get("board")
    if name:
        if name not in BOARDS:
            raise ConfigError(f"board {name!r} is not one of {sorted(BOARDS)}")
        board = BOARDS[name]
        if device_of(board.part) != device_of(target["part"]):
            raise ConfigError(f"board {name} carries {board.part}, the target asks for {target['part']}")
        return board
    for board in BOARDS.values():
        if board.part == target["part"]:
            return board
    raise ConfigError(
        f"no known board carries {target['part']}; set `board` ({', '.join(BOARDS)}): "
        "the assessment design (vivado_project) is built for a board"
    )

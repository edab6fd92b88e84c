"""FPGA parts and boards socflow knows: capacities (to turn resource counts into % of the part), the Yosys
synthesis that maps to their fabric, and the boards the assessment design is built for.

Xilinx capacities are the device tables of Xilinx's data sheets (DS180 7 series, DS190 Zynq-7000, DS891 Zynq
UltraScale+); the test suite checks them against the "Available" column of real Vivado reports. Lattice ECP5
capacities are those of Lattice's data sheet (FPGA-DS-02012, table 1.1: LUT4s, 18x18 multipliers, 18 Kb EBR
blocks; one flip-flop per LUT4), which the suite checks against nextpnr-ecp5's own device database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from socflow.errors import ConfigError
from socflow.settings import Target


@dataclass(frozen=True)
class Part:
    """Resources of one device (any package and speed grade): LUTs (LUT6 sites on Xilinx, LUT4s on ECP5),
    flip-flops, multipliers (DSP48 slices, ECP5's MULT18X18D) and block RAM in 18 Kb blocks (half a Xilinx
    RAMB36 tile, one ECP5 EBR)."""

    device: str
    family: str
    lut: int
    ff: int
    dsp: int
    bram18: int

    def capacity(self, resource: str) -> float:
        """Available count of a resource named as in our reports (LUT, FF, DSP, BRAM_18K)."""
        return {"LUT": self.lut, "FF": self.ff, "DSP": self.dsp, "BRAM_18K": self.bram18}[resource]


PARTS = {
    p.device: p
    for p in (
        Part("xc7a35t", "Artix-7", 20_800, 41_600, 90, 100),
        Part("xc7a50t", "Artix-7", 32_600, 65_200, 120, 150),
        Part("xc7a100t", "Artix-7", 63_400, 126_800, 240, 270),
        Part("xc7a200t", "Artix-7", 133_800, 267_600, 740, 730),
        Part("xc7k325t", "Kintex-7", 203_800, 407_600, 840, 890),
        Part("xc7z010", "Zynq-7000", 17_600, 35_200, 80, 120),
        Part("xc7z020", "Zynq-7000", 53_200, 106_400, 220, 280),
        Part("xczu3eg", "Zynq UltraScale+", 70_560, 141_120, 360, 432),
        Part("xczu7ev", "Zynq UltraScale+", 230_400, 460_800, 1_728, 624),
        Part("xczu9eg", "Zynq UltraScale+", 274_080, 548_160, 2_520, 1_824),
        Part("xczu48dr", "Zynq UltraScale+ RFSoC", 425_280, 850_560, 4_272, 2_160),
        Part("lfe5u-25f", "ECP5", 24_288, 24_288, 28, 56),
        Part("lfe5u-45f", "ECP5", 43_848, 43_848, 72, 108),
        Part("lfe5u-85f", "ECP5", 83_640, 83_640, 156, 208),
    )
}

# Families by the device name at the start of a part number (xc7a100t of xc7a100tcsg324-1, xczu9eg of
# xczu9eg-ffvb1156-2-e, lfe5u-85f of LFE5U-85F-6BG381C) and the Yosys synthesis of their fabric: the
# `synth_xilinx -family`, or ecp5 for `synth_ecp5` (None: Yosys has no mapping for it).
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
    (re.compile(r"^lfe5u(?:m5g|m)?-(25|45|85)f", re.I), "ECP5", "ecp5"),
)
KNOWN_FAMILIES = ", ".join(dict.fromkeys(name for _, name, _ in _FAMILIES))
YOSYS_FAMILIES = ", ".join(dict.fromkeys(name for _, name, yosys in _FAMILIES if yosys))


def _family(part: str) -> tuple[str, str, str | None]:
    for pattern, family, yosys in _FAMILIES:
        match = pattern.match(part.strip())
        if match:
            # the ECP5 UM / UM5G devices (with SerDes) have the fabric of the U device of their size
            device = f"lfe5u-{match[1]}f" if family == "ECP5" else match[1].lower()
            return device, family, yosys
    raise ConfigError(
        f"part {part!r}: not a part number of a family socflow knows ({KNOWN_FAMILIES}), e.g. xc7a100tcsg324-1 "
        "or LFE5U-85F-6BG381C"
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


def is_ecp5(part: str) -> bool:
    """Whether a part is a Lattice ECP5: open place and route (rtl_pnr), no Vivado or Vitis HLS stages."""
    return _family(part)[1] == "ECP5"


# The fastest clock any socflow design reaches after place and route on an ECP5 (MHz), on its fastest speed grade:
# bench/pnr.py's fastest design kind (the streaming design, pulses MLP student, 121.7 MHz on the ULX3S's speed
# grade 6) in socflow_top on an LFE5U-85F-8BG381C, nextpnr-ecp5 0.11 constrained at 200 MHz: 158.1, 157.6 and
# 154.9 MHz with seeds 1, 2, 3 (2026-12-07, docs/rtl.md). A target whose clock with rtl.timing_slack is above it
# cannot pass rtl_pnr, so socflow.config refuses it before any job (a 2 ns clock, or the schema's default 5 ns).
ECP5_FASTEST_MHZ = 158.1


# ECP5 part numbers: device, speed grade (6 slowest, 8 fastest), package (BG: caBGA, MG: csfBGA, TG: TQFP) and
# pin count, temperature grade: LFE5U-85F-6BG381C is the ULX3S's
_ECP5_PART = re.compile(r"^lfe5u(m5g|m)?-(25|45|85)f-([678])(bg|mg|tg)(\d+)[ci]$", re.I)
_ECP5_PACKAGES = {"bg": "CABGA", "mg": "CSFBGA", "tg": "TQFP"}


def nextpnr_ecp5_args(part: str) -> list[str]:
    """nextpnr-ecp5's device, package and speed options for an ECP5 part number (--85k --package CABGA381
    --speed 6 for LFE5U-85F-6BG381C); a :class:`ConfigError` for a part number without speed grade and package,
    which decide timing and placement."""
    match = _ECP5_PART.match(part.strip())
    if match is None:
        raise ConfigError(
            f"part {part!r}: an ECP5 part number with its speed grade and package, e.g. LFE5U-85F-6BG381C "
            "(ULX3S) or LFE5U-25F-8MG285C (OrangeCrab)"
        )
    kind, size, speed, package, pins = match.groups()
    device = f"--u{kind.lower()}-{size}k" if kind else f"--{size}k"
    return [device, "--package", f"{_ECP5_PACKAGES[package.lower()]}{pins}", "--speed", speed]


def yosys_family(part: str) -> str:
    """The Yosys synthesis of a part's fabric: the `synth_xilinx -family` xc7 (7 series, Zynq-7000), xcup
    (UltraScale+), xcu (UltraScale), or ecp5 (`synth_ecp5`); a :class:`ConfigError` naming the stage and the
    families it supports for a part Yosys cannot map."""
    _, family, yosys = _family(part)
    if yosys is None:
        raise ConfigError(
            f"part {part!r} ({family}): stage rtl_synth (Yosys) supports {YOSYS_FAMILIES} "
            "parts; set rtl.enabled: false to leave the RTL stages out"
        )
    return yosys


@dataclass(frozen=True)
class Board:
    """A board the assessment design is built for: its part and its processor."""

    name: str
    part: str
    processor: str  # microblaze (soft core + UART), zynq7 or zynqmp (hard core); vexriscv on the open boards


BOARDS = {
    b.name: b
    for b in (
        Board("basys3", "xc7a35tcpg236-1", "microblaze"),
        Board("arty-a7-100", "xc7a100tcsg324-1", "microblaze"),
        Board("kc705", "xc7k325tffg900-2", "microblaze"),
        Board("pynq-z1", "xc7z020clg400-1", "zynq7"),
        Board("pynq-z2", "xc7z020clg400-1", "zynq7"),
        Board("zcu102", "xczu9eg-ffvb1156-2-e", "zynqmp"),
        # open boards (ECP5): place and route, timing and bitstreams from open tools
        Board("ulx3s", "LFE5U-85F-6BG381C", "vexriscv"),
        Board("orangecrab", "LFE5U-25F-8MG285C", "vexriscv"),
    )
}


def open_soc_board(part: str) -> str | None:
    """The open board whose assessment SoC socflow builds for a part (socflow.soc.bitstream): the ULX3S, which
    carries any of the ECP5 devices in the caBGA-381 package at speed grade 6; None for other parts."""
    return "ulx3s" if is_ecp5(part) and part.upper().endswith("-6BG381C") else None


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
        if board.part.lower() == target["part"].lower():
            return board
    raise ConfigError(
        f"no known board carries {target['part']}; set `board` ({', '.join(BOARDS)}): "
        "the assessment design (vivado_project) is built for a board"
    )

"""Stage soc_bitstream: the assessment SoC (socflow.soc.build) for an open ECP5 board, its firmware in ROM and its
UART on the board's USB serial port: LiteX writes the SoC's Verilog and pin constraints (LPF) for the board, then
YoWASP's Yosys (synth_ecp5), nextpnr-ecp5 (placement and routing at the SoC clock, with the board's pins) and
ecppack (the bitstream), the same open tools as rtl_pnr, run by socflow in a folder of copies (they open no
absolute path). The post-route resources and the SoC clock's Fmax go to soc.json; a missed clock is a TimingError
(rtl.timing: warn keeps the result)."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from litex.gen import LiteXModule
from litex.soc.cores.clock import ECP5PLL
from litex_boards.platforms import radiona_ulx3s
from migen import ClockDomain, Signal

from socflow.board.design import write_top
from socflow.board.pnr import check_timing, nextpnr_report
from socflow.board.protocol import Protocol
from socflow.errors import ConfigError
from socflow.io import write_json
from socflow.parts import nextpnr_ecp5_args, open_soc_board, part_info
from socflow.rtl.synth import synthesize
from socflow.soc.build import AssessmentSoC
from socflow.soc.firmware import soc_with_firmware
from socflow.soc.needs import require_soc_tools
from socflow.tools import NEXTPNR_ECP5, open_tool_path, run_tool, tool_version

log = logging.getLogger(__name__)
BUILD_NAME = "socflow_soc"
ECPPACK = "yowasp-ecppack"
UART_BAUD = 115200
# the open boards: LiteX's platform (pins, clock) and how its bitstream is loaded
BOARDS = {
    "ulx3s": {
        "platform": lambda device: radiona_ulx3s.Platform(device=device),
        "load": "openFPGALoader --board ulx3s {bit}",
        "uart": "the ULX3S's USB port (FTDI, /dev/ttyUSB0)",
    },
}


class _Ulx3sClocks(LiteXModule):
    """The ULX3S's 25 MHz oscillator through an ECP5 PLL to the SoC clock; button F1 resets."""

    def __init__(self, platform: Any, clock_hz: float) -> None:
        self.rst = Signal()
        self.cd_sys = ClockDomain()
        self.pll = pll = ECP5PLL()
        self.comb += pll.reset.eq(platform.request("rst") | self.rst)
        pll.register_clkin(platform.request("clk25"), 25e6)
        pll.create_clkout(self.cd_sys, clock_hz)
        self.comb += platform.request("wifi_gpio0").eq(1)  # keep the ESP32 from resetting the FPGA


def board_soc(board: str, part: str, clock_hz: float, rom: Sequence[int], sources: Sequence[Path], depth: int):
    """The assessment SoC on `board` (its platform for the part's device), its UART on the board's serial pins."""
    if board not in BOARDS:
        raise ConfigError(f"no open SoC bitstream for board {board!r}: boards {sorted(BOARDS)}")
    device = part_info(part).device.upper()
    platform = BOARDS[board]["platform"](device)
    soc = AssessmentSoC(platform, int(clock_hz), rom, sources, depth, "serial", simulation=False)
    soc.crg = _Ulx3sClocks(platform, clock_hz)
    return soc


def build_bitstream(
    protocol: Protocol, verilog_dir: Path, firmware_src: Path, target: Mapping[str, Any], board: Mapping[str, Any],
    seed: int, folder: Path, logs: Mapping[str, Path],
) -> dict[str, Any]:  # fmt: skip
    """The SoC's bitstream in `folder` (BUILD_NAME.bit): LiteX's Verilog and LPF, the firmware in its ROM, then
    Yosys, nextpnr-ecp5 and ecppack, for the target's part and board at `board['soc_clock_mhz']`, ComBlock's
    FIFOs `board['fifo_depth']` deep. The post-route numbers and the seconds each step took."""
    part, clock_mhz, depth = target["part"], board["soc_clock_mhz"], board["fifo_depth"]
    name = open_soc_board(part)
    sources = write_top(protocol, verilog_dir, folder)
    start = time.perf_counter()
    soc, binary = soc_with_firmware(
        lambda rom: board_soc(name, part, 1e6 * clock_mhz, rom, sources, depth), firmware_src, folder,
        build_name=BUILD_NAME,
    )  # fmt: skip
    gateware = folder / "soc" / "gateware"
    work = folder / "pnr"
    work.mkdir()
    for memory_file in gateware.glob("*.init"):  # $readmemh reads them by name, from where Yosys runs
        shutil.copyfile(memory_file, work / memory_file.name)
    verilog = [Path(s[0]) if Path(s[0]).is_absolute() else gateware / s[0] for s in soc.platform.sources]
    synth = synthesize(verilog, BUILD_NAME, part, work, logs["yosys"], netlist=True)
    shutil.copyfile(gateware / f"{BUILD_NAME}.lpf", work / "board.lpf")
    placed = time.perf_counter()
    tool = open_tool_path(NEXTPNR_ECP5, "soc_bitstream")
    command = [
        tool, *nextpnr_ecp5_args(part), "--json", f"{BUILD_NAME}.json", "--lpf", "board.lpf", "--textcfg",
        "soc.config", "--seed", str(seed), "--timing-allow-fail", "--report", "report.json",
    ]  # fmt: skip
    run_tool(command, Path(logs["nextpnr"]).resolve(), "nextpnr-ecp5 place and route of the SoC", cwd=work)
    routed = time.perf_counter()
    pack = open_tool_path(ECPPACK, "soc_bitstream")
    run_tool([pack, "--compress", "soc.config", f"{BUILD_NAME}.bit"], folder / "ecppack.log", "ecppack", cwd=work)
    shutil.move(work / f"{BUILD_NAME}.bit", folder / f"{BUILD_NAME}.bit")
    report = nextpnr_report(work / "report.json", part)  # the PLL's output: the one timed clock
    return report | {
        "board": name,
        "part": part,
        "soc_clock_mhz": clock_mhz,
        "firmware_bytes": binary.stat().st_size,
        "synthesis": {k: synth[k] for k in ("resources", "source", "synth_seconds")},
        "seconds": {
            "litex_and_yosys": placed - start,
            "nextpnr": routed - placed,
            "ecppack": time.perf_counter() - routed,
        },
        "tools": synth["tools"] | {"nextpnr": tool_version(tool)},
    }


def soc_bitstream(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage soc_bitstream: the SoC around the student's RTL (inputs verilog, protocol, firmware) for the target's
    open board (params target: part, board; params board: soc_clock_mhz, fifo_depth; timing, seeds: rtl.timing,
    rtl.pnr_seeds, of which the SoC is placed with the first); writes outputs['bit'] and outputs['report']
    (soc.json: post-route resources, the SoC clock's Fmax and critical path, how to load the bitstream and read the
    UART), or a TimingError on a missed clock (after the numbers are logged)."""
    require_soc_tools("soc_bitstream")
    target, board = params["target"], params["board"]
    protocol = Protocol.read(inputs["protocol"])
    logs = {"yosys": Path(outputs["yosys"]), "nextpnr": Path(outputs["nextpnr"])}
    with tempfile.TemporaryDirectory(prefix="soc_bitstream-") as scratch:
        result = build_bitstream(protocol, Path(inputs["verilog"]), Path(inputs["firmware"]), target, board,
                                 params["seeds"][0], Path(scratch), logs)  # fmt: skip
        shutil.copyfile(Path(scratch) / f"{BUILD_NAME}.bit", outputs["bit"])
    name = open_soc_board(target["part"])
    how = BOARDS[name]
    result |= {
        "load": how["load"].format(bit=Path(outputs["bit"]).name),
        "uart_baud": UART_BAUD,
        "uart": f"{how['uart']}, {UART_BAUD} baud, 8N1: the firmware prints its SOCFLOW_RESULT line there",
    }
    used = {k: v["used"] for k, v in result["resources"].items()}
    log.info("SoC bitstream (%s): %s, %.1f MHz (SoC clock %.6g MHz)", name, used, result["fmax_mhz"],
             board["soc_clock_mhz"])  # fmt: skip
    check_timing(result, params["timing"], f"the SoC on the {name}")
    write_json(outputs["report"], result)
    return result

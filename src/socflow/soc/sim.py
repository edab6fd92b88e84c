"""board_eval's `soc_sim` backend: the assessment SoC (socflow.soc.build) in Verilator, its VexRiscv running the
generated Algorithm 1 firmware (socflow.soc.firmware) over every test vector against socflow_top, the IP behind
the ComBlock peripheral. The firmware checks every answer word against the golden model's (its test vectors
carry them) and says where the cycles go; it ends the simulation itself when main returns (LiteX's SimFinish).
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import time
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from socflow.board.design import write_top
from socflow.board.protocol import Protocol
from socflow.board.uart import parse_uart, require_every_answer
from socflow.errors import BoardError
from socflow.io import read_json, write_json
from socflow.soc.build import CPU, sim_config, sim_soc
from socflow.soc.firmware import soc_with_firmware
from socflow.soc.needs import require_soc_tools
from socflow.tools import run_tool, verilator_env

LITEX_VERSION = version("litex")
log = logging.getLogger(__name__)


def run_soc_sim(protocol: Protocol, verilog_dir: Path, firmware_src: Path, depth: int, folder: Path,
                timeout: float = 1800.0) -> dict[str, Any]:  # fmt: skip
    """Build the SoC around socflow_top (the student's RTL in `verilog_dir`), compile the firmware for it, Verilate
    and run it in `folder`: the firmware's numbers, the UART output and the times each step took."""
    sources = write_top(protocol, verilog_dir, folder)
    start = time.perf_counter()
    _, binary = soc_with_firmware(
        lambda rom: sim_soc(rom, sources, depth), firmware_src, folder, sim_config=sim_config()
    )
    gateware = folder / "soc" / "gateware"
    run_tool(["bash", "build_sim.sh"], folder / "verilator.log", "Verilator build of the SoC", cwd=gateware,
             env=verilator_env())  # fmt: skip
    built = time.perf_counter()
    uart = folder / "uart.log"
    with uart.open("w") as out:
        try:
            done = subprocess.run(["obj_dir/Vsim"], cwd=gateware, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, timeout=timeout, check=False)  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise BoardError(f"the SoC simulation did not end in {timeout:.0f} s; its UART: {uart}") from error
    ran = time.perf_counter()
    text = uart.read_text(errors="replace")
    if done.returncode != 0:
        raise BoardError(f"the SoC simulation failed (exit {done.returncode}); its UART output ends:\n{text[-1500:]}")
    return parse_uart(text) | {
        "build_seconds": built - start,
        "sim_seconds": ran - built,
        "firmware_bytes": binary.stat().st_size,
    }


def board_eval_soc_sim(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage board_eval, backend soc_sim: the generated firmware (inputs['firmware']) on the simulated SoC around
    the student's RTL (inputs['verilog'], inputs['ip_json']), every answer word checked by the firmware against
    the golden model's; writes outputs['result'] (with the UART output and the cycles per inference through the
    CPU beside the IP's latency), or a HardwareMismatchError with the firmware's report."""
    require_soc_tools("board_eval (soc_sim)")
    board = params["board"]
    protocol = Protocol.read(inputs["protocol"])
    ip = read_json(inputs["ip_json"])
    with tempfile.TemporaryDirectory(prefix="soc_sim-") as scratch:
        run = run_soc_sim(protocol, Path(inputs["verilog"]), Path(inputs["firmware"]), board["fifo_depth"],
                          Path(scratch))  # fmt: skip
    log.info("the SoC's UART:\n%s", run["uart"])
    require_every_answer(run, "on the simulated SoC")
    clock_hz = 1e6 * board["soc_clock_mhz"]
    per_inference = run["cycles_per_inference"]
    result = {
        "backend": "soc_sim",
        "soc": f"LiteX {LITEX_VERSION} SoC, {CPU[0]} ({CPU[1]}, rv32im), Wishbone, ComBlock-compatible peripheral",
        "ip_model": f"{ip.get('architecture', 'RTL')} RTL in socflow_top (Verilator, the whole SoC)",
        "n": run["n"],
        "agreement": run["agree"] / run["n"],
        "bit_exact_vs_golden": run["agree"] / run["n"],
        "board": {"accuracy": run["correct"] / run["n"]},
        "cycles_per_inference": per_inference,
        "cycles_send": run["cycles_send"],
        "cycles_answer": run["cycles_answer"],
        "ip_latency_clocks": ip.get("latency_clocks"),
        "soc_clock_mhz": board["soc_clock_mhz"],
        "inferences_per_second": clock_hz / per_inference,
        "firmware_bytes": run["firmware_bytes"],
        "build_seconds": run["build_seconds"],
        "sim_seconds": run["sim_seconds"],
        "uart": run["uart"],
    }
    write_json(outputs["result"], result)
    return result

"""Run the paper's Algorithm 1 on an open board (the ULX3S) with the socflow deployment package in this folder.

    python3 run_on_soc_board.py [--port /dev/ttyUSB0] [--no-load] [soc_board.json]

Opens the board's serial port (115200 baud, 8N1; pyserial), loads soc/socflow_soc.bit with the command that
soc/soc.json gives (openFPGALoader), and reads the firmware's UART until it exits. The firmware in the SoC's ROM
streams every test vector through the ComBlock peripheral to the inference IP and checks every answer word against
the model's; this writes its numbers as JSON and exits 1 when an answer differs (or the firmware did not finish).
"""

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here / "python"))

from socflow.board.uart import EXIT, parse_uart, require_every_answer  # noqa: E402
from socflow.errors import HardwareMismatchError  # noqa: E402


def read_uart(port: str, baud: int, load: list[str] | None, timeout: float) -> str:
    """The UART's text from before the bitstream is loaded (the firmware starts at once) to the firmware's exit."""
    import serial  # pyserial, on the host the board is plugged into

    text = ""
    with serial.Serial(port, baud, timeout=0.5) as uart:
        if load:
            subprocess.run(load, cwd=here / "soc", check=True)
        print(f"reading the firmware's UART on {port}", flush=True)
        end = time.monotonic() + timeout
        while not EXIT.search(text):
            if time.monotonic() > end:
                sys.exit(f"no SOCFLOW_EXIT line on {port} in {timeout:.0f} s; the UART said:\n{text[-1500:]}")
            text += uart.read(4096).decode(errors="replace")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="soc_board.json", help="where the result goes")
    parser.add_argument("--port", default="/dev/ttyUSB0", help="the board's serial port")
    parser.add_argument("--no-load", action="store_true", help="the bitstream is loaded: reset the board instead")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the firmware's exit")
    args = parser.parse_args()
    soc = json.loads((here / "soc" / "soc.json").read_text())
    load = None if args.no_load else shlex.split(soc["load"])
    run = parse_uart(read_uart(args.port, soc["uart_baud"], load, args.timeout))
    result = {k: v for k, v in run.items() if k != "uart"} | {
        "backend": f"soc_board ({soc['board']}, {soc['part']})",
        "agreement": run["agree"] / run["n"],
        "board": {"accuracy": run["correct"] / run["n"]},
        "soc_clock_mhz": soc["soc_clock_mhz"],
        "uart": run["uart"],
    }
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    print(f"{run['n']} samples: {result['agreement']:.2%} answers equal the model's, accuracy "
          f"{result['board']['accuracy']:.2%}")  # fmt: skip
    try:
        require_every_answer(run, f"on the {soc['board']}")
    except HardwareMismatchError as error:
        sys.exit(str(error))


if __name__ == "__main__":
    main()

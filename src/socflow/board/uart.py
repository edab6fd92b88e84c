"""What the Algorithm 1 firmware prints on its UART, read back: its SOCFLOW_RESULT, SOCFLOW_CYCLES and
SOCFLOW_EXIT lines, wherever it ran (compiled for the host against the emulated board, on the simulated RISC-V
SoC, on an open board's serial port). Standard library only: the deployment package carries it to the host
that reads a board's UART."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from socflow.errors import BoardError, HardwareMismatchError

RESULT = re.compile(r"SOCFLOW_RESULT n=(\d+) agree=(\d+) correct=(\d+) timeouts=(\d+)")
CYCLES = re.compile(r"SOCFLOW_CYCLES n=(\d+) send=(\d+) answer=(\d+)")
EXIT = re.compile(r"SOCFLOW_EXIT (-?\d+)")
BANNER = "socflow Algorithm 1"


def parse_uart(text: str, exit_status: int | None = None) -> dict[str, Any]:
    """The firmware's numbers from its UART output `text`: samples, answers equal to the model's, correct classes,
    timeouts, the exit status (`exit_status`, main's return on the host; on a SoC its _exit prints it:
    SOCFLOW_EXIT) and, where it counted them, the CPU cycles per inference. A BoardError where a line is missing
    (the firmware did not run to its end)."""
    result, exit_line = RESULT.search(text), EXIT.search(text)
    if not result or (exit_status is None and not exit_line):
        raise BoardError(f"the firmware's output has no result and exit lines; it ends:\n{text[-1500:]}")
    n, agree, correct, timeouts = map(int, result.groups())
    status = exit_status if exit_status is not None else int(exit_line.group(1))
    found = {"exit": status, "n": n, "agree": agree, "correct": correct, "timeouts": timeouts}
    cycles = CYCLES.search(text)
    if cycles:
        _, send, answer = map(int, cycles.groups())
        found |= {"cycles_send": send / n, "cycles_answer": answer / n, "cycles_per_inference": (send + answer) / n}
    return found | {"uart": text[text.index(BANNER) :] if BANNER in text else text}


def require_every_answer(run: Mapping[str, Any], where: str) -> None:
    """A :class:`HardwareMismatchError` with the firmware's report unless it found every answer word equal to the
    golden model's, with no timeout and exit 0 (`where`: e.g. "on the simulated SoC")."""
    if run["exit"] != 0 or run["agree"] != run["n"] or run["timeouts"]:
        raise HardwareMismatchError(
            f"{where} the firmware found {run['n'] - run['agree']} of {run['n']} answers different from the golden "
            f"model's ({run['timeouts']} timeouts, exit {run['exit']}); its UART output:\n" + run["uart"][-1500:]
        )

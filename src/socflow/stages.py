"""Which stages rule `all` runs: a stage that needs a tool runs where the tool is found (or where the config
forces it with ``toolchain: force``); rule `all_stages` asks for every stage, so ``snakemake -n all_stages``
shows the whole graph. A stage that runs without its tool stops at once with a named error.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from socflow.errors import ToolNotFoundError

# hls4ml 1.3 drives Vitis HLS through `vitis-run` (Vitis 2024.1 and later) and Vivado HLS through `vivado_hls`.
HLS_TOOLS = {"Vitis": "vitis-run", "Vivado": "vivado_hls"}


def tool_available(tool: str, which: Callable[[str], str | None] = shutil.which) -> bool:
    """Whether a vendor tool is on PATH."""
    return which(tool) is not None


def require_tool(tool: str, stage: str, which: Callable[[str], str | None] = shutil.which) -> str:
    """Path of ``tool``, or a :class:`ToolNotFoundError` that names the tool and the setting to change."""
    path = which(tool)
    if path is None:
        raise ToolNotFoundError(
            f"stage {stage!r} needs {tool!r}, which is not on PATH: source the vendor's settings script "
            f"(e.g. settings64.sh) so that {tool} is found, or set `toolchain: auto` (or `off`) in the "
            "config to leave this stage out"
        )
    return path


def include_stage(
    stage: str, toolchain: str, tool: str | None = None, which: Callable[[str], str | None] = shutil.which
) -> tuple[bool, str]:
    """Whether rule `all` asks for ``stage``, and why (the reason the report shows for a left-out stage)."""
    if tool is None:
        return True, "runs here"
    if toolchain == "off":
        return False, f"needs {tool}; toolchain: off"
    if toolchain == "force":
        return True, f"needs {tool}; toolchain: force"
    if tool_available(tool, which):
        return True, f"{tool} found"
    return False, f"{tool} not found on PATH (toolchain: auto)"

"""The workflow's stages: which are implemented, which vendor tool each needs, and which rule `all` runs.

Rule `all` asks only for stages that are implemented and whose tool the machine has (or that the
config forces with ``toolchain: force``); rule `all_stages` asks for every stage, so
``snakemake -n all_stages`` shows the whole graph.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

from socflow.errors import StageNotImplementedError, ToolNotFoundError

# hls4ml 1.3 drives Vitis HLS through `vitis-run` (Vitis 2024.1 and later) and Vivado HLS through `vivado_hls`.
HLS_TOOLS = {"Vitis": "vitis-run", "Vivado": "vivado_hls"}


@dataclass(frozen=True)
class Stage:
    """One stage of the workflow (one Snakemake rule)."""

    name: str
    implemented: bool
    issue: int | None = None  # the issue that implements it, while it is not implemented


STAGES: dict[str, Stage] = {
    s.name: s
    for s in (
        Stage("prepare_data", True),
        Stage("tune_teacher", True),
        Stage("train_teacher", True),
        Stage("import_teacher", True),
        Stage("tune_student", True),
        Stage("train_student", True),
        Stage("hls_convert", True),
        Stage("hls_csim", True),
        Stage("hls_synth", True),
        Stage("rtl_generate", True),
        Stage("rtl_sim", True),
        Stage("rtl_synth", True),
        Stage("vivado_project", True),
        Stage("vivado_bitstream", True),
        Stage("board_protocol", True),
        Stage("board_firmware", True),
        Stage("board_eval", True),
        Stage("board_eval_pynq", False, 8),
        Stage("board_package", True),
        Stage("report", True),
    )
}


def not_implemented(stage: str) -> None:
    """Raise the named error of a stage that is wired but not implemented yet."""
    issue = STAGES[stage].issue
    raise StageNotImplementedError(
        f"stage {stage!r} is not implemented yet (issue #{issue}); run `snakemake` (rule all) for the "
        "implemented stages"
    )


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
    if not STAGES[stage].implemented:
        return False, f"not implemented yet (issue #{STAGES[stage].issue})"
    if tool is None:
        return True, "runs here"
    if toolchain == "off":
        return False, f"needs {tool}; toolchain: off"
    if toolchain == "force":
        return True, f"needs {tool}; toolchain: force"
    if tool_available(tool, which):
        return True, f"{tool} found"
    return False, f"{tool} not found on PATH (toolchain: auto)"

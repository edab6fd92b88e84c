"""Stage selection of rule all: vendor tools found, forced or switched off."""

import pytest

from socflow.errors import ToolNotFoundError
from socflow.stages import include_stage, require_tool


def nothing(_tool):
    return None


def everything(tool):
    return f"/opt/xilinx/bin/{tool}"


def test_stage_that_runs_anywhere_is_included():
    assert include_stage("prepare_data", "auto", None, nothing) == (True, "runs here")


@pytest.mark.parametrize(
    "toolchain,which,included,reason",
    [
        ("auto", nothing, False, "vivado not found on PATH (toolchain: auto)"),
        ("auto", everything, True, "vivado found"),
        ("force", nothing, True, "needs vivado; toolchain: force"),
        ("off", everything, False, "needs vivado; toolchain: off"),
    ],
)
def test_vendor_stage_follows_toolchain_and_path(toolchain, which, included, reason):
    assert include_stage("vivado_bitstream", toolchain, "vivado", which) == (included, reason)


def test_missing_tool_error_names_tool_and_setting():
    with pytest.raises(ToolNotFoundError, match=r"'hls_synth' needs 'vitis_hls'.*toolchain: auto"):
        require_tool("vitis_hls", "hls_synth", nothing)
    assert require_tool("vivado", "vivado_bitstream", everything) == "/opt/xilinx/bin/vivado"

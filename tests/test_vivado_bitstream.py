"""Stage vivado_bitstream: named errors before any time is spent."""

from __future__ import annotations

import pytest

from conftest import (
    BOARD,
)
from socflow.errors import ConfigError, ToolNotFoundError
from socflow.vivado.bitstream import vivado_bitstream


def test_bitstream_needs_vivado_then_the_comblock_repo(tmp_path, monkeypatch):
    outputs, params = (
        {"utilization": str(tmp_path / "u.json")},
        {"target": {"part": "xc7a35tcpg236-1", "clock_period": 10.0}, "board": BOARD},
    )
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(ToolNotFoundError, match="'vivado', which is not on PATH"):
        vivado_bitstream(inputs={"project": str(tmp_path)}, params=params, outputs=outputs)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "vivado").write_text("#!/bin/sh\nexit 1\n")
    (tmp_path / "bin" / "vivado").chmod(0o755)
    with pytest.raises(ConfigError, match="board.comblock_repo is None"):
        vivado_bitstream(inputs={"project": str(tmp_path)}, params=params, outputs=outputs)
    assert not (tmp_path / "work").exists()  # stopped before spending any time

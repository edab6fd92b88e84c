"""socflow.tools: the one runner of external tools (log file, named error with the log's tail)."""

from __future__ import annotations

import sys

import pytest

from socflow.errors import ToolError
from socflow.tools import run_tool


def test_a_tool_that_succeeds_leaves_its_output_in_the_log(tmp_path):
    seconds = run_tool([sys.executable, "-c", "print('hello')"], tmp_path / "logs" / "t.log", "saying hello")
    assert seconds >= 0 and "hello" in (tmp_path / "logs" / "t.log").read_text()


def test_a_failing_tool_is_named_with_the_tail_of_its_log(tmp_path):
    script = "import sys; [print(f'line {i}', flush=True) for i in range(100)]; sys.exit('cannot go on')"
    with pytest.raises(ToolError) as info:
        run_tool(
            [sys.executable, "-c", script], tmp_path / "t.log", "counting lines", cwd=tmp_path, env={"PATH": "/usr/bin"}
        )
    message = str(info.value)
    assert message.startswith(
        f"counting lines: `{sys.executable}` failed (exit 1); last lines of {tmp_path / 't.log'}:"
    )
    assert "line 99" in message and "cannot go on" in message and "line 10\n" not in message

"""Vendor Tcl scripts checked without the vendor tool: the script runs under tclsh with every command tclsh does
not know (the tool's) recorded instead of executed, so a test or a stage can assert that it runs to the end and
what it asks the tool to do."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from socflow.errors import ToolNotFoundError
from socflow.tools import run_tool

PRELUDE = r"""
set ::sf_log [open $::env(SF_DRY_LOG) w]
proc sf_record {args} { puts $::sf_log [join $args "\x1f"]; flush $::sf_log }
rename file sf_tcl_file
proc file {sub args} {
    if {$sub in {copy mkdir delete}} { sf_record file $sub {*}$args ; return }
    return [sf_tcl_file $sub {*}$args]
}
"""


def dry_run_tcl(
    script: str | Path, cwd: str | Path, env: Mapping[str, str] | None = None, answers: Mapping[str, str] | None = None
) -> list[list[str]]:
    """Run `script` in `cwd` under tclsh; the recorded calls (command and arguments), or a named error with the
    script's own message. `answers`: Tcl bodies (with `$args`) giving the few tool commands whose results the
    script uses a plausible answer; every other tool command returns "". File copies, folders and deletions are
    recorded, not made."""
    tclsh = shutil.which("tclsh")
    if tclsh is None:
        raise ToolNotFoundError("tclsh not found: run tools/install-system-packages.sh (Debian package tcl)")
    cases = "".join(f"        {cmd} {{ {body} }}\n" for cmd, body in (answers or {}).items())
    unknown = (
        "proc unknown {cmd args} {\n    sf_record $cmd {*}$args\n    switch -- $cmd {\n"
        f'{cases}        default {{ return "" }}\n    }}\n}}\n'
    )
    with tempfile.TemporaryDirectory() as scratch:
        wrapper, record = Path(scratch) / "dry_run.tcl", Path(scratch) / "calls.txt"
        wrapper.write_text(PRELUDE + unknown + f"source {{{Path(script).resolve()}}}\n")
        run_tool(
            [tclsh, str(wrapper)],
            Path(scratch) / "tclsh.log",
            f"{script} under tclsh",
            cwd=cwd,
            env=dict(os.environ, **(env or {}), SF_DRY_LOG=str(record)),
        )
        return [line.split("\x1f") for line in record.read_text().splitlines()] if record.exists() else []

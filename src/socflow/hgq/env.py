"""Where HGQ2 is installed, and running a stage under it.

Why a folder and not a second virtual environment: the hgq2 wheel ships a top-level ``qkeras`` package (its
compatibility layer) that would overwrite QKeras 0.9.0 in .venv, while everything else HGQ2 needs (TensorFlow
2.21, Keras 3.15.1, quantizers, da4ml) is already there at the versions pyproject.toml pins. So `make install`
puts hgq2 alone (``pip install --no-deps --target .venv-hgq``, envs/hgq.txt) in a folder that only the HGQ2 jobs
put first on PYTHONPATH: one TensorFlow and one da4ml for both kinds of students, nothing to keep in step.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from socflow import PACKAGE
from socflow.errors import ToolError, ToolNotFoundError

FOLDER = ".venv-hgq"  # the Makefile's HGQ
VARIABLE = "SOCFLOW_HGQ"  # a folder elsewhere (a cluster's shared install)
INSIDE = "SOCFLOW_IN_HGQ"  # set in the child: the stage runs here rather than starting another child
SOURCE = PACKAGE.parent  # the folder holding this socflow, first after HGQ2 so the child runs the same code


def hgq_path() -> Path:
    """The folder HGQ2 is installed in: $SOCFLOW_HGQ, else .venv-hgq in the working folder (the workflow's) or
    in the checkout this socflow comes from; a :class:`ToolNotFoundError` naming `make install` when absent."""
    if VARIABLE in os.environ:
        candidates = [Path(os.environ[VARIABLE])]
    else:
        candidates = list(dict.fromkeys([Path.cwd() / FOLDER, SOURCE.parent / FOLDER]))
    for folder in candidates:
        if (folder / "hgq" / "__init__.py").is_file():
            return folder.resolve()
    raise ToolNotFoundError(
        f"student.quantizer: hgq needs HGQ2, which is not installed in {' or '.join(map(str, candidates))}: run "
        f"`make install` (it installs envs/hgq.txt into {FOLDER}), or set {VARIABLE} to the folder holding it"
    )


def require_hgq(experiments: Mapping[str, Mapping[str, Any]]) -> None:
    """When the workflow is planned: an experiment with an HGQ2 student (student.quantizer: hgq) finds HGQ2
    installed, else :func:`hgq_path`'s ToolNotFoundError naming `make install`, before the data and the teacher
    are made for a student that could not be trained."""
    if any(experiment["student"]["quantizer"] == "hgq" for experiment in experiments.values()):
        hgq_path()


def hgq_environment(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a process that runs HGQ2: its folder, then this socflow, first on PYTHONPATH; Keras 3 on
    TensorFlow (TF_USE_LEGACY_KERAS, which socflow._keras sets for Keras 2, removed)."""
    env = dict(os.environ if env is None else env)
    path = [str(hgq_path()), str(SOURCE), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(path))
    env["KERAS_BACKEND"] = "tensorflow"
    env.pop("TF_USE_LEGACY_KERAS", None)
    env[INSIDE] = "1"
    return env


def in_hgq(stage: Callable[..., Any], **job: Any) -> Any:
    """Run ``stage(**job)`` under HGQ2: here when this process is already an HGQ2 child, else in a child process
    (this interpreter, :func:`hgq_environment`) whose output goes where this process's goes (the rule's log).
    `job` is the stage's keyword arguments (JSON); the child's return value comes back through a JSON file."""
    if os.environ.get(INSIDE) == "1":
        return stage(**job)
    with tempfile.TemporaryDirectory(prefix="socflow-hgq-") as scratch:
        request, answer = Path(scratch) / "job.json", Path(scratch) / "answer.json"
        request.write_text(json.dumps({"stage": f"{stage.__module__}:{stage.__qualname__}", "job": job}))
        sys.stdout.flush()
        sys.stderr.flush()
        done = subprocess.run(
            [sys.executable, "-m", "socflow.hgq.env", str(request), str(answer)], env=hgq_environment(), check=False
        )
        if done.returncode != 0:
            raise ToolError(
                f"the HGQ2 process of {stage.__qualname__} failed (exit {done.returncode}); its traceback is above"
            )
        return json.loads(answer.read_text())


def _child(request: Path, answer: Path) -> None:
    """The child's side of :func:`in_hgq`: import the stage by name, run it, write what it returns."""
    order = json.loads(request.read_text())
    module, name = order["stage"].split(":")
    stage = getattr(importlib.import_module(module), name)
    answer.write_text(json.dumps(stage(**order["job"]), default=str))


if __name__ == "__main__":
    _child(Path(sys.argv[1]), Path(sys.argv[2]))

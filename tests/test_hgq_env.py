"""The HGQ2 folder beside .venv: QKeras 0.9.0 intact in .venv, Keras 3 and HGQ2 in the HGQ2 processes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from socflow.errors import ToolNotFoundError
from socflow.hgq.env import hgq_environment, hgq_path, in_hgq

PROBE = "import keras, qkeras; print(keras.__version__, getattr(qkeras, '__version__', '-'), qkeras.__file__)"


def _probe(env: dict[str, str] | None, code: str = PROBE) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.slow
def test_qkeras_in_the_main_environment_is_qkeras_0_9_0():
    from importlib.metadata import version

    assert version("qkeras") == "0.9.0"
    _, qkeras_version, where = _probe(None, "import qkeras; print('-', qkeras.__version__, qkeras.__file__)")
    assert qkeras_version == "0.9.0" and str(hgq_path()) not in where


@pytest.mark.slow
def test_the_hgq_processes_import_hgq2_on_keras_3():
    env = hgq_environment()
    keras_version, _, qkeras_file = _probe(env)
    assert keras_version == "3.15.1"
    assert qkeras_file.startswith(str(hgq_path()))  # HGQ2's compatibility layer, not QKeras 0.9.0
    (hgq_file,) = _probe(env, "import hgq; print(hgq.__file__)")
    assert hgq_file.startswith(str(hgq_path()))


def test_a_missing_hgq_install_names_make_install(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCFLOW_HGQ", str(tmp_path))
    with pytest.raises(ToolNotFoundError, match="make install"):
        hgq_path()


def keras_version_in(value: int) -> dict[str, object]:
    """A stage for the round trip below: what it ran on."""
    import keras

    return {"keras": keras.__version__, "value": value + 1}


@pytest.mark.slow
def test_in_hgq_runs_a_stage_in_an_hgq_process_and_returns_its_answer(root, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(root / "tests"))  # this module, for the child to import
    assert in_hgq(keras_version_in, value=1) == {"keras": "3.15.1", "value": 2}

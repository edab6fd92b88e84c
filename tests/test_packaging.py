"""The Keras 2 set-up, and the conda env file pinned like pyproject.toml."""

import re
import sys
import tomllib

import yaml


def test_keras_resolves_to_tf_keras_for_every_library():
    from socflow._keras import keras

    import keras as plain_keras
    from keras_tuner.src.backend.config import multi_backend

    assert keras.__name__ == "tf_keras" and plain_keras is keras
    assert keras.__version__.startswith("2.")
    assert not multi_backend()  # keras-tuner takes its Keras 2 path
    import qkeras

    assert issubclass(qkeras.QDense, keras.layers.Dense)


def test_no_module_imports_keras_directly(root):
    offenders = []
    for path in (root / "src" / "socflow").rglob("*.py"):
        if path.name == "_keras.py":
            continue
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if re.match(r"(import|from) (tf_)?keras(\s|\.|$)", stripped):
                offenders.append(f"{path.name}: {stripped}")
    assert not offenders


def test_conda_env_pins_equal_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    pinned = {d for d in project["dependencies"] if "==" in d}
    env = yaml.safe_load((root / "envs" / "socflow.yaml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pinned == {p for p in pip if "==" in p}
    assert f"python={sys.version_info.major}" in " ".join(str(d) for d in env["dependencies"])

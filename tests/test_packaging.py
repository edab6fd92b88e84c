"""The Keras 2 set-up, and the conda env file pinned like pyproject.toml."""

import re
import sys

import pytest
import tomllib
import yaml

from socflow.fingerprint import STAGES  # the data-flow order the fingerprint follows imports back in


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
        if path.name == "_keras.py" or path.relative_to(root / "src" / "socflow").as_posix() == "hgq/keras3.py":
            continue  # Keras 2 for the workflow; Keras 3 for the HGQ2 processes only
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


BASE = {
    "errors",
    "io",
    "fixed",
    "parts",
    "budget",
    "config",
    "names",
    "families",
    "settings",
    "plan",
    "tools",
    "metrics",
    "models",
    "smk",
    "_keras",
    "kd",
    "fingerprint",
    "__init__",
}


def package_imports(root):
    """{stage package or base module: the socflow packages and base modules it imports}, from the source text
    (resources/ is data: the PYNQ driver it ships imports the board package on the board)."""
    graph = {}
    package = root / "src" / "socflow"
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[0] == "resources":
            continue
        for match in re.finditer(r"^\s*(?:from|import) socflow\.([a-z_0-9]+)", path.read_text(), re.M):
            if match[1] != parts[0]:
                graph.setdefault(parts[0], set()).add(match[1])
    return graph


def test_the_import_graph_flows_one_way(root):
    graph = package_imports(root)
    assert set(graph) <= BASE | set(STAGES)
    assert {
        unit: deps - BASE for unit, deps in graph.items() if unit in BASE and deps - BASE
    } == {}  # the base knows no stage
    # a stage uses the stages before it in the data flow; train draws its curves with report.figures, and report
    # imports no stage; a budgeted search costs its trials with rtl.cost, and rtl imports no train: no cycle
    order = {s: i for i, s in enumerate(STAGES)}
    later = {(u, d) for u, deps in graph.items() if u in order for d in deps if d in order and order[d] > order[u]}
    assert later == {("train", "report"), ("train", "rtl")} and graph["report"] <= BASE and "train" not in graph["rtl"]


@pytest.mark.slow
def test_a_regular_install_carries_the_templates(root, tmp_path):
    """A wheel (a regular, non-editable install) holds the package data the stages read."""
    import subprocess
    import zipfile

    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(root)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("socflow-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "socflow/resources/config.schema.yaml",
        "socflow/resources/cost_models.json",
        "socflow/resources/hls/socflow_ip.cpp",
        "socflow/resources/hls/export_ip.tcl",
        "socflow/resources/vivado/assessment.tcl",
        "socflow/resources/hdl/socflow_axis.v",
        "socflow/resources/firmware/socflow_algorithm1.c",
        "socflow/resources/deploy/run_on_board.py",
        "socflow/resources/xilinx_api/xil_io.h",
        "socflow/plan.py",
        "socflow/train/trials.py",
    }
    assert expected <= names


def test_ruff_is_clean(root):
    import subprocess

    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "src", "tests", "bench", "workflow/scripts"],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


# the workflow through Snakemake, its cluster profile, the install, the documentation
WORKFLOW_TESTS = {"workflow", "slurm", "packaging", "docs", "bench"}


def test_every_test_file_is_named_after_the_module_it_tests(root):
    """tests/test_<a>_<b>.py tests socflow/<a>/<b>.py (or socflow/<a>_<b>.py, socflow/<a>.py), a longer name being
    one aspect of that module; the others test the workflow as a whole."""
    package = root / "src" / "socflow"
    modules = {
        "_".join(p.relative_to(package).with_suffix("").parts)
        for p in package.rglob("*.py")
        if p.name != "__init__.py" and "resources" not in p.parts
    }
    unnamed = [
        path.name
        for path in (root / "tests").glob("test_*.py")
        if (stem := path.stem.removeprefix("test_")) not in WORKFLOW_TESTS
        and not any(stem == m or stem.startswith(f"{m}_") for m in modules)
    ]
    assert unnamed == []


def test_every_error_socflow_raises_is_one_of_its_named_errors(root):
    """A user meets socflow's errors (socflow.errors), each naming what is at fault; Python's ValueError is left
    for a caller passing a wrong argument to a function, never for a config, a file or a tool."""
    import socflow.errors

    named = {name for name, value in vars(socflow.errors).items() if isinstance(value, type)} - {"SocflowError"}
    raised = {}
    for path in (root / "src" / "socflow").rglob("*.py"):
        for match in re.finditer(r"^\s*raise ([A-Z]\w*)\(", path.read_text(), re.M):
            raised.setdefault(match[1], []).append(path.name)
    assert set(raised) - named - {"ValueError"} == set(), raised
    assert sorted(raised.get("ValueError", [])) == ["_keras.py"]  # threads < 1

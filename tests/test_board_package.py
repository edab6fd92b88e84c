"""Stage board_package: a reproducible deployment package whose driver runs without TensorFlow."""

from __future__ import annotations

from conftest import (
    BOARD,
    INPUT,
    firmware_of,
    student_files,
)
from socflow.board.comblock import (
    EmulatedComBlock,
)
from socflow.board.rtl_fabric import RtlFabric


def test_deployment_package_holds_a_working_driver(board_setup, student, tmp_path):
    import subprocess
    import sys
    import zipfile

    from socflow.board.package import board_package
    from socflow.board.pynq import run_deployed
    from socflow.vivado.project import vivado_project

    ip = {"verilog": str(board_setup["out"] / "verilog")}
    fw = firmware_of(student, board_setup["paths"]["json"], ip, tmp_path / "fw", 20)
    vivado_project(
        inputs=ip | {"protocol": board_setup["paths"]["json"]},
        params={"target": {"part": "xc7z020clg400-1", "clock_period": 10.0}, "board": BOARD},
        outputs={"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")},
    )
    inputs = student_files(student) | ip
    inputs |= {"protocol": board_setup["paths"]["json"], "header": board_setup["paths"]["header"], "firmware": str(fw)}
    inputs |= {"vivado": str(tmp_path / "vivado")}
    for name in ("a.zip", "b.zip"):
        board_package(inputs=inputs, params={"input_precision": INPUT}, outputs={"package": str(tmp_path / name)})
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()  # reproducible
    zipfile.ZipFile(tmp_path / "a.zip").extractall(tmp_path / "pkg")
    names = {str(p.relative_to(tmp_path / "pkg")) for p in (tmp_path / "pkg").rglob("*") if p.is_file()}
    assert {
        "run_on_board.py",
        "protocol.json",
        "vectors.npz",
        "firmware/socflow_algorithm1.c",
        "vivado/assessment.tcl",
        "python/socflow/board/pynq.py",
    } <= names

    fabric = RtlFabric(board_setup["library"])
    result = run_deployed(tmp_path / "pkg", EmulatedComBlock(fabric))
    fabric.close()
    assert result["bit_exact_vs_golden"] == result["agreement"] == 1.0 and result["n"] == 200
    # the packaged driver imports on its own, without TensorFlow or the rest of socflow
    code = (
        "import sys; sys.path.insert(0, 'python'); import socflow.board.pynq as p; "
        "assert p.__file__.startswith(sys.path[0]) or 'pkg' in p.__file__; print('tensorflow' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "pkg", capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr

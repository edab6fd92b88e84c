"""Stage board_package: a reproducible deployment package whose driver runs without TensorFlow."""

from __future__ import annotations

import pytest

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
from socflow.io import read_json, write_json


@pytest.mark.slow
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


UART = (
    "socflow Algorithm 1: 4 test vectors, 30 words in, 5 words out\r\n{mismatch}"
    "SOCFLOW_CYCLES n=4 send=1832 answer=1088\r\nSOCFLOW_RESULT n=4 agree={agree} correct=3 timeouts=0\r\n"
    "SOCFLOW_EXIT {status}\r\n"
)


@pytest.mark.slow
def test_the_open_socs_package_reads_the_firmwares_uart(board_setup, student, tmp_path):
    """A target with an open-SoC bitstream: its package carries the bitstream, soc.json and run_on_soc_board.py,
    which reads the firmware's UART (here a pseudo-terminal standing for the board's USB serial port) to its exit
    line, writes the numbers and exits 1 when the firmware found an answer that differs."""
    import os
    import pty
    import subprocess
    import sys
    import zipfile

    from socflow.board.package import board_package

    ip = {"verilog": str(board_setup["out"] / "verilog")}
    fw = firmware_of(student, board_setup["paths"]["json"], ip, tmp_path / "fw", 4)
    (tmp_path / "socflow_soc.bit").write_bytes(b"\xff\x00")  # the package copies it, nothing reads it here
    report = {"board": "ulx3s", "part": "LFE5U-85F-6BG381C", "soc_clock_mhz": 50.0, "uart_baud": 115200,
              "load": "openFPGALoader --board ulx3s socflow_soc.bit"}  # fmt: skip
    write_json(tmp_path / "soc.json", report)
    inputs = student_files(student) | ip | {"firmware": str(fw)}  # an ECP5 part: no Vivado project
    inputs |= {"protocol": board_setup["paths"]["json"], "header": board_setup["paths"]["header"]}
    inputs |= {"soc_bit": str(tmp_path / "socflow_soc.bit"), "soc_report": str(tmp_path / "soc.json")}
    write_json(tmp_path / "pnr.json", {"fmax_mhz": 112.3, "target_mhz": 100.0, "meets_slack": True})
    inputs["pnr"] = str(tmp_path / "pnr.json")  # rtl_pnr's report, which the package waits for on an ECP5
    board_package(inputs=inputs, params={"input_precision": INPUT}, outputs={"package": str(tmp_path / "p.zip")})
    zipfile.ZipFile(tmp_path / "p.zip").extractall(tmp_path / "pkg")
    assert (tmp_path / "pkg" / "soc" / "socflow_soc.bit").read_bytes() == b"\xff\x00"
    assert read_json(tmp_path / "pkg" / "pnr.json")["fmax_mhz"] == 112.3  # the clock the packaged design reaches
    assert not (tmp_path / "pkg" / "vivado").exists() and not (tmp_path / "pkg" / "run_on_board.py").exists()

    def run(uart: str) -> subprocess.CompletedProcess:
        board, port = pty.openpty()
        script = [sys.executable, "run_on_soc_board.py", "--no-load", "--port", os.ttyname(port), "--timeout", "20"]
        pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
        child = subprocess.Popen(script, cwd=tmp_path / "pkg", **pipes)
        assert child.stdout.readline().startswith("reading the firmware's UART on /dev/pts/")
        os.write(board, uart.encode())
        out, err = child.communicate(timeout=60)
        os.close(board), os.close(port)
        return subprocess.CompletedProcess(script, child.returncode, out, err)

    done = run(UART.format(mismatch="", agree=4, status=0))
    assert done.returncode == 0, done.stderr
    result = read_json(tmp_path / "pkg" / "soc_board.json")
    assert (result["n"], result["agreement"], result["cycles_per_inference"]) == (4, 1.0, 730)
    assert result["backend"] == "soc_board (ulx3s, LFE5U-85F-6BG381C)" and "SOCFLOW_EXIT 0" in result["uart"]
    done = run(UART.format(mismatch="sample 2: class 0, model says 1 (label 1)\r\n", agree=3, status=1))
    assert done.returncode == 1 and "on the ulx3s the firmware found 1 of 4 answers different" in done.stderr

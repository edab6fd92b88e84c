"""Bare-metal firmware of the assessment design: the generated C of Algorithm 1 (resources/firmware/) with
this model's protocol.h and test vectors (inputs, the model's answer words, the labels).

The same C runs here against the emulated board: compiled with the host stand-ins of the few Xilinx BSP calls
it makes (resources/xilinx_api/), its register accesses go to the software ComBlock through ctypes callbacks,
so a broken template or a firmware that disagrees with the Python driver fails the tests and board_eval.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow import RESOURCES
from socflow.board.comblock import EmulatedComBlock
from socflow.board.protocol import Protocol
from socflow.board.uart import parse_uart
from socflow.budget import deployed_input, student_choices
from socflow.hgq.files import for_student
from socflow.io import atomic_path
from socflow.tools import run_tool

SOURCE = RESOURCES / "firmware" / "socflow_algorithm1.c"
XILINX_API = RESOURCES / "xilinx_api"


def _c_array(name: str, values: np.ndarray) -> str:
    """A C array of u32 (one row per line for a 2-D array)."""

    def row(values: np.ndarray) -> str:
        return "{" + ", ".join(f"{int(v):#x}u" for v in values) + "}"

    body = ",\n    ".join(map(row, values)) if values.ndim == 2 else row(values)[1:-1]
    return f"static const u32 {name}{''.join(f'[{n}]' for n in values.shape)} = {{\n    {body}\n}};\n"


def test_vectors_header(words: np.ndarray, expected: np.ndarray, labels: np.ndarray) -> str:
    return "".join(
        [
            "/* socflow test vectors, generated from the test set and the model: do not edit. */\n",
            '#ifndef SOCFLOW_TEST_VECTORS_H\n#define SOCFLOW_TEST_VECTORS_H\n#include "xil_types.h"\n',
            f"#define SF_N_SAMPLES {len(words)}\n",
            _c_array("sf_inputs", words),
            _c_array("sf_expected", expected),
            _c_array("sf_labels", labels),
            "#endif\n",
        ]
    )


def write_firmware(
    protocol: Protocol, words: np.ndarray, expected: np.ndarray, labels: np.ndarray, out_dir: str | Path
) -> Path:
    """The firmware folder: socflow_algorithm1.c, protocol.h, test_vectors.h."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, out / SOURCE.name)
    for name, text in (
        ("protocol.h", protocol.c_header()),
        ("test_vectors.h", test_vectors_header(words, expected, labels)),
    ):
        with atomic_path(out / name) as tmp:
            tmp.write_text(text)
    return out


def compile_for_host(firmware_dir: str | Path, build_dir: str | Path) -> Path:
    """The firmware with the host BSP stand-ins, as a shared library (its main renamed socflow_firmware_main)."""
    library = Path(build_dir) / "libfirmware.so"
    command = [
        "gcc",
        "-std=c99",
        "-O1",
        "-Wall",
        "-Werror",
        "-fPIC",
        "-shared",
        "-Dmain=socflow_firmware_main",
        f"-I{XILINX_API}",
        f"-I{firmware_dir}",
        str(Path(firmware_dir) / SOURCE.name),
        str(XILINX_API / "host_bsp.c"),
        "-o",
        str(library),
    ]
    run_tool(command, Path(build_dir) / "gcc.log", "the generated firmware does not compile against the Xilinx BSP API")
    return library


READ = ctypes.CFUNCTYPE(ctypes.c_uint32, ctypes.c_uint32)
WRITE = ctypes.CFUNCTYPE(None, ctypes.c_uint32, ctypes.c_uint32)


def run_on_emulator(library: str | Path, device: EmulatedComBlock) -> dict[str, Any]:
    """Run the compiled firmware against the emulated board; its UART output and SOCFLOW_RESULT numbers."""
    lib = ctypes.CDLL(str(library))
    read, write = READ(device.read), WRITE(device.write)
    lib.host_bind(read, write)
    with tempfile.TemporaryFile(mode="w+") as uart:
        saved = os.dup(1)
        os.dup2(uart.fileno(), 1)
        try:
            status = lib.socflow_firmware_main()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        uart.seek(0)
        output = uart.read()
    return parse_uart(output, int(status))


def board_firmware(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> Path:
    """Stage board_firmware: the firmware folder (outputs['firmware']) for the first params `samples` test
    samples (MicroBlaze's local memory is small: 256 samples of the 1D task take 36 KB of vectors), expecting the
    answers of the rule's IP model (ip_model.ip_files: the golden fixed-point model of the RTL, or the C
    simulation of the hls4ml project; an HGQ2 student's in the HGQ2 process, socflow.hgq.files.for_student)."""
    job = {"inputs": dict(inputs), "params": dict(params), "outputs": dict(outputs), "threads": threads}
    return Path(for_student(inputs["model"], _board_firmware, **job))


def _board_firmware(
    inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int
) -> str:
    """The stage, in the process its student needs: the firmware folder."""
    from socflow.board.ip_model import ip_files, ip_vectors

    protocol = Protocol.read(inputs["protocol"])
    input_precision = deployed_input(params["input_precision"], student_choices(inputs))
    vectors = ip_vectors(
        ip_files(inputs), inputs["model"], protocol, inputs["test"], input_precision, params["samples"]
    )
    return str(write_firmware(protocol, vectors.words, vectors.expected, vectors.labels, outputs["firmware"]))

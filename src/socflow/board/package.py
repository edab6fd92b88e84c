"""Stage board_package: a deployment package per target, like FINN's: everything a board needs to run
Algorithm 1 and write the same JSON as board_eval, zipped.

    protocol.json, protocol.h, summary.json   the protocol and the class names
    vectors.npz                               test words, the model's answer words, labels
    python/socflow/...                        the driver: protocol, ComBlock, Algorithm 1, PYNQ transport
    firmware/                                 bare-metal C (MicroBlaze / Zynq standalone; RISC-V on the open SoC)
    vivado/, run_on_board.py                  a Xilinx part's: the assessment design's Tcl project (hdl/,
                                              settings.tcl), the entry point on a PYNQ board
    design.bit, design.hwh                    when vivado_bitstream ran
    soc/socflow_soc.bit, soc/soc.json,        when soc_bitstream ran: the open SoC's bitstream, how to load it,
    run_on_soc_board.py                       and the entry point that loads it and reads the firmware's UART
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import socflow.board.algorithm1
import socflow.board.comblock
import socflow.board.pynq
import socflow.board.uart
import socflow.errors
import socflow.fixed
import socflow.io
import socflow.metrics
from socflow import PACKAGE, RESOURCES
from socflow.board.protocol import Protocol
from socflow.budget import deployed_input, student_choices
from socflow.hgq.files import for_student
from socflow.io import atomic_path, save_npz

HARDWARE = ("bit", "hwh")  # the bitstream and its hardware handoff, when vivado_bitstream ran
SOC = {"soc_bit": "socflow_soc.bit", "soc_report": "soc.json"}  # the open SoC's, when soc_bitstream ran
# the driver the package carries, numpy only (it runs on the board): modules, imported here, so that a renamed one
# fails at once and the rule's code fingerprint (socflow.fingerprint) covers what the package ships
DRIVER = [
    socflow,
    socflow.errors,
    socflow.fixed,
    socflow.io,
    socflow.metrics,
    socflow.board,
    socflow.board.protocol,
    socflow.board.comblock,
    socflow.board.algorithm1,
    socflow.board.pynq,
    socflow.board.uart,
]


def board_package(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> Path:
    """Stage board_package: write the zip (outputs['package'], fixed timestamps: the same inputs give the same
    bytes); the expected answers are those of the rule's IP model (as for board_eval) that the package's design
    carries, the bitstream and its hardware handoff included where the rule has them (inputs 'bit', 'hwh'), the open
    SoC's bitstream and report likewise (inputs 'soc_bit', 'soc_report'), and on an ECP5 the place-and-route report
    the design passed (input 'pnr', pnr.json: the clock it reaches). An HGQ2 student's runs in the HGQ2 process,
    which computes its expected answers (socflow.hgq.files.for_student)."""
    job = {"inputs": dict(inputs), "params": dict(params), "outputs": dict(outputs), "threads": threads}
    return Path(for_student(inputs["model"], _board_package, **job))


def _board_package(
    inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int
) -> str:
    """The stage, in the process its student needs: the zip's path."""
    from socflow.board.ip_model import ip_files, ip_vectors

    protocol_json, output = inputs["protocol"], outputs["package"]
    hardware = [inputs[k] for k in (*HARDWARE, "pnr") if k in inputs]
    input_precision = deployed_input(params["input_precision"], student_choices(inputs))
    vectors = ip_vectors(
        ip_files(inputs), inputs["model"], Protocol.read(protocol_json), inputs["test"], input_precision
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for module in DRIVER:
            name = Path(module.__file__).relative_to(PACKAGE)
            (root / "python" / "socflow" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(module.__file__, root / "python" / "socflow" / name)
        for path in (protocol_json, inputs["header"], inputs["summary"], *hardware):
            shutil.copyfile(path, root / Path(path).name)
        shutil.copytree(inputs["firmware"], root / "firmware")
        if "vivado" in inputs:  # a Xilinx part's: the design, and the entry point on a PYNQ board
            shutil.copytree(inputs["vivado"], root / "vivado")
            shutil.copyfile(RESOURCES / "deploy" / "run_on_board.py", root / "run_on_board.py")
        if "soc_bit" in inputs:
            (root / "soc").mkdir()
            for key, name in SOC.items():
                shutil.copyfile(inputs[key], root / "soc" / name)
            shutil.copyfile(RESOURCES / "deploy" / "run_on_soc_board.py", root / "run_on_soc_board.py")
        save_npz(root / "vectors.npz", {"words": vectors.words, "expected": vectors.expected, "labels": vectors.labels})
        with atomic_path(output) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".snakemake")):
                info = zipfile.ZipInfo(str(path.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return str(output)

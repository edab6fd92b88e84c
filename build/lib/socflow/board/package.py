"""Stage board_package: a deployment package per target, like FINN's: everything a board needs to run
Algorithm 1 and write the same JSON as board_eval, zipped.

    protocol.json, protocol.h, summary.json   the protocol and the class names
    vectors.npz                               test words, the model's answer words, labels
    python/socflow/...                        the driver: protocol, ComBlock, Algorithm 1, PYNQ transport
    run_on_board.py                           the entry point on a PYNQ board
    firmware/                                 bare-metal C (MicroBlaze / Zynq standalone)
    vivado/                                   the assessment design's Tcl project (hdl/, settings.tcl)
    design.bit, design.hwh                    when vivado_bitstream ran
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from socflow import PACKAGE, RESOURCES
from socflow.board.protocol import Protocol
from socflow.io import atomic_path, save_npz

SOURCES = PACKAGE
DRIVER = [
    "__init__.py",
    "errors.py",
    "fixed.py",
    "io.py",
    "metrics.py",
    "board/__init__.py",
    "board/protocol.py",
    "board/comblock.py",
    "board/algorithm1.py",
    "board/pynq.py",
]  # numpy only: runs on the board


def board_package(
    ip: Mapping[str, str],
    protocol_json: str,
    protocol_h: str,
    summary_json: str,
    firmware_dir: str,
    vivado_dir: str,
    model_path: str,
    test_path: str,
    input_precision: str,
    hardware: Sequence[str],
    output: str,
) -> Path:
    """Write the zip (fixed timestamps: the same inputs give the same bytes); the expected answers are those of
    the IP model `ip` (as for board_eval) that the package's design carries."""
    from socflow.board.ip_model import ip_vectors

    vectors = ip_vectors(ip, model_path, Protocol.read(protocol_json), test_path, input_precision)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for name in DRIVER:
            (root / "python" / "socflow" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SOURCES / name, root / "python" / "socflow" / name)
        for path in (protocol_json, protocol_h, summary_json, RESOURCES / "deploy" / "run_on_board.py", *hardware):
            shutil.copyfile(path, root / Path(path).name)
        shutil.copytree(firmware_dir, root / "firmware")
        shutil.copytree(vivado_dir, root / "vivado")
        save_npz(root / "vectors.npz", {"words": vectors.words, "expected": vectors.expected, "labels": vectors.labels})
        with atomic_path(output) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".snakemake")):
                info = zipfile.ZipInfo(str(path.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    return Path(output)

"""ComBlock on a PYNQ board (PYNQ-Z1/Z2, ZCU102): the overlay's hardware handoff (.hwh) names ComBlock's
AXI-Lite port and its address; MMIO reads and writes 32-bit words there. `pynq` is imported only here, when a
real board is used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import ComBlock
from socflow.board.protocol import Protocol
from socflow.errors import BoardError
from socflow.io import read_json
from socflow.metrics import classification_metrics


class PynqTransport:
    def __init__(self, bitfile: str | Path, name: str = "comblock_0") -> None:
        from pynq import MMIO, Overlay  # only on the board

        self.overlay = Overlay(str(bitfile))
        matches = [entry for key, entry in self.overlay.ip_dict.items() if key.split("/")[0] == name]
        if not matches:
            raise BoardError(f"{bitfile}: no IP {name!r} in the overlay (IPs: {sorted(self.overlay.ip_dict)})")
        self.mmio = MMIO(matches[0]["phys_addr"], matches[0]["addr_range"])

    def read(self, word: int) -> int:
        return int(self.mmio.read(4 * word))

    def write(self, word: int, value: int) -> None:
        self.mmio.write(4 * word, int(value) & 0xFFFF_FFFF)


def evaluate_run(
    protocol: Protocol,
    transport: Any,
    words: np.ndarray,
    expected: np.ndarray,
    labels: np.ndarray,
    class_names: list[str],
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Algorithm 1 over `words` through `transport`; every answer word compared with the model's (`expected`),
    accuracy against the labels. The summary, and per sample: the answers, class agreement, word equality."""
    run = algorithm1(ComBlock(transport), protocol, words)
    exact = np.all(run.answers == expected, axis=1)
    classes, _ = protocol.decode(run.answers)
    check = {"answers": run.answers, "agree": classes == expected[:, 0], "exact": exact}
    return {
        "n": int(len(exact)),
        "agreement": float((classes == expected[:, 0]).mean()),
        "bit_exact_vs_golden": float(exact.mean()),
        "first_mismatch": int(np.argmin(exact)) if not exact.all() else None,
        "board": classification_metrics(labels, classes, class_names),
        "host_seconds": run.seconds,
        "seconds_per_inference": run.seconds / len(exact),
    }, check


def run_deployed(package: str | Path, transport: Any) -> dict[str, Any]:
    """Algorithm 1 with a deployment package's protocol and vectors; the same JSON fields as board_eval."""
    package = Path(package)
    vectors = np.load(package / "vectors.npz")
    result, _ = evaluate_run(
        Protocol.read(package / "protocol.json"),
        transport,
        vectors["words"],
        vectors["expected"],
        vectors["labels"],
        read_json(package / "summary.json")["class_names"],
    )
    return {"backend": "pynq"} | result

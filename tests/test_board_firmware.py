"""Stage board_firmware: the bare-metal C of Algorithm 1, compiled against the BSP API and run on the emulated board."""

from __future__ import annotations

import numpy as np
import pytest

from socflow.board.comblock import (
    EmulatedComBlock,
)
from socflow.board.firmware import compile_for_host, run_on_emulator, write_firmware
from socflow.board.rtl_fabric import RtlFabric
from socflow.board.vectors import expected_words
from socflow.errors import ToolError
from socflow.io import read_xy


@pytest.mark.slow
def test_generated_firmware_runs_algorithm1_on_the_emulated_board(board_setup, student, tmp_path, capfd):
    """The C firmware, compiled against the BSP API declarations, agrees with the model on every vector; with one
    expected word altered, it reports exactly that sample and exits 1."""
    protocol, words = board_setup["protocol"], board_setup["words"][:40]
    expected = expected_words(protocol, board_setup["golden"][:40])
    labels = read_xy(student / "test.npz")[1][:40]
    fw = write_firmware(protocol, words, expected, labels, tmp_path / "fw")
    assert {p.name for p in fw.iterdir()} == {"socflow_algorithm1.c", "protocol.h", "test_vectors.h"}
    fabric = RtlFabric(board_setup["library"])
    result = run_on_emulator(compile_for_host(fw, tmp_path), EmulatedComBlock(fabric))
    fabric.close()
    assert (result["exit"], result["n"], result["agree"], result["timeouts"]) == (0, 40, 40, 0)
    assert result["correct"] == int((expected[:, 0] == labels).sum())

    expected[13, 0] = (expected[13, 0] + 1) % protocol.n_classes
    write_firmware(protocol, words, expected, labels, tmp_path / "bad")
    fabric = RtlFabric(board_setup["library"])
    result = run_on_emulator(compile_for_host(tmp_path / "bad", tmp_path / "bad"), EmulatedComBlock(fabric))
    fabric.close()
    assert (result["exit"], result["agree"]) == (1, 39) and "sample 13: class" in result["uart"]


@pytest.mark.slow
def test_a_broken_firmware_template_fails_to_compile(board_setup, tmp_path, monkeypatch):
    import socflow.board.firmware as firmware

    broken = tmp_path / "socflow_algorithm1.c"
    broken.write_text(firmware.SOURCE.read_text().replace("Xil_Out32(", "Xil_Write32("))
    monkeypatch.setattr(firmware, "SOURCE", broken)
    fw = write_firmware(
        board_setup["protocol"],
        board_setup["words"][:2],
        expected_words(board_setup["protocol"], board_setup["golden"][:2]),
        np.zeros(2, int),
        tmp_path / "fw",
    )
    with pytest.raises(ToolError, match="does not compile against the Xilinx BSP API"):
        compile_for_host(fw, tmp_path)

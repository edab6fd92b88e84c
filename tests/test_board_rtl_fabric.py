"""The emulated board's fabric: socflow_stream around the student's RTL (da4ml and folded) under Verilator, every
answer bit-exact; a latency one clock short is caught."""

from __future__ import annotations

import pytest

from conftest import (
    BOARD,
    RTL_TARGET,
    generate,
    protocol_of,
)
from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import (
    ComBlock,
    EmulatedComBlock,
)
from socflow.board.evaluate import compare
from socflow.board.rtl_fabric import RtlFabric, build


def run_board(board_setup, library=None, depth=1024):
    fabric = RtlFabric(library or board_setup["library"])
    try:
        return algorithm1(
            ComBlock(EmulatedComBlock(fabric, depth=depth)), board_setup["protocol"], board_setup["words"]
        ).answers
    finally:
        fabric.close()


@pytest.mark.slow
def test_wrapper_and_rtl_answer_every_sample_bit_exactly(board_setup):
    check = compare(board_setup["protocol"], run_board(board_setup), board_setup["golden"], board_setup["reference"])
    assert check["agree"].all() and check["exact"].all() and len(check["classes"]) == 200


@pytest.mark.slow
def test_a_fifo_shallower_than_a_frame_still_works(board_setup):
    """30 words through a 4-word FIFO: the wrapper drains it while the processor writes."""
    check = compare(
        board_setup["protocol"], run_board(board_setup, depth=4), board_setup["golden"], board_setup["reference"]
    )
    assert check["exact"].all()


@pytest.mark.slow
def test_one_clock_less_latency_is_caught(board_setup, tmp_path):
    """The wrapper waits exactly the RTL's latency; one clock less reads the pipeline early, and the score
    check sees it even where the class happens to agree."""
    library = build(
        board_setup["out"] / "verilog",
        board_setup["protocol"],
        tmp_path,
        jobs=2,
        latency=board_setup["protocol"].latency_clocks - 1,
    )
    check = compare(
        board_setup["protocol"], run_board(board_setup, library), board_setup["golden"], board_setup["reference"]
    )
    assert not check["exact"].all()


@pytest.mark.parametrize(
    "target,core",
    [
        ({"reuse_factor": 12}, "vector"),
        ({"reuse_factor": 40}, "serial"),
        ({"reuse_factor": 30, "rtl_architecture": "stream"}, "serial"),
    ],
)
@pytest.mark.slow
def test_emulated_board_with_the_folded_rtl(board_setup, student, tmp_path, target, core):
    """The folded cores behind socflow_stream, started by model_valid with the whole input (R < n_inputs) or
    fed a value per word (R >= n_inputs, and the streaming design): every answer bit-exact on the emulated
    board; one clock less latency reads the vector core too early."""

    generate(student, tmp_path, RTL_TARGET | target)
    protocol, _ = protocol_of(tmp_path / "rtl.json", student, tmp_path, BOARD)
    assert protocol.core == core
    folded = dict(board_setup, protocol=protocol)
    library = build(tmp_path / "verilog", protocol, tmp_path / "sim", jobs=2)
    check = compare(protocol, run_board(folded, library), board_setup["golden"], board_setup["reference"])
    assert check["exact"].all() and check["agree"].all()
    if core == "vector":  # a serial core answers sooner than rtl.json's latency when the words come apart
        early = build(tmp_path / "verilog", protocol, tmp_path / "early", jobs=2, latency=protocol.latency_clocks - 1)
        assert not compare(protocol, run_board(folded, early), board_setup["golden"], board_setup["reference"])[
            "exact"
        ].all()

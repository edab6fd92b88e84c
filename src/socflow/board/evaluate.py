"""Stage board_eval: Algorithm 1 on the whole test set through the ComBlock driver, answer by answer against
the model. Emulated board: the software ComBlock in front of socflow's stream wrapper and the student's RTL,
Verilated (the same HDL that goes into the bitstream)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import ComBlock, EmulatedComBlock
from socflow.board.firmware import compile_for_host, run_on_emulator
from socflow.board.protocol import Protocol
from socflow.board.rtl_fabric import RtlFabric, build
from socflow.errors import HardwareMismatchError
from socflow.evaluate import classification_metrics
from socflow.fixed import FixedType
from socflow.io import read_json, read_xy, write_json

log = logging.getLogger(__name__)


def compare(protocol: Protocol, answers: np.ndarray, golden: np.ndarray, reference: np.ndarray) -> dict[str, Any]:
    """Agreement of the board's classes with the model's, and of its scores with the golden fixed-point model."""
    classes, scores = protocol.decode(answers)
    agree = classes == reference.argmax(axis=1)
    exact = np.ones(len(classes), bool) if scores is None else np.all(scores == golden, axis=1)
    exact &= classes == golden.argmax(axis=1)
    return {"classes": classes, "agree": agree, "exact": exact}


def board_eval(
    verilog_dir: str, protocol_json: str, firmware_dir: str, model_path: str, test_path: str, summary_path: str,
    input_precision: str, board: Mapping[str, Any], threads: int, scratch: str | Path, outputs: Mapping[str, str],
) -> dict[str, Any]:
    """Run Algorithm 1 on the emulated board twice, with the Python driver over the whole test set and with
    the generated bare-metal firmware over its test vectors, and write outputs['result'].

    Raises :class:`HardwareMismatchError` naming the first mismatching sample when the classes agree with the
    QKeras model on fewer than `board['min_agreement']` of the samples, or a score differs from the golden model.
    """
    from socflow.rtl import golden_predict
    from socflow.training import load_model

    protocol = Protocol.read(protocol_json)
    x, y = read_xy(test_path)
    in_type = FixedType.parse(input_precision)
    xq = in_type.quantize(x)
    model = load_model(model_path)
    reference = np.asarray(model.predict(xq.astype(np.float32), batch_size=1024, verbose=0), dtype=np.float64)
    golden = golden_predict(model, xq, in_type)

    library = build(verilog_dir, protocol, Path(scratch) / "board", threads)
    fabric = RtlFabric(library)
    device = EmulatedComBlock(fabric, depth=board["fifo_depth"])
    try:
        run = algorithm1(ComBlock(device), protocol, protocol.encode(xq))
    finally:
        fabric.close()
    firmware = run_firmware(firmware_dir, library, board, Path(scratch) / "firmware")
    check = compare(protocol, run.answers, golden, reference)
    summary = read_json(summary_path)
    result = {
        "backend": "emulated",
        "ip_model": "RTL: socflow_stream wrapper + da4ml Verilog, Verilator",
        "n": int(len(y)),
        "agreement": float(check["agree"].mean()),
        "bit_exact_vs_golden": float(check["exact"].mean()),
        "board": classification_metrics(y, check["classes"], summary["class_names"]),
        "qkeras_accuracy": float((reference.argmax(axis=1) == y).mean()),
        "fabric_cycles_per_inference": device.cycles / len(y),
        "host_seconds": run.seconds,
        "protocol": read_json(protocol_json),
        "firmware": {k: v for k, v in firmware.items() if k != "uart"},
    }
    log.info("board (emulated): agreement %.4f, bit-exact %.4f, %.0f fabric cycles per inference",
             result["agreement"], result["bit_exact_vs_golden"], result["fabric_cycles_per_inference"])
    for key, what, threshold in (("agree", "agree with the QKeras model", board["min_agreement"]), ("exact", "equal the golden fixed-point model", 1.0)):
        share = float(check[key].mean())
        if share < threshold:
            first = int(np.argmin(check[key]))
            raise HardwareMismatchError(
                f"the board's answers {what} on {share:.2%} of {len(y)} test samples (needed {threshold:.0%}); first "
                f"mismatch at test sample {first}: answer words {run.answers[first].tolist()}, QKeras class "
                f"{reference[first].argmax()}, golden scores {golden[first].tolist()}"
            )
    if firmware["exit"] != 0 or firmware["agree"] != firmware["n"]:
        raise HardwareMismatchError(
            f"the generated firmware, run against the emulated board, found {firmware['n'] - firmware['agree']} of "
            f"{firmware['n']} answers different from the model's ({firmware['timeouts']} timeouts); its UART output:\n"
            + firmware["uart"][-1500:]
        )
    write_json(outputs["result"], result)
    return result


def run_firmware(firmware_dir: str | Path, library: Path, board: Mapping[str, Any], build_dir: Path) -> dict[str, Any]:
    """The generated firmware, compiled for the host, against a fresh emulated board on the same fabric."""
    build_dir.mkdir(parents=True, exist_ok=True)
    fabric = RtlFabric(library)
    try:
        return run_on_emulator(compile_for_host(firmware_dir, build_dir), EmulatedComBlock(fabric, depth=board["fifo_depth"]))
    finally:
        fabric.close()


def write_protocol(rtl_json: str, board: Mapping[str, Any], outputs: Mapping[str, str]) -> Protocol:
    """Stage board_protocol: the protocol of this model and target, as JSON (host) and C header (firmware)."""
    from socflow.io import atomic_path

    protocol = Protocol.for_rtl(read_json(rtl_json), board["send_scores"])
    protocol.write(outputs["json"])
    with atomic_path(outputs["header"]) as tmp:
        tmp.write_text(protocol.c_header())
    return protocol


def board_eval_pynq(
    bitfile: str, protocol_json: str, model_path: str, test_path: str, summary_path: str, input_precision: str,
    board: Mapping[str, Any], output: str,
) -> dict[str, Any]:
    """board_eval on a real PYNQ board (Snakemake running on the board): Algorithm 1 through the overlay's
    ComBlock, every answer word against the model's; fails like the emulated board does."""
    from socflow.board.pynq import PynqTransport, evaluate_run
    from socflow.board.vectors import model_vectors

    protocol = Protocol.read(protocol_json)
    vectors = model_vectors(protocol, model_path, test_path, input_precision)
    result = {"backend": "pynq", "bitstream": bitfile} | evaluate_run(
        protocol, PynqTransport(bitfile), vectors.words, vectors.expected, vectors.labels, read_json(summary_path)["class_names"])
    if result["agreement"] < board["min_agreement"] or result["bit_exact_vs_golden"] < 1.0:
        first = result["first_mismatch"]
        raise HardwareMismatchError(
            f"the board's answers equal the model's on {result['bit_exact_vs_golden']:.2%} of {result['n']} test samples "
            f"(classes {result['agreement']:.2%}); first mismatch at test sample {first}: expected words "
            f"{vectors.expected[first].tolist()}"
        )
    write_json(output, result)
    return result

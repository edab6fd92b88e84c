"""Stage board_eval: Algorithm 1 on the whole test set through the ComBlock driver, answer by answer against
the model. Emulated board: the software ComBlock in front of a bit-accurate IP model (socflow's stream wrapper
and the student's RTL, Verilated: the same HDL that goes into the bitstream; or the hls4ml C simulation where
the student has no RTL). On a PYNQ board: the overlay's ComBlock."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import ComBlock, EmulatedComBlock
from socflow.board.firmware import compile_for_host, run_on_emulator
from socflow.board.ip_model import ip_files, ip_model, ip_vectors
from socflow.board.protocol import Protocol
from socflow.board.uart import require_every_answer
from socflow.budget import deployed_input, student_choices
from socflow.fixed import FixedType
from socflow.hgq.files import for_student, is_hgq_student, load_student
from socflow.io import read_json, read_xy, write_json
from socflow.metrics import classification_metrics, predict_classes, require_agreement
from socflow.settings import BoardSettings

log = logging.getLogger(__name__)


def compare(protocol: Protocol, answers: np.ndarray, golden: np.ndarray, reference: np.ndarray) -> dict[str, Any]:
    """Agreement of the board's classes with the model's, and of its scores with the golden fixed-point model."""
    classes, scores = protocol.decode(answers)
    agree = classes == reference.argmax(axis=1)
    exact = np.ones(len(classes), bool) if scores is None else np.all(scores == golden, axis=1)
    exact &= classes == golden.argmax(axis=1)
    return {"classes": classes, "agree": agree, "exact": exact}


def board_eval(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage board_eval: Algorithm 1 on the board of params `backend` (the emulated board, or a PYNQ board
    Snakemake runs on) over the test set, every answer checked; writes outputs['result']. An HGQ2 student's runs in
    the HGQ2 process, which loads it (socflow.hgq.files.for_student)."""
    evaluate = board_eval_pynq if params["backend"] == "pynq" else board_eval_emulated
    job = {"inputs": dict(inputs), "params": dict(params), "outputs": dict(outputs), "threads": threads}
    return for_student(inputs["model"], evaluate, **job)


def board_eval_emulated(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Run Algorithm 1 on the emulated board twice, with the Python driver over the whole test set and with
    the generated bare-metal firmware (inputs['firmware']) over its test vectors, and write outputs['result'].
    The rule's IP files name the IP model: 'verilog' (da4ml or folded RTL) or 'hls_config' and 'project' (the
    hls4ml project).

    Raises :class:`HardwareMismatchError` naming the first mismatching sample when the classes agree with the
    student model (QKeras or HGQ2) on fewer than `board['min_agreement']` of the samples, or an answer word differs
    from the IP model's reference (golden fixed-point model or C simulation).
    """
    board = params["board"]
    input_precision = deployed_input(params["input_precision"], student_choices(inputs))
    protocol = Protocol.read(inputs["protocol"])
    x, y = read_xy(inputs["test"])
    xq = FixedType.parse(input_precision).quantize(x)
    model = load_student(inputs["model"])
    kind = "HGQ2" if is_hgq_student(model) else "QKeras"
    summary = read_json(inputs["summary"])
    qkeras, _ = predict_classes(model, xq.astype(np.float32))
    with tempfile.TemporaryDirectory(prefix="board_eval-") as scratch:
        ip_sim = ip_model(ip_files(inputs), protocol, model, input_precision, Path(scratch), threads)
        golden = ip_sim.reference(xq)

        fabric = ip_sim.fabric()
        device = EmulatedComBlock(fabric, depth=board["fifo_depth"])
        try:
            run = algorithm1(ComBlock(device), protocol, protocol.encode(xq))
        finally:
            fabric.close()
        firmware = run_firmware(inputs["firmware"], ip_sim.fabric(), board, Path(scratch) / "firmware")
    check = compare(protocol, run.answers, golden, qkeras)
    result = {
        "backend": "emulated",
        "ip_model": ip_sim.name,
        "n": int(len(y)),
        "agreement": float(check["agree"].mean()),
        "bit_exact_vs_golden": float(check["exact"].mean()),
        "board": classification_metrics(y, check["classes"], summary["class_names"]),
        "qkeras_accuracy": float((qkeras.argmax(axis=1) == y).mean()),
        "fabric_cycles_per_inference": device.cycles / len(y),
        "host_seconds": run.seconds,
        "protocol": dataclasses.asdict(protocol),
        "firmware": {k: v for k, v in firmware.items() if k != "uart"},
    }
    log.info(
        "board (emulated, %s): agreement %.4f, bit-exact %.4f, %.0f fabric cycles per inference",
        ip_sim.name,
        result["agreement"],
        result["bit_exact_vs_golden"],
        result["fabric_cycles_per_inference"],
    )

    def detail(i: int) -> str:
        return (
            f"answer words {run.answers[i].tolist()}, {kind} class {qkeras[i].argmax()}, "
            f"reference scores {golden[i].tolist()}"
        )

    require_agreement(
        check["agree"],
        board["min_agreement"],
        f"the board's answers agree with the {kind} model",
        detail,
        "board.min_agreement",
    )
    require_agreement(check["exact"], 1.0, "the board's answers equal the IP model's reference", detail)
    require_every_answer(firmware, "run against the emulated board,")
    write_json(outputs["result"], result)
    return result


def run_firmware(firmware_dir: str | Path, fabric: Any, board: BoardSettings, build_dir: Path) -> dict[str, Any]:
    """The generated firmware, compiled for the host, against a fresh emulated board around `fabric`."""
    build_dir.mkdir(parents=True, exist_ok=True)
    try:
        return run_on_emulator(
            compile_for_host(firmware_dir, build_dir), EmulatedComBlock(fabric, depth=board["fifo_depth"])
        )
    finally:
        fabric.close()


def board_eval_pynq(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """board_eval on a real PYNQ board (Snakemake running on the board): Algorithm 1 through the overlay's
    ComBlock (the bitstream inputs['bit']), every answer word against the IP model's (as for the emulated board);
    fails like the emulated board does."""
    from socflow.board.pynq import PynqTransport, evaluate_run

    board, bitfile = params["board"], inputs["bit"]
    input_precision = deployed_input(params["input_precision"], student_choices(inputs))
    protocol = Protocol.read(inputs["protocol"])
    vectors = ip_vectors(ip_files(inputs), inputs["model"], protocol, inputs["test"], input_precision)
    result, check = evaluate_run(
        protocol,
        PynqTransport(bitfile),
        vectors.words,
        vectors.expected,
        vectors.labels,
        read_json(inputs["summary"])["class_names"],
    )
    result = {"backend": "pynq", "bitstream": bitfile} | result

    def detail(i: int) -> str:
        return f"answer words {check['answers'][i].tolist()}, expected words {vectors.expected[i].tolist()}"

    require_agreement(
        check["agree"],
        board["min_agreement"],
        "the board's answers agree with the model's classes",
        detail,
        "board.min_agreement",
    )
    require_agreement(check["exact"], 1.0, "the board's answers equal the IP model's words", detail)
    write_json(outputs["result"], result)
    return result

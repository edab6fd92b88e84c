"""Stage rtl_sim: the student's Verilog under Verilator on the whole test set, against our golden model (bit
for bit) and the QKeras model (argmax), with latency and initiation interval measured (an HGQ2 student, in the
HGQ2 process, against its own quantized forward pass, which is its golden model: socflow.rtl.quantized):

- da4ml's fully parallel design takes one sample per clock (da4ml's emulator), and is also checked against
  da4ml's own software model;
- socflow's folded design takes a sample every II clocks, as a vector or one value per clock (R >= n_inputs,
  and the streaming design), and so does the conv design (one value per clock), in socflow.rtl.harness: each
  answer's clock edge is recorded, so the latency is measured, must be the same for every sample and equal
  rtl.json's (the board's protocol waits that long); II is shown to be tight by a run one clock faster, which
  must lose or corrupt answers or let the latency drift.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.budget import deployed_input, deployed_target, student_choices
from socflow.errors import HardwareMismatchError
from socflow.fixed import FixedType
from socflow.hgq.files import for_student, is_hgq_student, load_student
from socflow.io import differing_files, read_json, read_xy, write_json
from socflow.metrics import classification_metrics, input_accuracy_loss, predict_classes, require_agreement
from socflow.rtl.designs import generate, verilog_sources
from socflow.rtl.harness import Testbench, pack
from socflow.rtl.parallel import latency_clocks, verilog_model
from socflow.rtl.quantized import TOP, architecture, golden_predict
from socflow.settings import Rtl, Target
from socflow.tools import use_verilator, verilator_version

log = logging.getLogger(__name__)


def _same_verilog(regenerated: Path, verilog_dir: str) -> None:
    differing = differing_files(regenerated, verilog_dir, "**/src/**/*.v")
    if differing:
        raise HardwareMismatchError(
            f"{verilog_dir}: the Verilog differs from the simulated one in {differing[:5]}; rerun rtl_generate"
        )


def simulate_parallel(
    model: Any, xq: np.ndarray, in_type: FixedType, target: Target, rtl: Rtl,
    verilog_dir: str, threads: int, scratch: Path,
) -> tuple[np.ndarray, dict[str, Any]]:  # fmt: skip
    """da4ml's emulator of the Verilog, one sample per clock: outputs, and what else was checked."""
    verilog, comb, pipeline = verilog_model(model, in_type, target, rtl, scratch / "rtl")
    _same_verilog(scratch / "rtl", verilog_dir)
    start = time.perf_counter()
    verilog.compile(nproc=threads, openmp=False)
    compile_seconds = time.perf_counter() - start
    flat = xq.reshape(len(xq), -1)
    simulated = np.asarray(verilog.predict(flat, n_threads=-1), dtype=np.float64)
    software = np.asarray(comb.predict(flat), dtype=np.float64)
    return simulated, {
        "bit_exact_vs_da4ml": float(np.all(simulated == software, axis=1).mean()),
        # answers read at this latency, one input per clock, equal the golden model's: latency and II verified
        "latency_clocks": latency_clocks(pipeline),
        "initiation_interval": 1,
        "compile_seconds": compile_seconds,
    }


def simulate_clocked(
    model: Any, xq: np.ndarray, in_type: FixedType, target: Target, rtl: Rtl, golden: np.ndarray,
    verilog_dir: str, threads: int, scratch: Path,
) -> tuple[np.ndarray, dict[str, Any]]:  # fmt: skip
    """A core that starts on in_valid (folded, streaming, conv) in socflow's testbench: outputs, measured latency
    and II."""
    claimed = generate(model, in_type, target, rtl, scratch / "rtl")
    _same_verilog(scratch / "rtl", verilog_dir)
    start = time.perf_counter()
    n_out, score_width = claimed["n_outputs"], claimed["output_width"]
    serial, n_in = claimed["serial_input"], claimed["n_inputs"]
    in_width = in_type.width * (1 if serial else n_in)
    bench = Testbench(verilog_sources(verilog_dir), TOP, in_width, n_out * score_width, scratch / "tb", threads)
    compile_seconds = time.perf_counter() - start
    codes = in_type.to_codes(xq).reshape(len(xq), -1)
    beats = pack(codes.reshape(-1, 1), in_type.width) if serial else pack(codes, in_type.width)
    expected = np.round(golden * 2.0 ** claimed["output_fractional"]).astype(np.int64)
    ii, per_sample = claimed["initiation_interval"], n_in if serial else 1
    run = bench.run(beats, ii, per_sample, n_out, score_width)
    # one clock faster must lose or corrupt answers, or let the latency drift (the board waits a fixed one); where
    # the inputs' own rate sets II nothing can go faster
    faster = None
    if ii > per_sample:
        quick = bench.run(beats, ii - 1, per_sample, n_out, score_width)
        faster = quick.exact(expected) and len(set(quick.latencies.tolist())) == 1
    if len(run.answers) != len(xq):
        raise HardwareMismatchError(
            f"the RTL answered {len(run.answers)} of {len(xq)} test samples (a new input every {ii} clocks)"
        )
    latencies = sorted(set(run.latencies.tolist()))
    if latencies != [claimed["latency_clocks"]]:
        raise HardwareMismatchError(
            f"RTL latency measured {latencies} clocks, rtl.json (and the board's protocol) says "
            f"{claimed['latency_clocks']}"
        )
    if faster:
        raise HardwareMismatchError(
            f"the RTL gave every answer right, at one latency, at a new input every {ii - 1} clocks: "
            f"its initiation interval is not the {ii} rtl.json says"
        )
    return run.answers.astype(np.float64) * 2.0 ** -claimed["output_fractional"], {
        "latency_clocks": latencies[0],
        "initiation_interval": ii,
        "initiation_interval_tight": faster is not None,
        "compile_seconds": compile_seconds,
    }


def rtl_sim(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage rtl_sim: simulate the Verilog (inputs['verilog']) with Verilator on the whole test set and compare it
    with our golden model (bit for bit) and with the QKeras model (argmax); writes outputs['sim'].

    Raises :class:`HardwareMismatchError`, naming the first mismatching sample, when a simulated output
    differs from the golden model, or the argmax agreement with QKeras is below `rtl['sim_min_agreement']`;
    and when a folded design's measured latency or II is not the one rtl.json states. An
    :class:`InputPrecisionError` when the input type costs the student more accuracy than params `input_accuracy`
    allows (socflow.metrics.input_accuracy_loss).
    """
    job = {"inputs": dict(inputs), "params": dict(params), "outputs": dict(outputs), "threads": threads}
    return for_student(inputs["model"], _rtl_sim, **job)


def _rtl_sim(
    inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int
) -> dict[str, Any]:
    """The stage, in the process its student needs."""
    choices, rtl, verilog_dir = student_choices(inputs), params["rtl"], inputs["verilog"]
    target = deployed_target(params["target"], choices)
    in_type = FixedType.parse(deployed_input(params["input_precision"], choices))
    use_verilator()
    model = load_student(inputs["model"])
    x, y = read_xy(inputs["test"])
    xq = in_type.quantize(x)
    golden = golden_predict(model, xq, in_type)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="rtl_sim-") as tmp:
        if architecture(target, model) == "parallel":
            simulated, checks = simulate_parallel(model, xq, in_type, target, rtl, verilog_dir, threads, Path(tmp))
        else:
            simulated, checks = simulate_clocked(
                model, xq, in_type, target, rtl, golden, verilog_dir, threads, Path(tmp)
            )
    sim_seconds = time.perf_counter() - start - checks["compile_seconds"]
    reference, _ = predict_classes(model, xq.astype(np.float32))
    exact = np.all(simulated == golden, axis=1)
    agree = simulated.argmax(axis=1) == reference.argmax(axis=1)
    summary = read_json(inputs["summary"])
    kind = "HGQ2" if is_hgq_student(model) else "QKeras"
    result = {
        "n": int(len(y)),
        "model": kind,
        "architecture": architecture(target, model),
        "bit_exact_vs_golden": float(exact.mean()),
        "max_abs_diff_vs_qkeras": float(np.abs(simulated - reference).max()),
        "agreement": float(agree.mean()),
        "rtl": classification_metrics(y, simulated.argmax(axis=1), summary["class_names"]),
        "qkeras_accuracy": float((reference.argmax(axis=1) == y).mean()),
        **checks,
        "latency_ns": checks["latency_clocks"] * float(target["clock_period"]),
        "predict_seconds": sim_seconds,
        "tools": {"verilator": verilator_version()},
    }
    log.info(
        "RTL simulation: bit-exact %.4f, argmax agreement with %s %.4f, latency %d clocks, II %d",
        result["bit_exact_vs_golden"],
        kind,
        result["agreement"],
        result["latency_clocks"],
        result["initiation_interval"],
    )
    require_agreement(
        exact,
        1.0,
        "Verilator output equals the golden fixed-point model",
        lambda i: f"RTL {simulated[i].tolist()}, golden {golden[i].tolist()}",
    )
    require_agreement(
        agree,
        rtl["sim_min_agreement"],
        f"RTL simulation agrees with the {kind} model",
        lambda i: f"RTL class {simulated[i].argmax()}, {kind} class {reference[i].argmax()}",
        "rtl.sim_min_agreement",
    )
    result["input_quantization"] = input_accuracy_loss(
        model, x, y, result["qkeras_accuracy"], in_type, params["input_accuracy"]
    )
    write_json(outputs["sim"], result)
    return result

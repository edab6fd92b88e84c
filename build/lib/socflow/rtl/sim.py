"""Stage rtl_sim: the da4ml Verilog under Verilator on the whole test set, one sample per clock, against
da4ml's software model and our golden model (bit for bit) and the QKeras model (argmax)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.errors import HardwareMismatchError
from socflow.fixed import FixedType
from socflow.io import differing_files, read_json, read_xy, write_json
from socflow.metrics import classification_metrics, predict_classes, require_agreement
from socflow.rtl.generate import golden_predict, latency_clocks, verilog_model
from socflow.tools import use_verilator, verilator_version

log = logging.getLogger(__name__)


def rtl_sim(
    model_path: str,
    verilog_dir: str,
    test_path: str,
    summary_path: str,
    input_precision: str,
    target: Mapping[str, Any],
    rtl: Mapping[str, Any],
    threads: int,
    scratch: str | Path,
    output: str,
) -> dict[str, Any]:
    """Simulate the Verilog with Verilator on the whole test set, one sample per clock, and compare it with
    da4ml's software model and our golden model (bit for bit) and with the QKeras model (argmax).

    Raises :class:`HardwareMismatchError`, naming the first mismatching sample, when a simulated output
    differs from the golden model, or the argmax agreement with QKeras is below `rtl['sim_min_agreement']`.
    """
    from socflow.models import load_model

    use_verilator()
    in_type = FixedType.parse(input_precision)
    model = load_model(model_path)
    x, y = read_xy(test_path)
    xq = in_type.quantize(x)
    verilog, comb, pipeline = verilog_model(model, input_precision, target, rtl, Path(scratch) / "rtl")
    differing = differing_files(Path(scratch) / "rtl", verilog_dir, "src/**/*.v")
    if differing:
        raise HardwareMismatchError(
            f"{verilog_dir}: the Verilog differs from the simulated one in {differing[:5]}; rerun rtl_generate"
        )
    start = time.perf_counter()
    verilog.compile(nproc=threads, openmp=False)
    compile_seconds = time.perf_counter() - start
    start = time.perf_counter()
    simulated = np.asarray(verilog.predict(xq.reshape(len(xq), -1), n_threads=-1), dtype=np.float64)
    predict_seconds = time.perf_counter() - start

    golden = golden_predict(model, xq, in_type)
    software = np.asarray(comb.predict(xq.reshape(len(xq), -1)), dtype=np.float64)
    reference, _ = predict_classes(model, xq.astype(np.float32))
    exact = np.all(simulated == golden, axis=1)
    agree = simulated.argmax(axis=1) == reference.argmax(axis=1)
    summary = read_json(summary_path)
    result = {
        "n": int(len(y)),
        "bit_exact_vs_golden": float(exact.mean()),
        "bit_exact_vs_da4ml": float(np.all(simulated == software, axis=1).mean()),
        "max_abs_diff_vs_qkeras": float(np.abs(simulated - reference).max()),
        "agreement": float(agree.mean()),
        "rtl": classification_metrics(y, simulated.argmax(axis=1), summary["class_names"]),
        "qkeras_accuracy": float((reference.argmax(axis=1) == y).mean()),
        # answers read at this latency, one input per clock, equal the golden model's: latency and II verified
        "latency_clocks": latency_clocks(pipeline),
        "compile_seconds": compile_seconds,
        "predict_seconds": predict_seconds,
        "tools": {"verilator": verilator_version()},
    }
    log.info(
        "RTL simulation: bit-exact %.4f, argmax agreement with QKeras %.4f",
        result["bit_exact_vs_golden"],
        result["agreement"],
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
        "RTL simulation agrees with the QKeras model",
        lambda i: f"RTL class {simulated[i].argmax()}, QKeras class {reference[i].argmax()}",
        "rtl.sim_min_agreement",
    )
    write_json(output, result)
    return result

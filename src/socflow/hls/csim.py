"""Stage hls_csim: the hls4ml project's C simulation on the whole test set, checked answer by answer against
the QKeras model it came from, naming the first diverging layer when they disagree."""

from __future__ import annotations

import importlib
import logging
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from socflow.errors import HardwareMismatchError
from socflow.fixed import FixedType
from socflow.hgq.files import for_student, is_hgq_student, load_student
from socflow.hls.convert import compiled, to_hls
from socflow.io import differing_files, read_json, read_xy, write_json
from socflow.metrics import classification_metrics, input_accuracy_loss, require_agreement

log = logging.getLogger(__name__)


def first_divergence(model: Any, settings: Mapping[str, Any], x: np.ndarray, scratch: Path) -> str:
    """The first layer (in model order) whose C-simulated outputs differ from the Keras layer's outputs."""
    traced = to_hls(model, settings, scratch / "trace", trace=True)
    traced.compile()
    _, hls_trace = traced.trace(np.ascontiguousarray(x))
    layers = model.layers[1:]
    outputs = keras_of(model).Model(model.input, [layer.output for layer in layers]).predict(x, verbose=0)
    keras_trace = {layer.name: out for layer, out in zip(layers, outputs if len(layers) > 1 else [outputs])}
    for layer in model.layers:
        if layer.name in hls_trace and layer.name in keras_trace:
            diff = np.abs(
                np.asarray(hls_trace[layer.name]).reshape(len(x), -1)
                - np.asarray(keras_trace[layer.name]).reshape(len(x), -1)
            ).max()
            if diff > 0:
                return f"{layer.name} (max difference {diff:g})"
    return "none of the traced layers (the difference arises after the last traced layer)"


def keras_of(model: Any) -> Any:
    """The Keras a model was built with (tf_keras for a QKeras student, Keras 3 for an HGQ2 one in its process):
    the package its class comes from, so this module imports neither."""
    return importlib.import_module(type(model).__module__.split(".")[0])


def hls_csim(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> dict[str, Any]:
    """Stage hls_csim: C-simulate the project on the whole test set and compare it with the QKeras model, answer
    by answer.

    Writes csim.json (accuracy, argmax agreement, maximum output difference in LSBs of the output type).
    Raises :class:`HardwareMismatchError`, naming the first diverging layer, when the agreement is below
    params `min_agreement`, and when the simulated firmware is not the one in the exported project; an
    :class:`InputPrecisionError` when the input type costs the student more accuracy than params
    `input_accuracy` allows (socflow.metrics.input_accuracy_loss). An HGQ2 student's runs in the HGQ2 process,
    against the HGQ2 model's own quantized outputs (socflow.hgq.files.for_student).
    """
    return for_student(inputs["model"], _hls_csim, inputs=dict(inputs), params=dict(params), output=outputs["csim"])


def _hls_csim(inputs: Mapping[str, str], params: Mapping[str, Any], output: str) -> dict[str, Any]:
    """The stage, in the process its student needs."""
    with tempfile.TemporaryDirectory(prefix="hls_csim-") as tmp:
        return _csim(inputs, params, Path(tmp), output)


def _csim(inputs: Mapping[str, str], params: Mapping[str, Any], scratch: Path, output: str) -> dict[str, Any]:
    model_path, config_path, project_dir = inputs["model"], inputs["config"], inputs["project"]
    test_path, summary_path = inputs["test"], inputs["summary"]
    settings = yaml.safe_load(Path(config_path).read_text())
    model = load_student(model_path)
    kind = "HGQ2" if is_hgq_student(model) else "QKeras"
    x, y = read_xy(test_path)
    in_type = FixedType.parse(settings["HLSConfig"]["LayerName"][model.layers[0].name]["Precision"]["result"])
    xq = np.ascontiguousarray(in_type.quantize(x).astype(np.float32))
    reference = np.asarray(model.predict(xq, batch_size=1024, verbose=0), dtype=np.float64)

    start = time.perf_counter()
    hls_model = compiled(model, settings, scratch / "csim")
    compile_seconds = time.perf_counter() - start
    # sources and weights of the firmware, not the compiled library
    differing = differing_files(scratch / "csim", project_dir, "firmware/**/*", skip_suffixes=(".so",))
    if differing:
        raise HardwareMismatchError(
            f"{project_dir}: the exported project differs from the simulated one in {differing[:5]}; rerun hls_convert"
        )
    start = time.perf_counter()
    simulated = np.asarray(hls_model.predict(xq), dtype=np.float64).reshape(reference.shape)
    predict_seconds = time.perf_counter() - start

    out_type = FixedType.parse(str(hls_model.get_output_variables()[0].type.precision))
    agree = simulated.argmax(axis=1) == reference.argmax(axis=1)
    max_diff = float(np.abs(simulated - reference).max())
    summary = read_json(summary_path)
    result = {
        "n": int(len(y)),
        "model": kind,
        "agreement": float(agree.mean()),
        "max_abs_diff": max_diff,
        "max_diff_lsb": max_diff / out_type.lsb,
        "output_type": str(out_type),
        "input_type": str(in_type),
        "csim": classification_metrics(y, simulated.argmax(axis=1), summary["class_names"]),
        "qkeras_accuracy": float((reference.argmax(axis=1) == y).mean()),
        "compile_seconds": compile_seconds,
        "predict_seconds": predict_seconds,
    }
    log.info("C simulation: agreement %.4f, max difference %g LSB", result["agreement"], result["max_diff_lsb"])
    require_agreement(
        agree,
        params["min_agreement"],
        f"C simulation agrees with the {kind} model",
        lambda i: (
            f"C sim class {simulated[i].argmax()}, {kind} class {reference[i].argmax()}; first diverging layer: "
            f"{first_divergence(model, settings, xq[i : i + 1], scratch)}"
        ),
        "hls.csim_min_agreement",
    )
    result["input_quantization"] = input_accuracy_loss(
        model, x, y, result["qkeras_accuracy"], in_type, params["input_accuracy"]
    )
    write_json(output, result)
    return result

"""Stage hls_convert: the student as an hls4ml project (per-layer types from its QKeras quantizers, the
target's part, clock, reuse factor, strategy and io type) with socflow's HLS top socflow_ip."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from socflow.budget import deployed_input, deployed_target, student_choices
from socflow.hgq.files import for_student, load_student
from socflow.hls.ip import write_ip_top
from socflow.io import atomic_path
from socflow.settings import Hls, Target

log = logging.getLogger(__name__)


PROJECT_NAME = "myproject"


def hls_settings(model: Any, hls: Hls, target: Target) -> dict[str, Any]:
    """Everything hls4ml needs to rebuild the project: its per-layer config (precisions from the QKeras
    quantizers, `auto` accumulators and results so that nothing overflows), the input type, and the target."""
    import hls4ml

    config = hls4ml.utils.config_from_keras_model(
        model,
        granularity="name",
        backend=hls["backend"],
        default_precision=hls["default_precision"],
        default_reuse_factor=target["reuse_factor"],
    )
    config["Model"]["Strategy"] = target["strategy"]
    config["LayerName"][model.layers[0].name]["Precision"]["result"] = hls["input_precision"]
    return {
        "HLSConfig": config,
        "Backend": hls["backend"],
        "Part": target["part"],
        "ClockPeriod": float(target["clock_period"]),
        "IOType": target["io_type"],
        "ProjectName": PROJECT_NAME,
    }


def to_hls(model: Any, settings: Mapping[str, Any], output_dir: str | Path, trace: bool = False) -> Any:
    """Convert the Keras model with saved settings into an hls4ml ModelGraph writing to `output_dir`."""
    import copy

    import hls4ml

    config = copy.deepcopy(dict(settings["HLSConfig"]))
    if trace:
        for layer in config["LayerName"].values():
            layer["Trace"] = True
    return hls4ml.converters.convert_from_keras_model(
        model,
        hls_config=config,
        output_dir=str(output_dir),
        project_name=settings["ProjectName"],
        backend=settings["Backend"],
        part=settings["Part"],
        clock_period=settings["ClockPeriod"],
        io_type=settings["IOType"],
    )


def compiled(model: Any, settings: Mapping[str, Any], output_dir: str | Path) -> Any:
    """The C simulation of the project that `settings` (hls_config.yml) describes, compiled in `output_dir`."""
    hls_model = to_hls(model, settings, output_dir)
    hls_model.compile()
    return hls_model


def hls_convert(
    *, inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int = 1
) -> None:
    """Stage hls_convert: write the hls4ml project of the student for one target (params `hls`, `target`; a
    searched reuse factor or input type as the budgeted search chose them), with the board's IP top socflow_ip
    (hls_ip), and the settings that made it (hls_config.yml). An HGQ2 student's runs in the HGQ2 process, where
    hls4ml takes Keras 3 and reads HGQ2's quantizers itself (socflow.hgq.files.for_student)."""
    job = {"inputs": dict(inputs), "params": dict(params), "outputs": dict(outputs), "threads": threads}
    for_student(inputs["model"], _hls_convert, **job)


def _hls_convert(
    inputs: Mapping[str, str], params: Mapping[str, Any], outputs: Mapping[str, str], threads: int
) -> None:
    """The stage, in the process its student needs."""
    choices = student_choices(inputs)
    hls = dict(params["hls"], input_precision=deployed_input(params["hls"]["input_precision"], choices))
    target = deployed_target(params["target"], choices)
    model = load_student(inputs["model"])
    settings = hls_settings(model, hls, target)
    start = time.perf_counter()
    to_hls(model, settings, outputs["project"]).write()
    n_in, n_out = int(np.prod(model.input_shape[1:])), int(model.output_shape[-1])
    write_ip_top(outputs["project"], n_in, n_out, settings["IOType"])
    log.info("hls4ml project written to %s in %.1f s", outputs["project"], time.perf_counter() - start)
    with atomic_path(outputs["config"]) as tmp:
        tmp.write_text(yaml.safe_dump(settings, sort_keys=False))

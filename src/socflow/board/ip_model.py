"""The bit-accurate IP models of the emulated board, and the answers they must give.

RTL: socflow_stream + the student's Verilog (da4ml's, socflow's folded or conv design), Verilated; its answers must
equal our golden fixed-point model's (an HGQ2 student's own answers: the board stages run in the HGQ2 process for
it). HLS IP: socflow_axis (Verilated) + the C simulation of the project's socflow_ip top (socflow.hls.ip); its
answers must equal the hls4ml C simulation's (hls4ml's own compiled library of the same project), which hls_csim has
checked against the student.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from socflow.board.comblock import Fabric
from socflow.board.protocol import Protocol
from socflow.board.vectors import Vectors, model_vectors
from socflow.fixed import FixedType
from socflow.io import read_json

# the input files that name an IP model (see ip_model); ip_json (rtl.json or csim.json) says which design it is
IP_KEYS = ("verilog", "hls_config", "project", "hls_ip", "ip_json")


def ip_files(inputs: Any) -> dict[str, str]:
    """The IP model's files among a rule's named inputs (Snakemake's input object or a mapping)."""
    return {k: inputs[k] for k in IP_KEYS if k in inputs.keys()}


@dataclass
class IpModel:
    name: str
    reference: Callable[[np.ndarray], np.ndarray]  # inputs on the input grid -> the exact outputs the IP must give
    fabric: Callable[[], Fabric]  # a fresh fabric (the IP behind its wrapper) for one run


def golden_reference(model: Any, input_precision: str) -> Callable[[np.ndarray], np.ndarray]:
    from socflow.rtl.quantized import golden_predict

    in_type = FixedType.parse(input_precision)
    return lambda xq: golden_predict(model, xq, in_type)


def csim_reference(model: Any, hls_config: str, build_dir: str | Path) -> Callable[[np.ndarray], np.ndarray]:
    """The C simulation of the project, rebuilt from hls_config.yml and compiled in build_dir."""
    import yaml

    from socflow.hls.convert import compiled

    hls_model = compiled(model, yaml.safe_load(Path(hls_config).read_text()), build_dir)

    def predict(xq: np.ndarray) -> np.ndarray:
        out = hls_model.predict(np.ascontiguousarray(np.asarray(xq, dtype=np.float32)))
        return np.asarray(out, dtype=np.float64).reshape(len(xq), -1)

    return predict


def reference_for(
    ip: dict[str, str], model: Any, input_precision: str, build_dir: Path
) -> Callable[[np.ndarray], np.ndarray]:
    """The exact outputs the IP model `ip` must give: the golden model's for the RTL, the C simulation's else."""
    if "verilog" in ip:
        return golden_reference(model, input_precision)
    return csim_reference(model, ip["hls_config"], build_dir / "csim")


def ip_vectors(
    ip: dict[str, str],
    model_path: str,
    protocol: Protocol,
    test_path: str,
    input_precision: str,
    samples: int | None = None,
) -> Vectors:
    """Test vectors (firmware, deployment package, PYNQ run) whose expected answers are the IP model `ip`'s."""
    from socflow.hgq.files import load_student

    with tempfile.TemporaryDirectory() as build:
        reference = reference_for(dict(ip), load_student(model_path), input_precision, Path(build))
        return model_vectors(protocol, reference, test_path, input_precision, samples)


def ip_model(
    ip: dict[str, str],
    protocol: Protocol,
    model: Any,
    input_precision: str,
    build_dir: Path,
    jobs: int,
) -> IpModel:
    """The IP model for `ip`: {'verilog': da4ml project} or {'hls_config': hls_config.yml, 'project': hls4ml
    project} and, where hls_synth ran, 'hls_ip': the exported socflow_ip, then simulated as RTL instead of C.
    Only one fabric of a library may be open at a time (socflow_ip's C simulation has global state)."""
    from socflow.board.rtl_fabric import RtlFabric, build, build_exported, build_hls
    from socflow.rtl.designs import title

    reference = reference_for(ip, model, input_precision, build_dir)
    if "verilog" in ip:
        library = build(ip["verilog"], protocol, build_dir / "rtl", jobs)
        design = title(read_json(ip["ip_json"])) if "ip_json" in ip else "the student's RTL"
        name = f"RTL: socflow_stream wrapper + {design}, Verilator"
        return IpModel(name, reference, lambda: RtlFabric(library))
    if "hls_ip" in ip:
        library = build_exported(ip["hls_ip"], protocol, build_dir / "exported", jobs)

        def exported() -> RtlFabric:
            with contextlib.chdir(ip["hls_ip"]):  # the IP's ROMs read their .dat images from the working folder
                return RtlFabric(library)

        return IpModel("HLS IP: socflow_axis + the exported socflow_ip RTL, Verilator", reference, exported)
    library = build_hls(ip["project"], protocol, build_dir / "hls", jobs)
    return IpModel(
        "HLS IP: socflow_axis (Verilator) + C simulation of socflow_ip", reference, lambda: RtlFabric(library)
    )

"""The bit-accurate IP models of the emulated board, and the answers they must give.

RTL (dense students): socflow_stream + the student's da4ml Verilog, Verilated; its answers must equal our golden
fixed-point model's. C simulation (students without RTL, e.g. cnn): the compiled hls4ml project behind the
same protocol (CsimFabric); its answers are the C simulation's, which hls_csim has checked against QKeras.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from socflow.board.comblock import Fabric
from socflow.board.csim_fabric import CsimFabric
from socflow.board.protocol import Protocol
from socflow.fixed import FixedType


@dataclass
class IpModel:
    name: str
    reference: Callable[[np.ndarray], np.ndarray]  # inputs on the input grid -> the exact outputs the IP must give
    fabric: Callable[[], Fabric]  # a fresh fabric (the IP behind its wrapper) for one run


def golden_reference(model: Any, input_precision: str) -> Callable[[np.ndarray], np.ndarray]:
    from socflow.rtl import golden_predict

    in_type = FixedType.parse(input_precision)
    return lambda xq: golden_predict(model, xq, in_type)


def csim_reference(model: Any, hls_config: str, build_dir: str | Path) -> Callable[[np.ndarray], np.ndarray]:
    """The C simulation of the project, rebuilt from hls_config.yml and compiled in build_dir."""
    import yaml

    from socflow.hls import compiled

    hls_model = compiled(model, yaml.safe_load(Path(hls_config).read_text()), build_dir)

    def predict(xq: np.ndarray) -> np.ndarray:
        out = hls_model.predict(np.ascontiguousarray(np.asarray(xq, dtype=np.float32)))
        return np.asarray(out, dtype=np.float64).reshape(len(xq), -1)

    return predict


def reference_for(ip: dict[str, str], model: Any, input_precision: str, build_dir: Path) -> Callable[[np.ndarray], np.ndarray]:
    """The exact outputs the IP model `ip` must give: the golden model's for the RTL, the C simulation's else."""
    if "verilog" in ip:
        return golden_reference(model, input_precision)
    return csim_reference(model, ip["hls_config"], build_dir / "csim")


def ip_model(
    ip: dict[str, str], protocol: Protocol, model: Any, input_precision: str, input_shape: list[int], build_dir: Path, jobs: int,
) -> IpModel:
    """The IP model for `ip`: {'verilog': da4ml project} or {'hls_config': hls_config.yml}."""
    reference = reference_for(ip, model, input_precision, build_dir)
    if "verilog" in ip:
        from socflow.board.rtl_fabric import RtlFabric, build

        library = build(ip["verilog"], protocol, build_dir / "rtl", jobs)
        return IpModel("RTL: socflow_stream wrapper + da4ml Verilog, Verilator", reference, lambda: RtlFabric(library))
    return IpModel("C simulation: the hls4ml project behind the stream protocol", reference,
                   lambda: CsimFabric(reference, protocol, input_shape))

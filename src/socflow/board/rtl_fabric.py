"""The fabric of the emulated board, built with Verilator into a shared library and clocked from Python, cycle
by cycle, behind the emulated ComBlock: socflow_top (socflow.board.design), the ComBlock glue around the inference
IP. Two kinds, the same HDL as in the bitstream:

- the student's RTL (da4ml's parallel, socflow's folded or conv design) behind socflow_stream.v;
- the hls4ml model as the HLS IP socflow_ip (socflow.hls.ip) behind socflow_axis.v; socflow_ip is the IP the
  vendor HLS tool exported (in the bitstream, and here where the tool ran), or else
  resources/sim/socflow_ip_dpi.v: its ports with the IP's C simulation behind them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path

from socflow import RESOURCES
from socflow.board.design import HDL, design_sources, top_verilog, top_verilog_hls
from socflow.board.protocol import Protocol
from socflow.errors import ProjectError
from socflow.hls.ip import IP_TOP, exported_ip_sources
from socflow.tools import verilator_build

SIM = RESOURCES / "sim"


def build(
    verilog_dir: str | Path, protocol: Protocol, build_dir: str | Path, jobs: int = 1, latency: int | None = None
) -> Path:
    """The emulated board's fabric for the student's da4ml RTL: socflow_stream + the RTL, Verilated."""
    return verilate(design_sources(verilog_dir), top_verilog(protocol, latency), build_dir, jobs)


def build_hls(
    project_dir: str | Path, protocol: Protocol, build_dir: str | Path, jobs: int = 1, start_ip: bool = True
) -> Path:
    """The emulated board's fabric for the hls4ml model: socflow_axis + socflow_ip's ports (Verilated) with the
    C simulation of the project's socflow_ip.cpp and myproject.cpp behind them."""
    firmware = Path(project_dir).resolve() / "firmware"
    if not (firmware / f"{IP_TOP}.cpp").is_file():
        raise ProjectError(f"{firmware}: no {IP_TOP}.cpp in the hls4ml project; rerun hls_convert")
    cpp = [SIM / "socflow_ip_dpi.cc", firmware / f"{IP_TOP}.cpp", firmware / "myproject.cpp"]
    flags = [f"-I{firmware}", f"-I{firmware / 'ap_types'}", f'-DWEIGHTS_DIR="{firmware / "weights"}"']
    return verilate(
        [HDL / "socflow_axis.v", SIM / "socflow_ip_dpi.v"],
        top_verilog_hls(protocol, start_ip),
        build_dir,
        jobs,
        cpp,
        flags,
    )


def build_exported(verilog_dir: str | Path, protocol: Protocol, build_dir: str | Path, jobs: int = 1) -> Path:
    """The emulated board's fabric for the HLS IP as the vendor tool exported it (hls_synth's board_ip, where
    the tool runs): socflow_axis + the exported socflow_ip RTL, Verilated; an RTL simulation of the IP."""
    return verilate(
        [HDL / "socflow_axis.v", *exported_ip_sources(verilog_dir)], top_verilog_hls(protocol), build_dir, jobs
    )


def verilate(
    sources: Sequence[Path],
    top: str,
    build_dir: str | Path,
    jobs: int = 1,
    cpp: Sequence[Path] = (),
    cflags: Sequence[str] = (),
) -> Path:
    """Verilate `sources` and the socflow_top module `top` (ComBlock FIFO ports, see socflow_sim.cc) into
    build_dir/libsocflow_sim.so, linked with the C++ files `cpp` (compiled with `cflags`: DPI-C functions the
    Verilog imports)."""
    build_dir = Path(build_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / "socflow_top.v").write_text(top)
    return verilator_build(
        [*sources, build_dir / "socflow_top.v"],
        "socflow_top",
        [SIM / "socflow_sim.cc", *cpp],
        build_dir / "libsocflow_sim.so",
        "building the emulated board",
        jobs,
        cflags,
    )


class RtlFabric:
    """The Verilated socflow_top, one clock cycle per call (implements comblock.Fabric)."""

    def __init__(self, library: str | Path) -> None:
        self.lib = ctypes.CDLL(str(library))
        self.lib.sim_new.restype = ctypes.c_void_p
        self.lib.sim_free.argtypes = [ctypes.c_void_p]
        self.lib.sim_cycle.restype = ctypes.c_uint32
        self.lib.sim_cycle.argtypes = [ctypes.c_void_p, *[ctypes.c_uint32] * 5, ctypes.POINTER(ctypes.c_uint32)]
        self.handle = self.lib.sim_new()
        self.wdata = ctypes.c_uint32(0)

    def cycle(self, reset: bool, empty: bool, rvalid: bool, rdata: int, full: bool) -> tuple[bool, bool, int]:
        flags = self.lib.sim_cycle(
            self.handle, reset, empty, rvalid, rdata & 0xFFFF_FFFF, full, ctypes.byref(self.wdata)
        )
        return bool(flags & 1), bool(flags & 2), int(self.wdata.value)

    def close(self) -> None:
        if self.handle:
            self.lib.sim_free(self.handle)
            self.handle = None

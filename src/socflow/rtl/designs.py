"""The RTL designs socflow writes, behind one interface: a student, its input type, a target and the rtl section in;
a Verilog project, what rtl.json says of it and the list of its synthesizable files out; and what the design
costs, estimated without synthesis.

Like FINN's step lookup and hls4ml's layer handlers, the designs are a table (:data:`GENERATORS`) keyed by the
architecture :func:`socflow.rtl.quantized.architecture` picks. The architecture is recorded once, in rtl.json;
the project's own files are listed in its manifest (``sources.json``), written by the generator that made them,
so rtl_sim, rtl_synth, the board and the Vivado project read the list instead of guessing the design from its
files; the manifest also names the ABC9 script rtl_synth maps the design with. A new design (a folded
convolution, say) is a new entry here, not a new branch in every stage.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socflow.errors import ProjectError
from socflow.fixed import FixedType
from socflow.io import read_json, write_json
from socflow.rtl import conv, cost, folded, parallel
from socflow.rtl.quantized import architecture
from socflow.settings import Rtl, Target

MANIFEST = "sources.json"  # in an RTL project: its synthesizable files, relative to the project

Writer = Callable[[Any, FixedType, Target, Rtl, Path], dict[str, Any]]
Estimator = Callable[[Any, FixedType, Target, Rtl], cost.Cost]
Sources = Callable[[Path, Mapping[str, Any]], list[Path]]


# Yosys's ABC9 LUT mapping for da4ml's adder graphs: synth_xilinx's default script less its `&dch -f` (choice
# computation) and `&mfs` (don't-care resynthesis), which on these wide adder trees take two thirds of the time
# and save nothing: the default run's R = 1 student 53 -> 20 s for 6,224 -> 6,209 LUT (docs/benchmarks.md). The
# conv and folded designs keep the default script: there it saves no time, and the folded cost models are fitted to it.
ADDER_GRAPH_ABC9 = "+&scorr;&sweep;&dc2;&if -W 300 -v;&ps -l"


@dataclass(frozen=True)
class Generator:
    """One RTL design: its name in Table I and the board's report, how it is written (the project at a path; what
    rtl.json says of it), which of its files are synthesized (given that summary), its cost estimate, the
    ABC9 script Yosys maps its LUTs with on Xilinx parts (None: synth_xilinx's own), and whether rtl_synth reports
    its resources per module too (a second, hierarchical synthesis: seconds for socflow's folded cores, whose
    modules are its layers, kernels and shared blocks; not for da4ml's adder graphs, minutes and one module)."""

    title: str
    write: Writer
    sources: Sources
    estimate: Estimator
    abc9_script: str | None = None
    breakdown: bool = False


def _folded(kind: str) -> Writer:
    return lambda model, input_type, target, rtl, path: folded.folded_project(model, input_type, target, kind, path)


def _folded_estimate(kind: str) -> Estimator:
    return lambda model, input_type, target, rtl: cost.folded_cost(
        folded.design(folded.integer_network(model, input_type), int(target["reuse_factor"]), kind)
    )


def _conv_estimate(model: Any, input_type: FixedType, target: Target, rtl: Rtl) -> cost.Cost:
    return cost.conv_cost(conv.design(model, input_type, target, rtl))


GENERATORS: dict[str, Generator] = {
    "parallel": Generator(
        "da4ml's parallel design", parallel.parallel_project, parallel.sources, cost.parallel_cost, ADDER_GRAPH_ABC9
    ),
    "folded": Generator(
        "socflow's folded design", _folded("folded"), folded.sources, _folded_estimate("folded"), breakdown=True
    ),
    "stream": Generator(
        "socflow's streaming design", _folded("stream"), folded.sources, _folded_estimate("stream"), breakdown=True
    ),
    "conv": Generator("socflow's conv design", conv.conv_project, conv.sources, _conv_estimate),
    "folded_conv": Generator(
        "socflow's folded conv design", conv.conv_project, conv.sources, _conv_estimate, breakdown=True
    ),
}


def generate(model: Any, input_type: FixedType, target: Target, rtl: Rtl, path: str | Path) -> dict[str, Any]:
    """Write the student's RTL project for the target to `path` (the design :func:`architecture` picks) with its
    manifest; what rtl.json says of it, its architecture first."""
    kind = architecture(target, model)
    path = Path(path)
    summary = GENERATORS[kind].write(model, input_type, target, rtl, path)
    files = GENERATORS[kind].sources(path, summary)
    manifest = {"files": [str(f.relative_to(path)) for f in files], "abc9_script": GENERATORS[kind].abc9_script,
                "breakdown": GENERATORS[kind].breakdown}  # fmt: skip
    write_json(path / MANIFEST, manifest)
    return {"architecture": kind, **summary}


def estimate(model: Any, input_type: FixedType, target: Target, rtl: Rtl) -> cost.Cost:
    """The cost of the design rtl_generate would write for this student and target (see socflow.rtl.cost)."""
    return GENERATORS[architecture(target, model)].estimate(model, input_type, target, rtl)


def verilog_sources(verilog_dir: str | Path) -> list[Path]:
    """The synthesizable files of an RTL project, as its generator listed them; a named error where the folder is
    not a project socflow wrote or lacks one of them."""
    verilog_dir = Path(verilog_dir)
    if not (verilog_dir / MANIFEST).is_file():
        raise ProjectError(f"{verilog_dir}: not an RTL project of socflow's (no {MANIFEST}); rerun rtl_generate")
    files = [verilog_dir / name for name in read_json(verilog_dir / MANIFEST)["files"]]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise ProjectError(f"{verilog_dir}: files of the RTL project are missing: {missing}; rerun rtl_generate")
    return files


def abc9_script(verilog_dir: str | Path) -> str | None:
    """The ABC9 script the project's generator asks Yosys to map its LUTs with (None: Yosys's own; so for a
    project written before the manifest named one)."""
    return read_json(Path(verilog_dir) / MANIFEST).get("abc9_script")


def breakdown(verilog_dir: str | Path) -> bool:
    """Whether rtl_synth reports the project's resources per module (False for a project written before the
    manifest said)."""
    return bool(read_json(Path(verilog_dir) / MANIFEST).get("breakdown"))


def title(summary: Mapping[str, Any]) -> str:
    """The name of the design an rtl.json describes."""
    return GENERATORS[summary["architecture"]].title

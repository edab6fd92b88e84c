"""The one interface of the RTL designs (socflow.rtl.designs): a generator per architecture, the architecture in
rtl.json, the project's files listed by the generator that wrote them."""

from __future__ import annotations

import json

import pytest

from conftest import RTL_TARGET, generate
from socflow.errors import ProjectError
from socflow.rtl.designs import ADDER_GRAPH_ABC9, GENERATORS, MANIFEST, abc9_script, title, verilog_sources
from socflow.rtl.quantized import ARCHITECTURES
from socflow.rtl.synth import yosys_script


def test_every_architecture_has_a_generator():
    assert set(GENERATORS) == set(ARCHITECTURES)
    assert title({"architecture": "folded"}) == "socflow's folded design"


@pytest.mark.parametrize(("reuse", "kind", "files"), [(1, "parallel", None), (10, "folded", ["src/student.v"])])
def test_the_architecture_is_in_rtl_json_and_the_files_in_the_manifest(student, tmp_path, reuse, kind, files):
    summary = generate(student, tmp_path, RTL_TARGET | {"reuse_factor": reuse})
    assert summary["architecture"] == json.loads((tmp_path / "rtl.json").read_text())["architecture"] == kind
    listed = [str(f.relative_to(tmp_path / "verilog")) for f in verilog_sources(tmp_path / "verilog")]
    assert listed == files or (files is None and listed[-1] == "src/student.v" and "src/student_stage0.v" in listed)
    assert not (tmp_path / "verilog" / "folded.json").exists()  # no marker files: the kind is rtl.json's
    # da4ml's adder graphs are mapped with the lighter ABC9 script, on Xilinx parts; the folded design with Yosys's
    script = abc9_script(tmp_path / "verilog")
    assert script == (ADDER_GRAPH_ABC9 if kind == "parallel" else None)
    xilinx, ecp5 = (yosys_script([], "student", family, "s.json", abc9_script=script) for family in ("xc7", "ecp5"))
    assert ("scratchpad -set abc9.script" in xilinx) == (kind == "parallel") and "scratchpad" not in ecp5


def test_a_folder_without_its_manifest_or_a_listed_file_is_named(student, tmp_path):
    generate(student, tmp_path, RTL_TARGET | {"reuse_factor": 10})
    (tmp_path / "verilog" / "src" / "student.v").unlink()
    with pytest.raises(ProjectError, match=r"files of the RTL project are missing: .*student\.v.*; rerun rtl_generate"):
        verilog_sources(tmp_path / "verilog")
    (tmp_path / "verilog" / MANIFEST).unlink()
    with pytest.raises(ProjectError, match=r"not an RTL project of socflow's \(no sources\.json\)"):
        verilog_sources(tmp_path / "verilog")

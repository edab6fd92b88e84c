"""socflow.fingerprint: a rule's code fingerprint changes with the socflow code its script runs (modules and
templates), not with what it does not run nor with docstrings and comments; planning imports no TensorFlow."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from socflow import PACKAGE
from socflow.fingerprint import fingerprint, modules

SCRIPTS = ROOT / "workflow" / "scripts"
GENERATOR = ("rtl_generate", "rtl_sim", "rtl_synth", "budget_check", "board_eval", "board_package", "rtl_pnr")
UPSTREAM = ("prepare_data", "tune_teacher", "train_teacher", "tune_student", "train_student", "hls_convert", "hls_csim")


@pytest.fixture
def package(tmp_path):
    """A copy of the socflow package to edit."""
    return shutil.copytree(PACKAGE, tmp_path / "socflow", ignore=shutil.ignore_patterns("__pycache__"))


def fingerprints(package):
    return {s.stem: fingerprint(s, package) for s in SCRIPTS.glob("*.py")}


def test_a_copy_of_the_package_has_the_same_fingerprints(package):
    assert fingerprints(package) == fingerprints(PACKAGE)


def test_editing_a_generator_changes_the_rtl_rules_and_what_runs_the_rtl_never_the_training(package):
    before = fingerprints(package)
    folded = package / "rtl" / "folded.py"
    folded.write_text(folded.read_text() + "\nSCHEDULE_REVISION = 2\n")
    after = fingerprints(package)
    assert {s for s in before if before[s] != after[s]} >= set(GENERATOR)
    assert [s for s in UPSTREAM if before[s] != after[s]] == []


def test_editing_a_template_changes_the_rules_that_read_it_only(package):
    before = fingerprints(package)
    template = package / "resources" / "rtl" / "folded.v.j2"
    template.write_text(template.read_text() + "\n// revised\n")
    after = fingerprints(package)
    assert {s for s in before if before[s] != after[s]} >= set(GENERATOR)
    assert [s for s in UPSTREAM if before[s] != after[s]] == []
    firmware = package / "resources" / "firmware" / "socflow_algorithm1.c"
    firmware.write_text(firmware.read_text() + "\n/* revised */\n")
    again = fingerprints(package)
    assert {s for s in after if after[s] != again[s]} == {"board_eval", "board_firmware", "soc_bitstream"}


def test_an_edit_of_a_stage_module_changes_its_rules_and_the_later_ones_that_import_it():
    """train.budget imports rtl.cost, a later stage (the search's estimate): not followed; board imports rtl."""
    assert "socflow.rtl.folded" not in modules(SCRIPTS / "tune_student.py")
    assert "socflow.train.budget" in modules(SCRIPTS / "tune_student.py")
    assert "socflow.rtl.folded" in modules(SCRIPTS / "board_eval.py")
    assert "socflow.report.figures" not in modules(SCRIPTS / "train_student.py")
    assert {"socflow", "socflow.rtl", "socflow.errors"} <= modules(SCRIPTS / "rtl_generate.py")


def test_docstrings_comments_and_layout_change_nothing(package):
    before = fingerprints(package)
    folded = package / "rtl" / "folded.py"
    text = folded.read_text()
    head, _, rest = text.partition('"""')  # the module docstring, a comment, a blank line
    folded.write_text(f'{head}"""Reworded. {rest}'.replace("\ndef ", "\n# a comment\n\ndef ", 1) + "\n\n")
    assert fingerprints(package) == before


def test_fingerprinting_every_rule_imports_no_stage_and_no_tensorflow():
    code = (
        "import sys, pathlib; from socflow.fingerprint import fingerprint;"
        f"[fingerprint(s) for s in pathlib.Path({str(SCRIPTS)!r}).glob('*.py')];"
        "print(sorted(m for m in sys.modules if m.startswith(('tensorflow', 'keras', 'socflow.'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['socflow.fingerprint']"


def test_the_driver_board_package_ships_is_in_its_fingerprint(package):
    """board_package copies the PYNQ driver's modules into its zip: an edit of one of them reruns it."""
    before = fingerprints(package)
    pynq = package / "board" / "pynq.py"
    pynq.write_text(pynq.read_text() + "\nTIMEOUT_REVISION = 2\n")
    after = fingerprints(package)
    assert "board_package" in {s for s in before if before[s] != after[s]}

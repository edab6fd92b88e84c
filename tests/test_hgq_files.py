"""socflow.hgq.files: the student's file decides the process its stages run in, an HGQ2 student's in HGQ2's."""

from __future__ import annotations

import pytest

from socflow.hgq.files import for_student, is_hgq_model


def keras_of_this_process(value: int) -> dict[str, object]:
    """A stage for the round trips below: the Keras it ran on."""
    import keras

    return {"keras": keras.__version__, "value": value + 1}


@pytest.mark.slow
def test_an_hgq_students_stage_runs_in_the_hgq_process_a_qkeras_students_here(root, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(root / "tests"))  # this module, for the HGQ2 process to import
    assert is_hgq_model("student/b8_s20/model.keras") and not is_hgq_model("student/b8_s20/model.h5")
    assert for_student("model.keras", keras_of_this_process, value=1) == {"keras": "3.15.1", "value": 2}
    here = for_student("model.h5", keras_of_this_process, value=1)
    assert here["keras"].startswith("2.") and here["value"] == 2  # tf_keras, this process's

"""Stage hls_csim: a bit-exact C simulation, and a named error when it is not."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import (
    HLS,
    HLS_TARGET,
    convert,
    csim,
)
from socflow.errors import HardwareMismatchError
from socflow.hls.convert import hls_settings, to_hls
from socflow.models import load_model


@pytest.mark.parametrize(
    "backend,io_type", [("Vitis", "io_parallel"), ("Vitis", "io_stream"), ("Vivado", "io_parallel")]
)
def test_c_simulation_is_bit_exact(student, tmp_path, backend, io_type, monkeypatch):
    monkeypatch.setitem(HLS, "backend", backend)
    out = convert(student, tmp_path, dict(HLS_TARGET, io_type=io_type))
    settings = yaml.safe_load(open(out["config"]))
    assert settings["Part"] == "xc7z020clg400-1" and settings["IOType"] == io_type and settings["ClockPeriod"] == 10.0
    assert settings["Backend"] == backend
    assert (tmp_path / "project" / "firmware" / "myproject.cpp").exists()
    result = csim(student, out, tmp_path)
    assert result["agreement"] == 1.0 and result["max_diff_lsb"] == 0.0 and result["n"] == 200
    assert json.loads((tmp_path / "csim.json").read_text())["output_type"].startswith("ap_fixed<")


def test_a_project_that_is_not_the_simulated_one_is_refused(student, tmp_path):
    out = convert(student, tmp_path)
    weights = sorted((tmp_path / "project" / "firmware" / "weights").glob("w*.h"))[0]
    weights.write_text(weights.read_text().replace("0", "1", 1))
    with pytest.raises(HardwareMismatchError, match="exported project differs from the simulated one"):
        csim(student, out, tmp_path)


def test_disagreement_fails_and_names_the_first_diverging_layer(student, tmp_path):
    model = load_model(student / "model.h5")
    settings = hls_settings(model, HLS, HLS_TARGET)
    settings["HLSConfig"]["LayerName"]["qdense_0"]["Precision"]["result"] = "ap_fixed<6,2>"  # overflows
    settings["HLSConfig"]["LayerName"]["qdense_0"]["Precision"]["accum"] = "ap_fixed<6,2>"
    to_hls(model, settings, tmp_path / "project").write()
    (tmp_path / "hls_config.yml").write_text(yaml.safe_dump(settings))
    out = {"project": str(tmp_path / "project"), "config": str(tmp_path / "hls_config.yml")}
    with pytest.raises(
        HardwareMismatchError,
        match=r"below hls.csim_min_agreement=1.0; first mismatch at test sample \d+.*first diverging layer: qdense_0",
    ):
        csim(student, out, tmp_path)
    assert not (tmp_path / "csim.json").exists()
    assert csim(student, out, tmp_path, min_agreement=0.0)["agreement"] < 1.0

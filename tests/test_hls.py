"""hls4ml conversion and C simulation: a bit-exact project, a named error when it is not."""

from __future__ import annotations

import json

import pytest
import yaml

from socflow.errors import HardwareMismatchError
from socflow.hls.convert import hls_convert, hls_settings, to_hls
from socflow.hls.csim import hls_csim
from socflow.models import load_model

HLS = {"backend": "Vitis", "default_precision": "ap_fixed<16,6>", "input_precision": "ap_fixed<16,6>"}
TARGET = {
    "part": "xc7z020clg400-1",
    "clock_period": 10.0,
    "reuse_factor": 1,
    "strategy": "Latency",
    "io_type": "io_parallel",
}


def convert(student, tmp_path, target=TARGET):
    out = {"project": str(tmp_path / "project"), "config": str(tmp_path / "hls_config.yml")}
    hls_convert(inputs={"model": str(student / "model.h5")}, params={"hls": HLS, "target": target}, outputs=out)
    return out


def csim(student, out, tmp_path, min_agreement=1.0):
    files = {name: str(student / name) for name in ("model.h5", "test.npz", "summary.json")}
    return hls_csim(
        inputs={name.split(".")[0]: path for name, path in files.items()} | out,
        params={"min_agreement": min_agreement},
        outputs={"csim": str(tmp_path / "csim.json")},
    )


@pytest.mark.parametrize(
    "backend,io_type", [("Vitis", "io_parallel"), ("Vitis", "io_stream"), ("Vivado", "io_parallel")]
)
def test_c_simulation_is_bit_exact(student, tmp_path, backend, io_type, monkeypatch):
    monkeypatch.setitem(HLS, "backend", backend)
    out = convert(student, tmp_path, dict(TARGET, io_type=io_type))
    settings = yaml.safe_load(open(out["config"]))
    assert settings["Part"] == "xc7z020clg400-1" and settings["IOType"] == io_type and settings["ClockPeriod"] == 10.0
    assert settings["Backend"] == backend
    assert (tmp_path / "project" / "firmware" / "myproject.cpp").exists()
    result = csim(student, out, tmp_path)
    assert result["agreement"] == 1.0 and result["max_diff_lsb"] == 0.0 and result["n"] == 200
    assert json.loads((tmp_path / "csim.json").read_text())["output_type"].startswith("ap_fixed<")


def test_precisions_come_from_the_qkeras_quantizers(student):
    settings = hls_settings(load_model(student / "model.h5"), HLS, TARGET)
    layers = settings["HLSConfig"]["LayerName"]
    assert layers["qdense_0"]["Precision"]["weight"].startswith("fixed<6,2")  # 6 bits, 1 integer bit + sign
    assert layers["qrelu_0"]["Precision"]["result"].startswith("ufixed<6,2")
    assert settings["HLSConfig"]["Model"]["Strategy"] == "Latency"


def test_a_project_that_is_not_the_simulated_one_is_refused(student, tmp_path):
    out = convert(student, tmp_path)
    weights = sorted((tmp_path / "project" / "firmware" / "weights").glob("w*.h"))[0]
    weights.write_text(weights.read_text().replace("0", "1", 1))
    with pytest.raises(HardwareMismatchError, match="exported project differs from the simulated one"):
        csim(student, out, tmp_path)


def test_disagreement_fails_and_names_the_first_diverging_layer(student, tmp_path):
    model = load_model(student / "model.h5")
    settings = hls_settings(model, HLS, TARGET)
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

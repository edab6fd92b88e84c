"""Stage hls_convert: the hls4ml settings of a QKeras student."""

from __future__ import annotations

from conftest import (
    HLS,
    HLS_TARGET,
)
from socflow.hls.convert import hls_settings
from socflow.models import load_model


def test_precisions_come_from_the_qkeras_quantizers(student):
    settings = hls_settings(load_model(student / "model.h5"), HLS, HLS_TARGET)
    layers = settings["HLSConfig"]["LayerName"]
    assert layers["qdense_0"]["Precision"]["weight"].startswith("fixed<6,2")  # 6 bits, 1 integer bit + sign
    assert layers["qrelu_0"]["Precision"]["result"].startswith("ufixed<6,2")
    assert settings["HLSConfig"]["Model"]["Strategy"] == "Latency"

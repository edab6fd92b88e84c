"""Stage hls_csim: a bit-exact C simulation, and a named error when it is not."""

from __future__ import annotations

import json

from socflow._keras import keras

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
from socflow.io import read_json
from socflow.models import load_model


@pytest.mark.parametrize(
    "backend,io_type", [("Vitis", "io_parallel"), ("Vitis", "io_stream"), ("Vivado", "io_parallel")]
)
@pytest.mark.slow
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


@pytest.mark.slow
def test_an_hgq_students_c_simulation_answers_as_the_hgq_model_bit_for_bit(hgq_student, tmp_path):
    """hls4ml converts an HGQ2 student in the HGQ2 process (Keras 3), its types from HGQ2's quantizers (io_stream,
    the schema's default; config/examples/hgq.yaml's run checks io_parallel)."""
    out = convert(hgq_student, tmp_path, dict(HLS_TARGET, io_type="io_stream"), model="model.keras")
    result = csim(hgq_student, out, tmp_path, model="model.keras")
    assert result["model"] == "HGQ2" and result["agreement"] == 1.0 and result["max_abs_diff"] == 0.0
    # the model's own answers on the same quantized inputs, as train_hgq_student measured them
    assert result["csim"]["accuracy"] == read_json(hgq_student / "metrics.json")["input_type_accuracy"]


@pytest.mark.slow
def test_a_project_that_is_not_the_simulated_one_is_refused(student, tmp_path):
    out = convert(student, tmp_path)
    weights = sorted((tmp_path / "project" / "firmware" / "weights").glob("w*.h"))[0]
    weights.write_text(weights.read_text().replace("0", "1", 1))
    with pytest.raises(HardwareMismatchError, match="exported project differs from the simulated one"):
        csim(student, out, tmp_path)


@pytest.mark.slow
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


def own_answers(model, x):
    """Labels for a model's bit-exactness test: its own answers on the inputs on the IP's input grid, so that what
    the input type costs (hls_csim's check against the float model) does not enter a test of the conversion."""
    from socflow.fixed import FixedType

    return model.predict(FixedType.parse(HLS["input_precision"]).quantize(x), verbose=0).argmax(1)


@pytest.mark.parametrize("io_type", ["io_stream", "io_parallel"])
@pytest.mark.slow
def test_a_1d_cnn_student_simulates_bit_exactly(tmp_path, io_type):
    """A QConv1D student of 1D signals (a channel axis added to the plain 30-sample pulses, kernel sizes 3 and 5,
    max-pool, quantized ReLU) through hls4ml: every answer of the C simulation equal to QKeras's."""
    import numpy as np

    from conftest import hp_fixed
    from socflow.io import save_npz, write_json
    from socflow.train.compression import student_model

    hp = hp_fixed(conv_0=4, kernel_0=5, conv_1=3, kernel_1=3)
    cnn = {"model": "cnn", "layers": 2, "units": [2, 8], "activation_integer_bits": 3}
    model = student_model(hp, cnn, {"bits": 8, "integer_bits": 0, "sparsity": 0.0}, [30], 4, None)
    assert [type(layer).__name__ for layer in model.layers].count("QConv1D") == 2
    x = np.random.default_rng(3).normal(size=(200, 30)).astype(np.float32)
    model.save(tmp_path / "model.h5", save_format="h5", include_optimizer=False)
    save_npz(tmp_path / "test.npz", {"x": x, "y": own_answers(model, x)})
    write_json(tmp_path / "summary.json", {"class_names": ["a", "b", "c", "d"], "input_shape": [30]})
    result = csim(tmp_path, convert(tmp_path, tmp_path, dict(HLS_TARGET, io_type=io_type)), tmp_path)
    assert result["agreement"] == 1.0 and result["max_diff_lsb"] == 0.0 and result["n"] == 200


@pytest.mark.parametrize(
    ("family", "kinds"), [("vgg", {"QConv2D": 4}), ("mobilenet", {"QConv2D": 3, "QDepthwiseConv2D": 2})]
)
@pytest.mark.slow
def test_the_transfer_learning_student_families_simulate_bit_exactly(tmp_path, family, kinds):
    """The VGG-like student (two 3x3 QConv2D per block) and the MobileNet-like one (a stem, then QDepthwiseConv2D
    + pointwise QConv2D per block), pruned to 50 % and quantized to 8 bits, on 8x8 images through hls4ml
    (io_stream): every answer of the C simulation equal to QKeras's; the pruning reaches the depthwise kernels."""
    import numpy as np
    import tensorflow_model_optimization as tfmot

    from conftest import hp_fixed
    from socflow.io import save_npz, write_json
    from socflow.train.compression import PruningPlan, sparsity_report, student_model

    keras_x = np.random.default_rng(5).random(size=(256, 8, 8, 1)).astype(np.float32)
    plan = PruningPlan.for_training(0.5, len(keras_x), 64, epochs=3)
    student = {"model": family, "layers": 2, "units": [2, 6], "activation_integer_bits": 3}
    hp = hp_fixed(stem=3, conv_0=4, conv_1=5)
    model = student_model(hp, student, {"bits": 8, "integer_bits": 0, "sparsity": 0.5}, [8, 8, 1], 10, plan)
    y = np.arange(256) % 10
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(keras_x, y, epochs=3, batch_size=64, callbacks=[tfmot.sparsity.keras.UpdatePruningStep()], verbose=0)
    model = tfmot.sparsity.keras.strip_pruning(model)
    counted = [type(layer).__name__ for layer in model.layers]
    assert {kind: counted.count(kind) for kind in kinds} == kinds
    report = sparsity_report(model)
    assert (
        all(abs(s - 0.5) < 0.15 for s in report["per_layer"].values())
        and len(report["per_layer"]) == sum(kinds.values()) + 1
    )
    model.save(tmp_path / "model.h5", save_format="h5", include_optimizer=False)
    save_npz(tmp_path / "test.npz", {"x": keras_x[:100], "y": own_answers(model, keras_x[:100])})
    write_json(tmp_path / "summary.json", {"class_names": [str(i) for i in range(10)], "input_shape": [8, 8, 1]})
    result = csim(tmp_path, convert(tmp_path, tmp_path, dict(HLS_TARGET, io_type="io_stream")), tmp_path)
    assert result["agreement"] == 1.0 and result["max_diff_lsb"] == 0.0 and result["n"] == 100

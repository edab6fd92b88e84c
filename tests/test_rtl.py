"""The open RTL path: da4ml tracing of QKeras students (ties rounded as QKeras does), Verilator simulation
checked bit for bit, Yosys estimates, part capacities and the named errors."""

from __future__ import annotations

import json
from pathlib import Path

from socflow._keras import keras

import numpy as np
import pytest

from conftest import INPUT, RTL, RTL_TARGET, student_files
from socflow.errors import ConfigError, HardwareMismatchError, ModelError, ToolNotFoundError
from socflow.fixed import FixedType
from socflow.rtl.parallel import trace_student
from socflow.rtl.quantized import golden_predict
from socflow.rtl.sim import rtl_sim
from socflow.rtl.synth import parse_stat, rtl_synth

REPORTS = Path(__file__).parent / "fixtures" / "reports"


def tie_model() -> keras.Model:
    """4-8-3 QKeras MLP whose pre-activations are on a 2^-6 grid, half a ReLU LSB (2^-5): with inputs on a
    2^-1 grid and weights on a 2^-5 grid, every odd multiple of 2^-6 in the ReLU range is an exact tie."""
    from qkeras import QActivation, QDense, quantized_bits, quantized_relu

    q = {"kernel_quantizer": quantized_bits(6, 0, alpha=1), "bias_quantizer": quantized_bits(6, 0, alpha=1)}
    inputs = keras.Input((4,))
    x = QActivation(quantized_relu(8, 3), name="relu")(QDense(8, name="hidden", **q)(inputs))
    model = keras.Model(inputs, QDense(3, name="logits", **q)(x))
    rng = np.random.default_rng(0)
    model.set_weights([rng.integers(-32, 32, w.shape) / 32 for w in model.get_weights()])
    return model


def test_ties_round_half_to_even_like_qkeras():
    from da4ml.trace import FixedVariableArrayInput, comb_trace
    from da4ml.trace.ops import quantize

    model, in_type = tie_model(), FixedType.parse("ap_fixed<8,7>")
    x = in_type.quantize(np.random.default_rng(1).integers(-16, 16, (2000, 4)) / 2)
    hidden = x @ golden_weights(model, "hidden")[0] + golden_weights(model, "hidden")[1]
    ties = np.isclose((hidden * 32) % 1, 0.5) & (hidden > 0) & (hidden < 8)
    assert ties.sum() > 1000  # the test exercises ties (about 1 activation in 9 here)
    golden = golden_predict(model, x, in_type)
    assert np.array_equal(golden, model.predict(x.astype(np.float32), verbose=0).astype(np.float64))
    assert np.array_equal(trace_student(model, in_type).predict(x), golden)
    # da4ml's own half-up rounding would not do: the emulation is what makes it exact
    inp = FixedVariableArrayInput((4,))
    w1, b1 = golden_weights(model, "hidden")
    w2, b2 = golden_weights(model, "logits")
    h = quantize(quantize(inp, 1, 6, 1) @ w1 + b1, 0, 3, 5, "SAT", "RND")
    assert not np.array_equal(comb_trace(inp, h @ w2 + b2).predict(x), golden)


def golden_weights(model: keras.Model, name: str) -> tuple[np.ndarray, np.ndarray]:
    from socflow.rtl.quantized import dense_constants

    return dense_constants(model.get_layer(name))


def test_layers_without_an_rtl_mapping_are_named():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(2, 3, name="conv")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(3)(keras.layers.Flatten()(x)))
    with pytest.raises(ModelError, match="'conv' \\(Conv2D\\) has no RTL mapping.*rtl.enabled: false"):
        trace_student(model, FixedType.parse(INPUT))


def run_sim(student, rtl_project, tmp_path):
    out, _ = rtl_project
    inputs = student_files(student) | {"verilog": str(out / "verilog")}
    params = {"target": RTL_TARGET, "input_precision": INPUT, "rtl": RTL}
    return rtl_sim(inputs=inputs, params=params, outputs={"sim": str(tmp_path / "rtl_sim.json")}, threads=2)


def test_verilator_simulation_is_bit_exact_on_the_test_set(student, rtl_project, tmp_path):
    out, summary = rtl_project
    assert summary["n_inputs"] == 30 and summary["n_outputs"] == 4
    assert summary["latency_clocks"] == summary["stages"] + 1 >= 2
    assert (out / "verilog" / "src" / "student.v").is_file()
    result = run_sim(student, rtl_project, tmp_path)
    assert result["n"] == 200
    assert result["bit_exact_vs_golden"] == result["bit_exact_vs_da4ml"] == result["agreement"] == 1.0
    assert result["max_abs_diff_vs_qkeras"] == 0.0
    assert result["tools"]["verilator"].startswith("Verilator 5.")
    assert json.loads((tmp_path / "rtl_sim.json").read_text())["rtl"]["n_test"] == 200


def test_rtl_that_differs_from_the_golden_model_fails_naming_the_sample(student, rtl_project, tmp_path, monkeypatch):
    import socflow.rtl.sim

    real = socflow.rtl.sim.golden_predict

    def off_by_one_lsb(*args):
        out = real(*args)
        out[7, 2] += 2.0**-12
        return out

    monkeypatch.setattr(socflow.rtl.sim, "golden_predict", off_by_one_lsb)
    with pytest.raises(
        HardwareMismatchError,
        match=r"equals the golden fixed-point model on 99.50% of 200 test samples \(1 differ\), below 100%; "
        r"first mismatch at test sample 7",
    ):
        run_sim(student, rtl_project, tmp_path)
    assert not (tmp_path / "rtl_sim.json").exists()


def test_edited_verilog_is_refused(student, rtl_project, tmp_path):
    out, _ = rtl_project
    stage = out / "verilog" / "src" / "student_stage0.v"
    original = stage.read_text()
    stage.write_text(original + "\n// edited\n")
    try:
        with pytest.raises(HardwareMismatchError, match="differs from the simulated one"):
            run_sim(student, rtl_project, tmp_path)
    finally:
        stage.write_text(original)


def test_yosys_estimate_counts_xilinx_primitives(rtl_project, tmp_path):
    out, _ = rtl_project
    outputs = {"report": str(tmp_path / "yosys.json"), "yosys": str(tmp_path / "yosys.log")}
    report = rtl_synth(inputs={"verilog": str(out / "verilog")}, params={"part": RTL_TARGET["part"]}, outputs=outputs)
    lut, ff = report["resources"]["LUT"], report["resources"]["FF"]
    assert lut["used"] > 50 and lut["available"] == 53_200
    assert lut["percent"] == pytest.approx(100 * lut["used"] / 53_200)
    assert ff["used"] >= 30 * 16  # at least the registered 16-bit inputs
    assert report["resources"]["DSP"]["used"] == 0  # distributed arithmetic: adders only
    assert report["family"] == "xc7" and report["tools"]["yosys"].startswith("Yosys")
    assert "before place and route" in report["source"]
    assert "End of script" in (tmp_path / "yosys.log").read_text()


def test_stat_parser_weighs_bram_and_lutram_and_leaves_unknown_parts_without_percent():
    stat = {
        "design": {
            "num_cells_by_type": {
                "LUT6": 3,
                "INV": 1,
                "FDRE": 4,
                "RAMB36E1": 1,
                "RAMB18E1": 1,
                "CARRY4": 2,
                "XORCY": 1,
                "RAM64M": 2,
                "SRL16E": 1,
            }
        }
    }
    report = parse_stat(stat, "xc7a35tcpg236-1")
    # LUT sites as Vivado counts them: 4 of logic, 2 x 4 of LUT-RAM, 1 shift register
    assert report["resources"]["LUT"]["used"] == 13 and report["resources"]["LUTRAM"]["used"] == 9
    assert report["resources"]["BRAM_18K"]["used"] == 3
    assert report["resources"]["LUT"]["percent"] == pytest.approx(100 * 13 / 20_800)
    assert report["other_cells"] == ["XORCY"]
    assert parse_stat(stat, "xcku040-ffva1156-2-e")["resources"]["LUT"]["percent"] is None


@pytest.mark.parametrize(
    "report,part",
    [
        ("vivado2018_zynq7020_conv64_utilization_placed.rpt", "xc7z020clg400-1"),
        ("vivado2024_zu48dr_rfsoc_utilization_placed.rpt", "xczu48dr-ffvg1517-2-e"),
    ],
)
def test_part_capacities_match_real_vivado_reports(report, part):
    from socflow.parts import part_info
    from socflow.vivado.report import parse_utilization

    available = {name: r["available"] for name, r in parse_utilization(REPORTS / report)["resources"].items()}
    info = part_info(part)
    assert (info.lut, info.ff, info.dsp, info.bram36) == (
        available["LUT"],
        available["FF"],
        available["DSP"],
        available["BRAM_36K"],
    )


def test_part_names_and_families():
    from socflow.parts import yosys_family

    parts = (
        "xc7a100tcsg324-1",
        "xc7z020clg400-1",
        "xc7k325tffg900-2",
        "xc7vx485tffg1761-2",
        "xc7s50csga324-1",
        "xczu9eg-ffvb1156-2-e",
        "xcku040-ffva1156-2-e",
        "xcvu9p-flga2104-2L-e",
    )
    assert [yosys_family(p) for p in parts] == ["xc7", "xc7", "xc7", "xc7", "xc7", "xcup", "xcu", "xcup"]
    with pytest.raises(ConfigError, match="not a Xilinx part number of a family socflow knows"):
        yosys_family("EP4CE22F17C6")
    with pytest.raises(
        ConfigError, match=r"\(Versal\): stage rtl_synth \(Yosys synth_xilinx\) supports Artix-7, Kintex-7"
    ):
        yosys_family("xcvc1902-vsva2197-2MP-e-S")


def test_missing_verilator_is_a_named_error(monkeypatch, tmp_path):
    import socflow.tools

    monkeypatch.setattr(socflow.tools.sysconfig, "get_paths", lambda: {"purelib": str(tmp_path)})
    with pytest.raises(ToolNotFoundError, match="Verilator is not installed"):
        socflow.tools.verilator_env()
    assert socflow.tools.open_tool("verilator") is None

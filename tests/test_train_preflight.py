"""Checks made when the workflow is planned (socflow.train.preflight): a pretrained teacher, a user's hypermodel and
each budget against the data and the search space, each named with its key before any job, a pass remembered."""

from __future__ import annotations

import re

from socflow._keras import keras

import pytest

from conftest import hp_fixed
from socflow.config import validate_config
from socflow.errors import ConfigError
from socflow.train import preflight
from socflow.train.preflight import check_experiments, smallest_student


def experiments(teacher=None, hls=None, student=None):
    """The tiny pulse experiment (30 samples, 4 classes) with these sections, validated."""
    tiny = {"dataset": {"kind": "pulses", "n_per_class": 40}}
    tiny |= {k: v for k, v in (("teacher", teacher), ("hls", hls), ("student", student)) if v}
    return validate_config({"experiments": {"tiny": tiny}})["experiments"]


def saved(path, n_in, n_out):
    keras.Sequential([keras.Input((n_in,)), keras.layers.Dense(n_out)]).save(path, save_format="h5")
    return str(path)


def test_a_pretrained_teacher_that_does_not_fit_the_data_is_named(tmp_path):
    """It was found by import_teacher, whose outputs are the trained teacher's: gone before the error."""
    (tmp_path / "truncated.h5").write_bytes(open(saved(tmp_path / "good.h5", 30, 4), "rb").read()[:300])
    for path, message in (
        (saved(tmp_path / "wide.h5", 20, 4), r"wide\.h5: model input shape \(20,\) does not match the data's \(30,\)"),
        (tmp_path / "truncated.h5", r"truncated\.h5: not a loadable Keras \.h5 model"),
        (tmp_path / "none.h5", r"none\.h5: pretrained teacher file not found"),
    ):
        with pytest.raises(ConfigError, match=message):
            preflight.check_pretrained({"pretrained": str(path)}, ((30,), 4))
    preflight.check_pretrained({"pretrained": str(tmp_path / "good.h5")}, ((30,), 4))
    three = saved(tmp_path / "three.h5", 30, 3)  # through the child process, as the Snakefile calls it
    with pytest.raises(ConfigError, match=r"^experiments\.tiny\.teacher\.pretrained: .*three\.h5: model has 3 outp"):
        check_experiments(experiments({"pretrained": three}), tmp_path / "checks")


@pytest.mark.slow
def test_a_pass_is_remembered_until_the_file_changes(tmp_path, monkeypatch):
    path = saved(tmp_path / "good.h5", 30, 4)
    check_experiments(experiments({"pretrained": path}), tmp_path / "checks")
    with monkeypatch.context() as patch:
        patch.setattr(preflight.subprocess, "run", lambda *a, **k: pytest.fail("checked again"))
        check_experiments(experiments({"pretrained": path}), tmp_path / "checks")
    saved(path, 30, 3)  # a new file: checked again
    with pytest.raises(ConfigError, match="model has 3 outputs"):
        check_experiments(experiments({"pretrained": path}), tmp_path / "checks")


@pytest.mark.slow
def test_a_user_hypermodel_is_imported_from_the_working_folder_and_built_against_the_data(tmp_path, monkeypatch):
    """A missing module or function was named only inside tune_teacher; a wrong model after the data split."""
    (tmp_path / "mine.py").write_text(
        "from socflow._keras import keras\n"
        "def good(hp, input_shape, n_classes):\n"
        "    return keras.Sequential([keras.Input(input_shape), keras.layers.Dense(hp.Int('w', 2, 4)),\n"
        "                             keras.layers.Dense(n_classes)])\n"
        "def three(hp, input_shape, n_classes):\n"
        "    return keras.Sequential([keras.Input(input_shape), keras.layers.Dense(3)])\n"
        "def broken(hp, input_shape, n_classes):\n"
        "    return 1 / 0\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if p not in ("", str(tmp_path))])
    check_experiments(experiments({"model": "mine:good"}), tmp_path / "checks")  # the child process finds it
    with pytest.raises(ConfigError, match=r"^experiments\.tiny\.teacher\.model: the check failed \(ZeroDivisionError"):
        check_experiments(experiments({"model": "mine:broken"}), tmp_path / "checks")
    for model, message in (
        ("mine:three", r"model has 3 outputs but the data have 4 classes"),
        ("mine:gone", r"module mine \(.*mine\.py\) has no function 'gone'"),
        ("yours:fn", r"cannot import module 'yours' .* a file yours\.py in the folder Snakemake runs in"),
    ):
        with pytest.raises(ConfigError, match=message):
            preflight.check_hypermodel(experiments({"model": model})["tiny"]["teacher"], ((30,), 4))


BASYS3 = {"part": "xc7a35tcpg236-1", "clock_period": 10.0, "reuse_factor": [15, 30, 60]}


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ({"lut": 0.08, "dsp": 15, "latency_clocks": 40}, None),  # the default config's
        # read as 10 LUTs: known only after the teacher and the whole student search
        ({"lut": 10}, r"lut [\d,]+ \(limit 10\)"),
        ({"latency_clocks": 2}, r"latency_clocks [\d,]+ \(limit 2\)"),
    ],
)
def test_a_budget_the_smallest_student_cannot_meet_is_named_before_any_job(tmp_path, budget, message):
    exps = experiments(hls={"targets": [BASYS3 | {"budget": budget}]}, student={"units": [4, 20]})
    if message is None:
        preflight.check_budget_floor(exps["tiny"], ((30,), 4))
        return
    with pytest.raises(ConfigError, match=r"^hls\.targets\[0\]\.budget: even the smallest student of the search "
                       r"space \(\d+ parameters, variant b8_s20, .* reuse factor \d+\) does not fit "
                       r"xc7a35tcpg236-1_100mhz_rf15-30-60_latency_\w+: " + message):  # fmt: skip
        preflight.check_budget_floor(exps["tiny"], ((30,), 4))


@pytest.mark.slow
def test_a_budget_is_checked_before_any_job_with_the_experiments_key(tmp_path):
    exps = experiments(hls={"targets": [BASYS3 | {"budget": {"lut": 10}}]})
    with pytest.raises(ConfigError, match=r"^experiments\.tiny\.hls\.targets\[0\]\.budget: even the smallest"):
        check_experiments(exps, tmp_path / "checks")


def test_the_smallest_student_is_the_cheapest_of_the_space_at_the_variants_sparsity():
    from socflow.train.compression import quantized_kernels

    student = experiments(student={"layers": [2, 1], "units": [5, 20]})["tiny"]["student"]
    variant = {"bits": 8, "integer_bits": 0, "sparsity": 0.5}
    model = smallest_student(student, variant, ((30,), 4))
    kernels = quantized_kernels(model)
    assert [k.shape for k in kernels.values()] == [(30, 5), (5, 4)]  # one layer (the smaller choice) of 5 units
    for kernel in kernels.values():
        nonzero = kernel[kernel != 0]
        assert (kernel == 0).mean() == pytest.approx(0.5, abs=0.05)
        assert set(abs(nonzero).tolist()) <= {2.0**-k for k in range(1, 8)}  # single powers of two, unchanged


def test_a_conv_students_reuse_factor_no_layer_of_its_space_can_use_is_named_before_any_job(tmp_path):
    """The largest 1D CNN of the space (2 blocks of 8 filters of 5 taps: 5 x 8 x 8 = 320 products in its second
    kernel, 7 x 8 x 4 = 224 in its head) takes a reuse factor of up to 320."""
    student = {"model": "cnn", "layers": 2, "units": [2, 8]}
    fits = experiments(hls={"targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": 320}]}, student=student)
    preflight.check_conv_reuse(fits["tiny"], ((30,), 4))
    exps = experiments(hls={"targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": 321}]}, student=student)
    assert [check for check, _ in preflight.model_checks(exps["tiny"], ((30,), 4))] == ["reuse"]
    with pytest.raises(ConfigError, match=r"^hls\.targets\[0\] \(xc7a35t[\w-]+\): reuse_factor 321: "
                       r"the folded conv RTL takes 2 to 320"):  # fmt: skip
        preflight.check_conv_reuse(exps["tiny"], ((30,), 4))


STUDENTS = """
from socflow._keras import keras
from qkeras import QActivation, QDense, quantized_bits, quantized_relu, quantized_tanh

Q = {"kernel_quantizer": quantized_bits(8, 0, alpha=1), "bias_quantizer": quantized_bits(8, 0, alpha=1)}

def mlp(hp, input_shape, n_classes, activation=quantized_relu(8, 3), last=None):
    x = inputs = keras.Input(tuple(input_shape))
    x = QActivation(activation)(QDense(hp.Int("width", 4, 8), **Q)(x))
    return keras.Model(inputs, QDense(n_classes, activation=last, **Q)(x))

def tanh(hp, input_shape, n_classes):
    return mlp(hp, input_shape, n_classes, activation=quantized_tanh(8))

def softmax(hp, input_shape, n_classes):
    return mlp(hp, input_shape, n_classes, last="softmax")

def plain(hp, input_shape, n_classes):
    return keras.Sequential([keras.Input(tuple(input_shape)), keras.layers.Dense(n_classes)])
"""


@pytest.mark.slow
def test_a_user_student_is_checked_pruned_and_gets_rtl_where_its_layers_map(tmp_path, monkeypatch):
    from socflow.plan import Plan
    from socflow.train.compression import PruningPlan, student_model

    (tmp_path / "students.py").write_text(STUDENTS)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if p not in ("", str(tmp_path))])
    found = check_experiments(experiments(student={"model": "students:mlp"}), tmp_path / "checks")
    assert found == {"tiny": {"student.model": {"rtl": None}}}
    assert check_experiments(experiments(student={"model": "students:mlp"}), tmp_path / "checks") == found  # cached
    exps = experiments(student={"model": "students:tanh"})
    found = check_experiments(exps, tmp_path / "checks")
    assert "has no RTL mapping" in found["tiny"]["student.model"]["rtl"]
    plan = Plan({"experiments": exps, "toolchain": "auto"}, findings=found)
    assert not plan.stages("tiny")["rtl_generate"].included and plan.ip_kind("tiny") == "hls"
    assert plan.stages("tiny")["rtl_generate"].reason.startswith("the student hypermodel students:tanh has no RTL")
    cfg = experiments(student={"model": "students:mlp"})["tiny"]["student"]
    for name, message in (("softmax", "its last layer applies a softmax; a student outputs logits"),
                          ("plain", r"weight layers \['dense'\] are not QKeras layers")):  # fmt: skip
        with pytest.raises(ConfigError, match=rf"^student hypermodel 'students:{name}': {message}"):
            student_model(hp_fixed(), dict(cfg, model=f"students:{name}"), cfg["variants"][0], [30], 4, None)
    # the workflow prunes the user's weight layers, as the built-in students'
    hp = hp_fixed(width=6)
    model = student_model(hp, cfg, cfg["variants"][0], [30], 4, PruningPlan.for_training(0.5, 100, 10, 2))
    assert [type(layer).__name__ for layer in model.layers].count("PruneLowMagnitude") == 2
    assert model.output_shape == (None, 4) and hp.values == {"width": 6}


def test_an_input_type_that_cannot_hold_the_normalized_data_is_named_with_one_that_can(tmp_path):
    """Every hardware check compares the hardware with the model on the same quantized inputs, so such a type would
    pass them all: ap_fixed<8,3> wraps the standardized pulses beyond 4 to the other sign, ap_fixed<4,8>'s step of 16
    puts them on two values. A saturating type clips the few beyond its range, and is taken."""

    def standardized(input_precision):
        tiny = {"dataset": {"kind": "pulses", "n_per_class": 40}, "normalize": {"method": "standard"},
                "hls": {"input_precision": input_precision}}  # fmt: skip
        return validate_config({"experiments": {"tiny": tiny}})["experiments"]

    data = tmp_path / "cache" / "data"
    tiny = standardized("ap_fixed<8,3>")["tiny"]
    low, high = preflight.scaled_range(tiny["dataset"], tiny["split"], tiny["normalize"], data)
    assert low < -0.2 and high > 4.0  # standardized pulses: a long positive tail
    with pytest.raises(ConfigError, match=r"hls.input_precision: ap_fixed<8,3> holds \[-4, 3.96875\] in steps of "
                       r"0.03125, the normalized \(standard\) training data span \[-0.\d+, 4.\d+\]: the values beyond "
                       r"it wrap around to the other sign. Take ap_fixed<8,4>, or saturate them with "
                       r"ap_fixed<8,3,AP_TRN,AP_SAT>"):  # fmt: skip
        check_experiments({"tiny": tiny}, tmp_path / "cache")
    with pytest.raises(ConfigError, match=r"experiments.tiny.hls.input_precision: ap_fixed<4,8> .* puts every input "
                       r"on at most 1 value. Take ap_fixed<4,4>"):  # fmt: skip
        check_experiments(standardized("ap_fixed<4,8>"), tmp_path / "cache")
    for held in ("ap_fixed<8,3,AP_TRN,AP_SAT>", "ap_fixed<8,4>"):
        preflight.check_input_range(standardized(held)["tiny"], low, high)


def test_a_selected_trial_the_search_will_not_have_is_named_before_any_job(tmp_path):
    """`select: {rule: trial, trial: 99}` on a 2-trial Pareto search: named when the workflow is planned, not after
    the search; a number a finished search's trials.csv lists as completed (past repeats it dropped) is taken."""
    student = {"search": {"objective": "pareto", "trials": 2}, "select": {"rule": "trial", "trial": 99}}
    exps = experiments(student=student)
    with pytest.raises(ConfigError, match=r"^experiments\.tiny\.student\.select\.trial: 99 is not a trial of a "
                       r"search of 2 trials \(numbered 0 to 1\)"):  # fmt: skip
        check_experiments(exps, tmp_path / "checks", tmp_path / "results")
    table = tmp_path / "results" / "tiny" / "student" / "b8_s20" / "trials.csv"
    table.parent.mkdir(parents=True)
    table.write_text("trial_id,status\n0,COMPLETE\n1,PRUNED\n99,COMPLETE\n")
    check_experiments(exps, tmp_path / "checks", tmp_path / "results")
    exps["tiny"]["student"]["select"]["trial"] = 1
    check_experiments(exps, tmp_path / "checks", tmp_path / "nothing yet")


@pytest.mark.parametrize("budget", [None, {"lut": 0.5}])
def test_a_conv_reuse_factor_no_layer_can_use_is_named_alike_with_a_budget_or_without(budget):
    """With a budget, the budget's floor (costed on the smallest student) used to fail first, naming neither the
    target's key nor the valid range."""
    student = {"model": "cnn", "layers": 2, "units": [2, 8]}
    target = {"part": "xc7a35tcpg236-1", "reuse_factor": 321} | ({"budget": budget} if budget else {})
    exps = experiments(hls={"targets": [target]}, student=student)
    pending = [
        {"exp": "tiny", "check": check, "key": key, "shape": [[30], 4]}
        for check, key in preflight.model_checks(exps["tiny"], ((30,), 4))
    ]
    failed = preflight.run_pending({"experiments": exps, "pending": pending})["failed"]
    assert re.match(r"hls\.targets\[0\] \(xc7a35t[\w-]+\): reuse_factor 321: the folded conv RTL takes 2 to 320",
                    failed["message"]), failed  # fmt: skip

"""The QKeras student with pruning: weights on the fixed-point grid, sparsity as asked, schedule from the
real step count, and a saved .h5 that QKeras loads back to the same predictions."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import STUDENT, hp_fixed
from socflow.models import load_model
from socflow.train.compression import PruningPlan, quantized_kernels, sparsity_report, student_model


def test_quantized_weights_lie_on_the_fixed_point_grid(trained):
    model, variant, _ = trained
    lsb = 2.0 ** -(variant["bits"] - 1 - variant["integer_bits"])
    for name, kernel in quantized_kernels(model).items():
        steps = kernel / lsb
        assert np.allclose(steps, np.round(steps)), name
        assert (
            kernel.min() >= -(2.0 ** variant["integer_bits"]) and kernel.max() <= 2.0 ** variant["integer_bits"] - lsb
        )
        assert len(np.unique(kernel)) > 4  # not collapsed to a few values


def test_measured_sparsity_is_within_one_point_of_target(trained):
    model, _, _ = trained
    report = sparsity_report(model)
    assert abs(report["sparsity"] - 0.5) <= 0.01
    assert all(abs(s - 0.5) <= 0.02 for s in report["per_layer"].values())
    assert report["sparsity_quantized"] >= report["sparsity"]
    assert report["nonzero_params"] < model.count_params()


def test_saved_student_loads_with_qkeras_and_predicts_the_same(trained, tmp_path):
    model, _, x = trained
    model.save(tmp_path / "s.h5", save_format="h5", include_optimizer=False)
    loaded = load_model(tmp_path / "s.h5")
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]
    assert "QDense" in {type(layer).__name__ for layer in loaded.layers}
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("n,batch,epochs", [(1400, 64, 10), (100, 32, 3), (5, 64, 1), (35000, 128, 50)])
def test_pruning_plan_follows_the_real_step_count(n, batch, epochs):
    plan = PruningPlan.for_training(0.2, n, batch, epochs)
    steps = -(-n // batch)
    assert plan.steps_per_epoch == steps
    assert 0 <= plan.end_step < plan.end_epoch * steps and plan.end_step % plan.frequency == 0
    assert plan.end_step >= (plan.end_epoch - 1) * steps or plan.frequency > 1
    assert 0 <= plan.start_epoch < epochs
    assert plan.schedule() is not None


def test_no_pruning_wrappers_at_zero_sparsity():
    model = student_model(
        hp_fixed(units_0=8),
        STUDENT,
        {"bits": 8, "integer_bits": 0, "sparsity": 0.0},
        [30],
        4,
        PruningPlan.for_training(0.0, 100, 10, 2),
    )
    assert not any("prune" in type(layer).__name__.lower() for layer in model.layers)


def test_cnn_student_on_images():
    cfg = dict(STUDENT, model="cnn", layers=2, units=[4, 4])
    model = student_model(
        hp_fixed(conv_0=4, conv_1=4), cfg, {"bits": 8, "integer_bits": 0, "sparsity": 0.0}, [8, 8, 1], 10, None
    )
    assert model.output_shape == (None, 10)
    assert [type(layer).__name__ for layer in model.layers].count("QConv2D") == 2


def test_an_unused_layers_width_is_no_value_of_a_trial_so_a_repeat_is_seen_as_one():
    """The paper-scale search proposed one student twice (1 layer of 4 units; the two trials differed only in
    units_1, unused with one layer): a layer's width is declared only for the trials that have the layer, so the
    BO oracle's proposals of 1-layer students carry no units_1."""
    import keras_tuner as kt

    from socflow.train.trials import bo_oracle

    cfg = dict(STUDENT, layers=[1, 2], units=[4, 20])
    variant = {"bits": 8, "integer_bits": 0, "sparsity": 0.0}
    space = kt.HyperParameters()
    space.Choice("layers", [1, 2], default=2)  # a 2-layer trial declares units_1
    student_model(space, cfg, variant, [30], 4, None)
    oracle = bo_oracle({"trials": 40, "initial_points": 40, "seed": 3}, hyperparameters=space)
    proposals = [oracle.populate_space(str(i))["values"] for i in range(16)]
    assert {p["layers"] for p in proposals} == {1, 2}
    assert all(("units_1" in p) == (p["layers"] == 2) for p in proposals), proposals


def test_layer_counts_the_input_cannot_take_are_one_choice():
    """A 30-sample signal halves 4 times: a CNN student of 4 or 5 blocks is the same model, one choice of the
    search (an Optuna trial suggests no `layers` for it, so two such trials are one repeat), not two."""
    import keras_tuner as kt
    import optuna

    from socflow.train.pareto import TrialHyperParameters

    cfg = dict(STUDENT, model="cnn", layers=[4, 5], units=[2, 4])
    variant = {"bits": 8, "integer_bits": 0, "sparsity": 0.0}
    space = kt.HyperParameters()
    model = student_model(space, cfg, variant, [30], 4, None)
    assert sum(type(layer).__name__ == "QConv1D" for layer in model.layers) == 4 and "layers" not in space.values
    params = []
    for seed in (1, 1):
        trial = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed)).ask()
        student_model(TrialHyperParameters(trial), cfg, variant, [30], 4, None)
        params.append(trial.params)
    assert params[0] == params[1] and "layers" not in params[0]

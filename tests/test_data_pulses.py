"""The built-in water-Cherenkov pulse generator: shapes, classes, physics, determinism, difficulty."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from socflow.data.pulses import ADC_MAX, CLASS_NAMES, N_SAMPLES, generate_pulses
from socflow.errors import ConfigError


@pytest.fixture(scope="module")
def pulses():
    return generate_pulses(n_per_class=300, seed=3)


def test_shapes_dtypes_and_classes(pulses):
    x, y = pulses
    assert x.shape == (1200, N_SAMPLES) and x.dtype == np.float32
    assert y.dtype == np.int64 and np.bincount(y).tolist() == [300] * len(CLASS_NAMES)


def test_samples_are_integer_adc_counts_within_range(pulses):
    x, _ = pulses
    assert (x == np.round(x)).all() and x.min() >= 0 and x.max() <= ADC_MAX


def test_only_saturated_class_reaches_adc_ceiling(pulses):
    x, y = pulses
    peak = x.max(axis=1)
    assert (peak[y == 3] == ADC_MAX).all()
    assert (peak[y != 3] < ADC_MAX).all()


def test_baseline_before_trigger_and_pulse_after(pulses):
    x, y = pulses
    assert abs(np.median(x[:, :4]) - 50) < 3  # pre-trigger samples sit on the ~50-count baseline
    peak_at = x.argmax(axis=1)
    assert np.median(peak_at[y == 0]) in range(7, 12)  # trigger at sample 8 +- 2 jitter, 1-sample rise


def test_electrons_are_smaller_than_muons_on_average(pulses):
    x, y = pulses
    assert x[y == 1].max(axis=1).mean() < x[y == 0].max(axis=1).mean()


def test_same_seed_same_data_other_seed_other_data():
    a = generate_pulses(50, seed=5)
    b = generate_pulses(50, seed=5)
    c = generate_pulses(50, seed=6)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])


def test_class_weights_set_the_balance():
    _, y = generate_pulses(100, seed=1, class_weights=[1, 0.5, 0.25, 1])
    assert np.bincount(y).tolist() == [100, 50, 25, 100]


def test_not_trivially_separable(pulses):
    """A linear model on the raw traces must be well above chance yet clearly below 100 %."""
    x, y = pulses
    score = cross_val_score(LogisticRegression(max_iter=2000), x / ADC_MAX, y, cv=3).mean()
    assert 0.5 < score < 0.97


@pytest.mark.parametrize("kwargs", [{"class_weights": [1, 1, 1]}, {"class_weights": [1, 0, 1, 1]}, {"noise_sigma": -1}])
def test_bad_parameters_are_named(kwargs):
    with pytest.raises(ConfigError, match="class_weights|noise_sigma"):
        generate_pulses(10, **kwargs)

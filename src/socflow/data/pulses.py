"""Built-in stand-in for the paper's 1D task: digitised pulses of a water-Cherenkov detector (WCD).

The paper's pulse-shape discriminator classifies 30-sample traces of a WCD's photomultiplier (PMT),
as read by LAGO-style electronics: a 10-bit ADC at 40 MHz (25 ns per sample), so a trace spans 750 ns.
Its data are not public, so this module simulates traces with the physics that sets their shape:

* **Pulse shape.** Cherenkov light reaches the PMT within a few ns, then bounces off the tank's
  diffusive walls, so the anode current rises in about one sample and decays exponentially with the
  tank's photon lifetime (~50-80 ns, 2-3.2 samples). A pulse is a difference of two exponentials,
  normalised to a unit peak, starting at the trigger position (sample 8) plus arrival jitter (+-2 samples,
  sub-sample resolution) and sampled at integer sample times.
* **Muons (class 0)** cross the whole tank, so their track and light yield are large: peak amplitude
  ~ log-normal around 300 ADC counts (the vertical-equivalent muon), spread by track length and angle.
* **Electrons (class 1)** of the electromagnetic shower component are absorbed in the first tens of cm
  of water: less light (log-normal around 100 counts, wider spread) and a shorter photon path
  (decay 1.4-2.4 samples). Their amplitude tail overlaps the muons', so amplitude alone does not decide.
* **Pile-up (class 2)**: a muon and an electron in the same window, the later one delayed by 1.5-12
  samples. At small delays it looks like a single, slightly broader pulse.
* **Saturated (class 3)**: showers cores or several particles whose peak exceeds the ADC range;
  the trace is clipped at the ceiling (1023) and the flat top widens with the excess (1-3x full scale).
  Muons and pile-ups that would clip are redrawn, so the classes stay physically distinct.
* **Read-out**: baseline ~50 counts (per-trace spread 1.5 counts), Gaussian electronic noise
  (``noise_sigma``, default 3 counts), rounding to integer counts and clipping to [0, 1023].

Shapes: ``x`` is float32 ``(n, 30)`` in ADC counts, ``y`` is int64 ``(n,)`` in {0, 1, 2, 3}.
Class overlap (large electrons vs small muons, pile-up at small delay vs muons, barely-saturated vs
large muons) keeps a small MLP below 100 % accuracy, as in the paper (student 98.96 %).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from socflow.errors import ConfigError

CLASS_NAMES = ("muon", "electron", "muon+electron pile-up", "saturated")
N_SAMPLES = 30
ADC_BITS = 10
ADC_MAX = 2**ADC_BITS - 1
BASELINE = 50.0
TRIGGER_SAMPLE = 8.0


def pulse_shape(t: np.ndarray, t0: np.ndarray, tau_rise: np.ndarray, tau_fall: np.ndarray) -> np.ndarray:
    """Unit-peak difference of exponentials starting at ``t0`` (arrays broadcast over pulses x samples)."""
    dt = np.maximum(t - t0, 0.0)
    raw = np.exp(-dt / tau_fall) - np.exp(-dt / tau_rise)
    t_peak = tau_rise * tau_fall / (tau_fall - tau_rise) * np.log(tau_fall / tau_rise)
    peak = np.exp(-t_peak / tau_fall) - np.exp(-t_peak / tau_rise)
    return raw / peak


def _component(
    rng: np.random.Generator, n: int, median: float, sigma: float, fall: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Amplitude, rise and decay constants of ``n`` single-particle pulses."""
    amplitude = median * rng.lognormal(0.0, sigma, n)
    tau_rise = rng.uniform(0.35, 0.6, n)
    tau_fall = rng.uniform(*fall, n)
    return amplitude, tau_rise, tau_fall


def _muons(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _component(rng, n, 300.0, 0.25, (2.2, 3.2))


def _electrons(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _component(rng, n, 100.0, 0.40, (1.4, 2.4))


def _signal(rng: np.random.Generator, label: int, n: int, t: np.ndarray) -> np.ndarray:
    """Noise-free signals (above baseline) of ``n`` pulses of class ``label``."""
    t0 = TRIGGER_SAMPLE + rng.uniform(-2.0, 2.0, (n, 1))
    if label == 0:
        a, r, f = _muons(rng, n)
        return a[:, None] * pulse_shape(t, t0, r[:, None], f[:, None])
    if label == 1:
        a, r, f = _electrons(rng, n)
        return a[:, None] * pulse_shape(t, t0, r[:, None], f[:, None])
    if label == 2:
        muon = _muons(rng, n)
        electron = _electrons(rng, n)
        delay = rng.uniform(1.5, 12.0, (n, 1))
        muon_first = rng.random((n, 1)) < 0.5
        t_muon = np.where(muon_first, t0, t0 + delay)
        t_electron = np.where(muon_first, t0 + delay, t0)
        return muon[0][:, None] * pulse_shape(t, t_muon, muon[1][:, None], muon[2][:, None]) + electron[0][
            :, None
        ] * pulse_shape(t, t_electron, electron[1][:, None], electron[2][:, None])
    a, r, f = _muons(rng, n)
    amplitude = (ADC_MAX - BASELINE) * rng.uniform(1.0, 3.0, n)
    return amplitude[:, None] * pulse_shape(t, t0, r[:, None], f[:, None] * rng.uniform(1.0, 1.4, (n, 1)))


def _draw(rng: np.random.Generator, label: int, n: int, t: np.ndarray) -> np.ndarray:
    """Signals of class ``label``. Class 3 is by definition a clipped trace, so a sampled peak that stays
    below the ceiling is redrawn; muons and pile-ups that would clip are redrawn too (they would be class 3)."""
    out = np.empty((0, t.size))
    while len(out) < n:
        batch = _signal(rng, label, n, t)
        top = batch.max(axis=1) + BASELINE
        if label in (0, 2):
            batch = batch[top < ADC_MAX - 20]
        elif label == 3:
            batch = batch[top > ADC_MAX + 20]
        out = np.concatenate([out, batch])
    return out[:n]


def class_counts(n_per_class: int, class_weights: Sequence[float]) -> list[int]:
    """Samples per class: the most abundant class has ``n_per_class``, the others in proportion to their weight."""
    top = max(class_weights)
    return [max(1, round(n_per_class * w / top)) for w in class_weights]


def generate_pulses(
    n_per_class: int = 1000,
    seed: int = 1,
    class_weights: Sequence[float] = (1, 1, 1, 1),
    noise_sigma: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate digitised WCD traces ``x`` (float32, ``(n, 30)``, ADC counts) and labels ``y`` (int64).

    Class ``k`` gets ``round(n_per_class * class_weights[k] / max(class_weights))`` samples, so the
    most abundant class has ``n_per_class``. The same arguments always give the same arrays.
    """
    if len(class_weights) != len(CLASS_NAMES) or min(class_weights) <= 0:
        raise ConfigError(f"dataset.class_weights must be 4 positive numbers, got {list(class_weights)}")
    if n_per_class < 1 or noise_sigma < 0:
        raise ConfigError(f"dataset.n_per_class must be >= 1 and noise_sigma >= 0 (got {n_per_class}, {noise_sigma})")
    rng = np.random.default_rng(seed)
    t = np.arange(N_SAMPLES, dtype=np.float64)
    counts = class_counts(n_per_class, class_weights)
    signals = [_draw(rng, label, count, t) for label, count in enumerate(counts)]
    signal = np.concatenate(signals)
    y = np.concatenate([np.full(c, label, dtype=np.int64) for label, c in enumerate(counts)])
    baseline = BASELINE + rng.normal(0.0, 1.5, (len(y), 1))
    trace = baseline + signal + rng.normal(0.0, noise_sigma, signal.shape)
    x = np.clip(np.round(trace), 0, ADC_MAX).astype(np.float32)
    order = rng.permutation(len(y))
    return x[order], y[order]

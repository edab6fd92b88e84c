"""Checks every dataset passes before a split is made; each failure names the source and the problem."""

from __future__ import annotations

import math

import numpy as np

from socflow.errors import DataError


def min_samples_per_class(fractions: tuple[float, ...]) -> int:
    """Fewest samples a class needs so that a stratified split gives it at least one in every part."""
    return max(2, math.ceil(1.0 / min(fractions) + 1e-9))


def encode_labels(y: np.ndarray, source: str) -> tuple[np.ndarray, list[str]]:
    """Map labels (ints or strings) to 0..K-1 in sorted order; return the codes and the class names."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1 and np.isin(y, (0, 1)).all() and (y.sum(axis=1) == 1).all():
        return y.argmax(axis=1).astype(np.int64), [str(i) for i in range(y.shape[1])]  # one-hot
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise DataError(f"{source}: labels must be a vector (or one-hot), got shape {y.shape}")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or (y != np.round(y)).any():
            raise DataError(f"{source}: labels must be integers or strings, found non-integer values")
        y = y.astype(np.int64)
    if y.dtype.kind not in "iuUSO":
        raise DataError(f"{source}: labels of dtype {y.dtype} are not class labels")
    names, codes = np.unique(y.astype(str) if y.dtype.kind in "SO" else y, return_inverse=True)
    return codes.astype(np.int64), [str(n) for n in names]


def check_dataset(
    x: np.ndarray, y: np.ndarray, source: str, fractions: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Validate samples ``x`` and labels ``y``; return float32 samples, int64 codes and class names.

    Raises :class:`DataError` naming ``source`` for: non-numeric or 0/1-D samples, a length mismatch,
    NaN or inf, fewer than two classes, or a class too small for a stratified split with ``fractions``.
    """
    x = np.asarray(x)
    if x.dtype.kind not in "iuf" or x.ndim < 2:
        raise DataError(
            f"{source}: samples must be a numeric array of shape (n, features...) , got dtype {x.dtype} shape {x.shape}"
        )
    if len(x) != len(y):
        raise DataError(f"{source}: {len(x)} samples but {len(y)} labels")
    bad = ~np.isfinite(x.reshape(len(x), -1)).all(axis=1) if x.dtype.kind == "f" else np.zeros(len(x), bool)
    if bad.any():
        raise DataError(f"{source}: {int(bad.sum())} samples hold NaN or inf (first at index {int(bad.argmax())})")
    codes, names = encode_labels(y, source)
    if len(names) < 2:
        raise DataError(f"{source}: needs at least 2 classes, found {len(names)}")
    check_class_counts(dict(zip(names, np.bincount(codes, minlength=len(names)).tolist())), source, fractions)
    return x.astype(np.float32), codes, names


def check_class_counts(counts: dict[str, int], source: str, fractions: tuple[float, ...]) -> None:
    """DataError naming the classes (by name: sample count) too small for a stratified split with `fractions`."""
    needed = min_samples_per_class(fractions)
    small = {name: int(count) for name, count in counts.items() if count < needed}
    if small:
        raise DataError(
            f"{source}: classes {small} have fewer than {needed} samples, too few to appear in every part "
            f"of a stratified split {list(fractions)}"
        )

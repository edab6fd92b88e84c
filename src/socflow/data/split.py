"""Stratified train/validation/test split and the input scaling fitted on the training part only."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from socflow.errors import ConfigError

PARTS = ("train", "val", "test")


def stratified_split(y: np.ndarray, fractions: tuple[float, float, float], seed: int) -> dict[str, np.ndarray]:
    """Indices of each part: every class is split in the given proportions; the same seed gives the same split."""
    from sklearn.model_selection import train_test_split

    train_frac, val_frac, test_frac = fractions
    index = np.arange(len(y))
    rest, test = train_test_split(index, test_size=test_frac, stratify=y, random_state=seed)
    train, val = train_test_split(
        rest, test_size=val_frac / (train_frac + val_frac), stratify=y[rest], random_state=seed
    )
    return {"train": np.sort(train), "val": np.sort(val), "test": np.sort(test)}


@dataclass(frozen=True)
class Scaler:
    """x_scaled = (x - offset) / scale, fitted on training data; saved so the board scales identically."""

    method: str
    per_feature: bool
    offset: list[Any]
    scale: list[Any]

    @classmethod
    def fit(cls, x: np.ndarray, method: str, per_feature: bool) -> Scaler:
        """Fit ``method`` ('none', 'minmax' or 'standard') on ``x``, per feature or over the whole input."""
        axis = 0 if per_feature else None
        x64 = x.astype(np.float64)
        if method == "none":
            offset = np.zeros(x.shape[1:]) if per_feature else np.float64(0.0)
            scale = np.ones_like(offset)
        elif method == "minmax":
            offset = x64.min(axis=axis)
            scale = x64.max(axis=axis) - offset
        elif method == "standard":
            offset, scale = x64.mean(axis=axis), x64.std(axis=axis)
        else:
            raise ConfigError(f"normalize.method: unknown method {method!r} (none, minmax, standard)")
        scale = np.where(np.asarray(scale) > 0, scale, 1.0)  # a constant feature is left unscaled
        return cls(method, per_feature, np.asarray(offset).tolist(), np.asarray(scale).tolist())

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Scale ``x`` (float32 out)."""
        offset, scale = np.asarray(self.offset), np.asarray(self.scale)
        return ((x.astype(np.float64) - offset) / scale).astype(np.float32)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

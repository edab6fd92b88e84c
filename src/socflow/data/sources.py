"""Dataset sources: the built-in generators and the user formats (.npz, .csv, .h5, image folders).

Each loader returns raw ``(x, y)`` exactly as stored; :func:`socflow.data.checks.check_dataset`
validates them. File problems raise :class:`DataError` naming the file and what is wrong.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.data.pulses import CLASS_NAMES as PULSE_CLASSES
from socflow.data.pulses import generate_pulses
from socflow.errors import DataError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff"}


def existing_path(path: str | Path, kind: str) -> Path:
    """The user data file or folder, or a DataError naming it."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: dataset file not found (dataset.kind={kind}, dataset.path)")
    return path


def _key(store: Any, key: str, path: Path, setting: str) -> np.ndarray:
    if key not in store:
        raise DataError(f"{path}: has no array {key!r} (found {sorted(store.keys())}); set dataset.{setting}")
    return np.asarray(store[key])


def load_pulses(cfg: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The built-in 1D water-Cherenkov pulse task (see :mod:`socflow.data.pulses`)."""
    x, y = generate_pulses(cfg["n_per_class"], cfg["seed"], cfg["class_weights"], cfg["noise_sigma"])
    return x, y, list(PULSE_CLASSES)


def load_digits(cfg: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """scikit-learn's 8x8 handwritten digits (1,797 images, 10 classes, shipped with the package):
    a small 2D task for the CNN path, shaped ``(n, 8, 8, 1)``, grey levels 0..16."""
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    return digits.images[..., None].astype(np.float32), digits.target.astype(np.int64), [str(i) for i in range(10)]


def load_npz(cfg: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, None]:
    """An .npz archive with a sample array and a label array (names from dataset.x_key / y_key)."""
    path = existing_path(cfg["path"], "npz")
    try:
        with np.load(path, allow_pickle=False) as store:
            return _key(store, cfg["x_key"], path, "x_key"), _key(store, cfg["y_key"], path, "y_key"), None
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:  # empty, truncated, CRC-corrupt
        raise DataError(f"{path}: not a readable .npz archive ({error})") from error


def load_csv(cfg: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, None]:
    """A .csv with a header: the label column (dataset.label_column) and numeric feature columns."""
    import pandas as pd

    path = existing_path(cfg["path"], "csv")
    try:
        frame = pd.read_csv(path)
    except (ValueError, pd.errors.ParserError) as error:
        raise DataError(f"{path}: not a readable .csv ({error})") from error
    column = cfg["label_column"]
    if column not in frame.columns:
        raise DataError(
            f"{path}: no label column {column!r} (columns: {list(frame.columns)}); set dataset.label_column"
        )
    features = frame.drop(columns=[column])
    non_numeric = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    if non_numeric:
        raise DataError(f"{path}: feature columns {non_numeric} are not numeric")
    return features.to_numpy(), frame[column].to_numpy(), None


def load_h5(cfg: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, None]:
    """An HDF5 file with a sample dataset and a label dataset (names from dataset.x_key / y_key)."""
    import h5py

    path = existing_path(cfg["path"], "h5")
    try:
        with h5py.File(path, "r") as store:
            return _key(store, cfg["x_key"], path, "x_key"), _key(store, cfg["y_key"], path, "y_key"), None
    except OSError as error:
        raise DataError(f"{path}: not a readable HDF5 file ({error})") from error


def load_images(cfg: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A folder with one sub-folder per class (its name is the class name) of image files, resized to
    dataset.image_size and converted to dataset.color_mode; pixel values 0..255."""
    from PIL import Image, UnidentifiedImageError

    root = existing_path(cfg["path"], "images")
    if not root.is_dir():
        raise DataError(f"{root}: dataset.kind=images needs a folder with one sub-folder per class")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir())
    if not classes:
        raise DataError(f"{root}: no class sub-folders found")
    height, width = cfg["image_size"]
    mode = "L" if cfg["color_mode"] == "grayscale" else "RGB"
    images, labels = [], []
    for label, name in enumerate(classes):
        files = sorted(p for p in (root / name).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise DataError(f"{root / name}: class folder holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
        for file in files:
            try:
                with Image.open(file) as image:
                    pixels = np.asarray(image.convert(mode).resize((width, height), Image.BILINEAR))
            except (UnidentifiedImageError, OSError) as error:
                raise DataError(f"{file}: not a readable image ({error})") from error
            images.append(pixels.reshape(height, width, -1))
            labels.append(label)
    return np.stack(images).astype(np.float32), np.asarray(labels, dtype=np.int64), classes


LOADERS: dict[str, Callable[[Mapping[str, Any]], tuple[np.ndarray, np.ndarray, list[str] | None]]] = {
    "pulses": load_pulses,
    "digits": load_digits,
    "npz": load_npz,
    "csv": load_csv,
    "h5": load_h5,
    "images": load_images,
}
GENERATED = {"pulses", "digits"}

"""Stage prepare_data: load and check a dataset, split it stratified, fit the scaling, write the parts."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from socflow.config import split_fractions
from socflow.data.checks import check_class_counts, check_dataset
from socflow.data.pulses import CLASS_NAMES as PULSE_CLASSES
from socflow.data.pulses import N_SAMPLES, class_counts
from socflow.data.sources import GENERATED, LOADERS, existing_path
from socflow.data.split import PARTS, Scaler, stratified_split
from socflow.errors import ConfigError, DataError
from socflow.families import BUILT_IN_SHAPES
from socflow.io import read_json, save_npz, sha256_arrays, sha256_file, sha256_json, write_json
from socflow.settings import Dataset, Split

log = logging.getLogger(__name__)


def load_dataset(
    dataset: Dataset, fractions: tuple[float, ...] = (0.7, 0.15, 0.15)
) -> tuple[np.ndarray, np.ndarray, list[str], str]:
    """Load and check the dataset described by a config ``dataset`` section.

    Returns float32 samples, int64 labels 0..K-1, class names and the SHA-256 of the source
    (of the file or folder for user data, of the generated arrays for built-in kinds).
    """
    kind = dataset["kind"]
    if kind not in LOADERS:
        raise ConfigError(f"dataset.kind: unknown kind {kind!r}; choose one of {sorted(LOADERS)}")
    source = kind if kind in GENERATED else str(dataset["path"])
    x_raw, y_raw, names = LOADERS[kind](dataset)
    x, y, found = check_dataset(x_raw, y_raw, source, fractions)
    checksum = sha256_arrays(x, y) if kind in GENERATED else sha256_file(dataset["path"])
    return x, y, names if names is not None and len(names) == len(found) else found, checksum


def _source_key(dataset: Dataset, fractions: tuple[float, ...]) -> str:
    """What a check of user data depends on: the dataset settings, the split, and each file's size and
    modification time (the files of a folder, by relative name)."""
    root = Path(dataset["path"])
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    stats = [(str(f.relative_to(root)) if root.is_dir() else f.name, f.stat()) for f in files]
    stats = [(name, stat.st_size, stat.st_mtime_ns) for name, stat in stats]
    return sha256_json({"dataset": dict(dataset), "fractions": list(fractions), "files": stats})


def check_source(dataset: Dataset, split: Split, cache_dir: str | Path) -> tuple[tuple[int, ...], int]:
    """Before any job: check the dataset and return its samples' shape and number of classes (what the models of
    the later checks must take and give). A user data file is loaded and checked (format, keys, shapes, NaN/inf,
    labels, class counts), so that a bad file stops the run while the good split of an earlier run is still there
    (Snakemake deletes a job's outputs before running it); a pass is remembered in `cache_dir` by the file's size
    and time, so an unchanged file is read once, not at every start of Snakemake. Built-in kinds are checked
    from the config (:func:`check_generated`)."""
    fractions = split_fractions(split)
    if dataset["kind"] in GENERATED:
        check_generated(dataset, fractions)
        return BUILT_IN_SHAPES[dataset["kind"]]
    existing_path(dataset["path"], dataset["kind"])
    passed = Path(cache_dir) / f"{_source_key(dataset, fractions)}.json"
    if not passed.exists():
        x_raw, y_raw, _ = LOADERS[dataset["kind"]](dataset)
        x, _, names = check_dataset(x_raw, y_raw, str(dataset["path"]), fractions)
        write_json(passed, {"path": str(dataset["path"]), "input_shape": list(x.shape[1:]), "n_classes": len(names)})
    shape = read_json(passed)
    return tuple(shape["input_shape"]), int(shape["n_classes"])


# What prepare_data holds at its peak per value of the built-in pulses (the float64 traces and noise it draws, the
# float32 samples, the scaled parts), and what it holds whatever the size: measured at 250,000 samples per class
# (1.3 GB), and at 1,000 (0.16 GB).
PEAK_BYTES_PER_VALUE = 40
BASE_BYTES = 200 * 2**20


def check_generated(dataset: Dataset, fractions: tuple[float, ...]) -> None:
    """Before any job: what the built-in pulses will hold follows from the config, so a class too small for the
    split (DataError) and a dataset larger than this machine's memory (ConfigError) are named then, not inside
    prepare_data after the earlier split was deleted. (The digits are fixed: 1,797 images, at least 174 a class.)"""
    if dataset["kind"] != "pulses":
        return
    counts = class_counts(dataset["n_per_class"], dataset["class_weights"])
    check_class_counts(dict(zip(PULSE_CLASSES, counts)), "pulses", fractions)
    need = PEAK_BYTES_PER_VALUE * sum(counts) * N_SAMPLES + BASE_BYTES
    have = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if need > have:
        raise ConfigError(
            f"n_per_class: {dataset['n_per_class']:,} pulses per class would take about {need / 2**30:,.1f} GiB to "
            f"generate and split; this machine has {have / 2**30:,.1f} GiB"
        )


def check_sources(
    experiments: Mapping[str, Mapping[str, Any]], cache_dir: str | Path
) -> dict[str, tuple[tuple[int, ...], int]]:
    """:func:`check_source` for every experiment, its error led by the experiment's dataset key; each experiment's
    samples' shape and number of classes."""
    shapes = {}
    for exp, cfg in experiments.items():
        try:
            shapes[exp] = check_source(cfg["dataset"], cfg["split"], cache_dir)
        except (DataError, ConfigError) as error:
            raise type(error)(f"experiments.{exp}.dataset: {error}") from None
    return shapes


def scaled_split(
    dataset: Dataset, split: Split, normalize: Mapping[str, Any]
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], Scaler, list[str], str]:
    """The dataset split stratified and seeded, each part scaled by the scaler fitted on the training part only:
    the parts (x, y), the scaler, the class names and the source's checksum."""
    fractions = split_fractions(split)
    x, y, class_names, checksum = load_dataset(dataset, fractions)
    log.info("loaded %s: x %s, %d classes", dataset["kind"], x.shape, len(class_names))
    parts = stratified_split(y, fractions, split["seed"])
    scaler = Scaler.fit(x[parts["train"]], normalize["method"], normalize["per_feature"])
    scaled = {part: (scaler.transform(x[idx]), y[idx]) for part, idx in parts.items()}
    return scaled, scaler, class_names, checksum


def scaled_range(
    dataset: Dataset, split: Split, normalize: Mapping[str, Any], cache_dir: str | Path
) -> tuple[float, float]:
    """Before any job: the smallest and largest value of the normalized training part (what the IP's input type
    must hold), split and scaled as prepare_data does; remembered in `cache_dir` under a key of the settings (and of
    a user file's size and time), so the data are read once, not at every start of Snakemake."""
    fractions = split_fractions(split)
    source = dataset["kind"] if dataset["kind"] in GENERATED else _source_key(dataset, fractions)
    key = sha256_json({"source": source, "dataset": dict(dataset), "split": dict(split), "normalize": dict(normalize)})
    known = Path(cache_dir) / f"range-{key}.json"
    if not known.exists():
        parts, *_ = scaled_split(dataset, split, normalize)
        x = parts["train"][0]
        write_json(known, {"min": float(x.min()), "max": float(x.max())})
    found = read_json(known)
    return found["min"], found["max"]


def prepare_data(
    *, inputs: Mapping[str, Any], params: Mapping[str, Any], outputs: Mapping[str, str | Path], threads: int = 1
) -> dict[str, Any]:
    """Stage prepare_data: from params `dataset`, `split` and `normalize`, write ``outputs['train'|'val'|'test']``
    (.npz with x, y), ``outputs['scaler']`` and ``outputs['summary']``. (inputs['source'], the dataset's file when
    it has one, is there for Snakemake's bookkeeping: the dataset section names it.)

    The split is stratified and seeded; the scaler is fitted on the training part only and applied
    to every part; the summary records shapes, class counts per part and the source checksum.
    """
    dataset, split, normalize = params["dataset"], params["split"], params["normalize"]
    parts, scaler, class_names, checksum = scaled_split(dataset, split, normalize)
    for part in PARTS:
        x, y = parts[part]
        save_npz(outputs[part], {"x": x, "y": y})
    write_json(outputs["scaler"], scaler.to_dict())
    summary = {
        "kind": dataset["kind"],
        "source_sha256": checksum,
        "input_shape": list(parts["train"][0].shape[1:]),
        "n_classes": len(class_names),
        "class_names": class_names,
        "n_samples": sum(len(parts[p][1]) for p in PARTS),
        "split": {part: float(f) for part, f in zip(PARTS, split_fractions(split))},
        "split_seed": split["seed"],
        "class_counts": {p: np.bincount(parts[p][1], minlength=len(class_names)).tolist() for p in PARTS},
        "normalize": normalize["method"],
    }
    write_json(outputs["summary"], summary)
    return summary

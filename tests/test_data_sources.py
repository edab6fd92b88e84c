"""User data formats (.npz, .csv, .h5, image folders), the digits task, and the named errors on bad input."""

from __future__ import annotations

import h5py
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from socflow.data import load_dataset
from socflow.errors import DataError

DEFAULTS = {"x_key": "x", "y_key": "y", "label_column": "label", "image_size": [8, 8], "color_mode": "grayscale"}


def dataset(kind, path, **extra):
    return {"kind": kind, "path": str(path), **DEFAULTS, **extra}


@pytest.fixture
def arrays():
    rng = np.random.default_rng(0)
    return rng.normal(size=(60, 5)).astype(np.float32), np.repeat([0, 1, 2], 20)


def test_npz(tmp_path, arrays):
    np.savez(tmp_path / "d.npz", x=arrays[0], y=arrays[1])
    x, y, names, checksum = load_dataset(dataset("npz", tmp_path / "d.npz"))
    assert np.array_equal(x, arrays[0]) and np.array_equal(y, arrays[1])
    assert names == ["0", "1", "2"] and len(checksum) == 64


def test_npz_with_other_key_names_and_string_labels(tmp_path, arrays):
    labels = np.array(["cat", "dog", "eel"])[arrays[1]]
    np.savez(tmp_path / "d.npz", samples=arrays[0], classes=labels)
    x, y, names, _ = load_dataset(dataset("npz", tmp_path / "d.npz", x_key="samples", y_key="classes"))
    assert names == ["cat", "dog", "eel"] and np.array_equal(y, arrays[1])


def test_csv(tmp_path, arrays):
    frame = pd.DataFrame(arrays[0], columns=[f"f{i}" for i in range(5)])
    frame.insert(2, "kind", arrays[1])
    frame.to_csv(tmp_path / "d.csv", index=False)
    x, y, _, _ = load_dataset(dataset("csv", tmp_path / "d.csv", label_column="kind"))
    assert x.shape == (60, 5) and np.allclose(x, arrays[0]) and np.array_equal(y, arrays[1])


def test_h5(tmp_path, arrays):
    with h5py.File(tmp_path / "d.h5", "w") as f:
        f["x"], f["y"] = arrays
    x, y, _, _ = load_dataset(dataset("h5", tmp_path / "d.h5"))
    assert np.array_equal(x, arrays[0]) and np.array_equal(y, arrays[1])


def make_images(root, per_class=8, size=(12, 10)):
    rng = np.random.default_rng(1)
    for name in ("ant", "bee"):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            Image.fromarray(rng.integers(0, 255, (*size, 3), dtype=np.uint8)).save(root / name / f"{i}.png")


@pytest.mark.parametrize("mode,channels", [("grayscale", 1), ("rgb", 3)])
def test_image_folder(tmp_path, mode, channels):
    make_images(tmp_path / "imgs")
    x, y, names, _ = load_dataset(dataset("images", tmp_path / "imgs", image_size=[6, 4], color_mode=mode))
    assert x.shape == (16, 6, 4, channels) and names == ["ant", "bee"] and np.bincount(y).tolist() == [8, 8]
    assert 0 <= x.min() and x.max() <= 255


def test_digits_is_a_2d_image_task():
    x, y, names, _ = load_dataset({"kind": "digits"})
    assert x.shape == (1797, 8, 8, 1) and len(names) == 10 and x.max() == 16


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataError, match=r"nope\.npz: dataset file not found"):
        load_dataset(dataset("npz", tmp_path / "nope.npz"))


def test_missing_array_names_the_setting(tmp_path, arrays):
    np.savez(tmp_path / "d.npz", data=arrays[0], y=arrays[1])
    with pytest.raises(DataError, match=r"d\.npz: has no array 'x'.*dataset\.x_key"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_nan_is_rejected_with_its_index(tmp_path, arrays):
    x = arrays[0].copy()
    x[7, 2] = np.nan
    np.savez(tmp_path / "d.npz", x=x, y=arrays[1])
    with pytest.raises(DataError, match=r"d\.npz: 1 samples hold NaN or inf \(first at index 7\)"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_inf_is_rejected(tmp_path, arrays):
    x = arrays[0].copy()
    x[3, 0] = np.inf
    with h5py.File(tmp_path / "d.h5", "w") as f:
        f["x"], f["y"] = x, arrays[1]
    with pytest.raises(DataError, match="NaN or inf"):
        load_dataset(dataset("h5", tmp_path / "d.h5"))


def test_one_dimensional_samples_are_a_wrong_shape(tmp_path, arrays):
    np.savez(tmp_path / "d.npz", x=arrays[0][:, 0], y=arrays[1])
    with pytest.raises(DataError, match=r"shape \(n, features...\).*shape \(60,\)"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_length_mismatch(tmp_path, arrays):
    np.savez(tmp_path / "d.npz", x=arrays[0], y=arrays[1][:-1])
    with pytest.raises(DataError, match="60 samples but 59 labels"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_non_integer_labels(tmp_path, arrays):
    np.savez(tmp_path / "d.npz", x=arrays[0], y=arrays[1] + 0.5)
    with pytest.raises(DataError, match="labels must be integers or strings"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_single_class(tmp_path, arrays):
    np.savez(tmp_path / "d.npz", x=arrays[0], y=np.zeros(60, int))
    with pytest.raises(DataError, match="at least 2 classes, found 1"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_class_too_small_for_a_stratified_split(tmp_path, arrays):
    y = arrays[1].copy()
    y[:17] = 1  # class 0 keeps 3 samples; 70/15/15 needs 7
    np.savez(tmp_path / "d.npz", x=arrays[0], y=y)
    with pytest.raises(DataError, match=r"classes \{'0': 3\} have fewer than 7 samples"):
        load_dataset(dataset("npz", tmp_path / "d.npz"))


def test_csv_without_label_column(tmp_path, arrays):
    pd.DataFrame(arrays[0]).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DataError, match=r"no label column 'label'.*dataset\.label_column"):
        load_dataset(dataset("csv", tmp_path / "d.csv"))


def test_csv_with_text_feature(tmp_path, arrays):
    frame = pd.DataFrame({"a": arrays[0][:, 0], "b": ["x"] * 60, "label": arrays[1]})
    frame.to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DataError, match=r"feature columns \['b'\] are not numeric"):
        load_dataset(dataset("csv", tmp_path / "d.csv"))


def test_corrupt_h5(tmp_path):
    (tmp_path / "d.h5").write_text("not hdf5")
    with pytest.raises(DataError, match=r"d\.h5: not a readable HDF5 file"):
        load_dataset(dataset("h5", tmp_path / "d.h5"))


def test_unreadable_image_is_named(tmp_path):
    make_images(tmp_path / "imgs")
    (tmp_path / "imgs" / "bee" / "broken.png").write_text("not a png")
    with pytest.raises(DataError, match=r"broken\.png: not a readable image"):
        load_dataset(dataset("images", tmp_path / "imgs"))


def test_empty_class_folder(tmp_path):
    make_images(tmp_path / "imgs")
    (tmp_path / "imgs" / "cow").mkdir()
    with pytest.raises(DataError, match=r"cow: class folder holds no images"):
        load_dataset(dataset("images", tmp_path / "imgs"))


def corrupt_copies(good, folder):
    """An empty, a truncated and a CRC-corrupt copy (one byte of the first array flipped) of a file."""
    raw = good.read_bytes()
    flipped = bytearray(raw)
    flipped[raw.index(b"\x93NUMPY") + 100 if b"\x93NUMPY" in raw else len(raw) // 2] ^= 0xFF
    copies = {"empty": b"", "truncated": raw[: len(raw) // 2], "flipped": bytes(flipped)}
    for name, content in copies.items():
        (folder / f"{name}{good.suffix}").write_bytes(content)
    return [folder / f"{name}{good.suffix}" for name in copies]


@pytest.mark.parametrize("kind", ["npz", "h5"])
def test_empty_truncated_or_corrupt_files_are_named(tmp_path, arrays, kind):
    good = tmp_path / f"good.{kind}"
    if kind == "npz":
        np.savez(good, x=arrays[0], y=arrays[1])
    else:
        with h5py.File(good, "w") as store:
            store["x"], store["y"] = arrays
    bad = corrupt_copies(good, tmp_path)
    for path in bad[: 3 if kind == "npz" else 2]:  # a flipped data byte in HDF5 is not detected by the format
        with pytest.raises(DataError, match=rf"{path.name}: not a readable"):
            load_dataset(dataset(kind, path))


def test_empty_csv_is_named(tmp_path):
    (tmp_path / "d.csv").write_text("")
    with pytest.raises(DataError, match=r"d\.csv: not a readable \.csv"):
        load_dataset(dataset("csv", tmp_path / "d.csv"))


def test_the_plan_time_check_reads_a_file_once_until_it_changes(tmp_path, arrays, monkeypatch):
    from socflow.data import check_source, sources

    split = {"train": 0.7, "val": 0.15, "test": 0.15, "seed": 1}
    np.savez(tmp_path / "d.npz", x=arrays[0], y=arrays[1])
    reads = []
    monkeypatch.setitem(sources.LOADERS, "npz", lambda cfg: reads.append(cfg) or sources.load_npz(cfg))
    check_source(dataset("npz", tmp_path / "d.npz"), split, tmp_path / "checks")
    check_source(dataset("npz", tmp_path / "d.npz"), split, tmp_path / "checks")
    assert len(reads) == 1  # the second start of Snakemake finds the pass
    np.savez(tmp_path / "d.npz", x=arrays[0][:30], y=arrays[1])
    with pytest.raises(DataError, match=r"d\.npz: 30 samples but 60 labels"):
        check_source(dataset("npz", tmp_path / "d.npz"), split, tmp_path / "checks")
    pulses = {"kind": "pulses", "n_per_class": 40, "class_weights": [1, 1, 1, 1]}
    check_source(pulses, split, tmp_path / "none")  # built-in kinds: checked from the config, nothing read
    assert not (tmp_path / "none").exists()

"""socflow.io: atomic writes with the mode the umask gives, byte-identical archives."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from socflow.io import atomic_path, save_npz, write_json


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_atomic_writes_respect_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_json(tmp_path / "a.json", {"a": 1})
        save_npz(tmp_path / "b.npz", {"x": np.zeros(3)})
        with atomic_path(tmp_path / "c.csv") as tmp:
            tmp.write_text("a\n1\n")
    finally:
        os.umask(old)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()} == dict.fromkeys(
        ["a.json", "b.npz", "c.csv"], mode
    )


def test_a_failed_write_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "a.json") as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_npz_archives_are_byte_identical(tmp_path):
    save_npz(tmp_path / "a.npz", {"x": np.arange(4), "y": np.ones(2)})
    save_npz(tmp_path / "b.npz", {"y": np.ones(2), "x": np.arange(4)})
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()

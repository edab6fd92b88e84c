"""File writing that keeps results trustworthy: atomic (no half-written result survives a kill) and
deterministic (the same content gives the same bytes, so a re-run is byte-identical)."""

from __future__ import annotations

import filecmp
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

# numpy.savez stamps every member with the current time; a fixed stamp makes the archive reproducible.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place only if the block succeeds, with the mode
    a plainly written file would have (``mkstemp`` makes it 0600 whatever the umask)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_json(path: str | os.PathLike[str], obj: Any) -> None:
    """Write ``obj`` as indented, key-sorted JSON (stable across runs), atomically."""
    write_bytes(path, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode())


def plain_numbers(values: Mapping[str, Any]) -> dict[str, Any]:
    """A mapping's NumPy scalars as Python numbers, for JSON (a Gaussian process or pandas may hand them back)."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in values.items()}


def read_json(path: str | os.PathLike[str]) -> Any:
    """Read a JSON file."""
    return json.loads(Path(path).read_text())


def save_npz(path: str | os.PathLike[str], arrays: Mapping[str, np.ndarray]) -> None:
    """Save arrays as an uncompressed .npz (loadable by ``np.load``) with fixed member timestamps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH), member.getvalue())
    write_bytes(path, buffer.getvalue())


def read_xy(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """Samples and labels of one data part written by prepare_data."""
    with np.load(path, allow_pickle=False) as part:
        return part["x"], part["y"]


def sha256_file(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, or of a folder's files (relative names and contents, in sorted order)."""
    root = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    for file in files:
        if root.is_dir():
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def sha256_json(obj: Any) -> str:
    """SHA-256 of an object's key-sorted JSON: a stable key of settings."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def sha256_arrays(*arrays: np.ndarray) -> str:
    """SHA-256 of arrays' dtypes, shapes and bytes: the checksum of a generated dataset."""
    digest = hashlib.sha256()
    for array in arrays:
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def differing_files(
    a: str | os.PathLike[str], b: str | os.PathLike[str], pattern: str, skip_suffixes: tuple[str, ...] = ()
) -> list[str]:
    """Files matching `pattern` under folder `a` (paths relative to it) that are missing from `b` or differ in
    content: checks that an exported project is the one that was simulated."""
    a, b = Path(a), Path(b)
    return [
        str(path.relative_to(a))
        for path in sorted(a.glob(pattern))
        if path.is_file()
        and path.suffix not in skip_suffixes
        and not ((b / path.relative_to(a)).is_file() and filecmp.cmp(path, b / path.relative_to(a), shallow=False))
    ]

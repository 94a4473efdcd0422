"""Atomic files (`.npz` and any other): readers see the old file or the new one, never a
torn write."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from matchmaker.domain.errors import IndexFileError

REBUILD_HINT = "run `flask index rebuild` to re-embed and rebuild the index"


def write_npz_atomic(path: str | os.PathLike[str], arrays: dict[str, np.ndarray]) -> None:
    """Write an `.npz` file atomically (`write_file_atomic`)."""
    write_file_atomic(path, lambda handle: np.savez(handle, allow_pickle=False, **arrays))


def write_file_atomic(path: str | os.PathLike[str], write: Callable[[BinaryIO], object]) -> None:
    """`write(handle)` into a temp file in the same directory, fsync it, `os.replace` it
    into place and fsync the directory: readers see the old file or the new one."""
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(target.parent)


def read_npz(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Every array of an `.npz` file (no pickles); IndexFileError if unreadable."""
    try:
        # Open the file ourselves: np.load leaks its handle when the zip is torn.
        with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise IndexFileError(f"Cannot read index file {path}: {exc}; {REBUILD_HINT}.") from exc


def json_array(value: Any) -> np.ndarray:
    """JSON as a uint8 array of its UTF-8 bytes (npz without pickles holds no objects;
    a numpy string array would store 4 bytes per character)."""
    return np.frombuffer(json.dumps(value).encode("utf-8"), dtype=np.uint8)


def from_json_array(arrays: dict[str, np.ndarray], key: str, path: object) -> Any:
    """Inverse of `json_array`; also reads the 0-d string arrays older files hold."""
    try:
        array = arrays[key]
        text = array.tobytes().decode("utf-8") if array.dtype == np.uint8 else str(array)
        return json.loads(text)
    except (KeyError, ValueError) as exc:
        raise IndexFileError(f"Index file {path} lacks valid {key!r}; {REBUILD_HINT}.") from exc


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where unsupported."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

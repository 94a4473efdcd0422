"""One file of named, page-aligned raw arrays, written atomically and read by mmap.

Layout: 8 magic bytes, a little-endian uint64 header length, a JSON header (the
caller's meta and, per array, dtype, shape and offset), then each array's raw bytes
at a 4096-byte-aligned offset. Readers map the file and view the arrays in place:
nothing is parsed or copied, and processes reading one file share its page cache.
A file shorter or longer than its header says (a torn write), with a bad magic or an
unreadable header is refused with IndexFileError.
"""

from __future__ import annotations

import json
import mmap
import os
from typing import Any, BinaryIO

import numpy as np

from matchmaker.domain.errors import IndexFileError
from matchmaker.domain.npzfile import REBUILD_HINT, write_file_atomic

MAGIC = b"MMCOLS01"
ALIGN = 4096


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


def write_columns_atomic(
    path: str | os.PathLike[str], meta: dict[str, Any], arrays: dict[str, np.ndarray]
) -> None:
    """The arrays and `meta` as one file, written atomically (`write_file_atomic`)."""
    layout: dict[str, dict[str, Any]] = {}
    header = b""
    for _ in range(3):  # the header's own length moves the offsets; settles at once
        offset = _aligned(16 + len(header))
        for name, array in arrays.items():
            if array.dtype.hasobject:
                raise TypeError(f"Array {name!r} holds Python objects.")
            layout[name] = {
                "dtype": array.dtype.str,
                "shape": list(array.shape),
                "offset": offset,
            }
            offset = _aligned(offset + array.nbytes)
        header = json.dumps({"meta": meta, "arrays": layout, "total": offset}).encode()

    def write(handle: BinaryIO) -> None:
        handle.write(MAGIC + len(header).to_bytes(8, "little") + header)
        for name, array in arrays.items():
            handle.seek(layout[name]["offset"])
            handle.write(np.ascontiguousarray(array).data)
        handle.truncate(offset)

    write_file_atomic(path, write)


def read_columns(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The meta and read-only array views of a file written by `write_columns_atomic`."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < 16:
                raise ValueError("shorter than its header")
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if mapped[:8] != MAGIC:
            raise ValueError("not a matcher snapshot (bad magic)")
        length = int.from_bytes(mapped[8:16], "little")
        header = json.loads(bytes(mapped[16 : 16 + length]).decode("utf-8"))
        if header["total"] != size:
            raise ValueError(f"{size} bytes where its header says {header['total']} (torn)")
        arrays = {}
        for name, spec in header["arrays"].items():
            dtype = np.dtype(spec["dtype"])
            count = int(np.prod(spec["shape"], dtype=np.int64))
            flat = np.frombuffer(mapped, dtype=dtype, count=count, offset=spec["offset"])
            arrays[name] = flat.reshape(spec["shape"])
        return header["meta"], arrays
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexFileError(f"Cannot read index file {path}: {exc}; {REBUILD_HINT}.") from exc

"""Instance files are private to the service's user: files 0600, directories 0700.

The instance holds the SQLite database (every firm's confidential compliance data),
the secret key that signs sessions and edit links, and the index snapshots. Under the
usual umask 022 they came out world-readable, so they are created with private modes
from the start (never written first and narrowed after) and tightened at start-up if
an older instance left them loose. SQLite gives its -wal/-shm/-journal files the
database file's own mode, and index snapshots are written through `tempfile.mkstemp`
(0600) into the 0700 index directory.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

FILE_MODE = 0o600
DIR_MODE = 0o700
log = logging.getLogger(__name__)


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as 0700, or tighten it if it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    _tighten(path, DIR_MODE)
    return path


@contextlib.contextmanager
def private_file(path: Path, *, exclusive: bool = False) -> Iterator[BinaryIO]:
    """Open `path` for writing, created 0600 (its directory 0700 if it is new)."""
    if not path.parent.exists():
        private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        yield handle


def secure_instance(instance_dir: Path, index_dir: Path, database_uri: str) -> None:
    """Make the instance, index directory and SQLite file private (idempotent)."""
    private_dir(instance_dir)
    private_dir(index_dir)
    for name in ("secret_key",):
        if (instance_dir / name).exists():
            _tighten(instance_dir / name, FILE_MODE)
    database = sqlite_file(database_uri)
    if database is None:
        return
    if database.exists():
        _tighten(database, FILE_MODE)
    elif database.parent.is_dir():
        # An empty file is a valid empty SQLite database; creating it here fixes its mode.
        # A missing directory is left missing: a mistyped path must fail as unreachable
        # (503, /readyz says so), not silently start an empty database somewhere else.
        with private_file(database):
            pass


def sqlite_file(database_uri: str) -> Path | None:
    """The file a SQLite URL names, or None (another backend, or in memory)."""
    try:
        url = make_url(database_uri)
    except ArgumentError:
        return None
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):
        return None  # URI filenames carry their own options; left to the operator
    return Path(url.database)


def _tighten(path: Path, mode: int) -> None:
    """Narrow `path` to `mode` when we own it; a file someone else owns is only reported."""
    info = path.stat()
    if info.st_mode & 0o777 & ~mode == 0:
        return
    try:
        path.chmod(info.st_mode & 0o777 & mode)
    except PermissionError:
        log.warning("%s is readable by others and cannot be narrowed to %o", path, mode)

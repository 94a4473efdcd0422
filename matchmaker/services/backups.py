"""Database backups that restore cleanly: SQLite's online backup API, PostgreSQL's tools.

A backup is a copy of the database only. The vector index is derived and is never
backed up: after a restore the database gets a new identity (`index_state.new_identity`),
so every snapshot and every worker's loaded matcher built on the other history is
refused and rebuilt from the restored rows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from sqlalchemy.engine import make_url

from matchmaker.instance_files import private_dir

REQUIRED_TABLES = frozenset({"alembic_version", "company", "index_state"})
PG_TIMEOUT_SECONDS = 600


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def backend_of(database_url: str) -> str:
    """'sqlite' or 'postgresql' (the only backends the app supports)."""
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def sqlite_file(database_url: str) -> Path:
    """The database file of a SQLite URL (in-memory databases cannot be backed up)."""
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise BackupError("An in-memory SQLite database has no file to back up or restore.")
    return Path(name)


def prepare_target(target: Path) -> None:
    """Refuse to overwrite a backup; its directory is private (backups hold contacts,
    compliance facts and key hashes)."""
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name.")
    private_dir(target.parent)


def backup_sqlite(database: Path, target: Path) -> None:
    """Copy a live database page by page; writers may go on meanwhile (the backup API
    restarts and still yields one consistent state, unlike copying the file)."""
    prepare_target(target)
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()


def check_sqlite_backup(backup: Path) -> str:
    """The Alembic revision of a sound backup file; BackupError for anything else."""
    if not backup.is_file():
        raise BackupError(f"No backup file at {backup}.")
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError(f"{backup} fails SQLite's integrity check.")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if missing := REQUIRED_TABLES - tables:
                raise BackupError(
                    f"{backup} is not a Matchmaker backup (no {', '.join(sorted(missing))} table)."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} is not a readable SQLite database: {error}.") from error
    if row is None:
        raise BackupError(f"{backup} records no migration revision.")
    return str(row[0])


def restore_sqlite(backup: Path, database: Path) -> None:
    """Overwrite the live database with a checked backup in one step: the backup API
    copies every page inside one write transaction, so a failure leaves it as it was.
    Other connections must not hold a transaction open (they wait up to 30 s)."""
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        live = sqlite3.connect(database, timeout=30)
        try:
            source.backup(live)
        finally:
            live.close()
    finally:
        source.close()


def libpq_url(database_url: str) -> str:
    """The URL as pg_dump and pg_restore read it: no SQLAlchemy driver suffix, and no
    password (it goes in PGPASSWORD, so `ps` never shows it)."""
    parts = urlsplit(database_url)
    netloc = parts.netloc
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        netloc = f"{credentials.split(':', 1)[0]}@{host}"
    return urlunsplit(parts._replace(scheme="postgresql", netloc=netloc))


def pg_environment(database_url: str) -> dict[str, str]:
    """The process environment plus PGPASSWORD when the URL carries a password."""
    password = make_url(database_url).password
    return {**os.environ, **({"PGPASSWORD": str(password)} if password else {})}


def pg_schema(database_url: str) -> str | None:
    """The schema named by `options=-csearch_path=...`, so one schema is dumped, not all."""
    for option in parse_qs(urlsplit(database_url).query).get("options", []):
        for word in option.split():
            if word.startswith("-csearch_path="):
                return word.split("=", 1)[1].split(",")[0].strip() or None
    return None


def pg_dump_command(database_url: str, target: Path) -> list[str]:
    """The documented pg_dump call: custom format (compressed, restorable selectively)."""
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    if schema := pg_schema(database_url):
        command.append(f"--schema={schema}")
    return [*command, f"--file={target}", libpq_url(database_url)]


def pg_restore_command(database_url: str, backup: Path) -> list[str]:
    """The documented pg_restore call: drop and recreate every object of the dump in one
    transaction, so a failed restore leaves the database as it was."""
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={libpq_url(database_url)}",
        str(backup),
    ]


def run_pg_tool(command: list[str], database_url: str = "") -> None:
    """Run pg_dump / pg_restore; BackupError (with the command to run by hand) if absent
    or failing."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not on PATH; install the PostgreSQL client tools of the "
            f"server's version, or run by hand: {' '.join(command)}"
        )
    result = subprocess.run(  # noqa: S603 - fixed tool name, arguments built above
        command,
        capture_output=True,
        text=True,
        timeout=PG_TIMEOUT_SECONDS,
        check=False,
        env=pg_environment(database_url) if database_url else None,
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")


def check_pg_backup(backup: Path) -> None:
    """Refuse a file pg_restore cannot read before anything is dropped."""
    if not backup.is_file():
        raise BackupError(f"No backup file at {backup}.")
    run_pg_tool(["pg_restore", "--list", str(backup)])

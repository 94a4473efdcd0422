"""The database as an operator sees it: SQLite tuned for concurrent writers, and failures
the caller can wait out answered 503 with Retry-After instead of 500.

A lock timeout, a database that is down, or one that was never migrated is no bug in the
request: the same request succeeds once the lock is free, the server is back (the pool
pre-pings, so recovery is automatic) or `flask db upgrade` has run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

# PostgreSQL SQLSTATEs of a wait that ran out or a transaction the server gave up on.
_PG_BUSY = frozenset({"55P03", "40001", "40P01", "57014"})  # lock, serialization, deadlock, timeout
_PG_UNMIGRATED = frozenset({"42P01", "42703"})  # undefined table, undefined column
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNMIGRATED = ("no such table", "no such column")
_SQLITE_DOWN = ("unable to open database file", "disk i/o error")


@dataclass(frozen=True)
class Unavailable:
    """Why the database cannot serve the request now, and when to try again (seconds)."""

    message: str
    retry_after: int


BUSY = Unavailable("The database is busy; nothing was written. Retry in a moment.", 1)
DOWN = Unavailable("The database is unreachable; nothing was written. Retry shortly.", 5)
UNMIGRATED = Unavailable(
    "The database schema is not up to date; an operator must run `flask db upgrade`.", 30
)


def init_database(app: Flask, engine: Engine) -> None:
    """On SQLite: write-ahead log (readers never block the writer) and a busy timeout
    (a writer waits for the lock instead of failing at once)."""
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()


def unavailable(error: DBAPIError) -> Unavailable | None:
    """The 503 answer for a failure the caller can wait out; None for a real bug."""
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    text = str(original).lower()
    if sqlstate in _PG_BUSY or any(s in text for s in _SQLITE_BUSY):
        return BUSY
    if sqlstate in _PG_UNMIGRATED or any(s in text for s in _SQLITE_UNMIGRATED):
        return UNMIGRATED
    if error.connection_invalidated or any(s in text for s in _SQLITE_DOWN):
        return DOWN
    # No SQLSTATE means the server never answered; class 08 is a lost connection.
    if isinstance(error, OperationalError) and (sqlstate is None or sqlstate.startswith("08")):
        return DOWN
    return None

"""The database as an operator sees it: SQLite tuned for concurrent writers, a PostgreSQL
restart waited out, and failures the caller can wait out answered 503 with Retry-After
instead of 500.

A lock timeout, a database that is down, or one that was never migrated is no bug in the
request: the same request succeeds once the lock is free, the server is back (the pool
pre-pings, so recovery is automatic) or `flask db upgrade` has run. A server that is
only restarting (down for about a second) is waited out inside the request: a new
connection is tried again for up to DATABASE_CONNECT_RETRY_SECONDS.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from matchmaker.domain.messages import N_

# PostgreSQL SQLSTATEs of a wait that ran out or a transaction the server gave up on.
_PG_BUSY = frozenset({"55P03", "40001", "40P01", "57014"})  # lock, serialization, deadlock, timeout
_PG_UNMIGRATED = frozenset({"42P01", "42703"})  # undefined table, undefined column
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNMIGRATED = ("no such table", "no such column")
_SQLITE_DOWN = ("unable to open database file", "disk i/o error")
# What libpq says when no server is accepting connections yet or any more. psycopg gives
# connection failures no SQLSTATE, so the words are all there is; a server that refused
# us ("password authentication failed", "database ... does not exist", "role ... does not
# exist", "no pg_hba.conf entry") says none of them and is never tried again.
_PG_NOT_THERE = (
    "connection refused",
    "could not connect",
    "the database system is starting up",  # 57P03
    "the database system is shutting down",  # 57P03
    "the database system is not yet accepting connections",  # 57P03, recovery
    "the database system is in recovery mode",  # 57P03, after a crash
    "terminating connection",  # 57P01 admin shutdown, 57P02 crash shutdown
    "server closed the connection unexpectedly",
)
_PG_NOT_THERE_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
# First pause between connection attempts, doubled up to the cap: a restart takes about
# a second, so a few attempts cover it without hammering a server that is starting.
_FIRST_PAUSE, _LONGEST_PAUSE = 0.05, 0.5

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unavailable:
    """Why the database cannot serve the request now, and when to try again (seconds)."""

    message: str
    retry_after: int


BUSY = Unavailable(N_("The database is busy; nothing was written. Retry in a moment."), 1)
DOWN = Unavailable(N_("The database is unreachable; nothing was written. Retry shortly."), 5)
# The connection broke after the request sent a COMMIT: the write may have been applied.
SAVE_UNKNOWN = Unavailable(
    N_(
        "The database connection was lost while saving; the change may or may not have been "
        "saved. Read it back before you retry."
    ),
    5,
)
UNMIGRATED = Unavailable(
    N_("The database schema is not up to date; an operator must run `flask db upgrade`."), 30
)


def init_database(app: Flask, engine: Engine) -> None:
    """On SQLite: write-ahead log (readers never block the writer) and a busy timeout
    (a writer waits for the lock instead of failing at once). On PostgreSQL: a new
    connection that finds no server is tried again for a few seconds."""
    if engine.dialect.name == "postgresql":
        retry_connects(engine, float(app.config["DATABASE_CONNECT_RETRY_SECONDS"]))
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


def server_not_there(error: BaseException | None) -> bool:
    """True when PostgreSQL is not accepting connections (down, starting, shutting down):
    a failure that a short wait may cure. False for a server that answered and refused."""
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate in _PG_NOT_THERE_SQLSTATES:
        return True
    text = str(error).lower()
    return sqlstate is None and any(words in text for words in _PG_NOT_THERE)


def retry_connects(
    engine: Engine,
    budget_seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Make each new connection of `engine` wait up to `budget_seconds` for a server that
    is not there yet, instead of failing at once; 0 turns this off.

    Only the connect is repeated, never a statement: nothing has been sent yet, so trying
    again cannot run anything twice. The pool's pre-ping reconnects through here too, so
    a request that finds its pooled connection dead after a restart waits for the server.
    """
    if budget_seconds <= 0:
        return

    @event.listens_for(engine, "do_connect")
    def _connect_when_there(
        dialect: Dialect, record: Any, cargs: list[Any], cparams: dict[str, Any]
    ) -> Any:
        deadline = clock() + budget_seconds
        pause, attempt = _FIRST_PAUSE, 1
        while True:
            try:
                return dialect.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError as error:
                left = deadline - clock()
                if left <= 0 or not server_not_there(error):
                    raise
                log.warning(
                    "Database not accepting connections (attempt %d), trying again in %.2f s: %s",
                    attempt,
                    min(pause, left),
                    str(error).strip().splitlines()[0],
                    extra={"database": {"event": "connect_retry", "attempt": attempt}},
                )
                sleep(min(pause, left))
                pause, attempt = min(pause * 2, _LONGEST_PAUSE), attempt + 1

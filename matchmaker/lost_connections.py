"""A request whose database connection is lost mid-way (the server restarted after the
pool's pre-ping said the connection was fine) is run once more instead of answered 503,
when that cannot write anything twice; and a connection that dies after the answer was
made never turns that answer into a 500.

When is running again safe? A PostgreSQL transaction whose connection is lost before
COMMIT was sent is rolled back by the server: the database holds nothing of it. So a
request that attempted no COMMIT (`commit_attempted`) changed nothing, and running its
view again is what the client's own retry would do, one round trip sooner. A request
that sent a COMMIT is never run again: that commit may have been applied (the answer
was lost, not necessarily the write), and running again could write twice. It answers
503, saying that the change may have been saved when a COMMIT was sent and never
confirmed. Requests that uploaded files are not run again either: their streams have
been read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from matchmaker.database import server_not_there
from matchmaker.extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")
_COMMIT_ATTEMPTED = "database_commit_attempted"
_COMMIT_UNCONFIRMED = "database_commit_unconfirmed"
_RAN_AGAIN = "database_request_ran_again"
# admin shutdown, crash shutdown, cannot connect now: the server ended a live session
_SERVER_ENDED_SESSION = frozenset({"57P01", "57P02", "57P03"})


def init_lost_connections(app: Flask, engine: Engine) -> None:
    """Note each request's COMMITs and close its session without raising."""

    @event.listens_for(engine, "commit")
    def _note_commit(connection: Connection) -> None:
        # Fired before COMMIT is sent: from here on the outcome may be unknown.
        if has_app_context():
            setattr(g, _COMMIT_ATTEMPTED, True)
            setattr(g, _COMMIT_UNCONFIRMED, True)

    # db.session is one object for every app built in this process: listen once.
    if not event.contains(db.session, "after_commit", _note_confirmed):
        event.listen(db.session, "after_commit", _note_confirmed)
    # Registered after Flask-SQLAlchemy's own teardown, so it runs first (Flask runs
    # teardowns in reverse); the session it leaves behind is closed already.
    app.teardown_appcontext(_close_session)


def _note_confirmed(session: Session) -> None:
    if has_app_context():
        setattr(g, _COMMIT_UNCONFIRMED, False)


def commit_attempted() -> bool:
    """Whether this request has sent a COMMIT (acknowledged or not)."""
    return bool(g.get(_COMMIT_ATTEMPTED))


def commit_unconfirmed() -> bool:
    """Whether this request sent a COMMIT whose success it never heard of."""
    return bool(g.get(_COMMIT_UNCONFIRMED))


def lost_connection(error: DBAPIError) -> bool:
    """The connection broke or the server is not there: not an answer from the server."""
    return bool(error.connection_invalidated) or server_not_there(error.orig)


def dispatch_again_if_lost(dispatch: Callable[[], T]) -> T:
    """`dispatch()`, run once more if it lost its database connection before any COMMIT."""
    try:
        return dispatch()
    except DBAPIError as error:
        if not _may_run_again(error):
            raise
        log.warning(
            "Database connection lost before anything was committed; running %s %s again: %s",
            request.method,
            request.path,
            str(error.orig).strip().splitlines()[0] if error.orig else error,
            extra={"database": {"event": "request_rerun", "endpoint": request.endpoint}},
        )
    setattr(g, _RAN_AGAIN, True)
    forget_transaction()
    # Flask-Login keeps the signed-in admin in g; after a failed rollback the session
    # was invalidated and that object is detached, so let the loader read it afresh.
    g.pop("_login_user", None)
    return dispatch()


def _may_run_again(error: DBAPIError) -> bool:
    return (
        _broke_in_use(error)
        and not commit_attempted()
        and not g.get(_RAN_AGAIN)
        and request.mimetype != "multipart/form-data"
    )


def _broke_in_use(error: DBAPIError) -> bool:
    """A connection that was working broke (or the server ended its session). Not a new
    connection refused: that one already waited out the connect retry's budget, and
    running the view again would only wait that long a second time."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    return bool(error.connection_invalidated) or sqlstate in _SERVER_ENDED_SESSION


def forget_transaction() -> None:
    """Roll back what the failed request began; with the server gone that fails too,
    and the session is invalidated instead (its connections are thrown away)."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session().invalidate()  # the Session itself: scoped_session does not proxy it


def _close_session(exc: BaseException | None) -> None:
    """Close the request's session; a server that went away after the answer was made
    fails the closing ROLLBACK, which must not replace that answer with a 500."""
    try:
        db.session.remove()
    except DBAPIError as error:
        log.warning(
            "Database connection lost while closing the request's session: %s",
            str(error.orig).strip().splitlines()[0] if error.orig else error,
            extra={"database": {"event": "close_failed"}},
        )
        db.session().invalidate()
        db.session.remove()

"""A PostgreSQL restart under the running app: waited out, not answered 503 or 500.

The server is the machine's real PostgreSQL, reached through a loopback proxy
(`tests.pg_proxy`) that stages what a restart does: it refuses new connections while
"down" and cuts the connections passing through, as the server's shutdown does. Nothing
here restarts a server others share.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask, Response
from flask_migrate import upgrade
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from matchmaker import config
from matchmaker.database import server_not_there
from matchmaker.domain.embedding import Embedder
from matchmaker.extensions import db
from matchmaker.factory import create_app
from matchmaker.models import AuditEvent, Company
from matchmaker.services.api_keys import create_api_client
from tests.conftest import _postgres_unavailable, postgres_base_url
from tests.factories import make_matchable_company
from tests.pg_proxy import PgProxy, free_port
from tests.services.test_matching import PROPELLANT_MAKER, SHELL_MAKER


@dataclass
class World:
    url: str  # the test schema, reached through the proxy
    proxy: PgProxy
    shells: int
    office: dict[str, str]
    admin: dict[str, str]
    tmp: Path
    embedder: Embedder

    def app(self, retry_seconds: float = 5.0, url: str | None = None) -> Flask:
        settings = config.TestConfig(url or self.url, self.tmp / f"instance-{uuid.uuid4().hex[:6]}")
        settings.DATABASE_CONNECT_RETRY_SECONDS = retry_seconds
        return create_app(settings, embedder=self.embedder)


@pytest.fixture(scope="module")
def base_url() -> str:
    base = postgres_base_url()
    if reason := _postgres_unavailable(base):
        if os.environ.get("MATCHMAKER_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but unreachable at {base}: {reason}")
        pytest.skip(f"PostgreSQL unreachable at {base}: {reason}")
    return base


@pytest.fixture(scope="module")
def world(
    base_url: str, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[World]:
    """A migrated schema with two matchable firms and two keys, behind an open proxy."""
    target = make_url(base_url)
    proxy = PgProxy(target.host or "127.0.0.1", target.port or 5432)
    proxy.open()
    schema = f"mm_restart_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    separator = "&" if "?" in proxied else "?"
    url = f"{proxied}{separator}options=-csearch_path%3D{schema}"
    tmp = tmp_path_factory.mktemp("restart")
    setup = World(url, proxy, 0, {}, {}, tmp, embedder)
    app = setup.app()
    try:
        with app.app_context():
            upgrade()
            matching, session = app.extensions["matching"], db.session()
            setup.shells = make_matchable_company(session, matching, **SHELL_MAKER).id
            make_matchable_company(session, matching, **PROPELLANT_MAKER)
            for role in ("office", "admin"):
                _, key = create_api_client(session, role, role, actor="test")
                getattr(setup, role)["Authorization"] = f"Bearer {key}"
            db.session.remove()
            db.engine.dispose()
        yield setup
    finally:
        proxy.close()
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def outage(world: World) -> Iterator[PgProxy]:
    """The proxy, open again after each test whatever the test left it in."""
    yield world.proxy
    world.proxy.refuse()
    world.proxy.cut()
    world.proxy.open()


def warm(app: Flask, world: World) -> None:
    """Serve once, so the pool holds connections and the keys' last use is recorded."""
    client = app.test_client()
    for headers in (world.office, world.admin):
        assert client.get(f"/api/v1/companies/{world.shells}", headers=headers).status_code == 200
    assert client.get(matches_path(world), headers=world.office).status_code == 200


def matches_path(world: World) -> str:
    return f"/api/v1/companies/{world.shells}/matches?limit=5"


def dispose(app: Flask) -> None:
    with app.app_context():
        db.engine.dispose()


def cut_before(app: Flask, proxy: PgProxy, statement: str, nth: int = 1) -> Callable[[], int]:
    """Cut every proxied connection just before the `nth` statement containing `statement`
    is sent (once): the server "restarted" after the pool's pre-ping said all was well.
    Returns a counter of the statements seen."""
    seen = 0

    def _before(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        nonlocal seen
        if statement in sql:
            seen += 1
            if seen == nth:
                proxy.cut()

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _before)
    return lambda: seen


def test_a_database_down_for_a_second_is_waited_out_inside_the_request(
    world: World, outage: PgProxy, caplog: pytest.LogCaptureFixture
) -> None:
    """Connections refused for about a second (the soak's restart took 0.5-1.1 s): the
    match request waits for the server and answers 200, not 503."""
    app = world.app(retry_seconds=5)
    warm(app, world)
    outage.refuse()
    outage.cut()  # the pooled connections die with the server
    threading.Timer(1.0, outage.open).start()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="matchmaker.database"):
        answer = app.test_client().get(matches_path(world), headers=world.office)
    waited = time.monotonic() - started
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["items"]
    assert waited >= 0.9  # it really waited for the proxy to open
    retries = [r for r in caplog.records if "not accepting connections" in r.getMessage()]
    assert retries and all(r.__dict__["database"]["event"] == "connect_retry" for r in retries)
    dispose(app)


def test_without_the_retry_the_same_outage_answers_503_at_once(
    world: World, outage: PgProxy
) -> None:
    app = world.app(retry_seconds=0)
    warm(app, world)
    outage.refuse()
    outage.cut()
    threading.Timer(1.0, outage.open).start()
    started = time.monotonic()
    answer = app.test_client().get(matches_path(world), headers=world.office)
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert time.monotonic() - started < 0.9
    time.sleep(1.2)
    again = app.test_client().get(matches_path(world), headers=world.office)
    assert again.status_code == 200  # and it recovers on its own once the server is back
    dispose(app)


def test_the_retry_gives_up_after_its_budget(world: World, outage: PgProxy) -> None:
    app = world.app(retry_seconds=0.5)
    warm(app, world)
    outage.refuse()
    outage.cut()
    started = time.monotonic()
    answer = app.test_client().get(matches_path(world), headers=world.office)
    waited = time.monotonic() - started
    assert answer.status_code == 503 and "unreachable" in answer.get_json()["message"]
    assert 0.4 <= waited < 3  # the budget, plus one attempt that may straddle its end
    dispose(app)


def test_a_refused_login_or_unknown_database_is_not_retried(
    world: World, base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A server that answered and said no (no such role, no such database) is not
    restarting: waiting cannot help, so the answer (503) comes at once."""
    target = make_url(base_url)
    wrong = {
        "role": target.set(username=f"mm_no_role_{uuid.uuid4().hex[:6]}"),
        "database": target.set(database=f"mm_no_db_{uuid.uuid4().hex[:6]}"),
    }
    for what, url in wrong.items():
        app = world.app(retry_seconds=5, url=url.render_as_string(False))
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="matchmaker.database"):
            answer = app.test_client().get("/api/v1/companies", headers=world.office)
        assert answer.status_code == 503, (what, answer.get_data(as_text=True))
        assert time.monotonic() - started < 2, what
        assert not [r for r in caplog.records if "not accepting" in r.getMessage()], what
        dispose(app)


def test_what_counts_as_a_server_that_is_not_there(base_url: str) -> None:
    """The classification on psycopg's real connection errors."""
    target = make_url(base_url)

    def error_of(url: Any) -> psycopg.Error:
        with pytest.raises(psycopg.OperationalError) as caught:
            psycopg.connect(url.render_as_string(False), connect_timeout=3)
        return caught.value

    assert server_not_there(error_of(target.set(host="127.0.0.1", port=free_port())))
    assert not server_not_there(error_of(target.set(username="mm_no_such_role")))
    assert not server_not_there(error_of(target.set(database="mm_no_such_database")))


def test_a_read_that_loses_its_connection_mid_request_is_run_once_more(
    world: World, outage: PgProxy, caplog: pytest.LogCaptureFixture
) -> None:
    """The server went away after the pre-ping (here: just before the company is read):
    the request, which wrote nothing, is run again and answers 200."""
    app = world.app()
    warm(app, world)
    seen = cut_before(app, outage, "FROM company")
    with caplog.at_level(logging.WARNING, logger="matchmaker.lost_connections"):
        answer = app.test_client().get(matches_path(world), headers=world.office)
    assert seen() >= 2  # the cut statement and the run that followed
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert any("running GET" in r.getMessage() for r in caplog.records)
    dispose(app)


def test_a_lost_connection_at_the_index_gauge_refresh_is_not_a_500(
    world: World, outage: PgProxy
) -> None:
    """The match's metrics wrapper refreshes the index gauges with one more read after the
    search. It used to swallow that read's error, leaving the transaction broken, so the
    re-check that follows failed with PendingRollbackError: a 500 (soak run 2)."""
    app = world.app()
    warm(app, world)
    # Each sync reads index_state once: the search's first, the gauge refresh's second.
    cut_before(app, outage, "FROM index_state", nth=2)
    answer = app.test_client().get(matches_path(world), headers=world.office)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    dispose(app)


def description_and_version(app: Flask, company_id: int) -> tuple[str, int, int]:
    with app.app_context():
        company = db.session.get(Company, company_id)
        assert company is not None
        audits = db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "company", AuditEvent.entity_id == company_id)
        )
        found = (company.description, company.version, int(audits or 0))
        db.session.remove()
        return found


def test_a_write_that_loses_its_connection_before_commit_is_run_once_and_saved_once(
    world: World, outage: PgProxy
) -> None:
    """Nothing reaches the database before COMMIT: the server rolled the first attempt back,
    so running the request again writes the change exactly once."""
    app = world.app()
    warm(app, world)
    _, version, audits = description_and_version(app, world.shells)
    cut_before(app, outage, "UPDATE company")
    marker = f"Edited through a restart {uuid.uuid4().hex[:6]}."
    answer = app.test_client().patch(
        f"/api/v1/companies/{world.shells}",
        json={"description": marker},
        headers={**world.admin, "If-Match": f'"v{version}"'},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert description_and_version(app, world.shells) == (marker, version + 1, audits + 1)
    dispose(app)


def test_a_write_whose_commit_was_cut_is_not_run_again(world: World, outage: PgProxy) -> None:
    """The COMMIT was sent (or about to be) when the connection broke: it may have been
    applied, so running again could write twice. 503, saying the change may be saved."""
    app = world.app()
    warm(app, world)
    before = description_and_version(app, world.shells)
    commits = 0

    def _cut_at_commit(conn: Any) -> None:
        nonlocal commits
        commits += 1
        outage.cut()

    with app.app_context():
        event.listen(db.engine, "commit", _cut_at_commit)
    answer = app.test_client().patch(
        f"/api/v1/companies/{world.shells}",
        json={"description": "Never saved."},
        headers={**world.admin, "If-Match": f'"v{before[1]}"'},
    )
    with app.app_context():
        event.remove(db.engine, "commit", _cut_at_commit)
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert "may or may not have been saved" in answer.get_json()["message"]
    assert commits == 1  # not run again
    # Cut before the COMMIT left the process, so the server rolled it back.
    assert description_and_version(app, world.shells) == before
    dispose(app)


def test_a_connection_lost_after_the_answer_is_made_keeps_the_answer(
    world: World, outage: PgProxy
) -> None:
    """The server went away between the view's answer and the session's closing ROLLBACK:
    the client gets the answer, not a 500 raised from the request's teardown."""
    app = world.app()
    cutting = {"on": False}

    @app.after_request
    def _cut_after_answer(response: Response) -> Response:
        if cutting["on"]:
            outage.cut()
        return response

    warm(app, world)
    cutting["on"] = True
    answer = app.test_client().get(f"/api/v1/companies/{world.shells}", headers=world.office)
    cutting["on"] = False
    assert answer.status_code == 200
    assert answer.get_json()["id"] == world.shells
    assert app.test_client().get(matches_path(world), headers=world.office).status_code == 200
    dispose(app)


def test_a_lost_connection_caught_and_carried_on_with_is_503_not_500(
    world: World, outage: PgProxy
) -> None:
    """Code that catches a lost connection's error and queries again gets SQLAlchemy's
    PendingRollbackError ("Can't reconnect until invalid transaction is rolled back"),
    which is no DBAPIError: it answers 503 like the error it follows."""
    app = world.app()

    @app.get("/test-only/carries-on")
    def _carries_on() -> str:
        db.session.execute(text("SELECT 1"))  # a transaction is open on a connection
        outage.cut()
        with contextlib.suppress(DBAPIError):  # the mistake: carrying on
            db.session.execute(text("SELECT 1"))
        db.session.execute(text("SELECT 1"))
        return "unreachable"

    answer = app.test_client().get("/test-only/carries-on", headers={"Accept": "application/json"})
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.headers["Retry-After"]
    dispose(app)

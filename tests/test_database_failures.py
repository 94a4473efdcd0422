"""A database that is down or not migrated: API and pages answer 503 with a clear message
and Retry-After, never 500; once the database is back the same app serves again."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from matchmaker import config
from matchmaker.database import init_database
from matchmaker.domain.embedding import Embedder
from matchmaker.extensions import db
from matchmaker.factory import create_app
from matchmaker.services.api_keys import create_api_client
from tests.conftest import _postgres_unavailable, postgres_base_url
from tests.factories import company_payload, make_company
from tests.web.form_data import form_data

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-directory/matchmaker.sqlite",
    "postgresql": "postgresql://postgres@127.0.0.1:1/test?connect_timeout=2",
}


def make_app(
    url: str, tmp_path: Path, embedder: Embedder, *, connect_retry_seconds: float = 5
) -> Flask:
    settings = config.TestConfig(url, tmp_path / "instance")
    settings.DATABASE_CONNECT_RETRY_SECONDS = connect_retry_seconds
    return create_app(settings, embedder=embedder)


def assert_503(app: Flask, what: str) -> None:
    client = app.test_client()
    api = client.get("/api/v1/companies", headers={"Authorization": "Bearer mm_some-key"})
    assert api.status_code == 503, api.get_data(as_text=True)
    assert what in api.get_json()["message"] and api.headers["Retry-After"]
    page = client.get("/")
    assert page.status_code == 503 and what in page.get_data(as_text=True)
    assert page.headers["Retry-After"]
    form = client.post("/profile/new", data=form_data(company_payload()))
    assert form.status_code == 503


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_unreachable_database_is_503(backend: str, tmp_path: Path, embedder: Embedder) -> None:
    # A server that stays away is 503 once the connect retry gives up (kept short here:
    # each of assert_503's three requests waits it out).
    app = make_app(UNREACHABLE[backend], tmp_path, embedder, connect_retry_seconds=0.3)
    assert_503(app, "unreachable")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    base = postgres_base_url()
    if reason := _postgres_unavailable(base):
        pytest.skip(reason)
    schema = f"mm_empty_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def test_an_unmigrated_database_is_503_until_migrated(
    empty_database: str, tmp_path: Path, embedder: Embedder
) -> None:
    app = make_app(empty_database, tmp_path, embedder)
    assert_503(app, "flask db upgrade")
    with app.app_context():
        upgrade()
    try:
        assert app.test_client().get("/").status_code == 200  # no restart needed
    finally:
        with app.app_context():
            db.engine.dispose()


def test_a_lock_timeout_is_503_with_retry_after(
    empty_database: str, tmp_path: Path, embedder: Embedder
) -> None:
    """Another transaction holds the firm's lock longer than the server waits: the edit
    answers 503 with Retry-After (nothing written), and succeeds once the lock is free."""
    sqlite = empty_database.startswith("sqlite")
    # A short wait keeps the test fast; PostgreSQL waits forever unless told otherwise.
    url = empty_database if sqlite else empty_database + "%20-clock_timeout%3D300"
    app = make_app(url, tmp_path, embedder)
    app.config["SQLITE_BUSY_TIMEOUT_MS"] = 300
    with app.app_context():
        upgrade()
        db.engine.dispose()  # reconnect with the short busy timeout set above
        init_database(app, db.engine)
        company = make_company(db.session)
        _, key = create_api_client(db.session, "Admin", "admin", actor="test")
        path, etag = f"/api/v1/companies/{company.id}", f'"v{company.version}"'
        db.session.remove()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key}", "If-Match": etag}
        client.get("/api/v1/companies", headers=headers)  # the key's last use is recorded
        with db.engine.connect() as holder:
            if sqlite:
                holder.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                holder.execute(text("SELECT 1 FROM company FOR UPDATE"))
            busy = client.patch(path, json={"name": "Renamed GmbH"}, headers=headers)
            holder.rollback()
        assert busy.status_code == 503, busy.get_data(as_text=True)
        # At least our 1 s; the API's rate limiter raises it to its window's reset time.
        assert int(busy.headers["Retry-After"]) >= 1 and "busy" in busy.get_json()["message"]
        again = client.patch(path, json={"name": "Renamed GmbH"}, headers=headers)
        assert again.status_code == 200
        # Requests here share the test's app context, so its session may still hold a
        # connection: give it back before disposing, or it outlives the pool unclosed.
        db.session.remove()
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_the_configured_busy_timeout(app: Flask) -> None:
    """Readers never block the writer, and a writer waits for a lock instead of failing."""
    with db.engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
        assert timeout == app.config["SQLITE_BUSY_TIMEOUT_MS"] == 10_000


def test_a_non_atomic_import_waits_out_a_lock_instead_of_failing_midway(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Rows of a non-atomic import commit one by one; a lock held a little longer than the
    busy timeout costs a retry of the row, not a 503 after some rows were written."""
    app = make_app(f"sqlite:///{tmp_path / 'locked.sqlite'}", tmp_path, embedder)
    app.config["SQLITE_BUSY_TIMEOUT_MS"] = 100
    with app.app_context():
        upgrade()
        db.engine.dispose()
        init_database(app, db.engine)
        _, key = create_api_client(db.session, "Admin", "admin", actor="test")
        db.session.remove()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key}"}
        client.get("/api/v1/companies", headers=headers)  # the key's last use is recorded
        holder = sqlite3.connect(
            tmp_path / "locked.sqlite", isolation_level=None, check_same_thread=False
        )
        holder.execute("BEGIN IMMEDIATE")
        release = threading.Timer(1.0, holder.rollback)  # well past the busy timeout
        release.start()
        try:
            rows = [company_payload()]
            answer = client.post("/api/v1/companies/import", json=rows, headers=headers)
        finally:
            release.join()
            holder.close()
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert len(answer.get_json()["created"]) == 1, answer.get_json()
        db.engine.dispose()

"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

Each backend is migrated once per test session with the real Alembic migrations
(into a fresh temp file, or a fresh PostgreSQL schema dropped afterwards, so runs
never interfere); each test then starts from empty tables.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import Session

from matchmaker.config import TestConfig
from matchmaker.domain.embedding import Embedder, SentenceTransformerEmbedder
from matchmaker.extensions import db, limiter, matching
from matchmaker.factory import create_app
from tests.factories import company_payload

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")
RESET_INDEX_STATE = (
    "INSERT INTO index_state (id, generation, updated_at) VALUES (1, 0, CURRENT_TIMESTAMP)"
)


def postgres_base_url() -> str:
    return os.environ.get("MATCHMAKER_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


def _postgres_unavailable(url: str) -> str | None:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return str(error).strip()


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real embedding model, loaded once per test session."""
    return SentenceTransformerEmbedder("default")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty database of each backend for this test session."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'matchmaker.sqlite'}"
        return
    base = postgres_base_url()
    if reason := _postgres_unavailable(base):
        if os.environ.get("MATCHMAKER_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but unreachable at {base}: {reason}")
        pytest.skip(f"PostgreSQL unreachable at {base}: {reason}")
    schema = f"mm_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        separator = "&" if "?" in base else "?"
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(scope="session")
def migrated_app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[Flask]:
    """An app bound to the session's database, upgraded to the migrations' head."""
    config = TestConfig(database_url, tmp_path_factory.mktemp("instance"))
    app = create_app(config, embedder=embedder)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    """The app inside an app context, over empty tables, with fresh rate-limit counters."""
    limiter.reset()
    request_started.connect(_fresh_g, migrated_app)
    with migrated_app.app_context():
        try:
            yield migrated_app
        finally:
            request_started.disconnect(_fresh_g, migrated_app)
            reset_database(migrated_app)
            limiter.reset()


def _fresh_g(sender: Flask, **extra: Any) -> None:
    """Requests in a test share the fixture's app context, so `g` would outlive each one;
    in production every request has a fresh `g` (Flask-Login and Flask-Babel cache in it)."""
    g.__dict__.clear()


def reset_database(app: Flask) -> None:
    """Empty every table and forget the matcher state built on them."""
    db.session.remove()
    _empty_tables()
    service = matching.service
    service.reset()
    if service.index_dir is not None:
        shutil.rmtree(service.index_dir, ignore_errors=True)


def _empty_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text(RESET_INDEX_STATE))


@pytest.fixture
def session(app: Flask) -> Session:
    return db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def payload() -> dict[str, Any]:
    """A valid company profile as a client would send it."""
    return company_payload()

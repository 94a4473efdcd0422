"""Readiness is separate from liveness: ready = database + migrations + model and matcher."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from matchmaker import config as matchmaker_config
from matchmaker.domain.embedding import Embedder
from matchmaker.extensions import db
from matchmaker.factory import create_app
from matchmaker.serving import warm_state, warm_up

FreshApp = Callable[[str], Flask]


@pytest.fixture
def fresh_app(tmp_path: Path, embedder: Embedder) -> Iterator[FreshApp]:
    """Another app (a new worker) over a given database: nothing warmed up yet."""
    apps: list[Flask] = []

    def make(database_url: str) -> Flask:
        config = matchmaker_config.TestConfig(database_url, tmp_path / f"instance{len(apps)}")
        apps.append(create_app(config, embedder=embedder))
        return apps[-1]

    yield make
    for app in apps:
        _wait_ready(app, timeout=30 if warm_state(app).lock.locked() else 0)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _wait_ready(app: Flask, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not warm_state(app).ready and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_worker_is_live_but_not_ready_until_warmed_up(
    migrated_app: Flask, database_url: str, fresh_app: FreshApp
) -> None:
    """A cold worker answers /healthz at once and /readyz 503 until its model and
    matcher are loaded; the readiness probe itself starts the warm-up in the background."""
    app = fresh_app(database_url)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    cold = client.get("/readyz")
    assert cold.status_code == 503
    body = cold.get_json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"] == "ok" and body["checks"]["migrations"] == "ok"
    assert body["checks"]["model_and_matcher"].startswith("not loaded")
    _wait_ready(app)
    warm = client.get("/readyz")
    assert warm.status_code == 200, warm.get_json()
    assert warm.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "model_and_matcher": "loaded"},
    }


def test_warm_up_loads_before_the_first_request(
    migrated_app: Flask, database_url: str, fresh_app: FreshApp
) -> None:
    """What gunicorn's post_worker_init calls: afterwards the first probe is already ready."""
    app = fresh_app(database_url)
    assert warm_up(app) is True
    assert warm_state(app).seconds is not None
    assert app.test_client().get("/readyz").status_code == 200


def test_an_unmigrated_database_is_not_ready_and_says_what_to_run(
    tmp_path: Path, fresh_app: FreshApp
) -> None:
    """Schema behind the code: 503 naming the fix; warm-up fails softly (the worker must
    still start and answer probes) and is not retried until the schema is there."""
    app = fresh_app(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert warm_up(app) is False
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.get_json()["checks"]
    assert checks["database"] == "ok"
    assert "flask db upgrade" in checks["migrations"]
    assert checks["model_and_matcher"].startswith("not loaded (OperationalError")
    assert not warm_state(app).lock.locked()


def test_an_unreachable_database_is_neither_live_nor_ready(
    tmp_path: Path, fresh_app: FreshApp
) -> None:
    url = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"
    client = fresh_app(url).test_client()
    assert client.get("/healthz").status_code == 503
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"].startswith("unreachable")

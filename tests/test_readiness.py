"""Readiness is separate from liveness: ready = database + migrations + model and matcher."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaker import config as matchmaker_config
from matchmaker.domain.embedding import Embedder
from matchmaker.extensions import db
from matchmaker.factory import create_app
from matchmaker.models import Company, CompanyEmbedding
from matchmaker.serving import warm_state, warm_up
from tests.factories import company_payload
from tests.web.form_data import form_data

FreshApp = Callable[..., Flask]


@pytest.fixture
def fresh_app(tmp_path: Path, embedder: Embedder) -> Iterator[FreshApp]:
    """Another app (a new worker) over a given database: nothing warmed up yet."""
    apps: list[Flask] = []

    def make(database_url: str, *, own_model: bool = False) -> Flask:
        """`own_model`: the app loads the model from disk when first needed, as a worker
        does, instead of sharing the session's loaded one."""
        config = matchmaker_config.TestConfig(database_url, tmp_path / f"instance{len(apps)}")
        apps.append(create_app(config, embedder=None if own_model else embedder))
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


def test_healthz_reports_the_model_without_failing_on_it(
    migrated_app: Flask, database_url: str, fresh_app: FreshApp
) -> None:
    """Liveness names the model's state; a cold worker is still alive (200)."""
    app = fresh_app(database_url, own_model=True)
    cold = app.test_client().get("/healthz")
    assert cold.status_code == 200
    assert cold.get_json()["model"] in ("not loaded", "loading")
    assert warm_up(app) is True
    assert app.test_client().get("/healthz").get_json()["model"] == "loaded"


def test_a_firm_submit_never_waits_for_the_model(app: Flask, fresh_app: FreshApp) -> None:
    """A worker whose model is not loaded stores the submission at once, without vectors;
    the model loads and the vectors are stored in the background afterwards."""
    cold = fresh_app(app.config["SQLALCHEMY_DATABASE_URI"], own_model=True)
    service = cold.extensions["matching"]
    started = time.perf_counter()
    response = cold.test_client().post("/profile/new", data=form_data(company_payload()))
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.get_data(as_text=True)
    # Had the submit embedded, the model would be loaded by now (17-23 s on a busy machine).
    assert not service.model_loaded, f"the submit loaded the model ({elapsed:.1f} s)"
    firm = db.session.scalars(select(Company)).one()
    deadline = time.monotonic() + 120
    while _stored_vectors(firm.id) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _stored_vectors(firm.id) == 2, "the background embedding never stored the vectors"
    assert service.model_loaded


def _stored_vectors(company_id: int) -> int:
    db.session.remove()
    query = select(func.count()).where(CompanyEmbedding.company_id == company_id)
    return db.session.scalar(query) or 0

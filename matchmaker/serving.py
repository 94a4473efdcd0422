"""Warm-up and readiness: a worker has the model and the matcher before it serves.

Loading the model takes seconds (17-23 s was measured on a busy machine), so a worker
that loaded it on its first request made that request wait. gunicorn's master loads
the model once before it forks (`load_model_before_fork`, from `when_ready` in
gunicorn.conf.py), so every worker shares its weights' pages; each worker's
`post_worker_init` then calls `warm_up` before it accepts connections; `/readyz`
reports whether that has happened.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import event, text
from sqlalchemy.orm import Session, object_session

from matchmaker.domain.embedding import loading_before_fork
from matchmaker.extensions import db, matching
from matchmaker.models import Company
from matchmaker.observability import WORKER_READY, record_index_status

log = logging.getLogger(__name__)
WARMUP_TEXT = "warm-up: 155 mm shell loading"


@dataclass
class WarmState:
    """Per app (so per worker): whether the model and matcher are loaded."""

    ready: bool = False
    error: str | None = None
    seconds: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def warm_state(app: Flask) -> WarmState:
    return app.extensions.setdefault("matchmaker.warm", WarmState())


def load_model_before_fork(app: Flask) -> bool:
    """Load the model in a process that forks the workers next (gunicorn's master).

    The workers then share the weights' pages instead of holding a copy each (at 100k
    firms a serving worker's private memory fell from 199 to 72 MB with MiniLM; e5-onnx
    shares its tokeniser, each worker creating its own ONNX Runtime session:
    docs/performance.md), and a replacement worker starts with the model in memory.
    Nothing is encoded here (see `loading_before_fork`).
    Never raises: if the load fails, every worker loads its own model in `warm_up`.
    """
    started = time.perf_counter()
    try:
        with app.app_context(), loading_before_fork():
            matching.service.embedder  # noqa: B018 - the property loads the model
    except Exception as error:  # noqa: BLE001 - the workers try again on their own
        log.warning("Loading the model before forking failed, each worker loads its own: %s", error)
        return False
    log.info(
        "Model loaded in %.2f s before forking: the workers share it",
        time.perf_counter() - started,
    )
    return True


def warm_up(app: Flask) -> bool:
    """Load the model (unless it came loaded from the master), run one encode (torch
    initialises lazily) and load the matcher.

    Never raises: a worker that cannot warm up (database down or not migrated yet)
    still starts, answers /readyz with 503 and warms up later (`ensure_warming`).
    """
    state = warm_state(app)
    if not state.lock.acquire(blocking=False):
        return state.ready  # another thread is warming this app up
    started = time.perf_counter()
    try:
        with app.app_context():
            service = matching.service
            inherited = service.model_loaded
            service.embedder.encode([WARMUP_TEXT])
            record_index_status(service.status(db.session))
            db.session.remove()
    except Exception as error:  # noqa: BLE001 - reported by /readyz, retried later
        state.error = f"{type(error).__name__}: {error}"
        log.warning("Warm-up failed, will retry on the next readiness check: %s", state.error)
        return False
    finally:
        state.lock.release()
    state.ready, state.error = True, None
    state.seconds = round(time.perf_counter() - started, 2)
    WORKER_READY.set(1)
    log.info(
        "Worker warmed up in %.2f s: %s, matcher loaded",
        state.seconds,
        "model shared from the master" if inherited else "model loaded",
    )
    return True


def ensure_warming(app: Flask) -> None:
    """Start a warm-up in the background if none has succeeded (probes must stay fast)."""
    state = warm_state(app)
    if not state.ready and not state.lock.locked():
        threading.Thread(target=warm_up, args=(app,), name="warm-up", daemon=True).start()


def model_state(app: Flask) -> str:
    """The model's state for /healthz: "loaded", "loading" (a warm-up is running) or
    "not loaded" (no warm-up yet, or it failed)."""
    with app.app_context():
        if matching.service.model_loaded:
            return "loaded"
    return "loading" if warm_state(app).lock.locked() else "not loaded"


def embed_without_waiting(session: Session, companies: list[Company]) -> None:
    """The profile hook of a firm's own submit and edit: never make the firm wait for the model.

    With the model loaded, the changed texts are embedded in the write's transaction
    (milliseconds). Without it (the worker's warm-up failed or is still running), the
    profile is stored without vectors and, once the write commits, a background thread
    loads the model and embeds it (`embed_stored`). Should that fail too, approval
    embeds whatever is missing (the admin's save hook), so no firm is suggested without
    vectors either way.
    """
    service = matching.service
    if service.model_loaded:
        service.embed_changes(session, companies)
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ids = [company.id for company in companies]
    real_session = object_session(companies[0]) if companies else None
    if real_session is None:
        return

    def start(_session: Session) -> None:
        threading.Thread(
            target=_embed_in_background, args=(app, ids), name="embed-later", daemon=True
        ).start()

    event.listen(real_session, "after_commit", start, once=True)


def _embed_in_background(app: Flask, company_ids: list[int]) -> None:
    with app.app_context():
        try:
            matching.service.embed_stored(db.session, company_ids)
        except Exception as error:  # noqa: BLE001 - approval embeds what is still missing
            log.warning("Embedding firms %s later failed: %s", company_ids, error)
        finally:
            db.session.remove()


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: dict[str, str]


def readiness(app: Flask, migrations_dir: str) -> Readiness:
    """Database reachable, schema at the code's migration head, model and matcher loaded."""
    checks: dict[str, str] = {}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"unreachable: {type(error).__name__}"
        current = None
    if current is not None:
        heads = _code_heads(app, migrations_dir)
        checks["migrations"] = (
            "ok"
            if current == heads
            else f"database at {sorted(current) or 'none'}, code at {sorted(heads)}: "
            "run `flask db upgrade`"
        )
    state = warm_state(app)
    checks["model_and_matcher"] = (
        "loaded" if state.ready else f"not loaded ({state.error or 'warming up'})"
    )
    ready = all(value in ("ok", "loaded") for value in checks.values()) and len(checks) == 3
    if not state.ready and checks.get("migrations") == "ok":
        ensure_warming(app)
    return Readiness(ready, checks)


def _code_heads(app: Flask, migrations_dir: str) -> set[str]:
    heads = app.extensions.get("matchmaker.migration_heads")
    if heads is None:
        heads = set(ScriptDirectory(migrations_dir).get_heads())
        app.extensions["matchmaker.migration_heads"] = heads
    return heads

"""Liveness (`/healthz`) and readiness (`/readyz`), for load balancers and orchestrators.

Liveness says the process answers and reaches its database; restart it when this
fails. It also says whether the embedding model is loaded, loading or not loaded, for
the operator, without failing on it. Readiness adds what serving needs: the schema at
the code's migration head and the model and matcher loaded (`matchmaker.serving`);
send it traffic only when this answers 200. Neither needs authentication.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from matchmaker.extensions import db
from matchmaker.services.index_state import current_generation
from matchmaker.serving import model_state, readiness

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness and database reachability (no authentication)."""
    model = model_state(current_app._get_current_object())  # type: ignore[attr-defined]
    try:
        db.session.execute(text("SELECT 1"))
        generation = current_generation(db.session)
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify(status="error", database=error.__class__.__name__, model=model), 503
    # The model's state is reported, never judged: a worker still loading it is alive
    # (restarting it would only start the load again); /readyz is what waits for it.
    return jsonify(status="ok", database="ok", model=model, index_generation=generation)


@bp.get("/readyz")
def readyz() -> Any:
    """Ready to serve: database, migrations, model and matcher (no authentication)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    result = readiness(app, current_app.extensions["migrate"].directory)
    body = {"status": "ready" if result.ready else "not_ready", "checks": result.checks}
    return jsonify(body), 200 if result.ready else 503

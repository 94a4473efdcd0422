"""The health check, for load balancers and for `make run` users."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from matchmaker.extensions import db
from matchmaker.services.index_state import current_generation

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness and database reachability (no authentication)."""
    try:
        db.session.execute(text("SELECT 1"))
        generation = current_generation(db.session)
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify(status="error", database=error.__class__.__name__), 503
    return jsonify(status="ok", database="ok", index_generation=generation)

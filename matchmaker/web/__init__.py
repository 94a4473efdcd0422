"""Firm-facing pages and the health check: thin views over the services."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template
from sqlalchemy import func, select, text

from matchmaker.domain import taxonomy
from matchmaker.extensions import db
from matchmaker.models import Company
from matchmaker.services.index_state import current_generation

bp = Blueprint("web", __name__)


@bp.get("/")
def index() -> str:
    counts = dict(
        db.session.execute(
            select(Company.side, func.count())
            .where(Company.status == "approved")
            .group_by(Company.side)
        ).all()
    )
    return render_template("index.html", counts=counts, areas=taxonomy.CAPABILITY_AREAS.values())


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness and database reachability, for load balancers and `make run` checks."""
    try:
        db.session.execute(text("SELECT 1"))
        generation = current_generation(db.session)
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify(status="error", database=str(error.__class__.__name__)), 503
    return jsonify(status="ok", database="ok", index_generation=generation)

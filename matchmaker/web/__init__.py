"""Firm-facing pages and the admin area: server-rendered, thin views over the services."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import func, select

from matchmaker.domain import taxonomy
from matchmaker.extensions import db
from matchmaker.models import Company

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


def init_web(app: Flask) -> None:
    """Register the pages (and, as they arrive, i18n, login and the admin area)."""
    app.register_blueprint(bp)

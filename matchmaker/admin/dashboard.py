"""The dashboard: the registry and its introductions in counts and simple bar charts."""

from __future__ import annotations

from flask import render_template

from matchmaker.admin import bp, queries
from matchmaker.admin.labels import OUTCOMES
from matchmaker.domain.components import FITTED_ON
from matchmaker.domain.taxonomy import CAPABILITY_AREAS, COUNTRY_NAMES
from matchmaker.extensions import db
from matchmaker.services.scoring_state import active_version


@bp.get("/")
def dashboard() -> str:
    stats = queries.dashboard(db.session)
    return render_template(
        "admin/dashboard.html",
        stats=stats,
        area_rows=[(CAPABILITY_AREAS[code].label, n) for code, n in stats.by_area],
        country_rows=[(COUNTRY_NAMES.get(code, code), n) for code, n in stats.by_country],
        outcome_rows=[(OUTCOMES[code], n) for code, n in stats.introductions.items()],
        scoring=active_version(db.session),
        fitted_on=FITTED_ON,
    )

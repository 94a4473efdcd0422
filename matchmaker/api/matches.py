"""Ad-hoc match requests: a need described in words and filters, not a registered firm."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from matchmaker.api.auth import SECURITY, require_role
from matchmaker.api.schemas import AdHocMatchSchema, MatchListSchema
from matchmaker.api.views import match_item
from matchmaker.domain.matcher import AdHocQuery
from matchmaker.extensions import db

blp = Blueprint("matches", __name__, url_prefix="/api/v1/matches", description="Ad-hoc matching.")


@blp.route("")
class AdHocMatches(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(AdHocMatchSchema)
    @blp.response(200, MatchListSchema)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Firms of `side` that fit a described need, ranked and explained."""
        query = AdHocQuery(
            side=data["side"],
            seeks=data["seeks"],
            capabilities=frozenset(data["capabilities"]),
            certifications=frozenset(data["certifications"]),
            pathways=frozenset(data["pathways"]),
            countries=frozenset(c.upper() for c in data["countries"]),
        )
        suggestions = current_app.extensions["matching"].match_query(
            db.session, query, limit=data["limit"], min_score=data["min_score"]
        )
        return {"items": [match_item(s) for s in suggestions]}

"""Ad-hoc match requests: a need described in words and filters, not a registered firm."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from matchmaker.api.auth import SECURITY, current_client, is_admin, require_role
from matchmaker.api.match_schemas import AdHocMatchSchema, MatchListSchema
from matchmaker.domain.queries import AdHocQuery
from matchmaker.extensions import db, matching
from matchmaker.services.suggestions import Viewer, suggest_for_need

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
            capabilities=data["capabilities"],
            certifications=data["certifications"],
            pathways=data["pathways"],
            countries={c.upper() for c in data["countries"]},
        )
        items = suggest_for_need(
            db.session,
            matching.service,
            query,
            limit=data["limit"],
            min_score=data["min_score"],
            viewer=Viewer(admin=is_admin(), api_client_id=current_client().id),
        )
        return {"items": items}

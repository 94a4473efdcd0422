"""Introductions: offices record that two firms were put in touch, and how it went."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from matchmaker.api.auth import SECURITY, actor, current_client, is_admin, require_role
from matchmaker.api.schemas import IntroductionPageSchema, IntroductionQueryArgsSchema
from matchmaker.extensions import db
from matchmaker.models import Introduction
from matchmaker.schemas import IntroductionSchema, IntroductionUpdateSchema
from matchmaker.services import introductions
from matchmaker.services.pagination import Page, paginate

blp = Blueprint(
    "introductions",
    __name__,
    url_prefix="/api/v1/introductions",
    description="Introductions between firms and their outcomes.",
)


def _office_scope() -> int | None:
    """Offices see and edit the introductions they recorded; admins see all."""
    return None if is_admin() else current_client().id


@blp.route("")
class Introductions(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(IntroductionQueryArgsSchema, location="query")
    @blp.response(200, IntroductionPageSchema)
    def get(self, args: dict[str, Any]) -> Page[Introduction]:
        """Introductions, newest first, filtered by company and outcome."""
        query = introductions.introductions_query(
            company_id=args.get("company_id"),
            outcome=args.get("outcome"),
            api_client_id=_office_scope(),
        )
        return paginate(db.session, query, page=args["page"], page_size=args["page_size"])

    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(IntroductionSchema)
    @blp.response(201, IntroductionSchema)
    @blp.alt_response(409, description="the pair already has an open introduction")
    def post(self, data: dict[str, Any]) -> Introduction:
        """Record that two firms were introduced (default outcome: proposed)."""
        return introductions.record_introduction(
            db.session,
            data,
            actor=actor(),
            api_client_id=current_client().id,
            office=not is_admin(),
        )


@blp.route("/<int(min=1, max=2147483647):introduction_id>")
class IntroductionById(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.response(200, IntroductionSchema)
    def get(self, introduction_id: int) -> Introduction:
        """One introduction."""
        return introductions.get_introduction(
            db.session, introduction_id, api_client_id=_office_scope()
        )

    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(IntroductionUpdateSchema)
    @blp.response(200, IntroductionSchema)
    def patch(self, data: dict[str, Any], introduction_id: int) -> Introduction:
        """Move an introduction forward (contacted, meeting, mou, jv) or mark it declined."""
        return introductions.update_introduction(
            db.session, introduction_id, data, actor=actor(), api_client_id=_office_scope()
        )

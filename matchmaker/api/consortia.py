"""Consortia: complete, eligible teams for a programme call, proposed to an office."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint

from matchmaker.api.auth import SECURITY, current_client, is_admin, require_role
from matchmaker.api.consortium_schemas import (
    ConsortiumListSchema,
    ConsortiumRequestSchema,
    InfeasibleSchema,
    consortium_request,
)
from matchmaker.consortium_wording import Wording, relaxations_view, team_view
from matchmaker.domain.consortium import InfeasibleRequest
from matchmaker.errors import MatchmakerError
from matchmaker.explaining import N_, json_safe
from matchmaker.extensions import db, matching
from matchmaker.services.consortia import firm_names, propose_consortia
from matchmaker.services.suggestions import Viewer

blp = Blueprint(
    "consortia", __name__, url_prefix="/api/v1/consortia", description="Consortium building."
)
INFEASIBLE = N_("No team can meet this request: %(rule)s.")


class InfeasibleConsortium(MatchmakerError):
    """422 with the rule that cannot be met and the changes that would relax it."""

    status = 422


def infeasible_error(error: InfeasibleRequest) -> InfeasibleConsortium:
    """The builder's verdict as the API answers it, worded in the request's language."""
    wording = Wording(firm_names(db.session, [error.params.get("company_id")]))
    rule = wording.rule(error.rule, error.params)
    return InfeasibleConsortium(
        gettext(INFEASIBLE, rule=rule),
        details={
            "rule": error.rule,
            "params": json_safe(error.params),
            "relax": relaxations_view(error.relax, wording.names),
        },
    )


@blp.route("")
class Consortia(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(ConsortiumRequestSchema)
    @blp.response(200, ConsortiumListSchema)
    @blp.alt_response(
        422,
        schema=InfeasibleSchema,
        description="No eligible team exists (`rule`, `relax`), or a field is invalid "
        "(`errors` by field, e.g. an unknown programme, capability or country code).",
    )
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Teams of 3-6 firms that together cover the capabilities, checked against the
        programme's rules, best first."""
        viewer = Viewer(admin=is_admin(), api_client_id=current_client().id)
        try:
            answer = propose_consortia(
                db.session, matching.service, consortium_request(data), viewer=viewer
            )
        except InfeasibleRequest as error:
            raise infeasible_error(error) from error
        return {"items": [team_view(team) for team in answer.teams]}

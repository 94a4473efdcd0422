"""The consortium use case: bring the matcher up to date, ask the builder, show the
viewer what it may see. The search and the programme rules are the domain's
(`matchmaker.domain.consortium`); this layer adds what needs the database.

- The lead firm must be one the viewer may see (offices: approved, unsanctioned firms,
  as for introductions): any other id gets the same answer as one that does not exist.
  Admins may name any firm; a sanctioned lead is then the builder's infeasible rule.
- A team with a member the database refuses (archived, unapproved, sanctioned since the
  matcher loaded) is not answered (the last line of defence of `services.recheck`).
- Offices read frictions without compliance detail: a licence or ITAR friction is one
  "licence_needed" code, a clearance gap "clearance_needed" without its level (as
  `domain.redaction` does for match warnings).
- A field the builder itself refuses (`InvalidQueryError` naming it) is a ValidationError
  under that field, as the schema's own refusals are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.consortium import (
    ConsortiumAnswer,
    ConsortiumRequest,
    Friction,
    Team,
    build_consortia,
)
from matchmaker.domain.errors import InvalidQueryError
from matchmaker.models import Company
from matchmaker.services.index_integrity import unsuggestible
from matchmaker.services.matching import MatchingService
from matchmaker.services.suggestions import Viewer

log = logging.getLogger(__name__)
OFFICE_FRICTIONS = {
    "export_licence": "licence_needed",
    "itar": "licence_needed",
    "clearance_gap": "clearance_needed",
}
CONFIDENTIAL_PARAMS = frozenset({"categories", "level", "country", "controlling_country"})


def propose_consortia(
    session: Session,
    service: MatchingService,
    request: ConsortiumRequest,
    *,
    viewer: Viewer,
    today: date | None = None,
) -> ConsortiumAnswer:
    """Complete, checked teams for the request, best first; InfeasibleRequest when none
    can exist, ValidationError naming `lead_company_id` for a firm the viewer cannot see."""
    if request.lead_company_id is not None:
        _ensure_lead_visible(session, request.lead_company_id, office=not viewer.admin)
    try:
        answer = build_consortia(service.sync(session), request, today=today)
    except InvalidQueryError as error:
        field = getattr(error, "field", None)
        if field is None:
            raise
        raise ValidationError({field: [str(error).removeprefix(f"{field}: ")]}) from error
    refused = unsuggestible(session, {m.company_id for t in answer.teams for m in t.members})
    if refused:
        log.error("The consortium builder proposed firms the database refuses (ids %s).", refused)
    teams = tuple(
        team if viewer.admin else _for_office(team)
        for team in answer.teams
        if not any(m.company_id in refused for m in team.members)
    )
    return replace(answer, teams=teams)


def firm_names(session: Session, company_ids: Iterable[object]) -> dict[int, str]:
    """Firm names by id, for wording an answer that names firms only by id (anything
    that is not an id, such as a missing parameter, is passed over)."""
    ids = {i for i in company_ids if isinstance(i, int)}
    if not ids:
        return {}
    rows = session.execute(select(Company.id, Company.name).where(Company.id.in_(ids)))
    return {company_id: name for company_id, name in rows}


def _ensure_lead_visible(session: Session, company_id: int, *, office: bool) -> None:
    query = select(Company.id).where(Company.id == company_id)
    if office:
        query = query.where(Company.status == "approved", Company.sanctioned.is_(False))
    if session.scalar(query) is None:
        raise ValidationError({"lead_company_id": [f"No company with id {company_id}."]})


def _for_office(team: Team) -> Team:
    return replace(team, frictions=tuple(_redacted(f) for f in team.frictions))


def _redacted(friction: Friction) -> Friction:
    params = {k: v for k, v in friction.params.items() if k not in CONFIDENTIAL_PARAMS}
    return replace(friction, code=OFFICE_FRICTIONS.get(friction.code, friction.code), params=params)

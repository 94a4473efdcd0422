"""The suggestion use cases: who may ask for whose partners, which pairs are hidden.

Views parse a request and call one of these; visibility (offices see approved
firms only), declined introductions (hidden per office unless asked for) and
filters live here, once, for the API and the admin explorer alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.queries import AdHocQuery, MatchFilters, Suggestion
from matchmaker.domain.redaction import for_office
from matchmaker.errors import NotFoundError
from matchmaker.models import Company
from matchmaker.services.contact_access import contacts_visible_to_office
from matchmaker.services.conversion import to_profile
from matchmaker.services.introductions import declined_partners
from matchmaker.services.matching import MatchingService
from matchmaker.services.profiles import get_company
from matchmaker.services.recheck import rechecked


@dataclass(frozen=True)
class Viewer:
    """Who asks: an admin sees every firm; an office (API client) approved ones only."""

    admin: bool
    api_client_id: int | None = None


@dataclass(frozen=True)
class PartnerRequest:
    limit: int = 10
    min_score: float = 0.0
    countries: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()
    pathways: frozenset[str] = frozenset()
    same_side: bool = False
    include_declined: bool = False


def suggest_partners(
    session: Session,
    service: MatchingService,
    company_id: int,
    request: PartnerRequest,
    *,
    viewer: Viewer,
) -> list[Suggestion]:
    """Ranked, explained partners for a registered firm the viewer may see."""
    company = get_company(session, company_id)
    if not viewer.admin and company.status != "approved":
        raise NotFoundError(f"No company with id {company_id}.")
    declined: frozenset[int] = frozenset()
    if not request.include_declined:
        declined = declined_partners(session, company_id, api_client_id=viewer.api_client_id)
    filters = MatchFilters(
        countries=_upper(request.countries),
        capabilities=request.capabilities,
        pathways=request.pathways,
        same_side=request.same_side,
        exclude_ids=declined,
    )
    asker = to_profile(company)
    found = rechecked(
        session,
        service,
        lambda: service.match_company(
            session, asker, limit=request.limit, min_score=request.min_score, filters=filters
        ),
    )
    return as_seen_by(session, viewer, found)


def suggest_for_need(
    session: Session,
    service: MatchingService,
    query: AdHocQuery,
    *,
    limit: int = 10,
    min_score: float = 0.0,
    viewer: Viewer,
) -> list[Suggestion]:
    """Ranked, explained firms of `query.side` for a need described in text and filters."""
    found = rechecked(
        session,
        service,
        lambda: service.match_query(session, query, limit=limit, min_score=min_score),
    )
    return as_seen_by(session, viewer, found)


def as_seen_by(session: Session, viewer: Viewer, suggestions: list[Suggestion]) -> list[Suggestion]:
    """Suggestions as the viewer may read them: admins get every compliance detail and
    contact, offices only the consequence of compliance facts (`domain.redaction`) and
    the contacts `services.contact_access` allows, before anything renders them."""
    contacts = _contacts(session, viewer, [s.company.id for s in suggestions])
    if viewer.admin:
        return [replace(s, contact=contacts.get(s.company.id)) for s in suggestions]
    return [
        replace(
            s,
            reasons=for_office(s.reasons),
            warnings=for_office(s.warnings),
            contact=contacts.get(s.company.id),
        )
        for s in suggestions
    ]


def _contacts(session: Session, viewer: Viewer, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The contact of each firm of `ids` whose contact the viewer may see, by firm id."""
    if viewer.admin:
        visible = frozenset(ids)
    elif viewer.api_client_id is None:
        visible = frozenset()
    else:
        visible = contacts_visible_to_office(session, viewer.api_client_id, ids)
    if not visible:
        return {}
    firms = session.scalars(select(Company).where(Company.id.in_(visible)))
    return {firm.id: firm.contact for firm in firms}


def _upper(countries: Iterable[str]) -> frozenset[str]:
    return frozenset(c.upper() for c in countries)

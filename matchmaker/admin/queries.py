"""Read-only queries behind the admin pages: lists with filters, the audit log, dashboard counts.

They change nothing (every write goes through a service); each takes a session and
plain filter values, so each is testable without a request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain.taxonomy import CAPABILITY_AREAS, SIDES, STATUSES, capability_area
from matchmaker.models import ApiClient, AuditEvent, Company, CompanyCapability, Introduction
from matchmaker.services.duplicate_store import candidate_counts
from matchmaker.services.edit_links import BACK_TO_REVIEW, REVIEW_STATUS
from matchmaker.services.introductions import introductions_query, outcome_counts
from matchmaker.services.merge import document_changes
from matchmaker.services.pagination import Page, paginate
from matchmaker.services.search import CompanyFilters, company_query, escape_like

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    entity_type: str = ""
    entity_id: int | None = None
    since: date | None = None
    until: date | None = None


# The office filter's value for introductions recorded on the admin pages (no API key).
ADMIN_PAGES = "admin"


@dataclass(frozen=True)
class IntroductionFilters:
    """Empty values do not filter. `office` is an API client id or ADMIN_PAGES; `firm` is
    what the company search takes ("#341", a name in any case, a legal id) and matches
    either firm of the pair."""

    outcome: str = ""
    office: str = ""
    firm: str = ""


@dataclass(frozen=True)
class QueueFilters:
    """The review queue's filters; empty values do not filter. `kind` is "new" (a first
    submission) or "rereview" (a firm reviewed before that changed its profile since)."""

    q: str = ""
    country: str = ""
    size: str = ""
    area: str = ""
    since: date | None = None
    until: date | None = None
    kind: str = ""


QUEUE_KINDS = ("new", "rereview")


@dataclass(frozen=True)
class QueueItem:
    company: Company
    duplicates: int


@dataclass(frozen=True)
class Dashboard:
    by_side_status: dict[str, dict[str, int]]
    by_status: dict[str, int]
    by_country: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    introductions: dict[str, int]
    totals: dict[str, int] = field(default_factory=dict)


def company_page(session: Session, filters: CompanyFilters, page: int = 1) -> Page[Company]:
    """Companies matching the filters, newest change first."""
    return paginate(session, company_list(filters), page=page, page_size=PAGE_SIZE)


def company_list(filters: CompanyFilters) -> Select[Company]:
    """The companies list in its order: what a page shows a slice of, and the CSV all of."""
    return company_query(filters).order_by(Company.updated_at.desc(), Company.id.desc())


def review_page(
    session: Session, page: int = 1, filters: QueueFilters | None = None
) -> Page[QueueItem]:
    """One page of the pending submissions matching `filters`, oldest first, each with its
    number of duplicate candidates (counted for this page's firms only, in one query)."""
    query = review_query(filters or QueueFilters()).order_by(Company.created_at, Company.id)
    firms = paginate(session, query, page=page, page_size=PAGE_SIZE)
    counts = candidate_counts(session, [company.id for company in firms.items])
    items = [QueueItem(company, counts[company.id]) for company in firms.items]
    return Page(items, firms.total, firms.page, firms.page_size)


def review_query(filters: QueueFilters) -> Select[Company]:
    """Pending firms matching the queue's filters (unordered). The text, country, size and
    area filters are the registry's own, so the queue finds what the companies list finds."""
    query = company_query(
        CompanyFilters(
            q=filters.q,
            status="pending",
            country=filters.country,
            size=filters.size,
            capability=filters.area,
        )
    )
    if filters.since:
        query = query.where(Company.created_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(Company.created_at < _start_of(filters.until + timedelta(days=1)))
    if filters.kind == "rereview":
        query = query.where(_reviewed_before())
    elif filters.kind == "new":
        query = query.where(~_reviewed_before())
    return query


def _reviewed_before() -> ColumnElement[bool]:
    """The firm was approved or rejected once: some audited change took it from one of
    those statuses back to pending (the firm edited a reviewed profile)."""
    return (
        select(AuditEvent.id)
        .where(
            AuditEvent.entity_type == "company",
            AuditEvent.entity_id == Company.id,
            AuditEvent.before["status"].as_string().in_(sorted(BACK_TO_REVIEW)),
            AuditEvent.after["status"].as_string() == REVIEW_STATUS,
        )
        .exists()
    )


def search_companies(session: Session, text: str, limit: int = 20) -> list[Company]:
    """Firms whose name or legal id contains `text` (or whose id it is), for pickers."""
    if not text.strip():
        return []
    query = company_query(CompanyFilters(q=text)).order_by(Company.name).limit(limit)
    return list(session.scalars(query))


def introduction_page(
    session: Session, filters: IntroductionFilters, page: int = 1
) -> Page[Introduction]:
    """Introductions matching the filters, newest first, with both firms loaded."""
    query = introductions_query(outcome=filters.outcome or None).options(
        selectinload(Introduction.company_a), selectinload(Introduction.company_b)
    )
    if filters.office == ADMIN_PAGES:
        query = query.where(Introduction.api_client_id.is_(None))
    elif filters.office.isdecimal():
        query = query.where(Introduction.api_client_id == int(filters.office))
    if filters.firm.strip():
        firms = company_query(CompanyFilters(q=filters.firm)).with_only_columns(Company.id)
        query = query.where(
            or_(Introduction.company_a_id.in_(firms), Introduction.company_b_id.in_(firms))
        )
    return paginate(session, query, page=page, page_size=PAGE_SIZE)


def introduction_offices(session: Session) -> dict[int, str]:
    """Id and name of every API client that recorded an introduction, by name."""
    recorded = select(Introduction.api_client_id).where(Introduction.api_client_id.is_not(None))
    rows = session.execute(
        select(ApiClient.id, ApiClient.name)
        .where(ApiClient.id.in_(recorded.distinct()))
        .order_by(ApiClient.name)
    )
    return {client_id: name for client_id, name in rows}


def audit_page(session: Session, filters: AuditFilters, page: int = 1) -> Page[AuditEvent]:
    query = select(AuditEvent)
    if filters.actor:
        query = query.where(AuditEvent.actor.ilike(f"%{escape_like(filters.actor)}%", escape="\\"))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.entity_type:
        query = query.where(AuditEvent.entity_type == filters.entity_type)
    if filters.entity_id is not None:
        query = query.where(AuditEvent.entity_id == filters.entity_id)
    if filters.since:
        query = query.where(AuditEvent.created_at >= _start_of(filters.since))
    if filters.until:
        query = query.where(AuditEvent.created_at < _start_of(filters.until + timedelta(days=1)))
    return paginate(session, query.order_by(AuditEvent.id.desc()), page=page, page_size=PAGE_SIZE)


def audit_vocabulary(session: Session) -> dict[str, list[str]]:
    """The actions and entity types present in the log, for the filter menus."""
    actions = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    types = session.scalars(
        select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    )
    return {"actions": list(actions), "entity_types": list(types)}


def audit_changes(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field the event changed; every field for a creation."""
    return list(document_changes(event.before or {}, event.after or {}))


def company_introductions(session: Session, company_id: int) -> list[Introduction]:
    query = introductions_query(company_id=company_id).options(
        selectinload(Introduction.company_a), selectinload(Introduction.company_b)
    )
    return list(session.scalars(query))


def dashboard(session: Session) -> Dashboard:
    """Counts by side and status; by country and capability area (approved firms offering
    something in it); introductions by outcome."""
    by_side_status = {side: dict.fromkeys(STATUSES, 0) for side in SIDES}
    for side, status, count in session.execute(
        select(Company.side, Company.status, func.count()).group_by(Company.side, Company.status)
    ):
        by_side_status.setdefault(side, dict.fromkeys(STATUSES, 0))[status] = count
    by_status = {s: sum(row[s] for row in by_side_status.values()) for s in STATUSES}
    approved = Company.status == "approved"
    countries = session.execute(
        select(Company.country, func.count()).where(approved).group_by(Company.country)
    )
    offered = session.execute(
        select(CompanyCapability.company_id, CompanyCapability.code)
        .join(Company)
        .where(approved, CompanyCapability.kind == "offer")
    )
    firm_areas = {(company_id, capability_area(code)) for company_id, code in offered}
    per_area = Counter(area for _, area in firm_areas)
    return Dashboard(
        by_side_status=by_side_status,
        by_status=by_status,
        by_country=sorted(countries, key=lambda row: (-row[1], row[0])),
        by_area=[(code, per_area.get(code, 0)) for code in CAPABILITY_AREAS],
        introductions=outcome_counts(session),
        totals={"companies": sum(by_status.values()), "approved": by_status["approved"]},
    )


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)

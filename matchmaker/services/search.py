"""Finding companies in the registry: one filter set for the API list and the admin list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, or_, select

from matchmaker.models import Company, CompanyCapability, CompanyPathway


@dataclass(frozen=True)
class CompanyFilters:
    """Empty values do not filter. `capability` is an area or an `area.sub` code offered;
    `q` matches an id, the legal id, the name or the profile texts."""

    q: str = ""
    status: str = ""
    side: str = ""
    country: str = ""
    size: str = ""
    capability: str = ""
    pathway: str = ""


def company_query(filters: CompanyFilters) -> Select[Company]:
    """Companies matching every given filter (unordered)."""
    query = select(Company)
    for column, value in (
        (Company.status, filters.status),
        (Company.side, filters.side),
        (Company.country, filters.country.upper()),
        (Company.size, filters.size),
    ):
        if value:
            query = query.where(column == value)
    if filters.capability:
        query = query.where(Company.id.in_(_offering(filters.capability)))
    if filters.pathway:
        wanted = select(CompanyPathway.company_id).where(CompanyPathway.code == filters.pathway)
        query = query.where(Company.id.in_(wanted))
    if text := filters.q.strip():
        query = query.where(_text_matches(text))
    return query


def escape_like(text: str) -> str:
    """Make `%`, `_` and `\\` literal in a LIKE pattern (used with escape="\\")."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _offering(code: str) -> Select[int]:
    # An area code also finds firms listing one of its sub-capabilities.
    return select(CompanyCapability.company_id).where(
        CompanyCapability.kind == "offer",
        or_(CompanyCapability.code == code, CompanyCapability.code.startswith(code + ".")),
    )


def _text_matches(text: str) -> ColumnElement[bool]:
    pattern = f"%{escape_like(text)}%"
    columns = (Company.name, Company.legal_id, Company.description, Company.offers, Company.seeks)
    matches: list[ColumnElement[bool]] = [c.ilike(pattern, escape="\\") for c in columns]
    if text.isdigit() and len(text) <= 9:
        matches.append(Company.id == int(text))
    return or_(*matches)

"""Finding companies in the registry: one filter set for the API list and the admin list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, or_, select

from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.domain.search_keys import search_key
from matchmaker.models import Company, CompanyCapability, CompanyPathway

_HASH_ID = re.compile(r"#\s*(\d{1,9})")


@dataclass(frozen=True)
class CompanyFilters:
    """Empty values do not filter. `capability` is an area or an `area.sub` code offered;
    `q` matches an id ("341" or "#341", which finds only that id), the legal id however
    spaced or cased, or the name or profile texts in any letter case."""

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
    # "#341" is the firm with id 341 and nothing else; the pages offer that spelling.
    if hashed := _HASH_ID.fullmatch(text):
        return Company.id == int(hashed.group(1))
    key = search_key(text)
    matches: list[ColumnElement[bool]] = [
        Company.search_key.like(f"%{escape_like(key)}%", escape="\\")
    ]
    # Legal ids are stored normalized ("de 123 456-789" is DE123456789), so the query is too;
    # only when it has a digit, since every legal id does and words would match at random.
    legal_id = normalize_legal_id(text)
    if any(c.isdigit() for c in legal_id):
        matches.append(Company.legal_id.like(f"%{escape_like(legal_id)}%", escape="\\"))
    if text.isdigit() and len(text) <= 9:
        matches.append(Company.id == int(text))
    return or_(*matches)

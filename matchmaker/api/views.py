"""Transitional: the names `api/companies.py` still imports from here.

The helpers moved by job: ETags to `api/etag.py`, bodies to `api/bodies.py`, what a
role sees to `api/visibility.py`, pagination to `services/pagination.py`, company
serialisation to `CompanySchema` (it dumps rows). Delete this module once
`api/companies.py` imports from those: nothing else uses it.
"""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy.orm import Session

from matchmaker.api.bodies import import_rows
from matchmaker.api.etag import IF_MATCH_PARAMETER, etag_headers, expected_version
from matchmaker.api.visibility import FILTER_FIELDS, visible_company
from matchmaker.models import Company
from matchmaker.schemas import CONFIDENTIAL_FIELDS, company_record
from matchmaker.services.documents import load_company
from matchmaker.services.pagination import paginate
from matchmaker.services.search import CompanyFilters, company_query

__all__ = [
    "IF_MATCH_PARAMETER",
    "company_page",
    "company_view",
    "etag_headers",
    "expected_version",
    "import_rows",
    "raw_body",
    "visible_company",
]


def raw_body() -> Any:
    """The JSON body; a POST's loaded, since create_company takes a loaded document.

    (The create view still discards what its decorator loaded; once it passes that
    on, POST bodies are loaded once and this goes.)
    """
    body = request.get_json(silent=True)
    return load_company(body) if request.method == "POST" else body


def company_view(company: Company, *, confidential: bool) -> dict[str, Any]:
    """A company for `@blp.response(200, CompanySchema)`, confidential fields only if allowed."""
    view = company_record(company)
    if not confidential:
        for name in CONFIDENTIAL_FIELDS:
            view.pop(name, None)
    return view


def company_page(session: Session, args: dict[str, Any], *, confidential: bool) -> dict[str, Any]:
    filters = CompanyFilters(**{k: args.get(k) or "" for k in FILTER_FIELDS})
    query = company_query(filters).order_by(Company.id)
    page = paginate(session, query, page=args["page"], page_size=args["page_size"])
    return {
        "items": [company_view(c, confidential=confidential) for c in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
        "pages": page.pages,
    }

"""Helpers the API resources share: bodies, ETags, visibility, and response shapes."""

from __future__ import annotations

import math
import re
from typing import Any

from flask import request
from flask_smorest import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from matchmaker.api.auth import is_admin
from matchmaker.domain.queries import Suggestion
from matchmaker.models import Company
from matchmaker.services.imports import rows_from_csv
from matchmaker.services.profiles import company_document, get_company
from matchmaker.services.search import CompanyFilters, company_query

CONFIDENTIAL_FIELDS = ("contact", "compliance", "review_note")
FILTER_FIELDS = ("q", "status", "side", "country", "capability", "pathway")
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag from your last GET of this company.",
}
_ETAG = re.compile(r'^(?:W/)?"v(\d{1,9})"$')


def raw_body() -> Any:
    """The JSON body as sent: services validate it through the one shared schema."""
    return request.get_json(silent=True)


def company_view(company: Company, *, confidential: bool) -> dict[str, Any]:
    """A company as the API returns it; confidential fields only for roles allowed them."""
    view = company_document(company) | {
        "id": company.id,
        "side": company.side,
        "version": company.version,
        "created_at": company.created_at,
        "updated_at": company.updated_at,
        # The response schema dumps dates from date objects, not the document's strings.
        "certifications": [
            {
                "scheme": c.scheme,
                "identifier": c.identifier,
                "issuer": c.issuer,
                "valid_until": c.valid_until,
            }
            for c in company.certifications
        ],
    }
    if not confidential:
        for name in CONFIDENTIAL_FIELDS:
            view.pop(name, None)
    return view


def visible_company(session: Session, company_id: int) -> Company:
    """The company, if the caller may see it: offices see approved firms only."""
    company = get_company(session, company_id)
    if not is_admin() and company.status != "approved":
        abort(404, message=f"No company with id {company_id}.")
    return company


def etag_headers(company: Company) -> dict[str, str]:
    return {"ETag": f'"v{company.version}"'}


def expected_version(company: Company) -> int:
    """The version named by If-Match: 428 without one, 412 when it is not current."""
    header = request.headers.get("If-Match")
    if not header:
        abort(428, message="Send If-Match with the ETag of your last GET of this company.")
    if header.strip() == "*":
        return company.version
    match = _ETAG.match(header.strip())
    if not match or int(match.group(1)) != company.version:
        current = f'"v{company.version}"'
        abort(
            412,
            message=f"Company {company.id} changed since you read it (now {current}); "
            "GET it again and re-apply your edit.",
        )
    return int(match.group(1))


def paginate(session: Session, query: Select[Any], args: dict[str, Any]) -> dict[str, Any]:
    """One page of `query` (already ordered) with the total, as every list endpoint answers."""
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page, size = args["page"], args["page_size"]
    return {
        "items": session.scalars(query.offset((page - 1) * size).limit(size)).all(),
        "total": total,
        "page": page,
        "page_size": size,
        "pages": math.ceil(total / size),
    }


def company_page(session: Session, args: dict[str, Any], *, confidential: bool) -> dict[str, Any]:
    filters = CompanyFilters(**{k: args.get(k) or "" for k in FILTER_FIELDS})
    page = paginate(session, company_query(filters).order_by(Company.id), args)
    page["items"] = [company_view(c, confidential=confidential) for c in page["items"]]
    return page


def match_item(suggestion: Suggestion) -> dict[str, Any]:
    company = suggestion.company
    return {
        "company": {
            "id": company.id,
            "name": company.name,
            "country": company.country,
            "side": company.side,
        },
        "score": suggestion.score,
        "components": suggestion.components,
        "reasons": suggestion.reasons,
        "warnings": suggestion.warnings,
    }


def import_rows() -> list[Any]:
    """Rows from a JSON array, a CSV upload (field `file`) or a text/csv body."""
    if upload := request.files.get("file"):
        return rows_from_csv(_decode(upload.read()))
    if request.mimetype == "text/csv":
        return rows_from_csv(_decode(request.get_data()))
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        abort(
            422,
            message="Send a JSON array of companies, or a CSV file.",
            messages={"body": {"_schema": ["Expected a JSON array or a CSV file."]}},
        )
    return body


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        abort(422, message="The CSV file must be UTF-8 encoded.")

"""What each role sees of a company, and how the OpenAPI spec says so.

Offices see approved firms only, and without the confidential fields: they get
`PublicCompanySchema`, whose contact is null unless `services.contact_access` lets
the office see it. Admins see every firm in full (`CompanySchema`). The views dump
with the caller's schema, and the spec documents both shapes, so an office reading
it learns what it really receives (`anyOf`: a full company is also a public one
plus two fields).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_smorest import abort
from marshmallow import Schema
from sqlalchemy.orm import Session

from matchmaker.api.auth import current_client, is_admin
from matchmaker.api.schemas import CompanyPageSchema, PublicCompanyPageSchema
from matchmaker.extensions import db
from matchmaker.models import Company
from matchmaker.schemas import CompanySchema, PublicCompanySchema, company_record
from matchmaker.services.contact_access import contacts_visible_to_office
from matchmaker.services.pagination import paginate
from matchmaker.services.profiles import get_company
from matchmaker.services.search import CompanyFilters, company_query

FILTER_FIELDS = ("q", "status", "side", "country", "capability", "pathway")


def _by_role(public: type[Schema], full: type[Schema], what: str) -> dict[str, Any]:
    """`@blp.doc` keywords for a 200 answer whose shape depends on the caller's role."""
    return {
        "responses": {
            200: {
                "description": f"{what}: offices get the first shape (no compliance or "
                "review note; the contact only of firms that consented to share it or that "
                "the office itself introduced, else null), admins the second.",
                "content": {"application/json": {"schema": {"anyOf": [public, full]}}},
            }
        }
    }


COMPANY_RESPONSE = _by_role(PublicCompanySchema, CompanySchema, "The company")
COMPANY_PAGE_RESPONSE = _by_role(PublicCompanyPageSchema, CompanyPageSchema, "A page")


def visible_company(session: Session, company_id: int) -> Company:
    """The company, if the caller may see it: offices see approved firms only."""
    company = get_company(session, company_id)
    if not is_admin() and company.status != "approved":
        abort(404, message=f"No company with id {company_id}.")
    return company


def company_view(company: Company) -> dict[str, Any]:
    """The company as the caller's role may see it."""
    if is_admin():
        full: dict[str, Any] = CompanySchema().dump(company)
        return full
    view: dict[str, Any] = PublicCompanySchema().dump(_as_office_sees(db.session, [company])[0])
    return view


def _as_office_sees(session: Session, companies: list[Company]) -> list[dict[str, Any]]:
    """The companies' records with the contact left out where the calling office may not
    see it (see services.contact_access)."""
    visible = contacts_visible_to_office(session, current_client().id, [c.id for c in companies])
    records = [company_record(c) for c in companies]
    for company, record in zip(companies, records, strict=True):
        if company.id not in visible:
            record["contact"] = None
    return records


def company_page(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    """One page of the filtered list as the caller may see it (offices: approved only)."""
    if not is_admin():
        if args.get("status", "approved") != "approved":
            abort(403, message="Offices may list approved firms only.")
        args = args | {"status": "approved"}
    filters = CompanyFilters(**{k: args.get(k) or "" for k in FILTER_FIELDS})
    query = company_query(filters).order_by(Company.id)
    page = paginate(session, query, page=args["page"], page_size=args["page_size"])
    if is_admin():
        full: dict[str, Any] = CompanyPageSchema().dump(page)
        return full
    seen = replace(page, items=_as_office_sees(session, list(page.items)))
    dumped: dict[str, Any] = PublicCompanyPageSchema().dump(seen)
    return dumped

"""Hostile input through the pages: the public form, office-facing admin pages, redirects.

Each is refused with a 4xx naming the field, on both backends, and writes nothing.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company
from tests.admin.conftest import admin_client, admin_user  # noqa: F401 - fixtures
from tests.factories import company_payload, make_company
from tests.web.form_data import form_data

TOO_BIG = 2**31


def companies(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Company)) or 0


def test_nul_in_the_public_form_is_400_naming_the_field(
    client: FlaskClient, session: Session
) -> None:
    data = form_data(company_payload(name="Werk\x00 GmbH"))
    response = client.post("/profile/new", data=data)
    assert response.status_code == 400
    assert "name" in response.get_data(as_text=True)
    assert companies(session) == 0


def test_ids_beyond_the_id_column_are_not_found(
    admin_client: FlaskClient,  # noqa: F811
) -> None:
    for path in (
        f"/admin/companies/{TOO_BIG}",
        f"/admin/companies/{TOO_BIG}/edit",
        f"/admin/companies/{10**30}",
    ):
        assert admin_client.get(path).status_code == 404, path
    assert admin_client.post(f"/admin/companies/{TOO_BIG}/approve").status_code == 404


def test_ids_in_the_query_beyond_the_id_column_are_400_naming_them(
    admin_client: FlaskClient,  # noqa: F811
) -> None:
    for path, name in (
        (f"/admin/explorer?company={TOO_BIG}", "company"),
        (f"/admin/audit?entity_id={TOO_BIG}", "entity_id"),
        (f"/admin/duplicates/merge?survivor={TOO_BIG}&merged=1", "survivor"),
    ):
        response = admin_client.get(path)
        assert response.status_code == 400, path
        assert name in response.get_data(as_text=True)


def test_huge_page_numbers_are_4xx_naming_page(admin_client: FlaskClient) -> None:  # noqa: F811
    for path in (f"/admin/companies?page={10**20}", f"/admin/audit?page={10**20}"):
        response = admin_client.get(path)
        assert response.status_code == 422, path
        assert "page" in response.get_data(as_text=True)


def test_the_last_day_as_audit_filter_is_not_a_server_error(
    admin_client: FlaskClient,  # noqa: F811
) -> None:
    assert admin_client.get("/admin/audit?until=9999-12-31").status_code == 200


def test_a_line_break_in_next_is_400_and_the_approval_is_not_written(
    admin_client: FlaskClient,  # noqa: F811
    session: Session,
) -> None:
    firm = make_company(session, status="pending")
    audits = session.scalar(select(func.count()).select_from(AuditEvent))
    response = admin_client.post(
        f"/admin/companies/{firm.id}/approve",
        data={"version": firm.version, "next": "/admin/review\r\nSet-Cookie: x=1"},
    )
    assert response.status_code == 400 and "next" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == audits


def test_nul_in_the_admin_search_is_400(admin_client: FlaskClient) -> None:  # noqa: F811
    assert admin_client.get("/admin/companies?q=%00").status_code == 400
    assert admin_client.get("/admin/explorer?q=a%00").status_code == 400

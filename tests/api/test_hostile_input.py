"""Hostile input through the API: NUL bytes, lone surrogates, deep nesting, odd CSV headers.

Each is refused with a 4xx naming the field, on both backends, and writes nothing.
(PostgreSQL refuses NUL in text; before the request guard these were 500s there.)
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company, Introduction
from tests.api.conftest import ApiCaller
from tests.factories import company_payload, make_company


def count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_nul_in_an_introduction_note_is_400_naming_note(
    office: ApiCaller, session: Session
) -> None:
    a, b = make_company(session).id, make_company(session, country="UA").id
    audits = count(session, AuditEvent)
    response = office.post(
        "/introductions", json={"company_a_id": a, "company_b_id": b, "note": "ok\x00no"}
    )
    assert response.status_code == 400
    assert "NUL" in response.get_json()["errors"]["note"][0]
    assert count(session, Introduction) == 0 and count(session, AuditEvent) == audits


def test_nul_in_the_office_search_is_400_naming_q(office: ApiCaller) -> None:
    response = office.get("/companies?q=drone%00")
    assert response.status_code == 400 and "q" in response.get_json()["errors"]


def test_nul_in_a_field_name_is_refused_too(office: ApiCaller) -> None:
    response = office.get("/companies?x%00y=1")
    assert response.status_code == 400 and "x\\x00y" in response.get_json()["errors"]


def test_nul_in_a_created_company_is_400_and_nothing_is_written(
    admin: ApiCaller, session: Session
) -> None:
    payload = company_payload()
    payload["contact"]["name"] = "Erika\x00"
    response = admin.post("/companies", json=payload)
    assert response.status_code == 400 and "contact.name" in response.get_json()["errors"]
    assert count(session, Company) == 0


def test_a_lone_surrogate_in_an_ad_hoc_match_is_400_naming_seeks(office: ApiCaller) -> None:
    body = '{"side": "UA", "seeks": "shells \\ud800 and charges"}'
    response = office.post("/matches", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "surrogate" in response.get_json()["errors"]["seeks"][0]


def test_a_lone_surrogate_in_a_patch_is_400_and_the_firm_is_unchanged(
    admin: ApiCaller, session: Session
) -> None:
    company = make_company(session)
    before = (company.name, company.version)
    response = admin.patch(
        f"/companies/{company.id}",
        data='{"name": "\\udfff"}',
        content_type="application/json",
        headers={"If-Match": f'"v{company.version}"'},
    )
    assert response.status_code == 400 and "name" in response.get_json()["errors"]
    session.expire_all()
    assert (session.get(Company, company.id).name, company.version) == before


def test_deeply_nested_json_is_400(office: ApiCaller) -> None:
    for depth in (40, 100_000):  # under and over the parser's own recursion limit
        body = "[" * depth + "]" * depth
        response = office.post("/matches", data=body, content_type="application/json")
        assert response.status_code == 400, depth
        assert "body" in response.get_json()["errors"]


def test_a_realistic_profile_is_not_too_deep(admin: ApiCaller) -> None:
    assert admin.post("/companies", json=company_payload()).status_code == 201


def test_csv_with_a_column_whole_and_in_parts_is_422(admin: ApiCaller, session: Session) -> None:
    csv_text = (
        "name,legal_id,country,size,offers,seeks,compliance,compliance.sanctioned\n"
        "Werk,DE123456789,DE,sme,Shells,Charges,x,true\n"
    )
    response = admin.post("/companies/import", data=csv_text, content_type="text/csv")
    assert response.status_code == 422
    assert "compliance" in json.dumps(response.get_json()["errors"])
    assert count(session, Company) == 0


def test_csv_with_a_nul_byte_is_422_and_nothing_is_written(
    admin: ApiCaller, session: Session
) -> None:
    csv_text = (
        "name,legal_id,country,size,offers,seeks\n"
        "Good,DE123456789,DE,sme,Shells,Charges\n"
        "Bad\x00,DE123456780,DE,sme,Shells,Charges\n"
    )
    response = admin.post("/companies/import", data=csv_text, content_type="text/csv")
    assert response.status_code == 422 and "Line 3" in json.dumps(response.get_json())
    assert count(session, Company) == 0


def test_csv_with_a_giant_cell_is_422(admin: ApiCaller) -> None:
    csv_text = "name,legal_id\n" + "x" * 200_000 + ",DE1\n"
    response = admin.post("/companies/import", data=csv_text, content_type="text/csv")
    assert response.status_code == 422


def test_nul_in_a_json_import_row_is_400_and_nothing_is_written(
    admin: ApiCaller, session: Session
) -> None:
    rows = [company_payload(), company_payload(offers="Shells\x00")]
    response = admin.post("/companies/import", json=rows)
    assert response.status_code == 400 and "body.1.offers" in response.get_json()["errors"]
    assert count(session, Company) == 0

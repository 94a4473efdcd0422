"""Bulk import: per-row errors by row and field, upserts by legal id, atomic mode, CSV."""

from __future__ import annotations

import io

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import Company
from tests.api.conftest import ApiCaller
from tests.factories import company_payload, make_company

CSV = (
    "name,legal_id,country,size,offers,seeks,capabilities,pathways,certifications,"
    "compliance.export_control,compliance.itar_controlled,contact.email\n"
    "Vistula Energetics S.A.,PL1234567890,PL,large,Nitrocellulose propellants,"
    "Shell loading partners in Ukraine,ammunition_missiles.propellants,coproduction_ua;jv_eu,"
    "iso_9001|Q-77|PCA|2028-01-31;ncage|H1234||,ML8,false,sales@vistula.example\n"
    "Bad Row,XX,DE,sme,x,y,,,,,,\n"
)


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Company))


def test_json_import_reports_bad_rows_and_keeps_good_ones(
    admin: ApiCaller, session: Session
) -> None:
    """Row 2 is invalid: rows 1 and 3 are created, row 2 is reported by number and field."""
    rows = [company_payload(), company_payload(size="giant"), company_payload()]
    body = admin.post("/companies/import", json=rows).get_json()
    assert len(body["created"]) == 2 and body["updated"] == []
    assert body["errors"] == [{"row": 2, "errors": {"size": ["Choose your company's size."]}}]
    assert count(session) == 2


def test_atomic_import_writes_nothing_when_a_row_is_bad(admin: ApiCaller, session: Session) -> None:
    """With atomic=true one bad row refuses the whole file with 422."""
    rows = [company_payload(), company_payload(country="XX")]
    response = admin.post("/companies/import?atomic=true", json=rows)
    assert response.status_code == 422
    assert response.get_json()["errors"]["rows"][0]["row"] == 2
    assert count(session) == 0


def test_atomic_import_writes_everything_when_all_rows_are_good(
    admin: ApiCaller, session: Session
) -> None:
    """A clean file is imported whole in one transaction."""
    body = admin.post("/companies/import?atomic=true", json=[company_payload(), company_payload()])
    assert len(body.get_json()["created"]) == 2 and count(session) == 2


def test_row_for_a_registered_firm_updates_it(admin: ApiCaller, session: Session) -> None:
    """Same country and legal id: the firm is updated, not duplicated."""
    existing = make_company(session, legal_id="DE123123123")
    row = company_payload(legal_id="DE123123123", size="large")
    body = admin.post("/companies/import", json=[row]).get_json()
    assert body["updated"] == [existing.id] and body["created"] == []
    session.expire_all()
    assert session.get(Company, existing.id).size == "large"


def test_csv_upload_is_parsed_with_lists_certificates_and_nested_fields(
    admin: ApiCaller, session: Session
) -> None:
    """A CSV file (multipart) imports like JSON; its bad row is reported by number."""
    data = {"file": (io.BytesIO(CSV.encode()), "firms.csv")}
    body = admin.post("/companies/import", data=data, content_type="multipart/form-data").get_json()
    assert len(body["created"]) == 1 and body["errors"][0]["row"] == 2
    company = session.get(Company, body["created"][0])
    assert [p.code for p in company.pathways] == ["coproduction_ua", "jv_eu"]
    assert {c.scheme for c in company.certifications} == {"iso_9001", "ncage"}
    assert company.export_control == ["ML8"] and company.contact_email == "sales@vistula.example"


def test_csv_body_is_accepted_too(admin: ApiCaller) -> None:
    """A text/csv body works without multipart."""
    response = admin.post("/companies/import", data=CSV, content_type="text/csv")
    assert response.status_code == 200 and len(response.get_json()["created"]) == 1


def test_import_of_something_else_is_422(admin: ApiCaller) -> None:
    """An object or an empty array is refused with a clear message."""
    assert admin.post("/companies/import", json={"name": "x"}).status_code == 422
    assert admin.post("/companies/import", json=[]).status_code == 422


def test_non_object_rows_are_reported(admin: ApiCaller) -> None:
    """A row that is not an object is an error for that row only."""
    body = admin.post("/companies/import", json=[company_payload(), 42]).get_json()
    assert len(body["created"]) == 1 and body["errors"][0]["row"] == 2

"""Company resources: create, list, read, edit with If-Match, archive, confidentiality."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company
from tests.api.conftest import ApiCaller
from tests.factories import company_payload, make_company


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Company))


def test_admin_creates_a_company_and_gets_its_id(admin: ApiCaller, session: Session) -> None:
    """POST answers 201 with the id and an ETag; the firm is stored with vectors."""
    response = admin.post("/companies", json=company_payload(status="pending"))
    assert response.status_code == 201
    company = session.get(Company, response.get_json()["id"])
    assert company.status == "pending" and response.headers["ETag"] == '"v1"'
    assert {e.kind for e in company.embeddings} == {"offer", "seek"}


def test_invalid_company_is_422_by_field_and_writes_nothing(
    admin: ApiCaller, session: Session
) -> None:
    """Each bad field is named; the registry is unchanged."""
    payload = company_payload(country="UA", legal_id="14360571", size="giant")
    response = admin.post("/companies", json=payload)
    body = response.get_json()
    assert response.status_code == 422
    assert {"legal_id", "size"} <= set(body["errors"])
    assert count(session) == 0


def test_duplicate_legal_id_is_422_on_legal_id(admin: ApiCaller) -> None:
    """Registering the same firm twice is refused on the legal_id field."""
    assert admin.post("/companies", json=company_payload(legal_id="DE111222333")).status_code == 201
    response = admin.post("/companies", json=company_payload(legal_id="DE 111 222 333"))
    assert response.status_code == 422 and "legal_id" in response.get_json()["errors"]


def test_non_object_body_is_422(admin: ApiCaller) -> None:
    """A JSON array where an object is expected is a validation error, not a crash."""
    assert admin.post("/companies", json=[1, 2]).status_code == 422


def test_list_filters_and_paginates_with_a_total(office: ApiCaller, session: Session) -> None:
    """Filters by side, country, capability area, pathway and text; pages carry the total."""
    for n in range(3):
        make_company(session, name=f"Shellworks {n}", pathways=["jv_eu"])
    make_company(
        session,
        country="UA",
        capabilities=["drones_counter_drone.fpv"],
        pathways=["investment"],
        description="Interceptor drone maker",
    )
    page = office.get("/companies?side=EU&page_size=2").get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 2)
    assert office.get("/companies?capability=drones_counter_drone").get_json()["total"] == 1
    assert office.get("/companies?pathway=investment").get_json()["total"] == 1
    assert office.get("/companies?country=ua").get_json()["total"] == 1
    assert office.get("/companies?q=interceptor").get_json()["total"] == 1
    assert office.get("/companies?q=100%25").get_json()["total"] == 0


def test_the_list_search_folds_cyrillic_case(office: ApiCaller, session: Session) -> None:
    """The API's `q` is the admin search: any letter case, legal ids however typed, #id."""
    kruk = make_company(session, name="Крук Дніпро ТОВ", country="UA")
    make_company(session, name="Сокіл Харків ТОВ", country="UA")
    for q in ("крук", "КРУК", kruk.legal_id[:4] + "%20" + kruk.legal_id[4:], f"%23{kruk.id}"):
        page = office.get(f"/companies?q={q}").get_json()
        assert [item["id"] for item in page["items"]] == [kruk.id], q


def test_page_size_has_a_limit(office: ApiCaller) -> None:
    """Asking for more than 100 per page is a 422 naming page_size."""
    response = office.get("/companies?page_size=1000")
    assert response.status_code == 422 and "page_size" in response.get_json()["errors"]


def test_the_page_size_limit_is_the_configured_one(
    app: Flask, office: ApiCaller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An operator's API_MAX_PAGE_SIZE is the limit, for companies and introductions alike."""
    monkeypatch.setitem(app.config, "API_MAX_PAGE_SIZE", 5)
    assert office.get("/companies?page_size=5").status_code == 200
    for path in ("/companies?page_size=6", "/introductions?page_size=6"):
        response = office.get(path)
        assert response.status_code == 422 and "5" in response.get_json()["errors"]["page_size"][0]


def test_offices_see_only_approved_firms_without_confidential_fields(
    office: ApiCaller, session: Session
) -> None:
    """Compliance is hidden from offices, and so is the contact of a firm that did not
    consent (see test_contact_visibility); pending firms do not exist for them."""
    approved = make_company(session)
    pending = make_company(session, status="pending")
    listed = office.get("/companies").get_json()["items"]
    assert [c["id"] for c in listed] == [approved.id]
    assert "compliance" not in listed[0] and listed[0]["contact"] is None
    assert office.get(f"/companies/{pending.id}").status_code == 404
    assert office.get("/companies?status=pending").status_code == 403


def test_admins_see_confidential_fields_and_every_status(
    admin: ApiCaller, session: Session
) -> None:
    """Admins get contact and compliance and may list pending firms."""
    pending = make_company(session, status="pending")
    body = admin.get(f"/companies/{pending.id}").get_json()
    assert body["contact"]["email"] and body["compliance"]["export_control"] == ["ML3"]
    assert admin.get("/companies?status=pending").get_json()["total"] == 1


def test_patch_with_current_etag_applies_the_edit(admin: ApiCaller, session: Session) -> None:
    """GET gives an ETag; PATCH with it as If-Match succeeds and returns a new ETag."""
    company = make_company(session)
    etag = admin.get(f"/companies/{company.id}").headers["ETag"]
    response = admin.patch(
        f"/companies/{company.id}", json={"size": "large"}, headers={"If-Match": etag}
    )
    assert response.status_code == 200
    assert response.get_json()["size"] == "large" and response.headers["ETag"] == '"v2"'


def test_a_patch_that_changes_nothing_keeps_the_etag(admin: ApiCaller, session: Session) -> None:
    """Sending the stored values back is no edit: same ETag, status, no audit event."""
    company = make_company(session)
    etag = admin.get(f"/companies/{company.id}").headers["ETag"]
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    unchanged = {"size": company.size, "offers": company.offers, "status": "approved"}
    response = admin.patch(f"/companies/{company.id}", json=unchanged, headers={"If-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] == etag
    assert response.get_json()["status"] == "approved"
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_stale_patch_is_412_and_changes_nothing(admin: ApiCaller, session: Session) -> None:
    """Two editors read v1; the second to save gets 412 and the first edit stands."""
    company = make_company(session)
    etag = admin.get(f"/companies/{company.id}").headers["ETag"]
    first = admin.patch(
        f"/companies/{company.id}", json={"size": "large"}, headers={"If-Match": etag}
    )
    second = admin.patch(
        f"/companies/{company.id}", json={"size": "startup"}, headers={"If-Match": etag}
    )
    assert (first.status_code, second.status_code) == (200, 412)
    assert admin.get(f"/companies/{company.id}").get_json()["size"] == "large"


def test_patch_without_if_match_is_428(admin: ApiCaller, session: Session) -> None:
    """An edit must say which version it is based on."""
    company = make_company(session)
    assert admin.patch(f"/companies/{company.id}", json={"size": "large"}).status_code == 428


def test_invalid_patch_is_422_and_keeps_the_record(admin: ApiCaller, session: Session) -> None:
    """A bad value is reported by field; the version does not move."""
    company = make_company(session)
    response = admin.patch(
        f"/companies/{company.id}", json={"country": "US"}, headers={"If-Match": '"v1"'}
    )
    assert response.status_code == 422 and "country" in response.get_json()["errors"]
    assert admin.get(f"/companies/{company.id}").headers["ETag"] == '"v1"'


def test_delete_archives_and_never_destroys(admin: ApiCaller, session: Session) -> None:
    """DELETE sets status archived; the record is still there for admins."""
    company = make_company(session)
    response = admin.delete(f"/companies/{company.id}")
    assert response.status_code == 200 and response.get_json()["status"] == "archived"
    assert admin.get(f"/companies/{company.id}").get_json()["status"] == "archived"
    assert count(session) == 1


def test_unknown_company_is_404_json(admin: ApiCaller) -> None:
    """A missing id is a JSON 404 naming it."""
    response = admin.get("/companies/4242")
    assert response.status_code == 404 and "4242" in response.get_json()["message"]


def test_created_company_is_immediately_matchable(
    admin: ApiCaller, office: ApiCaller, app: Flask
) -> None:
    """A firm created through the API is suggested to the other side at the next request."""
    eu = admin.post("/companies", json=company_payload()).get_json()["id"]
    ua = admin.post("/companies", json=company_payload(country="UA")).get_json()["id"]
    items = office.get(f"/companies/{eu}/matches").get_json()["items"]
    assert [i["company"]["id"] for i in items] == [ua]


def test_the_spec_tells_offices_what_they_receive(client: FlaskClient) -> None:
    """Reading a company documents the public shape (no compliance or review note, a
    contact only where allowed)
    beside the admins' full one; a PATCH body is documented, not loaded at the edge."""
    spec = client.get("/api/v1/openapi.json").get_json()
    one = spec["paths"]["/api/v1/companies/{company_id}"]
    shapes = one["get"]["responses"]["200"]["content"]["application/json"]["schema"]["anyOf"]
    assert [s["$ref"].rsplit("/", 1)[1] for s in shapes] == ["PublicCompany", "Company"]
    public = spec["components"]["schemas"]["PublicCompany"]["properties"]
    assert not {"compliance", "review_note"} & set(public)
    assert "contact_consent" in public["contact"]["description"]
    assert {"412", "422", "428"} <= set(one["patch"]["responses"])
    body = one["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/CompanyPatch")

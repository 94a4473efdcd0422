"""Authentication, roles, documentation and the error contract of the API."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.models import ApiClient
from matchmaker.services.api_keys import revoke_api_client
from tests.api.conftest import ApiCaller


def test_missing_key_is_401_with_a_bearer_challenge(anonymous: ApiCaller) -> None:
    """No key: 401, JSON, and a WWW-Authenticate header naming Bearer."""
    response = anonymous.get("/taxonomy")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["code"] == 401


def test_unknown_key_is_401(client: FlaskClient) -> None:
    """A made-up key is refused."""
    response = ApiCaller(client, "mm_not-a-real-key").get("/taxonomy")
    assert response.status_code == 401


def test_revoked_key_stops_working_at_once(office: ApiCaller, session: Session) -> None:
    """After revocation the same key gets 401."""
    assert office.get("/taxonomy").status_code == 200
    client = session.query(ApiClient).filter_by(name="Berlin export office").one()
    revoke_api_client(session, client.id, actor="test")
    assert office.get("/taxonomy").status_code == 401


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/companies"),
        ("post", "/companies/import"),
        ("patch", "/companies/1"),
        ("delete", "/companies/1"),
    ],
)
def test_office_key_cannot_write_companies(office: ApiCaller, method: str, path: str) -> None:
    """Creating, importing, editing and archiving need the admin role: 403."""
    response = office.call(method, path, json={})
    assert response.status_code == 403
    assert "admin role" in response.get_json()["message"]


def test_healthz_needs_no_key(client: FlaskClient) -> None:
    """The health check is open."""
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_openapi_document_lists_every_endpoint(client: FlaskClient) -> None:
    """The OpenAPI 3 document is served and names each resource and the bearer scheme."""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {
        "/api/v1/companies",
        "/api/v1/companies/import",
        "/api/v1/companies/{company_id}",
        "/api/v1/companies/{company_id}/matches",
        "/api/v1/matches",
        "/api/v1/introductions",
        "/api/v1/introductions/{introduction_id}",
        "/api/v1/taxonomy",
    } <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_interactive_docs_are_served_by_the_app(client: FlaskClient) -> None:
    """The docs page loads Swagger UI from the app itself, never from a CDN."""
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    with client.get("/api/docs/assets/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200 and len(asset.data) > 100_000


def test_unknown_route_and_method_answer_json(office: ApiCaller) -> None:
    """404 and 405 under /api are JSON with the stable shape."""
    missing = office.get("/nowhere")
    assert (missing.status_code, missing.get_json()["code"]) == (404, 404)
    wrong = office.call("put", "/taxonomy")
    assert wrong.status_code == 405 and wrong.get_json()["status"] == "Method Not Allowed"


def test_oversized_body_is_413(admin: ApiCaller, app: Flask) -> None:
    """A body over MAX_CONTENT_LENGTH is refused before it is parsed."""
    body = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = admin.post("/companies", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["code"] == 413


def test_rate_limit_answers_429_with_retry_after(office: ApiCaller, app: Flask) -> None:
    """Past the per-key limit the API answers 429 and says when to retry."""
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [office.get("/taxonomy").status_code for _ in range(4)]
        limited = office.get("/taxonomy")
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"
    assert statuses[:3] == [200, 200, 200] and limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.get_json()["code"] == 429


def test_rate_limits_are_per_key(office: ApiCaller, other_office: ApiCaller, app: Flask) -> None:
    """One office using up its limit does not block another."""
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        for _ in range(3):
            office.get("/taxonomy")
        assert other_office.get("/taxonomy").status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"


def test_taxonomy_lists_codes_and_sides(office: ApiCaller) -> None:
    """Areas with sub-capabilities, pathways, schemes, countries with their side."""
    body = office.get("/taxonomy").get_json()
    areas = {a["code"]: a for a in body["capability_areas"]}
    assert "ammunition_missiles.propellants" in {
        s["code"] for s in areas["ammunition_missiles"]["subcapabilities"]
    }
    sides = {c["code"]: c["side"] for c in body["countries"]}
    assert (sides["UA"], sides["DE"], sides["NO"]) == ("UA", "EU", "EU") and "US" not in sides
    assert "jv_eu" in {p["code"] for p in body["pathways"]}


def test_failed_authentications_are_limited_per_address(
    office: ApiCaller, client: FlaskClient, app: Flask
) -> None:
    """Made-up keys each got a bucket of their own, so they were never limited; failures
    are now counted per address: past the limit 429 with Retry-After, while a valid key
    from the same address is still served."""
    app.config["API_AUTH_FAILURE_LIMIT"] = "5 per minute"
    try:
        statuses = [
            ApiCaller(client, f"mm_made-up-{n}").get("/taxonomy").status_code for n in range(5)
        ]
        limited = ApiCaller(client, "mm_made-up-6").get("/taxonomy")
        no_key = ApiCaller(client, None).get("/taxonomy")
        valid = office.get("/taxonomy")
    finally:
        app.config["API_AUTH_FAILURE_LIMIT"] = "20 per minute"
    assert statuses == [401] * 5
    assert limited.status_code == 429 and no_key.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "failed authentications" in limited.get_json()["message"]
    assert valid.status_code == 200

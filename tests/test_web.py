"""The service answers: start page, health check, JSON errors under /api."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import make_company


def test_start_page_counts_approved_firms_per_side(client: FlaskClient, session: Session) -> None:
    """The start page renders and shows how many approved firms each side has."""
    make_company(session)
    make_company(session, country="UA")
    make_company(session, country="UA", status="pending")
    page = client.get("/").get_data(as_text=True)
    assert "<strong>1</strong> approved European firms" in page
    assert "<strong>1</strong> approved Ukrainian firms" in page


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    """The health check answers JSON with the database state."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_unknown_api_route_answers_json(client: FlaskClient) -> None:
    """Under /api a 404 is JSON with a stable shape."""
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_pages_load_no_external_assets(client: FlaskClient) -> None:
    """Every stylesheet or script the page uses is served by the app itself."""
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "")
    assert "https://" not in page

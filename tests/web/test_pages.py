"""The firm-facing start page: counts per side, and only the app's own assets."""

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


def test_pages_load_no_external_assets(client: FlaskClient) -> None:
    """Every stylesheet or script the page uses is served by the app itself."""
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "")
    assert "https://" not in page

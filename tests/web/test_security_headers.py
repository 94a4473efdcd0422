"""Browser security headers on every page: CSP without unsafe-inline, framing refused,
no MIME sniffing, HSTS on secure requests; and templates that need no inline code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.security_headers import CSP
from matchmaker.services.admins import create_admin_user
from tests.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "matchmaker" / "templates"
PAGES = ["/", "/profile/new", "/admin/login", "/api/docs", "/healthz", "/api/v1/taxonomy"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("url", PAGES)
def test_every_response_carries_the_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code < 500, url
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Referrer-Policy" in response.headers
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_error_pages_carry_them_too(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["Content-Security-Policy"] == CSP


def test_the_policy_allows_no_inline_code_and_no_framing() -> None:
    policy = directives(CSP)
    for directive in ("default-src", "script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def test_hsts_only_on_secure_requests(client: FlaskClient) -> None:
    response = client.get("/", base_url="https://matchmaker.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_that_set_their_own_referrer_policy_keep_it(
    client: FlaskClient, session: Session
) -> None:
    from matchmaker.services import edit_links
    from tests.factories import loaded_company, no_embedding

    company = edit_links.submit_profile(session, loaded_company(), on_change=no_embedding)
    token = edit_links.edit_token(company, "test-secret-key")
    response = client.get(f"/profile/edit/{token}")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_templates_hold_no_inline_script_style_or_handler() -> None:
    """What the CSP would block: <script> without src, <style>, style= and on*= attributes."""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:",
        re.IGNORECASE,
    )
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []


def test_swagger_ui_loads_its_code_from_files(client: FlaskClient) -> None:
    """The API docs page runs no inline script; its start-up code is a static file."""
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page
    assert "/static/swagger-init.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    with client.get("/static/swagger-init.js") as script:
        assert script.status_code == 200


def test_admin_pages_carry_them(app: Flask, client: FlaskClient, session: Session) -> None:
    create_admin_user(session, ADMIN_EMAIL, ADMIN_PASSWORD, actor="test")
    client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP

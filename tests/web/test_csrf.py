"""With CSRF protection on (as in production), a POST without the form's token is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import Company
from tests.factories import company_payload
from tests.web.form_data import form_data


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def token_of(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "the form carries no CSRF token"
    return match.group(1)


def test_a_post_without_token_is_refused(
    csrf_on: None, client: FlaskClient, session: Session
) -> None:
    """The public form refuses a forged cross-site POST and stores nothing; the form
    comes back filled in, saying why, with a fresh token to send it again."""
    payload = company_payload()
    response = client.post("/profile/new", data=form_data(payload))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "could not be sent safely and nothing was saved" in page
    assert f'value="{payload["name"]}"' in page
    assert token_of(page)
    assert session.scalars(select(Company)).first() is None


def test_a_post_with_the_form_token_passes(
    csrf_on: None, client: FlaskClient, session: Session
) -> None:
    """The token the form carries lets the firm's own submission through."""
    token = token_of(client.get("/profile/new").get_data(as_text=True))
    response = client.post("/profile/new", data=form_data(company_payload(), csrf_token=token))
    assert response.status_code == 302
    assert session.scalars(select(Company)).one().status == "pending"


def test_admin_login_and_actions_need_the_token(
    csrf_on: None, client: FlaskClient, session: Session
) -> None:
    """Even the login form refuses a POST without its token."""
    from matchmaker.services.admins import create_admin_user

    create_admin_user(session, "csrf@example.org", "a long enough password", actor="test")
    login = {"email": "csrf@example.org", "password": "a long enough password"}
    assert client.post("/admin/login", data=login).status_code == 400
    token = token_of(client.get("/admin/login").get_data(as_text=True))
    assert client.post("/admin/login", data=login | {"csrf_token": token}).status_code == 302
    assert client.post("/admin/logout").status_code == 400


def test_a_recover_request_without_token_is_refused(
    csrf_on: None, client: FlaskClient, session: Session
) -> None:
    """A forged cross-site POST cannot make Matchmaker replace a firm's edit link."""
    response = client.post("/profile/recover", data={"country": "DE", "legal_id": "DE1"})
    assert response.status_code == 400
    token = token_of(client.get("/profile/recover").get_data(as_text=True))
    response = client.post(
        "/profile/recover", data={"country": "DE", "legal_id": "DE1", "csrf_token": token}
    )
    assert response.status_code == 200
    response.close()

"""Every admin page and action needs a live admin session: login, logout, timeout, guard."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.admin.auth import LAST_SEEN
from matchmaker.models import AdminUser
from tests.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD


def admin_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, url) for every admin route except the login page, ids filled in."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or rule.endpoint == "admin.login":
            continue
        url = rule.build(dict.fromkeys(rule.arguments, 1))[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def test_every_admin_route_is_listed(app: Flask) -> None:
    """The guard test below covers the whole admin area, not a hand-picked part."""
    urls = {url for _, url in admin_routes(app)}
    expected = {
        "/admin/",
        "/admin/review",
        "/admin/companies/1/approve",
        "/admin/audit",
        "/admin/duplicates/merge",
        "/admin/api-keys",
        "/admin/explorer",
        "/admin/logout",
    }
    assert expected <= urls
    assert len(admin_routes(app)) >= 20


def test_logged_out_html_requests_are_sent_to_the_login_page(
    app: Flask, client: FlaskClient
) -> None:
    """Pages and actions alike redirect a browser without a session to the login page."""
    for method, url in admin_routes(app):
        response = client.open(url, method=method, headers={"Accept": "text/html"})
        assert response.status_code == 302, (method, url)
        assert response.location.startswith("/admin/login"), (method, url)


def test_logged_out_json_requests_get_403(app: Flask, client: FlaskClient) -> None:
    """A JSON caller gets 403 JSON, never a redirect to an HTML page."""
    for method, url in admin_routes(app):
        response = client.open(url, method=method, headers={"Accept": "application/json"})
        assert response.status_code == 403, (method, url)
        assert response.get_json()["code"] == 403, (method, url)


def test_a_json_body_also_counts_as_a_json_request(client: FlaskClient) -> None:
    """A POST with a JSON body gets 403 JSON even when it accepts anything."""
    response = client.post("/admin/api-keys", json={"name": "x"})
    assert response.status_code == 403
    assert response.is_json


def test_login_leads_back_to_the_page_asked_for(client: FlaskClient, admin_user: AdminUser) -> None:
    """After logging in, the admin lands on the page that sent them to the login."""
    response = client.get("/admin/audit?actor=x")
    assert response.location == "/admin/login?next=/admin/audit?actor%3Dx"
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    response = client.post(response.location, data=login)
    assert response.location == "/admin/audit?actor=x"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/profile/new"])
def test_login_never_redirects_outside_the_admin_area(
    client: FlaskClient, admin_user: AdminUser, target: str
) -> None:
    """The `next` parameter cannot send the admin to another site."""
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    response = client.post("/admin/login", query_string={"next": target}, data=login)
    assert response.location == "/admin/"


def test_a_wrong_password_is_refused(client: FlaskClient, admin_user: AdminUser) -> None:
    """Wrong credentials give 401 and no session."""
    response = client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": "nope"})
    assert response.status_code == 401
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_an_inactive_admin_cannot_log_in(
    client: FlaskClient, session: Session, admin_user: AdminUser
) -> None:
    """Deactivated accounts are refused even with the right password."""
    admin_user.active = False
    session.commit()
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    assert client.post("/admin/login", data=login).status_code == 401


def test_a_deactivated_admin_loses_an_open_session(
    admin_client: FlaskClient, session: Session, admin_user: AdminUser
) -> None:
    """Deactivating an account ends its sessions at the next request."""
    admin_user.active = False
    session.commit()
    assert admin_client.get("/admin/").status_code == 302


def test_logout_ends_the_session(admin_client: FlaskClient) -> None:
    """After logging out, admin pages redirect to the login page again."""
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.post("/admin/logout").status_code == 302
    assert admin_client.get("/admin/").status_code == 302


def test_the_session_times_out_without_activity(app: Flask, admin_client: FlaskClient) -> None:
    """An idle session older than PERMANENT_SESSION_LIFETIME is ended by the server."""
    idle = app.permanent_session_lifetime.total_seconds() + 1
    with admin_client.session_transaction() as state:
        assert state.permanent
        state[LAST_SEEN] = time.time() - idle
    response = admin_client.get("/admin/")
    assert response.status_code == 302
    page = admin_client.get(response.location).get_data(as_text=True)
    assert "timed out" in page
    assert admin_client.get("/admin/").status_code == 302


def test_activity_keeps_the_session_alive(app: Flask, admin_client: FlaskClient) -> None:
    """Each request moves the timeout forward."""
    almost = app.permanent_session_lifetime.total_seconds() - 30
    with admin_client.session_transaction() as state:
        state[LAST_SEEN] = time.time() - almost
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/").status_code == 200


def test_login_is_rate_limited(client: FlaskClient, admin_user: AdminUser) -> None:
    """Password guessing hits a limit of logins per minute per address."""
    statuses = [
        client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": "guess"}).status_code
        for _ in range(12)
    ]
    assert statuses[-1] == 429

"""Server-side session invalidation: a copied cookie dies with logout, password change
and deactivation, instead of living on (and renewing itself) until it times out."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AdminUser, ApiClient
from matchmaker.services.admins import (
    authenticate_admin,
    deactivate_admin,
    reactivate_admin,
    set_admin_password,
)
from tests.admin.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, last_audit

NEW_PASSWORD = "another long enough password"


def copied_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of `client`'s session cookie, as a thief would."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def api_key_count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(ApiClient)) or 0


def test_a_cookie_copied_before_logout_is_refused_after_it(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """The reported attack: replaying a pre-logout cookie opens nothing and creates no key."""
    thief = copied_cookie(app, admin_client)
    assert thief.get("/admin/api-keys").status_code == 200  # the copy works before logout
    assert admin_client.post("/admin/logout").status_code == 302

    assert thief.get("/admin/api-keys").status_code == 302
    response = thief.post("/admin/api-keys", data={"name": "Stolen", "role": "admin"})
    assert response.status_code == 302
    assert response.location.startswith("/admin/login")
    assert api_key_count(session) == 0
    # Refused for good: the refusal did not renew it into a live session.
    assert thief.get("/admin/").status_code == 302


def test_logging_in_again_after_logout_works(
    app: Flask, admin_client: FlaskClient, admin_user: AdminUser
) -> None:
    """Invalidation ends old sessions, not the account: a fresh login is live."""
    admin_client.post("/admin/logout")
    login = {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
    assert admin_client.post("/admin/login", data=login).status_code == 302
    assert admin_client.get("/admin/").status_code == 200


def test_a_password_change_ends_every_open_session(
    app: Flask, admin_client: FlaskClient, session: Session, admin_user: AdminUser
) -> None:
    """After a password change, sessions opened with the old password are refused."""
    thief = copied_cookie(app, admin_client)
    set_admin_password(session, ADMIN_EMAIL, NEW_PASSWORD, actor="cli")
    assert admin_client.get("/admin/").status_code == 302
    assert thief.get("/admin/").status_code == 302
    assert authenticate_admin(session, ADMIN_EMAIL, ADMIN_PASSWORD) is None
    assert authenticate_admin(session, ADMIN_EMAIL, NEW_PASSWORD) is not None
    event = last_audit(session, "admin_user.password")
    assert event.entity_id == admin_user.id
    assert NEW_PASSWORD not in str(event.after)


def test_a_too_short_password_is_refused_and_changes_nothing(
    admin_client: FlaskClient, session: Session
) -> None:
    """The new password follows the same rule as at creation; sessions stay live."""
    with pytest.raises(ValidationError) as error:
        set_admin_password(session, ADMIN_EMAIL, "short", actor="cli")
    assert "password" in error.value.messages
    assert admin_client.get("/admin/").status_code == 200
    assert authenticate_admin(session, ADMIN_EMAIL, ADMIN_PASSWORD) is not None


def test_reactivating_an_admin_does_not_revive_old_sessions(
    app: Flask, admin_client: FlaskClient, session: Session, admin_user: AdminUser
) -> None:
    """Deactivation bumps the session version, so re-enabling the account later does not
    bring a copied cookie back to life."""
    thief = copied_cookie(app, admin_client)
    deactivate_admin(session, ADMIN_EMAIL, actor="cli")
    assert thief.get("/admin/").status_code == 302
    reactivate_admin(session, ADMIN_EMAIL, actor="cli")
    assert thief.get("/admin/").status_code == 302
    assert admin_client.get("/admin/").status_code == 302
    assert last_audit(session, "admin_user.deactivate").entity_id == admin_user.id


def test_an_unknown_admin_is_a_validation_error(session: Session) -> None:
    with pytest.raises(ValidationError) as error:
        deactivate_admin(session, "nobody@example.org", actor="cli")
    assert "email" in error.value.messages


def test_admin_commands_change_password_and_deactivate(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """The operator's way to end an admin's sessions: the CLI."""
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["admin", "set-password", "--email", ADMIN_EMAIL],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert admin_client.get("/admin/").status_code == 302
    result = runner.invoke(args=["admin", "deactivate", "--email", ADMIN_EMAIL])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.scalar(select(AdminUser.active)) is False
    result = runner.invoke(args=["admin", "deactivate", "--email", "nobody@example.org"])
    assert result.exit_code != 0
    assert "email" in result.output

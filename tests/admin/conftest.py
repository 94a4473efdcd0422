"""Admin fixtures: an admin account and a client logged in as it."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import AdminUser, AuditEvent
from matchmaker.services.admins import create_admin_user

ADMIN_EMAIL = "curator@example.org"
ADMIN_PASSWORD = "a long enough password"
ACTOR = f"admin:{ADMIN_EMAIL}"


@pytest.fixture
def admin_user(session: Session) -> AdminUser:
    return create_admin_user(session, ADMIN_EMAIL, ADMIN_PASSWORD, actor="test")


@pytest.fixture
def admin_client(app: Flask, admin_user: AdminUser) -> FlaskClient:
    """A test client with a live admin session."""
    client = app.test_client()
    response = client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def last_audit(session: Session, action: str) -> AuditEvent:
    """The newest audit event of one action (fails the test when there is none)."""
    session.expire_all()
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None, f"no {action} audit event"
    return event

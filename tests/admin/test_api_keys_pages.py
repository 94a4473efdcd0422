"""API keys: created and shown once, listed by prefix only, revoked; each audited."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.services.api_keys import authenticate
from tests.admin.conftest import ACTOR, last_audit


def test_a_new_key_is_shown_once_and_works(admin_client: FlaskClient, session: Session) -> None:
    """The key appears on the creation response only; the list shows its prefix."""
    response = admin_client.post(
        "/admin/api-keys", data={"name": "Berlin office", "role": "office"}
    )
    assert response.status_code == 201
    key = re.search(r'value="(mm_[^"]+)"', response.get_data(as_text=True)).group(1)
    assert authenticate(session, key).name == "Berlin office"
    listing = admin_client.get("/admin/api-keys").get_data(as_text=True)
    assert key not in listing and key[:10] in listing
    assert last_audit(session, "api_client.create").actor == ACTOR


def test_a_bad_key_request_shows_why(admin_client: FlaskClient) -> None:
    """An empty name is refused with the service's message."""
    response = admin_client.post("/admin/api-keys", data={"name": "", "role": "office"})
    assert response.status_code == 422
    assert "A name of 1 to 120 characters." in response.get_data(as_text=True)


def test_revoking_a_key(admin_client: FlaskClient, session: Session) -> None:
    """A revoked key stops working at once and the revocation is audited."""
    page = admin_client.post("/admin/api-keys", data={"name": "Kyiv office", "role": "office"})
    key = re.search(r'value="(mm_[^"]+)"', page.get_data(as_text=True)).group(1)
    client_id = authenticate(session, key).id
    admin_client.post(f"/admin/api-keys/{client_id}/revoke")
    session.expire_all()
    assert authenticate(session, key) is None
    assert last_audit(session, "api_client.revoke").actor == ACTOR
    assert "revoked" in admin_client.get("/admin/api-keys").get_data(as_text=True)

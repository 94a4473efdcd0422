"""The audit log page: who, when, before -> after, and its filters."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.services.profiles import update_company
from tests.factories import make_company, no_embedding


def test_changes_show_before_and_after(admin_client: FlaskClient, session: Session) -> None:
    """An update appears with its actor and the changed field's old and new value."""
    company = make_company(session, offers="Old offer text.")
    update_company(
        session,
        company.id,
        {"offers": "New offer text."},
        actor="admin:x@example.org",
        on_change=no_embedding,
    )
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "admin:x@example.org" in page
    assert "company.update" in page
    assert "Old offer text." in page and "New offer text." in page


def test_filters_narrow_the_log(admin_client: FlaskClient, session: Session) -> None:
    """Actor, action, record and date filters each narrow the list."""
    first = make_company(session, name="First Audited GmbH")
    second = make_company(session, name="Second Audited GmbH")
    update_company(
        session,
        second.id,
        {"seeks": "Changed."},
        actor="admin:y@example.org",
        on_change=no_embedding,
    )

    def log(**query: object) -> str:
        return admin_client.get("/admin/audit", query_string=query).get_data(as_text=True)

    assert "admin:y@example.org" not in log(actor="test")
    assert "Changed." in log(action="company.update")
    assert "First Audited" not in log(action="company.update")
    by_record = log(entity_type="company", entity_id=first.id)
    assert "First Audited" in by_record and "Second Audited" not in by_record
    assert "No event matches" in log(since="2099-01-01")
    assert "First Audited" in log(until="2099-01-01")


def test_the_login_itself_changes_nothing(admin_client: FlaskClient) -> None:
    """The audit page works on an almost empty log (only the admin's own creation)."""
    assert admin_client.get("/admin/audit").status_code == 200

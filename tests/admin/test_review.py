"""The review queue: approve, reject with a reason, edit before approving; each audited."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.models import Company
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import loaded_company, make_company, no_embedding
from tests.web.form_data import form_data


def pending(app: Flask, session: Session, **overrides: object) -> Company:
    """A firm's own submission, stored with its vectors as the public form stores it."""
    hook = matching.service.embed_changes
    return edit_links.submit_profile(session, loaded_company(**overrides), on_change=hook)


def test_the_queue_lists_pending_submissions_oldest_first(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Pending firms are listed with their actions; approved ones are not."""
    first = pending(app, session, name="First Pending GmbH")
    pending(app, session, name="Second Pending GmbH")
    make_company(session, name="Already Approved GmbH")
    page = admin_client.get("/admin/review").get_data(as_text=True)
    assert page.index("First Pending GmbH") < page.index("Second Pending GmbH")
    assert "Already Approved GmbH" not in page
    assert f"/admin/companies/{first.id}/approve" in page


def test_the_queue_flags_possible_duplicates(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """A submission that looks like a registered firm says so in the queue."""
    make_company(session, name="Staufen Dynamics GmbH")
    pending(app, session, name="Staufen Dynamics AG")
    page = admin_client.get("/admin/review").get_data(as_text=True)
    assert "1 possible duplicate" in page


def test_approving_puts_the_firm_into_the_suggestions_at_once(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Approval is audited with the admin as actor, and the matcher suggests the firm next."""
    service = matching.service
    firm = pending(app, session)
    partner = pending(
        app,
        session,
        country="UA",
        offers="Propellants.",
        capabilities=["ammunition_missiles.propellants"],
        seeking_capabilities=["ammunition_missiles.shells"],
    )
    partner.status = "approved"
    session.commit()
    assert firm.id not in {s.company.id for s in service.match_company(session, partner.id)}
    response = admin_client.post(
        f"/admin/companies/{firm.id}/approve", data={"version": firm.version}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Company, firm.id).status == "approved"
    event = last_audit(session, "company.update")
    assert (event.actor, event.entity_id) == (ACTOR, firm.id)
    assert (event.before["status"], event.after["status"]) == ("pending", "approved")
    assert firm.id in {s.company.id for s in service.match_company(session, partner.id)}


def test_a_stale_approval_is_refused(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """If the firm edited its profile since the admin looked, the approval does not pass."""
    firm = pending(app, session)
    stale = firm.version
    edit_links.update_by_firm(
        session, firm.id, company_document(firm) | {"seeks": "Changed."}, on_change=no_embedding
    )
    response = admin_client.post(
        f"/admin/companies/{firm.id}/approve", data={"version": stale}, follow_redirects=True
    )
    assert "changed since you read it" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"


def test_rejecting_needs_a_reason(app: Flask, admin_client: FlaskClient, session: Session) -> None:
    """Without a reason nothing changes; with one, the firm is rejected and the reason kept."""
    firm = pending(app, session)
    url = f"/admin/companies/{firm.id}/reject"
    page = admin_client.post(url, data={"reason": " "}, follow_redirects=True)
    assert "Give the reason for rejecting" in page.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"
    admin_client.post(url, data={"reason": "No EDRPOU code given.", "version": firm.version})
    session.expire_all()
    rejected = session.get(Company, firm.id)
    assert (rejected.status, rejected.review_note) == ("rejected", "No EDRPOU code given.")
    event = last_audit(session, "company.update")
    assert event.actor == ACTOR
    assert event.after["review_note"] == "No EDRPOU code given."


def test_edit_before_approving(app: Flask, admin_client: FlaskClient, session: Session) -> None:
    """The admin corrects a field and approves in one step; the audit shows before -> after."""
    firm = pending(app, session, website="http://typo.example")
    document = company_document(firm) | {"website": "https://fixed.example"}
    data = form_data(document, version=str(firm.version), action="save-and-approve")
    response = admin_client.post(f"/admin/companies/{firm.id}/edit", data=data)
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Company, firm.id)
    assert (stored.website, stored.status) == ("https://fixed.example", "approved")
    event = last_audit(session, "company.update")
    assert event.before["website"] == "http://typo.example"
    assert event.after["website"] == "https://fixed.example"
    assert event.after["status"] == "approved"

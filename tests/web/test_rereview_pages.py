"""The edit link of an approved firm: an unchanged save says so, a change waits for review
while the approved profile stays live, and the firm goes on editing its waiting change."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company
from matchmaker.services import edit_links, revisions
from matchmaker.services.documents import company_document
from tests.factories import loaded_company, no_embedding
from tests.web.form_data import form_data

NEW_OFFER = "Now also 120 mm mortar bombs."


def approved(session: Session) -> tuple[Company, str]:
    company = edit_links.submit_profile(session, loaded_company(), on_change=no_embedding)
    company.status = "approved"
    session.commit()
    return company, edit_links.edit_token(company, "test-secret-key")


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_an_unchanged_save_says_nothing_changed(client: FlaskClient, session: Session) -> None:
    """The form posted as it was shown: still approved, same version, no audit event."""
    company, token = approved(session)
    version, events = company.version, audit_count(session)
    data = form_data(company_document(company), version=str(version))
    response = client.post(f"/profile/edit/{token}", data=data)
    assert response.location.endswith("?updated=unchanged")
    session.expire_all()
    stored = session.get(Company, company.id)
    assert (stored.status, stored.version, audit_count(session)) == ("approved", version, events)
    page = client.get(response.location).get_data(as_text=True)
    assert "Nothing changed" in page
    ukrainian = client.get(response.location + "&lang=uk").get_data(as_text=True)
    assert "Нічого не змінилося" in ukrainian


def test_a_change_waits_and_the_form_shows_it(client: FlaskClient, session: Session) -> None:
    company, token = approved(session)
    data = form_data(
        company_document(company) | {"offers": NEW_OFFER}, version=str(company.version)
    )
    response = client.post(f"/profile/edit/{token}", data=data)
    assert response.location.endswith("?updated=waiting")
    assert "Your change is waiting for review" in client.get(response.location).get_data(
        as_text=True
    )
    session.expire_all()
    stored = session.get(Company, company.id)
    assert (stored.status, stored.offers) == ("approved", company_document(stored)["offers"])
    assert stored.offers != NEW_OFFER
    waiting = revisions.waiting_revision(session, company.id)
    assert waiting is not None
    page = client.get("/profile/edit").get_data(as_text=True)
    assert 'id="waiting-change"' in page
    assert NEW_OFFER in page
    assert f'name="revision_version" value="{waiting.version}"' in page


def test_a_stale_form_cannot_overwrite_the_waiting_change(
    client: FlaskClient, session: Session
) -> None:
    """A second tab opened before the first change was saved gets 409, not a silent loss."""
    company, token = approved(session)
    client.get(f"/profile/edit/{token}")
    stale = form_data(
        company_document(company) | {"seeks": "Investors."}, version=str(company.version)
    )
    first = form_data(
        company_document(company) | {"offers": NEW_OFFER}, version=str(company.version)
    )
    assert client.post("/profile/edit", data=first).status_code == 302
    response = client.post("/profile/edit", data=stale)
    assert response.status_code == 409
    waiting = revisions.waiting_revision(session, company.id)
    assert waiting is not None and waiting.document["offers"] == NEW_OFFER
    assert waiting.document["seeks"] != "Investors."


def test_a_rejected_change_is_explained(client: FlaskClient, session: Session) -> None:
    company, token = approved(session)
    data = form_data(
        company_document(company) | {"offers": NEW_OFFER}, version=str(company.version)
    )
    client.post(f"/profile/edit/{token}", data=data)
    waiting = revisions.waiting_revision(session, company.id)
    assert waiting is not None
    revisions.reject_revision(session, waiting.id, actor="admin:a", note="Prove the mortar line.")
    page = client.get("/profile/edit").get_data(as_text=True)
    assert 'id="rejected-change"' in page and "Prove the mortar line." in page
    assert NEW_OFFER not in page

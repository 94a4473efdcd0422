"""Privacy on the firm's side: who sees what, consent on the form, the privacy notice, and
asking for erasure through the edit link."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from tests.factories import company_payload, loaded_company, no_embedding
from tests.web.form_data import form_data


def submitted(session: Session, **overrides: object) -> tuple[Company, str]:
    company = edit_links.submit_profile(
        session, loaded_company(**overrides), on_change=no_embedding
    )
    return company, edit_links.edit_token(company, "test-secret-key")


@pytest.mark.parametrize(
    ("lang", "heading", "retention", "erasure"),
    [
        ("en", "Privacy notice", "How long", "Erasure"),
        ("uk", "Повідомлення про конфіденційність", "Як довго", "Видалення"),
    ],
)
def test_the_privacy_notice_says_what_who_how_long_and_how_to_erase(
    client: FlaskClient, lang: str, heading: str, retention: str, erasure: str
) -> None:
    page = client.get(f"/privacy?lang={lang}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in text
    for section in (heading, retention, erasure):
        assert section in text
    for anchor in ("what", "why", "who", "retention", "erasure", "contact"):
        assert f'id="{anchor}"' in text
    # No privacy contact configured: the notice says where to turn instead of a dead address.
    assert "mailto:" not in text


def test_the_configured_privacy_contact_is_named(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(client.application.config, "PRIVACY_CONTACT", "privacy@matchmaker.example")
    text = client.get("/privacy").get_data(as_text=True)
    assert 'href="mailto:privacy@matchmaker.example"' in text


@pytest.mark.parametrize(
    ("lang", "consent_label"),
    [
        ("en", "I agree that facilitation offices may see our contact person"),
        ("uk", "Я погоджуюся, що офіси сприяння можуть бачити нашу контактну особу"),
    ],
)
def test_the_form_says_who_sees_what_and_asks_for_consent(
    client: FlaskClient, lang: str, consent_label: str
) -> None:
    text = client.get(f"/profile/new?lang={lang}").get_data(as_text=True)
    assert 'id="who-sees-what"' in text
    assert 'name="contact_consent"' in text and consent_label in text
    assert 'href="/privacy"' in text


def test_consent_given_on_the_form_is_stored_with_its_time_and_can_be_withdrawn(
    client: FlaskClient, session: Session
) -> None:
    document = company_payload(contact_consent=True)
    response = client.post("/profile/new", data=form_data(document))
    assert response.status_code == 302
    stored = session.scalars(select(Company).where(Company.name == document["name"])).one()
    assert stored.contact_consent is True and stored.contact_consent_at is not None
    # Saving the edit page with the box unticked withdraws it.
    page = client.get("/profile/edit").get_data(as_text=True)
    assert 'name="contact_consent" value="1" checked' in page
    session.expire_all()
    edited = company_document(stored) | {"contact_consent": False}
    saved = client.post("/profile/edit", data=form_data(edited, version=str(stored.version)))
    assert saved.status_code == 302
    session.expire_all()
    assert stored.contact_consent is False and stored.contact_consent_at is None


def test_a_firm_asks_for_erasure_through_its_edit_link(
    client: FlaskClient, session: Session
) -> None:
    company, token = submitted(session)
    edit_page = client.get(f"/profile/edit/{token}", follow_redirects=True).get_data(as_text=True)
    assert 'href="/profile/erase"' in edit_page
    confirm = client.get("/profile/erase")
    assert confirm.status_code == 200 and "Yes, ask for erasure" in confirm.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, company.id).erasure_requested_at is None  # a GET asks nothing
    done = client.post("/profile/erase")
    assert done.status_code == 200 and "Your request was recorded" in done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    session.expire_all()
    stored = session.get(Company, company.id)
    assert stored.erasure_requested_at is not None
    # Recorded, not carried out: the profile is untouched until an admin confirms.
    assert stored.contact_email == "erika@testwerk.example" and stored.status == "pending"
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "company.erasure_request")
    ).one()
    assert event.actor == f"firm:{company.id}" and event.entity_id == company.id
    # Asking twice records one request.
    client.post("/profile/erase")
    assert (
        len(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "company.erasure_request")
            ).all()
        )
        == 1
    )
    assert "You asked for your record to be erased" in client.get("/profile/edit").get_data(
        as_text=True
    )


def test_erasure_needs_the_firms_editing_session(client: FlaskClient, session: Session) -> None:
    submitted(session)
    assert client.post("/profile/erase").status_code == 403
    assert client.get("/profile/erase").status_code == 403

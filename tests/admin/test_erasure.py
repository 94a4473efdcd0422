"""An admin confirms a firm's erasure request: contact and texts anonymised, the firm
archived and never suggested, history kept without the personal data, edit link ended."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company, Introduction, ProfileRevision
from matchmaker.services import edit_links, erasure, revisions
from matchmaker.services.documents import company_document
from matchmaker.services.introductions import record_introduction
from matchmaker.services.profiles import update_company
from matchmaker.services.suggestions import PartnerRequest, Viewer, suggest_partners
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import make_company, make_matchable_company
from tests.services.test_matching import PROPELLANT_MAKER, SHELL_MAKER

EMAIL = "erika@testwerk.example"
PARTNER_EMAIL = "olena@propellant.example"


def asking_firm(app: Flask, session: Session) -> tuple[Company, Company, str]:
    """A firm with history (an edit, an introduction whose note names its contact) that
    asked for erasure; its partner; and its edit link."""
    matching = app.extensions["matching"]
    firm = make_matchable_company(session, matching, **SHELL_MAKER, contact_consent=True)
    partner = make_matchable_company(
        session, matching, **PROPELLANT_MAKER, contact={"email": PARTNER_EMAIL}
    )
    update_company(
        session,
        firm.id,
        {"description": "Run by Erika Muster since 1990.", "website": "https://erika.example"},
        actor="test",
        on_change=matching.embed_changes,
    )
    record_introduction(
        session,
        {
            "company_a_id": firm.id,
            "company_b_id": partner.id,
            "note": f"Called Erika Muster ({EMAIL}) on Monday.",
        },
        actor="office:test",
    )
    token = edit_links.edit_token(firm, app.secret_key or "")
    erasure.request_erasure(session, firm.id, actor=edit_links.firm_actor(firm.id))
    return firm, partner, token


def test_admin_sees_the_request_and_confirms_it(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    firm, partner, token = asking_firm(app, session)
    firm_name, legal_id = firm.name, firm.legal_id
    untouched = make_company(session, country="PL", contact={"email": "jan@firma.example"})
    listing = admin_client.get("/admin/erasure-requests").get_data(as_text=True)
    assert f"/admin/companies/{firm.id}#erasure" in listing
    assert f"/admin/companies/{untouched.id}#" not in listing
    page = admin_client.get(f"/admin/companies/{firm.id}").get_data(as_text=True)
    assert "The firm asked for its record to be erased" in page and "Confirm erasure" in page

    response = admin_client.post(f"/admin/companies/{firm.id}/erase")
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Company, firm.id)
    # Anonymised: the contact, consent, website and texts are gone; the legal entity stays.
    assert stored.contact == {"name": None, "email": None, "phone": None}
    assert stored.contact_consent is False and stored.website is None
    assert stored.description == "" and stored.offers == stored.seeks == erasure.ERASED_TEXT
    assert stored.name == firm_name and stored.legal_id == legal_id
    assert stored.status == "archived" and stored.erased_at is not None
    # Audited, by the admin, without the personal data.
    event = last_audit(session, "company.erase")
    assert event.actor == ACTOR and event.entity_id == firm.id
    # History kept (the introduction and every audit event), without the personal data.
    introduction = session.scalars(select(Introduction)).one()
    assert introduction.company_a_id == firm.id
    assert introduction.note == "Called [erased] ([erased]) on Monday."
    events = session.scalars(select(AuditEvent)).all()
    assert {"company.create", "company.update", "introduction.create"} <= {e.action for e in events}
    history = str([(e.before, e.after) for e in events])
    for personal in (EMAIL, "Erika Muster", "+49 30 1234567", "erika.example", "since 1990"):
        assert personal not in history, [
            (e.action, e.entity_id) for e in events if personal in str((e.before, e.after))
        ]
    # The partner's record and audit trail are untouched.
    assert session.get(Company, partner.id).contact_email == PARTNER_EMAIL
    assert PARTNER_EMAIL in history
    # No longer listed as waiting, and the page says it is done.
    assert f"/admin/companies/{firm.id}#" not in admin_client.get(
        "/admin/erasure-requests"
    ).get_data(as_text=True)
    assert "Personal data erased on" in admin_client.get(f"/admin/companies/{firm.id}").get_data(
        as_text=True
    )
    # The edit link stops working, with a message that says why.
    closed = app.test_client().get(f"/profile/edit/{token}")
    assert closed.status_code == 409
    assert "This record was erased at the firm" in closed.get_data(as_text=True)


def test_an_erased_firm_is_never_suggested(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    firm, partner, _ = asking_firm(app, session)
    matching = app.extensions["matching"]

    def suggested() -> list[int]:
        found = suggest_partners(
            session, matching, partner.id, PartnerRequest(limit=20), viewer=Viewer(admin=True)
        )
        return [s.company.id for s in found]

    assert firm.id in suggested()
    admin_client.post(f"/admin/companies/{firm.id}/erase")
    session.expire_all()
    assert firm.id not in suggested()


def test_erasing_twice_is_refused_and_changes_nothing(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    firm, _, _ = asking_firm(app, session)
    admin_client.post(f"/admin/companies/{firm.id}/erase")
    count = len(session.scalars(select(AuditEvent)).all())
    again = admin_client.post(f"/admin/companies/{firm.id}/erase", follow_redirects=True)
    assert "already erased" in again.get_data(as_text=True)
    session.expire_all()
    assert len(session.scalars(select(AuditEvent)).all()) == count


def test_erasure_needs_an_admin(client: FlaskClient, session: Session) -> None:
    firm = make_company(session)
    erasure.request_erasure(session, firm.id, actor="firm")
    assert client.post(f"/admin/companies/{firm.id}/erase").status_code in (302, 401, 403)
    session.expire_all()
    assert session.get(Company, firm.id).contact_email == EMAIL


def test_a_change_waiting_for_review_is_erased_too(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    """An approved firm's waiting change holds its own copy of the contact and texts."""
    firm, _, _ = asking_firm(app, session)
    firm.status = "approved"
    session.commit()
    shown = company_document(firm)
    new_email = "erika.new@testwerk.example"
    edit_links.update_by_firm(
        session,
        firm.id,
        shown | {"contact": shown["contact"] | {"email": new_email}, "seeks": "Erika seeks."},
        expected_version=firm.version,
        on_change=app.extensions["matching"].embed_changes,
    )
    waiting = revisions.waiting_revision(session, firm.id)
    assert waiting is not None and waiting.document["contact"]["email"] == new_email

    admin_client.post(f"/admin/companies/{firm.id}/erase")
    session.expire_all()
    revision = session.scalars(
        select(ProfileRevision).where(ProfileRevision.company_id == firm.id)
    ).one()
    assert revision.status == "withdrawn"
    assert not any(revision.document["contact"].values())
    assert "Erika" not in str(revision.document)

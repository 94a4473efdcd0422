"""Re-reviews in the review queue: an approved firm's waiting change, marked, with a
field-level diff in labels, approved or rejected by an admin (audited, locked)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.models import Company, ProfileRevision
from matchmaker.services import edit_links, revisions
from matchmaker.services.documents import company_document
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import make_company

NEW_OFFER = "Serial production of 120 mm mortar bombs."


def with_waiting_change(session: Session, **changes: object) -> tuple[Company, ProfileRevision]:
    company = make_company(session, name="Live Optics GmbH")
    edit_links.update_by_firm(
        session,
        company.id,
        company_document(company) | changes,
        expected_version=company.version,
        on_change=matching.service.embed_changes,
    )
    revision = revisions.waiting_revision(session, company.id)
    assert revision is not None
    return company, revision


def test_the_queue_marks_a_re_review_and_shows_what_changes_in_labels(
    admin_client: FlaskClient, session: Session
) -> None:
    company, revision = with_waiting_change(
        session,
        offers=NEW_OFFER,
        capabilities=["ammunition_missiles.shells", "drones_counter_drone.fpv"],
        country="AT",
        legal_id="ATU12345678",
        compliance={"controlling_country": "AT", "export_control": ["ML3"]},
    )
    page = admin_client.get("/admin/review").get_data(as_text=True)
    assert f'id="rereview-{revision.id}"' in page and "Re-review" in page
    assert "Live Optics GmbH" in page and NEW_OFFER in page
    # Labels, not codes: field names, capability and country names.
    assert "Offers" in page and "Capabilities offered" in page
    assert "FPV" in page and "drones_counter_drone.fpv" not in page
    assert "Austria" in page and "Germany" in page
    assert f"/admin/revisions/{revision.id}/approve" in page
    # The company page says a change waits, and shows the live profile.
    record = admin_client.get(f"/admin/companies/{company.id}").get_data(as_text=True)
    assert 'id="waiting-change"' in record and f"#rereview-{revision.id}" in record
    ukrainian = admin_client.get("/admin/review?lang=uk").get_data(as_text=True)
    assert "Повторна перевірка" in ukrainian and "Австрія" in ukrainian


def test_approving_a_change_makes_it_live(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    company, revision = with_waiting_change(session, offers=NEW_OFFER)
    data = {
        "version": revision.version,
        "company_version": company.version,
        "company_id": company.id,
    }
    response = admin_client.post(f"/admin/revisions/{revision.id}/approve", data=data)
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Company, company.id)
    assert (stored.status, stored.offers) == ("approved", NEW_OFFER)
    assert session.get(ProfileRevision, revision.id).status == "approved"
    event = last_audit(session, "company.revision_approve")
    assert (event.actor, event.entity_id, event.after["offers"]) == (ACTOR, company.id, NEW_OFFER)
    assert f'id="rereview-{revision.id}"' not in admin_client.get("/admin/review").get_data(
        as_text=True
    )


def test_a_change_replaced_after_the_page_loaded_is_not_approved(
    admin_client: FlaskClient, session: Session
) -> None:
    company, revision = with_waiting_change(session, offers=NEW_OFFER)
    seen = revision.version
    edit_links.update_by_firm(
        session,
        company.id,
        revision.document | {"offers": "Unread text."},
        on_change=matching.service.embed_changes,
    )
    data = {"version": seen, "company_version": company.version, "company_id": company.id}
    response = admin_client.post(
        f"/admin/revisions/{revision.id}/approve", data=data, follow_redirects=True
    )
    assert "replaced by the firm or already reviewed" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, company.id).offers != "Unread text."
    assert session.get(ProfileRevision, revision.id).status == "waiting"


def test_rejecting_a_change_needs_a_reason_and_keeps_the_live_profile(
    admin_client: FlaskClient, session: Session
) -> None:
    company, revision = with_waiting_change(session, offers=NEW_OFFER)
    url = f"/admin/revisions/{revision.id}/reject"
    admin_client.post(url, data={"version": revision.version, "reason": ""})
    session.expire_all()
    assert session.get(ProfileRevision, revision.id).status == "waiting"
    admin_client.post(url, data={"version": revision.version, "reason": "Unproven capacity."})
    session.expire_all()
    rejected = session.get(ProfileRevision, revision.id)
    assert (rejected.status, rejected.review_note) == ("rejected", "Unproven capacity.")
    assert session.get(Company, company.id).offers != NEW_OFFER
    event = last_audit(session, "company.revision_reject")
    assert (event.actor, event.after["review_note"]) == (ACTOR, "Unproven capacity.")


def test_every_waiting_change_is_within_reach_of_the_queue_pager(
    admin_client: FlaskClient, session: Session
) -> None:
    """More changes wait than one page shows: the re-reviews page through `changes`."""
    firms = [make_company(session, name=f"Waiting Firm {n:02d} GmbH") for n in range(52)]
    for firm in firms:
        firm.status = "approved"
        session.add(
            ProfileRevision(
                company_id=firm.id,
                document=company_document(firm) | {"offers": f"New offer of {firm.name}."},
            )
        )
    session.commit()

    first = admin_client.get("/admin/review").get_data(as_text=True)
    assert "Waiting Firm 00 GmbH" in first and "Waiting Firm 51 GmbH" not in first
    assert "changes=2" in first
    second = admin_client.get("/admin/review?changes=2").get_data(as_text=True)
    assert "Waiting Firm 51 GmbH" in second and "Waiting Firm 00 GmbH" not in second
    beyond = admin_client.get("/admin/review?changes=9")
    assert beyond.status_code == 302 and "changes=2" in beyond.headers["Location"]

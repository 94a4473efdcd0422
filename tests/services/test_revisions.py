"""A firm's save of its approved profile: nothing changed writes nothing; a real change
waits for review while the approved version stays live and suggested."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.errors import VersionConflictError
from matchmaker.extensions import db, matching
from matchmaker.models import AuditEvent, Company, CompanyEmbedding, IndexState, ProfileRevision
from matchmaker.services import edit_links, profiles, revisions
from matchmaker.services.documents import company_document
from tests.factories import loaded_company
from tests.services.test_matching import DRONE_MAKER, PROPELLANT_MAKER, SHELL_MAKER

NEW_OFFER = "Modular propellant charges and nitrocellulose powders for 155 mm artillery."


def create(**fields: Any) -> Company:
    """Create through the profile service with the real embedding hook, as the API does."""
    return profiles.create_company(
        db.session, loaded_company(**fields), actor="test", on_change=matching.service.embed_changes
    )


def firm_save(session: Session, company: Company, **changes: Any) -> edit_links.FirmEdit:
    """What the edit form sends: the whole document as shown, with the firm's changes."""
    waiting = revisions.waiting_revision(session, company.id)
    shown = waiting.document if waiting else company_document(company)
    return edit_links.update_by_firm(
        session,
        company.id,
        shown | changes,
        expected_version=company.version,
        expected_revision=waiting.version if waiting else None,
        on_change=matching.service.embed_changes,
    )


def footprint(session: Session, company_id: int) -> tuple[Any, ...]:
    """Everything a save could touch: the row's version and status, its audit events,
    its stored vectors, the index generation, its revisions."""
    session.expire_all()
    company = session.get(Company, company_id)
    assert company is not None
    vectors = session.execute(
        select(CompanyEmbedding.kind, CompanyEmbedding.text_hash, CompanyEmbedding.created_at)
        .where(CompanyEmbedding.company_id == company_id)
        .order_by(CompanyEmbedding.kind)
    ).all()
    return (
        company.version,
        company.status,
        company.index_generation,
        session.scalar(select(func.count()).select_from(AuditEvent)),
        vectors,
        session.scalar(select(IndexState.generation)),
        session.scalar(select(func.count()).select_from(ProfileRevision)),
    )


def suggested_offers(session: Session, shells: Company) -> dict[int, str]:
    suggestions = matching.service.match_company(session, shells.id)
    return {s.company.id: s.company.offers for s in suggestions}


def test_a_save_without_changes_writes_nothing(app: Flask, session: Session) -> None:
    """The bug: an unchanged save sent an approved firm back to review (out of every
    suggestion list). Now status, version, audit, vectors and index stay as they were."""
    drones = create(**DRONE_MAKER)
    before = footprint(session, drones.id)
    edit = firm_save(session, drones)
    assert edit.outcome == "unchanged"
    assert footprint(session, drones.id) == before
    # Certificates listed in another order are the same profile.
    two = [
        {"scheme": "iso_9001", "identifier": "Q-1", "issuer": "TÜV", "valid_until": "2030-01-31"},
        {"scheme": "aqap_2110", "identifier": "A-7", "issuer": "BV", "valid_until": "2030-06-30"},
    ]
    profiles.update_company(
        session,
        drones.id,
        {"certifications": two},
        actor="t",
        on_change=matching.service.embed_changes,
    )
    before = footprint(session, drones.id)
    assert firm_save(session, drones, certifications=two[::-1]).outcome == "unchanged"
    assert footprint(session, drones.id) == before


def test_an_unchanged_admin_or_api_save_keeps_the_version(app: Flask, session: Session) -> None:
    """The API's PATCH and the admin editor share the service: no ETag bump, no audit."""
    drones = create(**DRONE_MAKER)
    before = footprint(session, drones.id)
    edit = profiles.edit_company(
        session,
        drones.id,
        {"offers": drones.offers, "status": "approved"},
        actor="admin:a",
        expected_version=drones.version,
        on_change=matching.service.embed_changes,
    )
    assert not edit.changed
    assert footprint(session, drones.id) == before


def test_a_change_waits_while_the_approved_version_stays_suggested(
    app: Flask, session: Session
) -> None:
    """The change is kept as a revision; matching still uses the approved text and vectors."""
    shells = create(**SHELL_MAKER)
    drones = create(**DRONE_MAKER)
    old_offer = drones.offers
    before = footprint(session, drones.id)
    edit = firm_save(session, drones, offers=NEW_OFFER)
    assert edit.outcome == "waiting"
    after = footprint(session, drones.id)
    # Company row, vectors and index untouched; one audit event and one revision more.
    assert after[:3] == before[:3] and after[4:6] == before[4:6]
    assert (after[3], after[6]) == (before[3] + 1, 1)
    assert suggested_offers(session, shells)[drones.id] == old_offer
    waiting = revisions.waiting_revision(session, drones.id)
    assert waiting is not None and waiting.document["offers"] == NEW_OFFER
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor) == ("company.revision_submit", f"firm:{drones.id}")
    assert (event.before["offers"], event.after["offers"]) == (old_offer, NEW_OFFER)


def test_a_second_change_replaces_the_waiting_one(app: Flask, session: Session) -> None:
    """One change waits per firm; editing it back to the approved profile withdraws it."""
    drones = create(**DRONE_MAKER)
    firm_save(session, drones, offers=NEW_OFFER)
    first = revisions.waiting_revision(session, drones.id)
    assert first is not None
    assert firm_save(session, drones, seeks="Motors.").outcome == "waiting"
    second = revisions.waiting_revision(session, drones.id)
    assert second is not None and second.id == first.id
    # The firm edits the waiting change, not the live profile: both edits are kept.
    assert (second.document["offers"], second.document["seeks"]) == (NEW_OFFER, "Motors.")
    assert firm_save(session, drones).outcome == "unchanged"
    live = company_document(drones)
    edit = firm_save(session, drones, offers=live["offers"], seeks=live["seeks"])
    assert edit.outcome == "withdrawn"
    assert revisions.waiting_revision(session, drones.id) is None
    assert session.get(ProfileRevision, first.id).status == "withdrawn"


def test_a_form_opened_before_another_change_is_refused(app: Flask, session: Session) -> None:
    """Two tabs: the second save would silently drop the first tab's waiting change."""
    drones = create(**DRONE_MAKER)
    stale_form = {"expected_version": drones.version, "expected_revision": None}
    firm_save(session, drones, offers=NEW_OFFER)
    with pytest.raises(VersionConflictError):
        edit_links.update_by_firm(
            session,
            drones.id,
            company_document(drones) | {"seeks": "Motors."},
            on_change=matching.service.embed_changes,
            **stale_form,
        )
    waiting = revisions.waiting_revision(session, drones.id)
    assert waiting is not None and waiting.document["seeks"] == DRONE_MAKER["seeks"]


def test_approving_makes_the_change_live(app: Flask, session: Session) -> None:
    """Approved: the company holds the change, re-embedded and suggested with it, audited."""
    shells = create(**SHELL_MAKER)
    drones = create(**DRONE_MAKER)
    before = footprint(session, drones.id)
    semantic_before = matching.service.match_company(session, shells.id)[0].components["semantic"]
    firm_save(session, drones, offers=NEW_OFFER, seeks=PROPELLANT_MAKER["seeks"])
    waiting = revisions.waiting_revision(session, drones.id)
    assert waiting is not None
    company = revisions.approve_revision(
        session,
        waiting.id,
        actor="admin:a",
        expected_version=waiting.version,
        expected_company_version=drones.version,
        on_change=matching.service.embed_changes,
    )
    assert (company.status, company.offers) == ("approved", NEW_OFFER)
    after = footprint(session, drones.id)
    assert after[0] == before[0] + 1 and after[4] != before[4] and after[5] > before[5]
    assert suggested_offers(session, shells)[drones.id] == NEW_OFFER
    semantic_after = matching.service.match_company(session, shells.id)[0].components["semantic"]
    assert semantic_after > semantic_before
    assert session.get(ProfileRevision, waiting.id).status == "approved"
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.actor) == ("company.revision_approve", "admin:a")
    assert event.after["offers"] == NEW_OFFER


def test_rejecting_keeps_the_live_profile(app: Flask, session: Session) -> None:
    drones = create(**DRONE_MAKER)
    firm_save(session, drones, offers=NEW_OFFER)
    waiting = revisions.waiting_revision(session, drones.id)
    assert waiting is not None
    before = footprint(session, drones.id)
    revisions.reject_revision(
        session, waiting.id, actor="admin:a", note="Not true", expected_version=waiting.version
    )
    after = footprint(session, drones.id)
    assert after[:3] == before[:3] and after[3] == before[3] + 1
    rejected = session.get(ProfileRevision, waiting.id)
    assert (rejected.status, rejected.review_note, rejected.reviewer) == (
        "rejected",
        "Not true",
        "admin:a",
    )
    assert revisions.last_decided_revision(session, drones.id).id == waiting.id
    assert session.get(Company, drones.id).offers == DRONE_MAKER["offers"]
    with pytest.raises(revisions.RevisionDecided):
        revisions.approve_revision(
            session, waiting.id, actor="admin:a", on_change=matching.service.embed_changes
        )


def test_an_admin_cannot_approve_a_change_replaced_after_loading(
    app: Flask, session: Session
) -> None:
    """The queue holds the revision's version: a change the admin did not see is refused."""
    drones = create(**DRONE_MAKER)
    firm_save(session, drones, offers=NEW_OFFER)
    waiting = revisions.waiting_revision(session, drones.id)
    assert waiting is not None
    seen = waiting.version
    firm_save(session, drones, offers="Something the admin has not read.")
    with pytest.raises(VersionConflictError):
        revisions.approve_revision(
            session,
            waiting.id,
            actor="admin:a",
            expected_version=seen,
            on_change=matching.service.embed_changes,
        )
    session.expire_all()
    assert session.get(Company, drones.id).offers == DRONE_MAKER["offers"]
    assert session.get(ProfileRevision, waiting.id).status == "waiting"


def test_the_queue_lists_re_reviews_with_their_changes(app: Flask, session: Session) -> None:
    drones = create(**DRONE_MAKER)
    firm_save(session, drones, offers=NEW_OFFER, pathways=["investment", "jv_eu"])
    items, total = revisions.rereviews(session, limit=50)
    assert total == 1 and [i.company.id for i in items] == [drones.id]
    assert items[0].changes == [
        ("offers", DRONE_MAKER["offers"], NEW_OFFER),
        ("pathways", ["investment"], ["investment", "jv_eu"]),
    ]


def test_a_pending_profile_is_still_edited_in_place(app: Flask, session: Session) -> None:
    drones = create(**{**DRONE_MAKER, "status": "pending"})
    edit = firm_save(session, drones, offers=NEW_OFFER)
    assert (edit.outcome, edit.company.offers, edit.company.status) == (
        "saved",
        NEW_OFFER,
        "pending",
    )
    assert revisions.waiting_revision(session, drones.id) is None

"""The firm's private edit link: who it opens, for how long, and what an edit does."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from matchmaker.services.edit_links import ClosedProfile, ExpiredEditLink, InvalidEditLink
from matchmaker.services.profiles import archive_company
from tests.factories import loaded_company, no_embedding

SECRET = "test-secret-key"
MONTH = timedelta(days=30)
IDLE = timedelta(minutes=60)


def submit(session: Session, **overrides: object):
    return edit_links.submit_profile(session, loaded_company(**overrides), on_change=no_embedding)


def test_a_submission_waits_for_review_whatever_it_claims(session: Session) -> None:
    """A firm cannot approve itself or write the admins' review note."""
    company = submit(session, status="approved", review_note="looks fine")
    assert company.status == "pending"
    assert company.review_note is None


def test_a_token_opens_its_own_company(session: Session) -> None:
    """A fresh token leads back to the company it was issued for, and no other."""
    first, second = submit(session), submit(session)
    token = edit_links.edit_token(first, SECRET)
    assert edit_links.company_for_token(session, token, SECRET, MONTH).id == first.id
    assert edit_links.company_for_token(session, token, SECRET, MONTH).id != second.id


def test_a_token_survives_edits(session: Session) -> None:
    """The token does not carry the version: editing the profile keeps the link working."""
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    edit_links.update_by_firm(
        session, company.id, company_document(company) | {"seeks": "More"}, on_change=no_embedding
    )
    assert edit_links.company_for_token(session, token, SECRET, MONTH).id == company.id


def test_an_altered_or_foreign_token_is_refused(session: Session) -> None:
    """A token edited by hand, or signed with another key, opens nothing."""
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    for bad in (token[:-2] + "xx", edit_links.edit_token(company, "another-key"), "garbage"):
        with pytest.raises(InvalidEditLink):
            edit_links.company_for_token(session, bad, SECRET, MONTH)


def test_a_token_for_a_record_that_no_longer_exists_is_refused(session: Session) -> None:
    """A token naming an id whose record was re-created (new creation time) is refused."""
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    company.created_at = company.created_at - timedelta(seconds=1)
    session.commit()
    with pytest.raises(InvalidEditLink):
        edit_links.company_for_token(session, token, SECRET, MONTH)


def test_an_old_token_has_expired(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """A token older than the configured age is refused as expired, not as invalid."""
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    later = time.time() + MONTH.total_seconds() + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    with pytest.raises(ExpiredEditLink):
        edit_links.company_for_token(session, token, SECRET, MONTH)


def test_editing_a_rejected_profile_sends_it_back_to_review(session: Session) -> None:
    """A rejected firm's edit resubmits it (pending), audited as the firm itself."""
    company = submit(session)
    company.status = "rejected"
    session.commit()
    edit = edit_links.update_by_firm(
        session,
        company.id,
        company_document(company) | {"offers": "New offer text."},
        on_change=no_embedding,
    )
    assert (edit.outcome, edit.company.status) == ("saved", "pending")
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.actor == f"firm:{company.id}"
    assert event.before["status"] == "rejected"
    assert event.after["status"] == "pending"
    assert event.after["offers"] == "New offer text."


def test_a_firm_cannot_change_its_own_status(session: Session) -> None:
    """Status and review note in a firm's edit are ignored."""
    company = submit(session)
    changed = edit_links.update_by_firm(
        session,
        company.id,
        company_document(company) | {"status": "approved"},
        on_change=no_embedding,
    )
    assert changed.company.status == "pending"


def test_an_archived_profile_is_closed_to_its_firm(session: Session) -> None:
    """After archiving (or a merge) the link and the edit are refused."""
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    archive_company(session, company.id, actor="test")
    with pytest.raises(ClosedProfile):
        edit_links.company_for_token(session, token, SECRET, MONTH)
    with pytest.raises(ClosedProfile):
        edit_links.update_by_firm(
            session, company.id, company_document(company), on_change=no_embedding
        )


def test_a_new_link_revokes_the_old_one(session: Session) -> None:
    """One live link per firm: issuing a new one (e.g. after a leak) ends the old one."""
    company = submit(session)
    version = company.version
    old = edit_links.edit_token(company, SECRET)
    new = edit_links.issue_edit_link(session, company.id, SECRET, actor="admin:test")
    with pytest.raises(edit_links.SupersededEditLink):
        edit_links.company_for_token(session, old, SECRET, MONTH)
    assert edit_links.company_for_token(session, new, SECRET, MONTH).id == company.id
    # Issuing a link is not an edit of the profile: a firm's open form stays current.
    session.expire_all()
    assert session.get(type(company), company.id).version == version


def test_a_grant_replaces_the_token_after_first_use(session: Session) -> None:
    """The token opens a grant (kept in the firm's session, not in URLs) that re-checks
    the record and the link version on every use."""
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    opened, grant = edit_links.open_edit_grant(session, token, SECRET, MONTH, now=1000.0)
    assert opened.id == company.id
    assert token not in str(grant)
    same, refreshed = edit_links.company_for_grant(session, grant, IDLE, now=1000.0 + 60)
    assert same.id == company.id
    assert refreshed["seen"] == 1000.0 + 60


def test_a_grant_ends_when_idle_or_when_the_link_expires(session: Session) -> None:
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    now = time.time()
    _, grant = edit_links.open_edit_grant(session, token, SECRET, MONTH, now=now)
    with pytest.raises(edit_links.EditSessionEnded):
        edit_links.company_for_grant(session, grant, IDLE, now=now + IDLE.total_seconds() + 1)
    fresh = grant | {"seen": now + MONTH.total_seconds() + 10}
    with pytest.raises(edit_links.EditSessionEnded):
        edit_links.company_for_grant(session, fresh, IDLE, now=now + MONTH.total_seconds() + 11)
    with pytest.raises(edit_links.EditSessionEnded):
        edit_links.company_for_grant(session, {"c": "x"}, IDLE, now=now)


def test_a_new_link_also_ends_grants_opened_with_the_old_one(session: Session) -> None:
    company = submit(session)
    token = edit_links.edit_token(company, SECRET)
    _, grant = edit_links.open_edit_grant(session, token, SECRET, MONTH, now=1000.0)
    edit_links.issue_edit_link(session, company.id, SECRET, actor="admin:test")
    with pytest.raises(edit_links.SupersededEditLink):
        edit_links.company_for_grant(session, grant, IDLE, now=1001.0)

"""A firm's change of its approved profile waits for review; the approved record stays live.

Partners only ever see what an admin reviewed, but a firm that corrects a phone number
must not drop out of every suggestion list meanwhile. So the change is kept as a
*revision* (the whole edited document) while `company` keeps the approved profile,
its vectors and its place in the index. Approving applies the revision to the company
(re-embedded, index generation bumped, audited); rejecting leaves the company as it
is and keeps the revision as rejected. One change waits per firm: a second one
replaces it, and a firm that edits its change back to the approved profile withdraws
it. A pending or rejected profile has nothing live to protect and is edited in place
(services.edit_links).

Both sides lock optimistically: the firm's form holds the company's version and the
waiting revision's; the admin's queue holds the revision's version, so an admin never
approves a change the firm replaced after the page was loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from matchmaker.errors import MatchmakerError, NotFoundError, VersionConflictError
from matchmaker.models import Company, ProfileRevision
from matchmaker.services.audit import record_audit
from matchmaker.services.documents import (
    company_document,
    load_company,
    merge_changes,
    same_profile,
    stored_form,
)
from matchmaker.services.merge import document_changes
from matchmaker.services.profiles import (
    ChangeHook,
    edit_company,
    ensure_unique_legal_id,
    locked_for_edit,
    write_transaction,
)

WAITING = "waiting"
LIVE_STATUS = "approved"
# Fields the firm never sets; the approved record's values carry over to its change.
_KEPT_FROM_LIVE = ("status", "review_note")


class RevisionDecided(MatchmakerError):
    """The change was already approved, rejected or withdrawn, or its firm is no longer live."""

    status = 409


CHANGED_MEANWHILE = (
    "Your waiting change was changed or reviewed in the meantime. Reload the page to see "
    "the current version, then apply your changes again."
)
ALREADY_DECIDED = "This change was already reviewed or replaced; reload the queue."


@dataclass(frozen=True)
class ReReview:
    """A waiting change in the review queue: the live firm, the change and what it changes."""

    revision: ProfileRevision
    company: Company
    changes: list[tuple[str, Any, Any]]


def waiting_revision(session: Session, company_id: int) -> ProfileRevision | None:
    return session.scalar(
        select(ProfileRevision).where(
            ProfileRevision.company_id == company_id, ProfileRevision.status == WAITING
        )
    )


def last_decided_revision(session: Session, company_id: int) -> ProfileRevision | None:
    """The firm's latest reviewed change (to tell it a rejection and the reason)."""
    return session.scalar(
        select(ProfileRevision)
        .where(
            ProfileRevision.company_id == company_id,
            ProfileRevision.status.in_(("approved", "rejected")),
        )
        .order_by(ProfileRevision.decided_at.desc(), ProfileRevision.id.desc())
        .limit(1)
    )


def propose_change(
    session: Session,
    company: Company,
    changes: dict[str, Any],
    *,
    actor: str,
    expected_version: int | None = None,
    expected_revision: int | None = None,
) -> str:
    """Keep a firm's change of its approved profile for review; the outcome is one of
    "unchanged", "waiting" (stored or replaced) or "withdrawn" (edited back to the live
    profile). With `expected_version` the caller locks: the company must still be at that
    version and the waiting revision at `expected_revision` (None: there was none)."""
    with _revision_transaction(session):
        locked_for_edit(session, company.id, expected_version)
        live = company_document(company)
        waiting = waiting_revision(session, company.id)
        if expected_version is not None and expected_revision != (waiting and waiting.version):
            raise VersionConflictError(CHANGED_MEANWHILE)
        base = waiting.document if waiting else live
        free = {k: v for k, v in changes.items() if k not in _KEPT_FROM_LIVE}
        data = load_company(merge_changes(base, free) | {k: live[k] for k in _KEPT_FROM_LIVE})
        proposed = stored_form(data)
        if same_profile(proposed, base):
            return "unchanged"
        ensure_unique_legal_id(session, data, exclude_id=company.id)
        now = datetime.now(UTC)
        if waiting is not None and same_profile(proposed, live):
            waiting.status, waiting.decided_at, waiting.reviewer = "withdrawn", now, actor
            _audit(session, actor, "company.revision_withdraw", waiting, base, live)
            return "withdrawn"
        if waiting is None:
            waiting = ProfileRevision(company_id=company.id, document=proposed, submitted_at=now)
            session.add(waiting)
        else:
            waiting.document, waiting.submitted_at = proposed, now
        session.flush()
        _audit(session, actor, "company.revision_submit", waiting, base, proposed)
    return "waiting"


def approve_revision(
    session: Session,
    revision_id: int,
    *,
    actor: str,
    expected_version: int | None = None,
    expected_company_version: int | None = None,
    on_change: ChangeHook,
) -> Company:
    """Make the waiting change the live profile (re-embedded, in the index at once).

    `expected_company_version` is the live record the admin compared the change with: an
    edit of it since then is a conflict, not silently replaced."""
    revision = _waiting(session, revision_id, expected_version)
    changes = {k: v for k, v in revision.document.items() if k not in _KEPT_FROM_LIVE}
    revision.status, revision.decided_at, revision.reviewer = "approved", _now(), actor
    # One transaction: the company, its vectors, the revision's decision and one audit event.
    edit = edit_company(
        session,
        revision.company_id,
        changes,
        actor=actor,
        expected_version=expected_company_version,
        on_change=on_change,
        action="company.revision_approve",
    )
    return edit.company


def reject_revision(
    session: Session,
    revision_id: int,
    *,
    actor: str,
    note: str,
    expected_version: int | None = None,
) -> ProfileRevision:
    """Keep the live profile as it is; the change stays on record as rejected, with why."""
    with _revision_transaction(session):
        revision = _waiting(session, revision_id, expected_version)
        revision.status, revision.decided_at, revision.reviewer = "rejected", _now(), actor
        revision.review_note = note
        record_audit(
            session,
            actor,
            "company.revision_reject",
            "company",
            revision.company_id,
            None,
            {"revision": revision.id, "review_note": note},
        )
    return revision


def withdraw_waiting(session: Session, company_id: int, *, actor: str) -> None:
    """Close a waiting change that an edit in place makes moot (the caller commits)."""
    waiting = waiting_revision(session, company_id)
    if waiting is not None:
        waiting.status, waiting.decided_at, waiting.reviewer = "withdrawn", _now(), actor
        _audit(session, actor, "company.revision_withdraw", waiting, waiting.document, None)


def rereviews(session: Session, limit: int, offset: int = 0) -> tuple[list[ReReview], int]:
    """Waiting changes of live firms, oldest first (`limit` of them after `offset`), each
    with its field changes (against the live profile as it is now: what approving would
    change), and how many wait."""
    waiting = (ProfileRevision.status == WAITING, Company.status == LIVE_STATUS)
    total = session.scalar(
        select(func.count()).select_from(ProfileRevision).join(Company).where(*waiting)
    )
    revisions = session.scalars(
        select(ProfileRevision)
        .join(Company)
        .where(*waiting)
        .options(
            selectinload(ProfileRevision.company).selectinload(Company.capabilities),
            selectinload(ProfileRevision.company).selectinload(Company.certifications),
            selectinload(ProfileRevision.company).selectinload(Company.pathways),
        )
        .order_by(ProfileRevision.submitted_at, ProfileRevision.id)
        .offset(offset)
        .limit(limit)
    )
    items = [
        ReReview(r, r.company, revision_changes(company_document(r.company), r.document))
        for r in revisions
    ]
    return items, total or 0


def revision_changes(live: dict[str, Any], proposed: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, live value, proposed value) for each field the change alters."""
    ignored = set(_KEPT_FROM_LIVE)
    return [c for c in document_changes(live, proposed) if c[0] not in ignored]


def _waiting(session: Session, revision_id: int, expected_version: int | None) -> ProfileRevision:
    revision = session.get(ProfileRevision, revision_id)
    if revision is None:
        raise NotFoundError(f"No waiting change with id {revision_id}.")
    if revision.status != WAITING or revision.company.status != LIVE_STATUS:
        raise RevisionDecided(ALREADY_DECIDED)
    if expected_version is not None and revision.version != expected_version:
        raise VersionConflictError(ALREADY_DECIDED)
    return revision


def _audit(
    session: Session,
    actor: str,
    action: str,
    revision: ProfileRevision,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record_audit(session, actor, action, "company", revision.company_id, before, after)


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _revision_transaction(session: Session) -> Iterator[None]:
    """`write_transaction`; two first changes of one firm racing meet the one-waiting index."""
    try:
        with write_transaction(session):
            yield
    except IntegrityError as error:
        if "profile_revision" in str(error.orig):
            raise VersionConflictError(CHANGED_MEANWHILE) from error
        raise

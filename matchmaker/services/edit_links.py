"""The firm's own door: submit a profile, then update it later through a private link.

A link carries a signed, timestamped token (itsdangerous, with its own salt) that
holds the company id and a fingerprint of the record (its id and creation time),
never its version: the link keeps working after edits, cannot be pointed at another
firm, and a token minted for a record that no longer exists (a restored or rebuilt
database that reused the id) does not open the new record. Links expire after
`max_age` (EDIT_LINK_MAX_AGE_DAYS); an admin can hand a firm a fresh one.

One live link per firm: the token also carries the company's `edit_link_version`,
and issuing a new link bumps it, so a leaked link dies when a new one is sent.
Tokens do not stay in URLs (and so in access logs, histories, proxies): the first
use of a link trades it for a *grant* the web layer keeps in the firm's session
cookie, which names the record and the link version (never the token), ends after
`idle` without use and never outlives the link itself; every use re-checks it.

Choice: partners only ever see what an admin reviewed. An edit of an *approved* profile
waits for review as a revision while the approved version stays live and suggested
(services.revisions); an edit of a rejected one sends it back to `pending` (that is how
a firm resubmits). A save that changes nothing writes nothing. Every firm edit is
audited with the actor `firm:<company id>`; status and review note are never taken from
the firm.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from matchmaker.domain.messages import N_
from matchmaker.errors import MatchmakerError
from matchmaker.models import Company
from matchmaker.schemas import CompanyDocument
from matchmaker.services import revisions
from matchmaker.services.audit import record_audit
from matchmaker.services.profiles import ChangeHook, create_company, edit_company, get_company

SALT = "matchmaker.firm-edit-link.v1"
SUBMIT_ACTOR = "firm:web-form"
# Statuses a firm's edit in place sends back to review, and the one it lands in.
BACK_TO_REVIEW = frozenset({"rejected"})
REVIEW_STATUS = "pending"
CLOSED = N_(
    "This profile is closed (archived or merged into another record) and cannot be edited. "
    "Please contact the Matchmaker team."
)
ERASED = N_("This record was erased at the firm's request; its edit link no longer works.")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Fields only admins set; a firm's payload never carries them through.
_ADMIN_ONLY = ("status", "review_note")


class InvalidEditLink(MatchmakerError):
    """The link was altered, belongs to no current record, or was never issued."""

    status = 404
    offer_recovery = True  # the error page links to /profile/recover


class ExpiredEditLink(MatchmakerError):
    status = 410
    offer_recovery = True  # the error page links to /profile/recover


class SupersededEditLink(MatchmakerError):
    """A newer link was issued for this firm; only the newest one works."""

    status = 410
    offer_recovery = True  # the error page links to /profile/recover


class EditSessionEnded(MatchmakerError):
    """No grant, or one that went idle or outlived its link: open the link again."""

    status = 403
    offer_recovery = True  # the error page links to /profile/recover


SUPERSEDED = N_(
    "This edit link was replaced by a newer one. Please use the newest link you received."
)
SESSION_ENDED = N_(
    "Your editing session has ended. Please open your private edit link again "
    "(it is in the message you received)."
)

EXPIRED = N_(
    "This edit link has expired. Your profile is kept as it was; ask the Matchmaker team "
    "for a new link."
)
NOT_VALID = N_(
    "This edit link is not valid: it may have been cut short. Open the whole link from the "
    "message you received, or ask the Matchmaker team for a new one."
)


class ClosedProfile(MatchmakerError):
    """The profile was archived (or merged into another): the firm may not edit it."""

    status = 409


def firm_actor(company_id: int) -> str:
    return f"firm:{company_id}"


def edit_token(company: Company, secret_key: str) -> str:
    """A private token that lets the holder edit `company` until it expires."""
    claims = {"c": company.id, "f": _fingerprint(company), "v": company.edit_link_version}
    return _serializer(secret_key).dumps(claims)


def company_for_token(session: Session, token: str, secret_key: str, max_age: timedelta) -> Company:
    """The company a valid, unexpired, newest token opens; an edit-link error otherwise."""
    return _open_token(session, token, secret_key, max_age)[0]


def open_edit_grant(
    session: Session, token: str, secret_key: str, max_age: timedelta, *, now: float
) -> tuple[Company, dict[str, Any]]:
    """Check a token and trade it for a grant to keep in the firm's session instead."""
    company, issued_at = _open_token(session, token, secret_key, max_age)
    grant = {
        "c": company.id,
        "f": _fingerprint(company),
        "v": company.edit_link_version,
        "expires": issued_at + max_age.total_seconds(),
        "seen": now,
    }
    return company, grant


def company_for_grant(
    session: Session, grant: Any, idle: timedelta, *, now: float
) -> tuple[Company, dict[str, Any]]:
    """The company a live grant opens, and the grant with its idle clock restarted."""
    if not isinstance(grant, dict) or not all(
        isinstance(grant.get(k), int | float) for k in ("c", "v", "expires", "seen")
    ):
        raise EditSessionEnded(SESSION_ENDED)
    if now - grant["seen"] > idle.total_seconds() or now > grant["expires"]:
        raise EditSessionEnded(SESSION_ENDED)
    company = _check_claims(session, grant)
    return company, grant | {"seen": now}


def issue_edit_link(session: Session, company_id: int, secret_key: str, *, actor: str) -> str:
    """A fresh token for an admin to send to a firm, revoking every earlier one (audited)."""
    company = get_company(session, company_id)
    # A Core UPDATE: a new link is not an edit of the profile, so the row's optimistic-lock
    # version (which a firm's open form holds) and updated_at stay as they are.
    session.execute(
        update(Company)
        .where(Company.id == company.id)
        .values(edit_link_version=Company.edit_link_version + 1, updated_at=Company.updated_at)
        .execution_options(synchronize_session=False)
    )
    record_audit(
        session, actor, "company.edit_link", "company", company.id, None, {"edit_link": "issued"}
    )
    session.commit()
    session.refresh(company)
    return edit_token(company, secret_key)


def submit_profile(
    session: Session, document: CompanyDocument, *, on_change: ChangeHook
) -> Company:
    """Register a firm's own (loaded) submission; it waits for review whatever it claims."""
    submission = CompanyDocument(document, status=REVIEW_STATUS, review_note=None)
    return create_company(session, submission, actor=SUBMIT_ACTOR, on_change=on_change)


@dataclass(frozen=True)
class FirmEdit:
    """What a firm's save did: "unchanged", "saved" (in place), "waiting" (a change of an
    approved profile, kept for review) or "withdrawn" (edited back to the approved one)."""

    company: Company
    outcome: str


def update_by_firm(
    session: Session,
    company_id: int,
    payload: dict[str, Any],
    *,
    expected_version: int | None = None,
    expected_revision: int | None = None,
    on_change: ChangeHook,
) -> FirmEdit:
    """Apply a firm's edit of its own profile: an approved one stays live while the change
    waits for review; a rejected one goes back to review; a save that changes nothing
    writes nothing."""
    company = get_company(session, company_id)
    if company.status == "archived":
        raise ClosedProfile(CLOSED)
    actor = firm_actor(company_id)
    changes = {k: v for k, v in payload.items() if k not in _ADMIN_ONLY}
    if company.status == revisions.LIVE_STATUS:
        outcome = revisions.propose_change(
            session,
            company,
            changes,
            actor=actor,
            expected_version=expected_version,
            expected_revision=expected_revision,
        )
        return FirmEdit(company, outcome)
    if company.status in BACK_TO_REVIEW:
        changes["status"] = REVIEW_STATUS
    # A change left waiting when an admin took the firm out of the live list is moot now.
    revisions.withdraw_waiting(session, company_id, actor=actor)
    edit = edit_company(
        session,
        company_id,
        changes,
        actor=actor,
        expected_version=expected_version,
        on_change=on_change,
    )
    return FirmEdit(edit.company, "saved" if edit.changed else "unchanged")


def _open_token(
    session: Session, token: str, secret_key: str, max_age: timedelta
) -> tuple[Company, float]:
    try:
        data, issued = _serializer(secret_key).loads(
            token, max_age=int(max_age.total_seconds()), return_timestamp=True
        )
    except SignatureExpired as error:
        raise ExpiredEditLink(EXPIRED) from error
    except BadSignature as error:
        raise InvalidEditLink(NOT_VALID) from error
    if not isinstance(data, dict):
        raise InvalidEditLink(NOT_VALID)
    # Links issued before link versions existed carry none: they count as the first.
    return _check_claims(session, {"v": 1} | data), issued.timestamp()


def _check_claims(session: Session, claims: dict[str, Any]) -> Company:
    """The record a token's or grant's claims name, if they still hold for it."""
    company = session.get(Company, claims["c"]) if isinstance(claims.get("c"), int) else None
    if company is None or claims.get("f") != _fingerprint(company):
        raise InvalidEditLink(NOT_VALID)
    if company.erased_at is not None:
        raise ClosedProfile(ERASED)
    if claims.get("v") != company.edit_link_version:
        raise SupersededEditLink(SUPERSEDED)
    if company.status == "archived":
        raise ClosedProfile(CLOSED)
    return company


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def _fingerprint(company: Company) -> str:
    """Stable across edits, different for a new record that happens to reuse the id."""
    created = company.created_at
    if created.tzinfo is None:  # SQLite returns naive UTC datetimes
        created = created.replace(tzinfo=UTC)
    micros = (created - _EPOCH) // timedelta(microseconds=1)
    return hashlib.sha256(f"{company.id}:{micros}".encode()).hexdigest()[:16]

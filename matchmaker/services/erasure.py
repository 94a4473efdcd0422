"""Erasing a firm's record at its request: the firm asks through its edit link, an admin
confirms, and the record keeps only what identifies the legal entity.

What stays: the company's name, legal id, country, side and size, its capability codes,
certificates and pathways. These describe a legal person, not a natural one, and they
keep the history meaningful (which firms an office introduced, with what outcome) and let
the registry recognise the firm if it registers again. What goes: the contact person
(name, e-mail, phone) and the consent to share it, the website, and the free texts
(description, offers, seeks, review note), which a firm may have written personal data
into. The firm is archived, so it is never suggested again, and its edit link stops
working. History stays without the personal data: the audit trail of the record is
rewritten with the same fields scrubbed, and where an introduction note or its audit
quotes the erased contact's name, e-mail or phone, that text is replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matchmaker.errors import ConflictError
from matchmaker.models import AuditEvent, Company, Introduction, ProfileRevision
from matchmaker.services.audit import record_audit
from matchmaker.services.index_state import bump_generation
from matchmaker.services.profiles import (
    ChangeHook,
    after_change,
    get_company,
    write_transaction,
)

# What replaces an erased free text (offers and seeks may not be empty in a profile).
ERASED_TEXT = "[erased at the firm's request]"
ERASED_FIELDS = ("contact", "website", "description", "offers", "seeks", "review_note")
REQUEST_ACTION = "company.erasure_request"
ERASE_ACTION = "company.erase"


def request_erasure(session: Session, company_id: int, *, actor: str) -> Company:
    """Record that the firm asked for erasure (once: asking again changes nothing)."""
    with write_transaction(session):
        company = get_company(session, company_id)
        if company.erasure_requested_at is None:
            company.erasure_requested_at = datetime.now(UTC)
            record_audit(
                session,
                actor,
                REQUEST_ACTION,
                "company",
                company.id,
                None,
                {"erasure_requested_at": company.erasure_requested_at.isoformat()},
            )
    return company


def erasure_requests(session: Session) -> list[Company]:
    """Firms that asked for erasure and wait for an admin, oldest request first."""
    query = (
        select(Company)
        .where(Company.erasure_requested_at.is_not(None), Company.erased_at.is_(None))
        .order_by(Company.erasure_requested_at, Company.id)
    )
    return list(session.scalars(query))


def erase_company(
    session: Session, company_id: int, *, actor: str, on_change: ChangeHook
) -> Company:
    """Anonymise the record, archive it and scrub its history, in one transaction."""
    with write_transaction(session):
        company = get_company(session, company_id)
        if company.erased_at is not None:
            raise ConflictError(f"Company {company_id} is already erased.")
        revisions = list(
            session.scalars(select(ProfileRevision).where(ProfileRevision.company_id == company.id))
        )
        # A change waiting for review may carry a newer contact than the live record.
        quoted = [v for v in company.contact.values() if v] + [
            v for r in revisions for v in (r.document.get("contact") or {}).values() if v
        ]
        now = datetime.now(UTC)
        company.index_generation = bump_generation(session)
        company.contact_name = company.contact_email = company.contact_phone = None
        company.contact_consent, company.contact_consent_at = False, None
        company.website = None
        company.description = ""
        company.offers = company.seeks = ERASED_TEXT
        company.review_note = ERASED_TEXT
        company.status = "archived"
        company.erased_at = now
        # Every link issued so far names the previous version: none opens the record again.
        company.edit_link_version += 1
        _scrub_history(session, company.id, quoted)
        for revision in revisions:  # profile changes keep their fields, not their texts
            revision.document = _scrubbed_document(revision.document) or {}
            if revision.status == "waiting":
                revision.status = "withdrawn"
        requested = company.erasure_requested_at
        record_audit(
            session,
            actor,
            ERASE_ACTION,
            "company",
            company.id,
            None,
            {
                "erased_fields": list(ERASED_FIELDS),
                "erasure_requested_at": requested.isoformat() if requested else None,
                "status": "archived",
            },
        )
        after_change(session, [company], on_change)
    return company


def _scrub_history(session: Session, company_id: int, quoted: list[str]) -> None:
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity_type == "company", AuditEvent.entity_id == company_id
        )
    )
    for event in events:
        event.before = _scrubbed_document(event.before)
        event.after = _scrubbed_document(event.after)
    if not quoted:
        return
    introductions = list(
        session.scalars(
            select(Introduction).where(
                or_(
                    Introduction.company_a_id == company_id,
                    Introduction.company_b_id == company_id,
                )
            )
        )
    )
    for introduction in introductions:
        if introduction.note:
            introduction.note = _without(introduction.note, quoted)
    ids = [i.id for i in introductions]
    if ids:
        for event in session.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_type == "introduction", AuditEvent.entity_id.in_(ids)
            )
        ):
            event.before = _scrubbed_note(event.before, quoted)
            event.after = _scrubbed_note(event.after, quoted)


def _scrubbed_document(payload: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored company document (or part of one) without the erased fields' values."""
    if not payload:
        return payload
    scrubbed = dict(payload)
    if isinstance(scrubbed.get("contact"), dict):
        scrubbed["contact"] = dict.fromkeys(scrubbed["contact"])
    if "contact_consent" in scrubbed:
        scrubbed["contact_consent"] = False
    if "website" in scrubbed:
        scrubbed["website"] = None
    for name in ("description", "offers", "seeks", "review_note"):
        if scrubbed.get(name):
            scrubbed[name] = ERASED_TEXT
    return scrubbed


def _scrubbed_note(payload: dict[str, Any] | None, quoted: Iterable[str]) -> dict[str, Any] | None:
    if not payload or not isinstance(payload.get("note"), str):
        return payload
    return payload | {"note": _without(payload["note"], quoted)}


def _without(text: str, quoted: Iterable[str]) -> str:
    for value in sorted(quoted, key=len, reverse=True):
        text = text.replace(value, "[erased]")
    return text

"""What mail the app owes, kept in the database so a failed send is retried, not lost.

The rows say what to send, never the link or the address (see `OutgoingMail`): the
sender (matchmaker/notifications.py) rebuilds each message when it sends it. Each
function commits its own small transaction, after the firm's change is committed, so
no mail bookkeeping can undo a submit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company, OutgoingMail

# A message still unsent after this many attempts is given up on (and stays visible).
MAX_ATTEMPTS = 5
# What admins hear about: firms creating or changing their own profile (a change of an
# approved profile is a revision waiting for review).
SUBMISSION_ACTIONS = ("company.create", "company.update", "company.revision_submit")
FIRM_ACTORS = "firm:%"
_ERROR_LENGTH = 500


@dataclass(frozen=True)
class DigestItem:
    company_id: int
    name: str
    country: str
    status: str
    new: bool  # the firm registered (else: changed its profile) since the last digest


def owe_edit_link(session: Session, company: Company, language: str) -> OutgoingMail:
    """Record that `company`'s current edit link must reach the e-mail on file."""
    mail = OutgoingMail(
        kind="edit_link",
        company_id=company.id,
        language=language,
        link_version=company.edit_link_version,
    )
    session.add(mail)
    session.commit()
    return mail


def owed_edit_links(session: Session) -> list[OutgoingMail]:
    """Edit-link mails not yet sent that still have attempts left, oldest first."""
    return list(
        session.scalars(
            select(OutgoingMail)
            .where(
                OutgoingMail.kind == "edit_link",
                OutgoingMail.status.in_(("pending", "failed")),
                OutgoingMail.attempts < MAX_ATTEMPTS,
            )
            .order_by(OutgoingMail.id)
        )
    )


def mark_sent(session: Session, mail: OutgoingMail) -> None:
    mail.status, mail.sent_at, mail.last_error = "sent", datetime.now(UTC), None
    mail.attempts += 1
    session.commit()


def mark_failed(session: Session, mail: OutgoingMail, error: str) -> None:
    """Keep the mail for a retry; a failed digest gives its events back to the next one."""
    mail.status, mail.last_error = "failed", error[:_ERROR_LENGTH]
    mail.attempts += 1
    if mail.kind == "digest":
        mail.watermark = None
    session.commit()


def drop(session: Session, mail: OutgoingMail, reason: str) -> None:
    """Nothing to send any more (a newer link replaced it, the firm has no e-mail...)."""
    mail.status, mail.last_error = "dropped", reason[:_ERROR_LENGTH]
    session.commit()


def reserve_digest(session: Session) -> tuple[OutgoingMail, list[DigestItem]] | None:
    """Claim the firm submissions since the last digest, or None if there are none.

    The claim is a digest row holding the newest event id as its unique watermark: a
    second worker computing the same digest fails to insert it and sends nothing.
    """
    since = session.scalar(select(func.max(OutgoingMail.watermark))) or 0
    rows = session.execute(
        select(AuditEvent.id, AuditEvent.action, Company)
        .join(Company, Company.id == AuditEvent.entity_id)
        .where(
            AuditEvent.id > since,
            AuditEvent.entity_type == "company",
            AuditEvent.action.in_(SUBMISSION_ACTIONS),
            AuditEvent.actor.like(FIRM_ACTORS),
        )
        .order_by(AuditEvent.id)
    ).all()
    if not rows:
        return None
    items: dict[int, DigestItem] = {}
    for _, action, company in rows:
        new = action == "company.create" or (company.id in items and items[company.id].new)
        items[company.id] = DigestItem(
            company.id, company.name, company.country, company.status, new
        )
    mail = OutgoingMail(kind="digest", watermark=max(row[0] for row in rows))
    session.add(mail)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return mail, list(items.values())

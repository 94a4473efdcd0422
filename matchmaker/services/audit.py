"""The audit trail: every change to the registry, with who, when, and before -> after."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent


def record_audit(
    session: Session,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEvent:
    """Add an audit event to the current transaction (committed with the change it records)."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    session.add(event)
    return event

"""API keys for facilitation offices and admin tools: shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import NotFoundError
from matchmaker.models import ApiClient
from matchmaker.services.audit import record_audit

ROLES = ("office", "admin")
KEY_PREFIX = "mm_"
# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    """Keys are 256-bit random tokens, so a plain SHA-256 is safe and allows lookup by hash."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_client(
    session: Session, name: str, role: str, *, actor: str
) -> tuple[ApiClient, str]:
    """Create a client and return it with its key; the key is never stored or shown again."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not 1 <= len(name) <= 120:
        errors["name"] = ["A name of 1 to 120 characters."]
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if not errors and session.scalar(select(ApiClient.id).where(ApiClient.name == name)):
        errors["name"] = ["An API client with this name already exists."]
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name, role=role, key_hash=hash_key(key), key_prefix=key[:10])
    session.add(client)
    session.flush()
    record_audit(session, actor, "api_client.create", "api_client", client.id, None, _doc(client))
    session.commit()
    return client, key


def revoke_api_client(session: Session, client_id: int, *, actor: str) -> ApiClient:
    """Revoke a key at once; revoking twice is harmless."""
    client = session.get(ApiClient, client_id)
    if client is None:
        raise NotFoundError(f"No API client with id {client_id}.")
    if client.revoked_at is None:
        before = _doc(client)
        client.revoked_at = datetime.now(UTC)
        record_audit(
            session, actor, "api_client.revoke", "api_client", client.id, before, _doc(client)
        )
        session.commit()
    return client


def find_api_client(session: Session, name_or_id: str) -> ApiClient:
    query = select(ApiClient).where(ApiClient.name == name_or_id)
    if name_or_id.isdigit():
        query = select(ApiClient).where(ApiClient.id == int(name_or_id))
    client = session.scalar(query)
    if client is None:
        raise NotFoundError(f"No API client named {name_or_id!r}.")
    return client


def list_api_clients(session: Session) -> list[ApiClient]:
    return list(session.scalars(select(ApiClient).order_by(ApiClient.created_at, ApiClient.id)))


def authenticate(session: Session, key: str) -> ApiClient | None:
    """The active client holding `key`, or None (unknown or revoked)."""
    if not key.startswith(KEY_PREFIX):
        return None
    client = session.scalar(select(ApiClient).where(ApiClient.key_hash == hash_key(key)))
    if client is None or client.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    last = client.last_used_at
    if last is None or now - _aware(last) > LAST_USED_RESOLUTION:
        client.last_used_at = now
        session.commit()
    return client


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _doc(client: ApiClient) -> dict[str, object]:
    return {
        "name": client.name,
        "role": client.role,
        "key_prefix": client.key_prefix,
        "revoked_at": client.revoked_at.isoformat() if client.revoked_at else None,
    }

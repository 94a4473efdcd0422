"""Admin accounts: passwords hashed with Argon2id, never stored or logged in clear."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AdminUser
from matchmaker.services.audit import record_audit

MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verifying against a dummy hash when the account is unknown keeps timing uniform.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def create_admin_user(session: Session, email: str, password: str, *, actor: str) -> AdminUser:
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not _EMAIL.match(email) or len(email) > 254:
        errors["email"] = ["A valid e-mail address."]
    elif session.scalar(select(AdminUser.id).where(func.lower(AdminUser.email) == email)):
        errors["email"] = ["An admin with this e-mail already exists."]
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = [f"At least {MIN_PASSWORD_LENGTH} characters."]
    if errors:
        raise ValidationError(errors)
    user = AdminUser(email=email, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    record_audit(session, actor, "admin_user.create", "admin_user", user.id, None, {"email": email})
    session.commit()
    return user


def authenticate_admin(session: Session, email: str, password: str) -> AdminUser | None:
    """The active admin with these credentials, or None; upgrades old hashes on success."""
    user = session.scalar(
        select(AdminUser).where(func.lower(AdminUser.email) == (email or "").strip().lower())
    )
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = datetime.now(UTC)
    session.commit()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False

"""Admin accounts: passwords hashed with Argon2id, never stored or logged in clear."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from marshmallow import ValidationError
from sqlalchemy import func, select, update
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
    errors.update(_password_errors(password))
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


def find_admin(session: Session, email: str) -> AdminUser:
    """The admin with this e-mail (any case); a ValidationError on `email` otherwise."""
    user = session.scalar(
        select(AdminUser).where(func.lower(AdminUser.email) == (email or "").strip().lower())
    )
    if user is None:
        raise ValidationError({"email": ["No admin with this e-mail."]})
    return user


def end_sessions(session: Session, user_id: int) -> None:
    """Invalidate every session of this admin, on every device (one atomic increment).

    Sessions live in signed cookies that cannot be recalled; each carries the version it
    was opened with and the user loader refuses any other, so bumping it ends them all.
    """
    session.execute(
        update(AdminUser)
        .where(AdminUser.id == user_id)
        .values(session_version=AdminUser.session_version + 1)
    )


def set_admin_password(session: Session, email: str, password: str, *, actor: str) -> AdminUser:
    """Change the password and end the admin's open sessions (the reason to change it)."""
    user = find_admin(session, email)
    if errors := _password_errors(password):
        raise ValidationError(errors)
    user.password_hash = _hasher.hash(password)
    end_sessions(session, user.id)
    record_audit(
        session, actor, "admin_user.password", "admin_user", user.id, None, {"password": "changed"}
    )
    session.commit()
    return user


def deactivate_admin(session: Session, email: str, *, actor: str) -> AdminUser:
    """Refuse the admin's logins and end its open sessions for good."""
    return _set_active(session, email, False, actor=actor)


def reactivate_admin(session: Session, email: str, *, actor: str) -> AdminUser:
    """Allow logins again; sessions ended by the deactivation stay ended."""
    return _set_active(session, email, True, actor=actor)


def _set_active(session: Session, email: str, active: bool, *, actor: str) -> AdminUser:
    user = find_admin(session, email)
    before = {"active": user.active}
    user.active = active
    end_sessions(session, user.id)
    action = "admin_user.reactivate" if active else "admin_user.deactivate"
    record_audit(session, actor, action, "admin_user", user.id, before, {"active": active})
    session.commit()
    return user


def _password_errors(password: str) -> dict[str, list[str]]:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return {"password": [f"At least {MIN_PASSWORD_LENGTH} characters."]}
    return {}


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False

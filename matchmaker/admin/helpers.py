"""Small pieces every admin view shares: who acts, where to go next, how errors are shown."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from matchmaker.extensions import db, matching
from matchmaker.schemas import MAX_ID
from matchmaker.services.profiles import ChangeHook, update_company
from matchmaker.web.profile_form import field_errors


def actor() -> str:
    """The audit log's name for the admin making this request."""
    return f"admin:{current_user.email}"


def embed_hook() -> ChangeHook:
    """The profile service's hook that stores vectors with every change of text."""
    return matching.service.embed_changes


def form_version(name: str = "version") -> int | None:
    """The record version the admin's page showed (optimistic locking)."""
    return request.form.get(name, type=int)


def id_arg(name: str, *, form: bool = False) -> int | None:
    """An id from the query (or form), None when absent; 400 naming it when it is not an id
    the database can hold (a larger one would fail in PostgreSQL, not just be unknown)."""
    raw = (request.form if form else request.args).get(name, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_ID:
        abort(400, f"{name}: must be a record id between 1 and {MAX_ID}.")
    return int(raw)


def choice_arg(name: str, allowed: tuple[str, ...]) -> str:
    """A menu's value from the query; anything not on the menu means "any"."""
    value = request.args.get(name, "")
    return value if value in allowed else ""


def iso_day(text: str) -> date:
    """A date filter's day (YYYY-MM-DD); a ValueError makes request.args ignore it."""
    day = date.fromisoformat(text)
    if day == date.max:  # the filters read up to the next day, which does not exist
        raise ValueError(text)
    return day


def save_changes(company_id: int, changes: dict[str, Any], version: int | None = None) -> None:
    """Apply an admin's changes to one firm as the page's version of it (`version`, else
    the form's: a newer save by someone else raises VersionConflictError), re-embedding
    changed texts."""
    update_company(
        db.session,
        company_id,
        changes,
        actor=actor(),
        expected_version=form_version() if version is None else version,
        on_change=embed_hook(),
    )


def safe_next(target: str | None, default: str = "admin.dashboard") -> str:
    """A path inside the admin area, never another host (no open redirect)."""
    if target and target.startswith("/admin") and not target.startswith("//"):
        return target
    return url_for(default)


def flash_validation(error: ValidationError) -> None:
    """Show each schema message, named by its field, as an error notice."""
    for name, messages in field_errors(error.messages).items():
        for message in messages:
            flash(message if name == "_schema" else f"{name}: {message}", "error")

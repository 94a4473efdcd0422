"""Use cases for company profiles: create, update, change status, archive.

Validation happens once. A new company arrives as a `CompanyDocument` its door already
loaded through `CompanySchema` (the API decorator, the form, the seed file, an import
row); an edit arrives as changes, which only make sense merged onto the stored record,
so the update validates the merged profile itself. What needs the database (a legal id
registered twice) is checked here. Each public function writes the company, its audit
record and the index generation in one transaction, and commits. On any error the
session is rolled back, so a failed write leaves the data as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.domain.messages import N_
from matchmaker.errors import NotFoundError, VersionConflictError
from matchmaker.models import AuditEvent, Company
from matchmaker.schemas import CompanyDocument
from matchmaker.services.audit import record_audit
from matchmaker.services.documents import (
    apply_document,
    company_document,
    load_company,
    merge_changes,
    require_loaded,
    same_profile,
    stored_form,
)
from matchmaker.services.duplicate_store import refresh_written
from matchmaker.services.index_state import bump_generation

NOT_ARCHIVED = "Only an archived company can be restored."
RESTORABLE = frozenset({"pending", "approved", "rejected"})
DUPLICATE_LEGAL_ID = N_(
    "A company with this legal identifier is already registered in this country. If it is "
    "yours, change it through the private edit link you received, or contact the Matchmaker "
    "team."
)

# Called inside the transaction with the companies whose texts may have changed,
# so their vectors are stored atomically with the profile (see services.embeddings).
# Every write use case takes it as a required keyword: a firm written without its
# vectors is silently never suggested, so forgetting the hook must be a type error.
ChangeHook = Callable[[Session, list[Company]], None]


def get_company(session: Session, company_id: int) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise NotFoundError(f"No company with id {company_id}.")
    return company


def find_by_legal_id(session: Session, country: str, legal_id: str) -> Company | None:
    return session.scalar(
        select(Company).where(Company.country == country, Company.legal_id == legal_id)
    )


def create_company(
    session: Session, document: CompanyDocument, *, actor: str, on_change: ChangeHook
) -> Company:
    """Store a new company; a legal id already registered is a ValidationError on legal_id."""
    with write_transaction(session):
        company = _create(session, document, actor=actor)
        after_change(session, [company], on_change)
    return company


def create_companies(
    session: Session,
    documents: list[CompanyDocument],
    *,
    actor: str,
    on_change: ChangeHook,
) -> list[Company]:
    """Create several companies all or nothing (errors are keyed by row index)."""
    errors: dict[int, Any] = {}
    companies: list[Company] = []
    with write_transaction(session):
        for row, document in enumerate(documents):
            try:
                # The uniqueness check fails before anything is added: no savepoint needed.
                companies.append(_create(session, document, actor=actor))
            except ValidationError as error:
                errors[row] = error.messages
        if errors:
            raise ValidationError(errors)
        after_change(session, companies, on_change)
    return companies


def update_company(
    session: Session,
    company_id: int,
    changes: dict[str, Any],
    *,
    actor: str,
    expected_version: int | None = None,
    on_change: ChangeHook,
) -> Company:
    """Apply a partial update; a stale `expected_version` raises VersionConflictError."""
    return edit_company(
        session,
        company_id,
        changes,
        actor=actor,
        expected_version=expected_version,
        on_change=on_change,
    ).company


@dataclass(frozen=True)
class Edit:
    company: Company
    # False: the edit changed nothing, so nothing was written (no version, audit or vectors).
    changed: bool


def edit_company(
    session: Session,
    company_id: int,
    changes: dict[str, Any],
    *,
    actor: str,
    expected_version: int | None = None,
    on_change: ChangeHook,
    action: str = "company.update",
) -> Edit:
    """`update_company`, telling whether anything changed: an edit that leaves the profile
    as it is writes nothing, so its version (the API's ETag) and status stay."""
    with write_transaction(session):
        company = _update(
            session,
            company_id,
            changes,
            actor=actor,
            expected_version=expected_version,
            action=action,
        )
        if company is None:
            return Edit(get_company(session, company_id), changed=False)
        after_change(session, [company], on_change)
    return Edit(company, changed=True)


def import_rows_atomically(
    session: Session,
    rows: list[Any],
    *,
    actor: str,
    existing_id: Callable[[Any], int | None],
    on_change: ChangeHook,
) -> tuple[list[int], list[int], dict[int, Any]]:
    """Create or update every row in one transaction; any error and nothing is written.

    Returns (created ids, updated ids, errors by 0-based row index). A row that matches
    its stored firm already counts as updated (the firm is as the row says) but is not
    rewritten: no version step, audit event or re-embedding.
    """
    created: list[Company] = []
    updated: list[Company] = []
    unchanged: list[int] = []
    errors: dict[int, Any] = {}
    try:
        for index, row in enumerate(rows):
            try:
                company_id = existing_id(row)
                if company_id is None:
                    created.append(_create(session, load_company(row), actor=actor))
                elif (company := _update(session, company_id, row, actor=actor)) is not None:
                    updated.append(company)
                else:
                    unchanged.append(company_id)
            except ValidationError as error:
                errors[index] = error.messages
        if errors:
            session.rollback()
            return [], [], errors
        after_change(session, created + updated, on_change)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return [c.id for c in created], [c.id for c in updated] + unchanged, {}


def set_status(
    session: Session,
    company_id: int,
    status: str,
    *,
    actor: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> Company:
    """Approve, reject or archive a company (the matcher sees the change at once)."""
    changes: dict[str, Any] = {"status": status}
    if note is not None:
        changes["review_note"] = note
    return update_company(
        session,
        company_id,
        changes,
        actor=actor,
        expected_version=expected_version,
        on_change=_no_text_changed,
    )


def archive_company(
    session: Session, company_id: int, *, actor: str, expected_version: int | None = None
) -> Company:
    """Archive, never delete: history and introductions keep pointing at the record."""
    return set_status(
        session, company_id, "archived", actor=actor, expected_version=expected_version
    )


def restore_company(
    session: Session, company_id: int, *, actor: str, expected_version: int | None = None
) -> Company:
    """Undo an archiving: the company gets back the status it had before (from the audit
    log; pending when none is recorded), so an approved firm is suggested again at once."""
    company = get_company(session, company_id)
    if company.status != "archived":
        raise ValidationError({"status": [NOT_ARCHIVED]})
    return set_status(
        session,
        company_id,
        status_before_archiving(session, company_id),
        actor=actor,
        expected_version=expected_version,
    )


def status_before_archiving(session: Session, company_id: int) -> str:
    """The status the latest audited archiving of the company took it from."""
    previous = session.scalar(
        select(AuditEvent.before["status"].as_string())
        .where(
            AuditEvent.entity_type == "company",
            AuditEvent.entity_id == company_id,
            AuditEvent.after["status"].as_string() == "archived",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    # An imported or seeded record may have been archived from the start: review it first.
    return previous if previous in RESTORABLE else "pending"


def _create(session: Session, document: CompanyDocument, *, actor: str) -> Company:
    data = require_loaded(document)
    ensure_unique_legal_id(session, data)
    company = Company(index_generation=bump_generation(session))
    apply_document(company, data)
    session.add(company)
    session.flush()
    record_audit(
        session, actor, "company.create", "company", company.id, None, company_document(company)
    )
    return company


def _update(
    session: Session,
    company_id: int,
    changes: dict[str, Any],
    *,
    actor: str,
    expected_version: int | None = None,
    action: str = "company.update",
) -> Company | None:
    """The edited company, or None when the edit leaves its profile as it was."""
    company = locked_for_edit(session, company_id, expected_version)
    before = company_document(company)
    data = load_company(merge_changes(before, changes))
    if same_profile(stored_form(data), before):
        return None
    ensure_unique_legal_id(session, data, exclude_id=company.id)
    # Bump before touching the row: one flush per edit keeps one version step per edit.
    company.index_generation = bump_generation(session)
    apply_document(company, data)
    after = company_document(company)
    record_audit(session, actor, action, "company", company.id, before, after)
    return company


def locked_for_edit(session: Session, company_id: int, expected_version: int | None) -> Company:
    company = get_company(session, company_id)
    if expected_version is not None and company.version != expected_version:
        raise VersionConflictError(
            f"Company {company_id} changed since you read it (version {company.version}, "
            f"you sent {expected_version}); reload it and apply your edit again."
        )
    return company


def ensure_unique_legal_id(
    session: Session, data: dict[str, Any], exclude_id: int | None = None
) -> None:
    existing = find_by_legal_id(session, data["country"], data["legal_id"])
    if existing is not None and existing.id != exclude_id:
        raise ValidationError({"legal_id": [DUPLICATE_LEGAL_ID]})


def after_change(session: Session, companies: list[Company], on_change: ChangeHook) -> None:
    session.flush()
    on_change(session, companies)
    # After the hook, so a firm's new offer vector is what its duplicates are judged on.
    refresh_written(session, companies)


def _no_text_changed(session: Session, companies: list[Company]) -> None:
    """The hook of status changes: they alter no text, so there is nothing to embed."""


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """Commit on success; on any error roll back so nothing half-written remains."""
    try:
        yield
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise VersionConflictError(
            "Someone else saved this record at the same time; reload it and apply your edit again."
        ) from error
    except IntegrityError as error:
        session.rollback()
        # Two concurrent registrations of one firm both pass the check; the unique key catches it.
        if "legal_id" in str(error.orig):
            raise ValidationError({"legal_id": [DUPLICATE_LEGAL_ID]}) from error
        raise
    except BaseException:
        session.rollback()
        raise

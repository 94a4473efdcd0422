"""Bulk import of company profiles from a JSON array or a CSV file.

Each row is validated once, here, by the same schema as every other door: a CSV file
cannot be validated before it is parsed, and a row naming a registered firm is an edit,
validated merged onto the stored record as every edit is. A row naming a firm
already registered (same country and legal id) updates it; others create a firm.
With `atomic`, one bad row means nothing is written; without, good rows are
written and bad rows are reported with their row number and fields.
"""

from __future__ import annotations

import csv
import io
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.database import BUSY, unavailable
from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.errors import ConflictError, VersionConflictError
from matchmaker.services.documents import load_company
from matchmaker.services.profiles import (
    DUPLICATE_LEGAL_ID,
    ChangeHook,
    create_company,
    find_by_legal_id,
    import_rows_atomically,
    update_company,
)

MAX_ROWS = 2000
# How often a row (or an atomic import) is re-applied when concurrent imports touch the
# same firms; each retry sees the other's committed write, so a few always suffice
# unless many imports of one firm race at once.
RACE_ATTEMPTS = 10
CONTENDED = "Concurrent requests kept changing the same firms; nothing of this row was written."
LIST_COLUMNS = frozenset(
    {"capabilities", "seeking_capabilities", "partner_certifications", "pathways"}
)
CERTIFICATE_FIELDS = ("scheme", "identifier", "issuer", "valid_until")


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"row": n, "errors": {...}}


def rows_from_csv(text: str) -> list[dict[str, Any]]:
    """CSV with one column per field; lists split on ';', certificates as
    `scheme|identifier|issuer|valid_until`, nested fields as `compliance.x` / `contact.x`."""
    if "\x00" in text:  # no database stores it; the request guard cannot see into a file
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationError({"_schema": [f"Line {line} contains a NUL character."]})
    reader = csv.DictReader(io.StringIO(text))
    try:
        _check_header(reader.fieldnames or [])
        return [_row_from_csv(record) for record in reader]
    except csv.Error as error:  # e.g. a cell beyond the csv module's field size limit
        raise ValidationError({"_schema": [f"Not a readable CSV file: {error}."]}) from error


def _check_header(columns: Sequence[str]) -> None:
    """A column may be a field (`compliance`) or a part of one (`compliance.sanctioned`),
    never both: the row could not say which value it means."""
    names = [c.strip() for c in columns if c is not None]
    whole = {n for n in names if "." not in n}
    parts = {n.partition(".")[0] for n in names if "." in n}
    if clash := sorted(whole & parts):
        raise ValidationError(
            {
                "_schema": [
                    f"Column {name!r} appears both whole and as {name}.<field>; keep one."
                    for name in clash
                ]
            }
        )


def import_companies(
    session: Session,
    rows: list[Any],
    *,
    actor: str,
    atomic: bool,
    on_change: ChangeHook,
) -> ImportResult:
    """Create or update each row; see the module docstring for the atomic mode."""
    if not rows:
        raise ValidationError({"_schema": ["The import holds no rows."]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"_schema": [f"At most {MAX_ROWS} rows per import."]})
    if atomic:
        return _import_atomically(session, rows, actor=actor, on_change=on_change)
    result = ImportResult()
    for number, row in enumerate(rows, start=1):
        try:
            _write_row_despite_races(session, row, result, actor=actor, on_change=on_change)
        except ValidationError as error:
            result.errors.append({"row": number, "errors": _as_dict(error.messages)})
    return result


def _write_row_despite_races(
    session: Session, row: Any, result: ImportResult, *, actor: str, on_change: ChangeHook
) -> None:
    """Write one row; when a concurrent import registered or edited the same firm between
    our read and our write, read again and apply the row to what is there now, so the
    row's effect does not depend on who came first."""
    for attempt in range(RACE_ATTEMPTS):
        _back_off(attempt)
        try:
            _write_row(session, row, result, actor=actor, on_change=on_change)
            return
        except VersionConflictError:
            continue  # someone saved the firm meanwhile: merge the row onto their version
        except OperationalError as error:
            # Earlier rows are committed: a lock timeout must cost this row, not the answer.
            if unavailable(error) is not BUSY:
                raise
        except ValidationError as error:
            if not _registered_meanwhile(session, row, error.messages):
                raise
    raise ValidationError({"_schema": [CONTENDED]})


def _back_off(attempt: int) -> None:
    """Wait a random while before a retry, so racing imports stop colliding in lockstep."""
    if attempt:
        time.sleep(random.uniform(0, 0.02 * 2 ** min(attempt, 5)))  # noqa: S311 - jitter


def _registered_meanwhile(session: Session, row: Any, messages: Any) -> bool:
    """The row was refused as a duplicate of a firm another request has just registered."""
    duplicate = DUPLICATE_LEGAL_ID in _as_dict(messages).get("legal_id", [])
    return duplicate and isinstance(row, dict) and _existing_id(session, row) is not None


def _import_atomically(
    session: Session, rows: list[Any], *, actor: str, on_change: ChangeHook
) -> ImportResult:
    for attempt in range(RACE_ATTEMPTS):
        _back_off(attempt)
        try:
            created, updated, errors = import_rows_atomically(
                session,
                rows,
                actor=actor,
                existing_id=lambda row: _existing_id(session, row),
                on_change=on_change,
            )
        except (IntegrityError, StaleDataError):
            # A concurrent import registered or edited one of these firms first; nothing of
            # ours was written, so run again against what is there now.
            continue
        if not any(_registered_meanwhile(session, rows[n], e) for n, e in errors.items()):
            break
    else:
        raise ConflictError(CONTENDED)
    result = ImportResult(created=created, updated=updated)
    result.errors = [{"row": n + 1, "errors": _as_dict(e)} for n, e in sorted(errors.items())]
    return result


def _write_row(
    session: Session, row: Any, result: ImportResult, *, actor: str, on_change: ChangeHook
) -> None:
    existing = _existing_id(session, row)
    if existing is None:
        document = load_company(row)
        result.created.append(
            create_company(session, document, actor=actor, on_change=on_change).id
        )
    else:
        update_company(session, existing, row, actor=actor, on_change=on_change)
        result.updated.append(existing)


def _existing_id(session: Session, row: Any) -> int | None:
    if not isinstance(row, dict):
        raise ValidationError({"_schema": ["Each row must be a JSON object."]})
    country, legal_id = row.get("country"), row.get("legal_id")
    if not isinstance(country, str) or not isinstance(legal_id, str):
        return None
    company = find_by_legal_id(session, country.strip().upper(), normalize_legal_id(legal_id))
    return company.id if company else None


def _row_from_csv(record: dict[str | None, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column, raw in record.items():
        if column is None:  # more cells than headers
            raise ValidationError({"_schema": ["A line has more cells than the header."]})
        value = (raw or "").strip()
        if not value:
            continue
        name, _, nested = column.strip().partition(".")
        if nested:
            row.setdefault(name, {})[nested] = (
                _split(value) if nested == "export_control" else value
            )
        elif name in LIST_COLUMNS:
            row[name] = _split(value)
        elif name == "certifications":
            row[name] = [_certificate(item) for item in _split(value)]
        else:
            row[name] = value
    return row


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _certificate(item: str) -> dict[str, Any]:
    parts = [p.strip() for p in item.split("|")]
    certificate: dict[str, Any] = dict(zip(CERTIFICATE_FIELDS, parts, strict=False))
    if not certificate.get("valid_until"):
        certificate["valid_until"] = None
    return certificate


def _as_dict(messages: Any) -> dict[str, Any]:
    return messages if isinstance(messages, dict) else {"_schema": messages}

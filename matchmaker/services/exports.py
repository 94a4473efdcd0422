"""CSV exports of the registry and the introductions, for the admins' spreadsheets.

Rows are read in batches and written line by line, so an export of the whole registry
neither holds it in memory nor waits for the last row before sending the first. A cell a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
prefixed with an apostrophe: a firm's name must never become a formula on an admin's
machine (CSV injection). The text starts with a byte-order mark so Excel reads UTF-8
(Cyrillic names) correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session, selectinload

from matchmaker.models import Company, Introduction

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 500

Column = tuple[str, Callable[[Any], Any]]

COMPANY_COLUMNS: Sequence[Column] = (
    ("id", lambda c: c.id),
    ("name", lambda c: c.name),
    ("legal_id", lambda c: c.legal_id),
    ("country", lambda c: c.country),
    ("side", lambda c: c.side),
    ("size", lambda c: c.size),
    ("status", lambda c: c.status),
    ("website", lambda c: c.website),
    ("offers", lambda c: c.offers),
    ("seeks", lambda c: c.seeks),
    ("capabilities", lambda c: ";".join(c.codes("offer"))),
    ("seeking_capabilities", lambda c: ";".join(c.codes("seek"))),
    ("pathways", lambda c: ";".join(sorted(p.code for p in c.pathways))),
    ("contact_name", lambda c: c.contact_name),
    ("contact_email", lambda c: c.contact_email),
    ("contact_phone", lambda c: c.contact_phone),
    ("review_note", lambda c: c.review_note),
    ("created_at", lambda c: c.created_at),
    ("updated_at", lambda c: c.updated_at),
)

INTRODUCTION_COLUMNS: Sequence[Column] = (
    ("id", lambda i: i.id),
    ("created_at", lambda i: i.created_at),
    ("company_a_id", lambda i: i.company_a_id),
    ("company_a_name", lambda i: i.company_a.name),
    ("company_b_id", lambda i: i.company_b_id),
    ("company_b_name", lambda i: i.company_b.name),
    ("outcome", lambda i: i.outcome),
    ("score", lambda i: i.score),
    ("recorded_by", lambda i: i.recorded_by),
    ("note", lambda i: i.note),
    ("updated_at", lambda i: i.updated_at),
)


def formula_safe(value: Any) -> str:
    """A cell's text, with an apostrophe in front when a spreadsheet would evaluate it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    text = str(value)
    # Numbers the export writes itself (ids, scores) are data, not formulas.
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_lines(columns: Sequence[Column], records: Iterable[Any]) -> Iterator[str]:
    """The byte-order mark and header, then one CSV line per record."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: Iterable[Any]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([formula_safe(cell) for cell in cells])
        return buffer.getvalue()

    yield BYTE_ORDER_MARK + line(name for name, _ in columns)
    for record in records:
        yield line(read(record) for _, read in columns)


def company_lines(session: Session, query: Select[Company]) -> Iterator[str]:
    """The companies `query` selects (already filtered and ordered), as CSV lines."""
    query = query.options(selectinload(Company.capabilities), selectinload(Company.pathways))
    rows = session.scalars(query.execution_options(yield_per=BATCH))
    return csv_lines(COMPANY_COLUMNS, rows)


def introduction_lines(session: Session, query: Select[Introduction]) -> Iterator[str]:
    """The introductions `query` selects, with both firms' names, as CSV lines."""
    query = query.options(
        selectinload(Introduction.company_a), selectinload(Introduction.company_b)
    )
    rows = session.scalars(query.execution_options(yield_per=BATCH))
    return csv_lines(INTRODUCTION_COLUMNS, rows)

"""Is a persisted snapshot a state of *this* database's history? And the last check on
what a search returns.

A snapshot is accepted only when the database id matches (a restore replaces it),
its generation is not ahead of the database's, and every company row stamped at or
below that generation still has the stamp the snapshot saw: that catches a backup
restored by hand (same id, lower counter, other rows), a snapshot copied from
another database and rows changed by SQL outside the app. One query over the
company table, paid once per process start, not per request.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.orm import Session

from matchmaker.domain.countries import SANCTIONED_CONTROL_COUNTRIES
from matchmaker.domain.provenance import Provenance, RowStamps, row_stamp
from matchmaker.models import Company


def _facts() -> ColumnElement[str]:
    """The stamped facts of a row as one string built by the database: the driver then
    hands back plain text, not datetimes to parse, which is most of the cost at 100k."""
    parts = [
        Company.version,
        Company.updated_at,
        Company.index_generation,
        Company.status,
        Company.sanctioned,
        func.coalesce(Company.controlling_country, ""),
        Company.side,
    ]
    return functools.reduce(
        lambda joined, part: joined + "|" + part, [cast(part, String) for part in parts]
    )


def database_stamps(session: Session, *, up_to: int) -> RowStamps:
    """Stamps of the company rows last changed at or below generation `up_to`."""
    rows = session.execute(select(Company.id, _facts()).where(Company.index_generation <= up_to))
    return RowStamps.of((company_id, row_stamp(facts)) for company_id, facts in rows)


def provenance_of(session: Session, generation: int, database_id: str) -> Provenance:
    """What a snapshot of a matcher loaded at `generation` must record."""
    return Provenance(generation, database_id, database_stamps(session, up_to=generation))


def snapshot_problem(
    session: Session, provenance: Provenance, *, generation: int, database_id: str
) -> str | None:
    """Why a snapshot must not be used with the database as it is now, or None."""
    if provenance.database_id != database_id:
        return (
            f"it was made from database {provenance.database_id or '(unnamed)'}, "
            f"this is {database_id or '(unnamed)'} (restored or another database)"
        )
    if provenance.generation > generation:
        return f"its generation {provenance.generation} is ahead of the database's {generation}"
    current = database_stamps(session, up_to=provenance.generation)
    changed = provenance.stamps.differing(current)
    if len(changed):
        return (
            f"{len(changed)} company rows differ from the ones it was made from "
            f"(e.g. id {int(changed[0])}): another history of this database"
        )
    gone = _missing(session, provenance.stamps.ids)
    if gone:
        return f"it holds {len(gone)} firms the database lacks (e.g. id {gone[0]})"
    return None


def _missing(session: Session, ids: np.ndarray) -> list[int]:
    if not len(ids):
        return []
    present = set(session.scalars(select(Company.id)))
    return [int(i) for i in ids.tolist() if i not in present]


def unsuggestible(session: Session, company_ids: Iterable[int]) -> set[int]:
    """Which of these firms the database says must not be suggested (not approved,
    sanctioned, controlled from a sanctioned country, or gone): one query by ids."""
    ids = set(company_ids)
    if not ids:
        return set()
    # Filter in Python, not SQL: a lookup by primary key only, whatever the planner
    # thinks of the status index (with stale statistics it bitmap-scanned it, 3 x slower).
    rows = session.execute(
        select(Company.id, Company.status, Company.sanctioned, Company.controlling_country).where(
            Company.id.in_(ids)
        )
    )
    allowed = {
        row.id
        for row in rows
        if row.status == "approved"
        and not row.sanctioned
        and row.controlling_country not in SANCTIONED_CONTROL_COUNTRIES
    }
    return ids - allowed

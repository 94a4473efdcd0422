"""The admin's paged lists read their rows in index order: no request sorts a whole table.

Each list's statements are captured as the page issues them and explained by the
database itself; PostgreSQL is told to avoid sorts and sequential scans where it has any
other way, since on a test-sized table it would rightly prefer them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, event, insert
from sqlalchemy.orm import Session

from matchmaker.admin import queries
from matchmaker.extensions import db
from matchmaker.models import DuplicateCandidatePair
from matchmaker.services import duplicate_store
from matchmaker.services.duplicates import BANDS
from tests.factories import make_company

# Totals for the duplicates page (they come from band_counts; the plans do not use them).
COUNTS = dict.fromkeys(BANDS, 1000)


def selects(call: Callable[[], object], ordered: bool = True) -> list[tuple[str, Any]]:
    """The SELECT statements `call` issues with (or without) an ORDER BY, and parameters."""
    issued: list[tuple[str, Any]] = []

    def record(conn: object, cursor: object, statement: str, params: Any, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and ordered == ("ORDER BY" in statement):
            issued.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return issued


def plan(session: Session, statement: str, params: Any) -> str:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
        return "\n".join(str(row[-1]) for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql("SET LOCAL enable_sort = off")
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", params)
    return "\n".join(str(row[0]) for row in rows)


@pytest.mark.parametrize(
    ("page", "index", "index_only"),
    [
        (lambda s: queries.review_page(s, 3), "ix_company_status_created_at", False),
        (
            lambda s: duplicate_store.candidates_page(s, None, 40, 25, COUNTS),
            "ix_duplicate_candidate_page_order",
            True,
        ),
        (
            lambda s: duplicate_store.candidates_page(s, "likely", 2, 25, COUNTS),
            "ix_duplicate_candidate_page_order",
            True,
        ),
    ],
    ids=["review queue", "duplicates", "duplicates of one band"],
)
def test_a_page_reads_its_index_in_order(
    session: Session, page: Callable[[Session], object], index: str, index_only: bool
) -> None:
    """The page's ordered query walks the index of its ORDER BY: no sort step in its plan;
    the duplicates page walks it without reading the table (the rows come by key after)."""
    statements = selects(lambda: page(session))
    assert len(statements) == 1
    explained = plan(session, *statements[0])
    session.rollback()
    assert index in explained, explained
    assert "TEMP B-TREE" not in explained and "Sort" not in explained, explained
    if index_only:
        assert (
            f"COVERING INDEX {index}" in explained or f"Index Only Scan using {index}" in explained
        )


def test_the_duplicates_page_fetches_its_rows_by_primary_key(session: Session) -> None:
    """After the key walk, the page's 25 rows are looked up by key, not found by a scan."""
    a, b, c = (make_company(session, name=f"{n} GmbH").id for n in ("Ka", "Lo", "Mi"))
    session.execute(delete(DuplicateCandidatePair))
    session.execute(
        insert(DuplicateCandidatePair),
        [
            {"first_id": x, "second_id": y, "band": "possible", "band_rank": 2, "strength": 0.8,
             "name_similarity": 0.8, "offer_similarity": None, "reasons": []}
            for x, y in ((a, b), (a, c), (b, c))
        ],
    )  # fmt: skip
    session.commit()
    counts = duplicate_store.band_counts(session)
    fetches = selects(lambda: duplicate_store.candidates_page(session, None, 1, 25, counts), False)
    assert len(fetches) == 1
    explained = plan(session, *fetches[0])
    session.rollback()
    assert "SCAN duplicate_candidate" not in explained and "Seq Scan" not in explained, explained

"""One paginator for every list: the API's pages and the admin's pages count alike."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marshmallow import ValidationError
from sqlalchemy import Select, func, inspect, select, tuple_
from sqlalchemy.orm import Session

T = TypeVar("T")
# Deeper pages would ask the database for an offset it cannot represent (and no one reads
# a list 100,000 pages deep); the API's page argument has the same bound.
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list and where it stands; the API's page schemas dump it as it is."""

    items: Sequence[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the list has (none when it is empty)."""
        return math.ceil(self.total / self.page_size)


def paginate(
    session: Session,
    query: Select[Any],
    *,
    page: int,
    page_size: int,
    keys_first: bool = False,
    total: int | None = None,
) -> Page[Any]:
    """Page `page` (1-based; lower values mean the first) of `query`, which is already ordered.

    `keys_first` reads the page's primary keys first and then only the page's rows: when
    the index serving the ORDER BY holds the primary key, the offset is walked in that
    index alone. Otherwise a deep page reads every row it skips (PostgreSQL fetches each
    from the table), which made the last page of 330k stored duplicate pairs cost 0.5 s.

    `total` is the length of the list when the caller already knows it (the duplicates
    page counts its bands anyway), which saves counting the list a second time."""
    if total is None:
        # The count ignores the order: the database need not sort rows it only counts.
        query_total = select(func.count()).select_from(query.order_by(None).subquery())
        total = session.scalar(query_total)
    if page > MAX_PAGE:
        raise ValidationError({"page": [f"Must be at most {MAX_PAGE}."]})
    page = max(1, page)
    window = query.limit(page_size).offset((page - 1) * page_size)
    items = _by_keys_first(session, window) if keys_first else session.scalars(window).all()
    return Page(items, total or 0, page, page_size)


def _by_keys_first(session: Session, window: Select[Any]) -> list[Any]:
    """The entities `window` selects: their keys in one statement, the rows in another."""
    entity = window.column_descriptions[0]["entity"]
    key_columns = inspect(entity).primary_key
    keys = [tuple(row) for row in session.execute(window.with_only_columns(*key_columns))]
    if not keys:
        return []
    # SQLite scans the table for a row-value IN; the IN on the key's first column lets it
    # (and PostgreSQL) look the page's rows up in the primary key.
    first = sorted({key[0] for key in keys})
    matching = select(entity).where(key_columns[0].in_(first), tuple_(*key_columns).in_(keys))
    rows = session.scalars(matching)
    by_key = {inspect(row).identity: row for row in rows}
    # A row deleted between the two statements is missing from the page, not an error.
    return [by_key[key] for key in keys if key in by_key]

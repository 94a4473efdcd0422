"""One paginator for every list: the API's pages and the admin's pages count alike."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marshmallow import ValidationError
from sqlalchemy import Select, func, select
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


def paginate(session: Session, query: Select[Any], *, page: int, page_size: int) -> Page[Any]:
    """Page `page` (1-based; lower values mean the first) of `query`, which is already ordered."""
    # The count ignores the order: the database need not sort rows it only counts.
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if page > MAX_PAGE:
        raise ValidationError({"page": [f"Must be at most {MAX_PAGE}."]})
    page = max(1, page)
    items = session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return Page(items, total or 0, page, page_size)

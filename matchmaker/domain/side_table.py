"""The scoring facts of one side's suggestible firms as named columns, one row per firm.

The matcher scores every firm of a side at once with numpy, so what the components
need from a candidate B is stored here column-wise: each registered component
declares its columns (`Component.columns`) and computes its row values
(`Component.facts`); the table adds the company id and a country code for filters.
Values derived from whole columns (per-day certificate validity) are cached until
the next change (`derived`).

Rows follow the side's exact (flat) FAISS indexes: both append on add and both
close gaps in order on removal (FAISS `remove_ids` keeps the order of the rows
it keeps), so row i here is row i of the offer and seek indexes and the
inner products FAISS computes over its storage line up with these columns
without a lookup. `SideIndexes` checks that alignment after every change.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from matchmaker.domain.components.base import Column
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.scoring_config import ScoringConfig

IDS = Column("ids", np.int64, "company id")
COUNTRY = Column("country", np.int32, "country, as a per-table code (see `country_code`)")


class SideTable:
    """Columns of scoring facts, one row per firm, in the side's index order."""

    def __init__(self, config: ScoringConfig) -> None:
        self._config = config
        columns = [IDS, COUNTRY, *(c for comp in config.components for c in comp.columns)]
        self._columns = {column.name: column for column in columns}
        if len(self._columns) != len(columns):
            raise ValueError("Two score components declare a column of the same name.")
        self._size = 0
        self._version = 0  # bumped by every change; keys the `derived` cache
        self._data: dict[str, np.ndarray] = {c.name: np.zeros(0, dtype=c.dtype) for c in columns}
        # Float facts are also kept in double precision, for the scores shown: a value
        # such as 0.45 stored in single precision can flip a shown score's last digit.
        self._exact: dict[str, np.ndarray] = {
            c.name: np.zeros(0, dtype=np.float64) for c in columns if c.is_float
        }
        self._countries: dict[str, int] = {}
        self._derived: dict[Hashable, tuple[int, Any]] = {}

    def __len__(self) -> int:
        return self._size

    def column(self, name: str, *, exact: bool = False) -> np.ndarray:
        """A view of one column over the live rows (`exact`: a float column in double
        precision)."""
        return (self._exact if exact else self._data)[name][: self._size]

    @property
    def ids(self) -> np.ndarray:
        return self.column(IDS.name)

    def country_code(self, country: str) -> int | None:
        return self._countries.get(country)

    def derived(self, key: Hashable, compute: Callable[[SideTable], Any]) -> Any:
        """`compute(self)`, cached until the table changes."""
        cached = self._derived.get(key)
        if cached is None or cached[0] != self._version:
            if len(self._derived) > 64:  # e.g. one entry per day: keep the cache small
                self._derived.clear()
            cached = self._derived[key] = (self._version, compute(self))
        return cached[1]

    # --- changes (mirroring the flat FAISS index: append, ordered removal) ----------

    def append(self, profiles: Sequence[CompanyProfile]) -> None:
        """Add rows for `profiles` at the end, in order."""
        if not profiles:
            return
        start, end = self._size, self._size + len(profiles)
        self._reserve(end)
        rows = [self._facts(p) for p in profiles]
        for name, data in self._stores():
            data[start:end] = [row[name] for row in rows]
        self._size = end
        self._version += 1

    def overwrite(self, row: int, profile: CompanyProfile) -> None:
        """Replace the facts of one row (same firm, e.g. after an edit) in place."""
        if row >= self._size or self._data[IDS.name][row] != profile.id:
            raise KeyError(f"Row {row} does not hold company {profile.id}.")
        facts = self._facts(profile)
        for name, data in self._stores():
            data[row] = facts[name]
        self._version += 1

    def _facts(self, p: CompanyProfile) -> dict[str, Any]:
        values: dict[str, Any] = {
            IDS.name: p.id,
            COUNTRY.name: self._countries.setdefault(p.country, len(self._countries)),
        }
        for component in self._config.components:
            values.update(component.facts(p, self._config.of(component)))
        if values.keys() != self._columns.keys():
            missing = sorted(self._columns.keys() ^ values.keys())
            raise ValueError(f"Component facts and declared columns differ: {missing}.")
        return values

    def remove(self, ids: Iterable[int]) -> int:
        """Drop the rows of `ids`, keeping the others in order; returns how many went."""
        doomed = self.rows_of(ids)
        if not len(doomed):
            return 0
        keep = np.ones(self._size, dtype=bool)
        keep[doomed] = False
        self._select(np.flatnonzero(keep))
        return len(doomed)

    def reorder(self, ids: np.ndarray) -> None:
        """Put the rows in the order of `ids` (each held exactly once)."""
        rows = self.rows_of_ordered(ids)
        if len(rows) != self._size:
            raise ValueError("reorder needs every held id exactly once.")
        self._select(rows)

    def _select(self, rows: np.ndarray) -> None:
        for _, data in self._stores():
            data[: len(rows)] = data[: self._size][rows]
            data[len(rows) : self._size] = 0
        self._size = len(rows)
        self._version += 1

    def _reserve(self, rows: int) -> None:
        capacity = len(self._data[IDS.name])
        if rows <= capacity:
            return
        grown = max(rows, 2 * capacity, 64)
        for store in (self._data, self._exact):
            for name, data in store.items():
                bigger = np.zeros(grown, dtype=data.dtype)
                bigger[: self._size] = data[: self._size]
                store[name] = bigger

    def _stores(self) -> list[tuple[str, np.ndarray]]:
        return [*self._data.items(), *self._exact.items()]

    # --- look-ups --------------------------------------------------------------------

    def rows_of(self, ids: Iterable[int]) -> np.ndarray:
        """Rows holding any of `ids` (ascending; unknown ids ignored)."""
        wanted = np.fromiter(ids, dtype=np.int64)
        if not len(wanted) or not self._size:
            return np.empty(0, dtype=np.int64)
        if len(wanted) > 8:  # np.isin sorts; a few equality scans are cheaper
            return np.flatnonzero(np.isin(self.ids, wanted))
        hits = [np.flatnonzero(self.ids == company_id) for company_id in wanted.tolist()]
        return np.unique(np.concatenate(hits))

    def rows_of_ordered(self, ids: np.ndarray) -> np.ndarray:
        """Row of each of `ids`, in that order (unknown ids dropped)."""
        order = np.argsort(self.ids, kind="stable")
        sorted_ids = self.ids[order]
        found = np.searchsorted(sorted_ids, ids)
        found = np.minimum(found, max(self._size - 1, 0))
        hit = (sorted_ids[found] == ids) if self._size else np.zeros(len(ids), dtype=bool)
        return order[found[hit]]

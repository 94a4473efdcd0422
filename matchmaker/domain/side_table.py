"""The scoring facts of one side's suggestible firms as named columns, one row per firm.

The matcher scores every firm of a side at once with numpy, so what the components
need from a candidate B is stored here column-wise: each registered component
declares its columns (`Component.columns`) and computes its row values
(`Component.facts`); the table adds the company id and a country code for filters.
Values derived from whole columns (per-day certificate validity) are cached until
the next change (`derived`). A column whose derived structure is too costly to
rebuild after every change (the lexical component's term counts and postings)
declares an index (`Column.index`): the index then holds the column, and the table
passes it every change instead (`index`).

Rows follow the side's exact (flat) indexes (`vector_rows`): all three append on
add and remove a row by moving the last row into its gap, doomed rows in
descending order, so row i here is row i of the offer and seek indexes and the
inner products over their rows line up with these columns without a lookup.
`SideIndexes` applies every change to all three.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from matchmaker.domain.components.base import Column, RowIndex
from matchmaker.domain.id_rows import GONE, IdRows
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
        # A column with an index is held by its index alone (`Column.index`).
        stored = [c for c in columns if c.index is None]
        self._data: dict[str, np.ndarray] = {c.name: np.zeros(0, dtype=c.dtype) for c in stored}
        # Float facts are also kept in double precision, for the scores shown: a value
        # such as 0.45 stored in single precision can flip a shown score's last digit.
        self._exact: dict[str, np.ndarray] = {
            c.name: np.zeros(0, dtype=np.float64) for c in stored if c.is_float
        }
        self._countries: dict[str, int] = {}
        self._derived: dict[Hashable, tuple[int, Any]] = {}
        self._rows = IdRows()  # company id -> row
        self._borrowed = False  # columns are someone else's (e.g. a read-only file map)
        self._indexes: dict[str, RowIndex] = {
            c.name: c.index() for c in columns if c.index is not None
        }

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

    def index(self, name: str) -> RowIndex:
        """The index kept over column `name` (see `Column.index`), ready to read."""
        index = self._indexes[name]
        index.ready()
        return index

    def derived(self, key: Hashable, compute: Callable[[SideTable], Any]) -> Any:
        """`compute(self)`, cached until the table changes."""
        cached = self._derived.get(key)
        if cached is None or cached[0] != self._version:
            if len(self._derived) > 64:  # e.g. one entry per day: keep the cache small
                self._derived.clear()
            cached = self._derived[key] = (self._version, compute(self))
        return cached[1]

    # --- snapshots ------------------------------------------------------------------

    def export_columns(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list[str]]:
        """The live rows of every column (single, then double precision) and the countries
        in code order: what `from_columns` takes back."""
        data = {name: values[: self._size] for name, values in self._data.items()}
        exact = {name: values[: self._size] for name, values in self._exact.items()}
        return data, exact, sorted(self._countries, key=self._countries.__getitem__)

    @classmethod
    def from_columns(
        cls,
        config: ScoringConfig,
        data: dict[str, np.ndarray],
        exact: dict[str, np.ndarray],
        countries: Sequence[str],
        indexes: Mapping[str, RowIndex] | None = None,
    ) -> SideTable:
        """A table over saved columns, used in place (read-only maps of a snapshot are
        shared between processes) until the first change copies them; `indexes`: the
        saved indexes holding the other columns, one per indexed column."""
        table = cls(config)
        if data.keys() != table._data.keys() or exact.keys() != table._exact.keys():
            missing = sorted(
                (data.keys() ^ table._data.keys()) | (exact.keys() ^ table._exact.keys())
            )
            raise ValueError(f"Saved columns differ from the components' columns: {missing}.")
        sizes = {len(values) for values in [*data.values(), *exact.values()]}
        if len(sizes) != 1:
            raise ValueError("Saved columns have different lengths.")
        for name, values in data.items():
            if values.dtype != table._columns[name].dtype:
                raise ValueError(f"Saved column {name!r} has dtype {values.dtype}.")
        table._data, table._exact = dict(data), dict(exact)
        table._size = sizes.pop()
        table._countries = {country: code for code, country in enumerate(countries)}
        table._rows = IdRows(table._data[IDS.name][: table._size])
        table._borrowed = True
        missing = sorted(table._indexes.keys() - (indexes or {}).keys())
        if missing:
            raise ValueError(f"Saved columns lack the indexes holding {missing}.")
        for name, index in (indexes or {}).items():
            if len(index) != table._size:
                raise ValueError(f"The saved index of {name!r} holds {len(index)} rows.")
            table._indexes[name] = index
        return table

    def _own(self) -> None:
        """Copy borrowed columns before the first change (copy on write)."""
        if self._borrowed:
            for store in (self._data, self._exact):
                for name, values in store.items():
                    store[name] = np.array(values)
            self._borrowed = False

    # --- changes (mirroring the flat index: append, removal by swap-with-last) ------

    def append(self, profiles: Sequence[CompanyProfile]) -> None:
        """Add rows for `profiles` at the end, in order."""
        if not profiles:
            return
        ids = np.fromiter((p.id for p in profiles), np.int64, len(profiles))
        if len(np.unique(ids)) != len(ids) or bool(np.any(self._rows.rows(ids) != GONE)):
            raise ValueError("append() takes firms the table does not hold yet, each once.")
        self._own()
        start, end = self._size, self._size + len(profiles)
        self._reserve(end)
        rows = [self._facts(p) for p in profiles]
        for name, data in self._stores():
            data[start:end] = [row[name] for row in rows]
        for name, index in self._indexes.items():
            index.append([row[name] for row in rows])
        self._rows.add(ids, np.arange(start, end))
        self._size = end
        self._version += 1

    def overwrite(self, row: int, profile: CompanyProfile) -> None:
        """Replace the facts of one row (same firm, e.g. after an edit) in place."""
        if row >= self._size or self._data[IDS.name][row] != profile.id:
            raise KeyError(f"Row {row} does not hold company {profile.id}.")
        self._own()
        facts = self._facts(profile)
        for name, index in self._indexes.items():
            index.overwrite(row, facts[name])
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
        """Drop the rows of `ids`, each replaced by the last row (doomed rows in
        descending order, as `VectorRows.remove`); returns how many went."""
        found = self._rows.rows(np.fromiter(set(ids), np.int64))
        doomed = sorted(found[found != GONE].tolist(), reverse=True)
        if doomed:
            self._own()
        for row in doomed:
            last = self._size - 1
            del self._rows[int(self._data[IDS.name][row])]
            for index in self._indexes.values():
                index.remove(row, last)
            for _, data in self._stores():
                data[row] = data[last]
                data[last] = 0  # drop the reference of object columns
            if row != last:
                self._rows[int(self._data[IDS.name][row])] = row
            self._size = last
        if doomed:
            self._version += 1
        return len(doomed)

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
        found = self._rows.rows(np.fromiter(ids, np.int64))
        return np.unique(found[found != GONE])

    def rows_of_ordered(self, ids: np.ndarray) -> np.ndarray:
        """Row of each of `ids`, in that order (unknown ids dropped)."""
        found = self._rows.rows(ids)
        return found[found != GONE]

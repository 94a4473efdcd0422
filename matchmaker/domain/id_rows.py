"""Company id -> row, without one dict entry per id.

Rows of a firm's data (vector rows, side-table rows, saved profile records) are found
by company id. Dicts did that, and at 300k firms the seven of a matcher (profiles, two
side tables, four vector stores) took about 110 MB in every serving worker, built
again by each worker after the fork: most of what a worker held of its own.

`IdRows` keeps a *base*: the ids sorted and the row of each, two numpy arrays built
by one argsort (12 bytes per id), searched by bisection. Changes since the base go to
a small overlay (id -> row, `GONE` for an id removed), folded into a new base once it
outgrows a fraction of the base, so a look-up stays a dict probe and a bisection.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

GONE = -1
# The overlay is folded into the base past max(REBASE_MIN, base size / REBASE_SHARE) ids.
REBASE_MIN = 1024
REBASE_SHARE = 8


class IdRows:
    """Company id -> row. Built from `ids_by_row` (row i holds `ids_by_row[i]`)."""

    def __init__(self, ids_by_row: np.ndarray | Iterable[int] = ()) -> None:
        ids = np.asarray(ids_by_row, dtype=np.int64).reshape(-1)
        self._rebase(ids, np.arange(len(ids), dtype=np.int64))

    def _rebase(self, ids: np.ndarray, rows: np.ndarray) -> None:
        order = np.argsort(ids, kind="stable")
        ordered = ids[order]
        if len(ordered) > 1 and bool(np.any(ordered[1:] == ordered[:-1])):
            raise ValueError("Two rows hold the same company id.")  # nothing changed yet
        self._sorted, self._rows = ordered, rows[order].astype(np.int32)
        self._changes: dict[int, int] = {}
        self._changed: tuple[np.ndarray, np.ndarray] | None = None  # the overlay, sorted
        self._count = len(ids)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, company_id: object) -> bool:
        if not isinstance(company_id, int | np.integer):
            return False
        return self.get(int(company_id)) is not None

    def _in_base(self, company_id: int) -> int:
        at = int(self._sorted.searchsorted(company_id))  # the method: 3x np.searchsorted's speed
        if at < len(self._sorted) and int(self._sorted[at]) == company_id:
            return int(self._rows[at])
        return GONE

    def get(self, company_id: int) -> int | None:
        row = self._changes.get(company_id)
        if row is None:
            row = self._in_base(company_id)
        return None if row == GONE else row

    def __getitem__(self, company_id: int) -> int:
        row = self.get(company_id)
        if row is None:
            raise KeyError(company_id)
        return row

    def __setitem__(self, company_id: int, row: int) -> None:
        company_id = int(company_id)
        if self.get(company_id) is None:
            self._count += 1
        self._changes[company_id] = int(row)
        self._changed_since()

    def __delitem__(self, company_id: int) -> None:
        company_id = int(company_id)
        if self.get(company_id) is None:
            raise KeyError(company_id)
        self._count -= 1
        if self._in_base(company_id) == GONE:
            del self._changes[company_id]  # added since the base: nothing to hide
        else:
            self._changes[company_id] = GONE
        self._changed_since()

    def add(self, ids: np.ndarray, rows: np.ndarray) -> None:
        """Hold new `ids` (none held yet, no repeats) at `rows`: one rebase, not a
        dict entry each (a bulk load appends every firm at once)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return
        if bool(np.any(self.rows(ids) != GONE)):
            raise ValueError("add() was given ids already held.")
        if len(self._changes) + len(ids) <= self._overlay_limit():  # a few: no rebase
            if len(np.unique(ids)) != len(ids):
                raise ValueError("Two rows hold the same company id.")
            for company_id, row in zip(ids.tolist(), np.asarray(rows).tolist(), strict=True):
                self._changes[company_id] = int(row)
            self._count += len(ids)
            self._changed = None
            return
        held_ids, held_rows = self._pairs()
        self._rebase(
            np.concatenate([held_ids, ids]),
            np.concatenate([held_rows, np.asarray(rows, dtype=np.int64)]),
        )

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """The row of each of `ids` (int64, in that order), `GONE` where not held."""
        ids = np.asarray(ids, dtype=np.int64)
        out = _look_up(self._sorted, self._rows, ids)
        if self._changes:
            keys, values = self._overlay()
            changed = _look_up(keys, values, ids, missing=GONE - 1)
            out = np.where(changed != GONE - 1, changed, out)
        return out

    def _overlay(self) -> tuple[np.ndarray, np.ndarray]:
        if self._changed is None:
            size = len(self._changes)
            keys = np.fromiter(self._changes.keys(), np.int64, size)
            values = np.fromiter(self._changes.values(), np.int64, size)
            order = np.argsort(keys)
            self._changed = keys[order], values[order]
        return self._changed

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every held (id, row), the overlay applied."""
        ids, rows = self._sorted, self._rows.astype(np.int64)
        if not self._changes:
            return ids, rows
        keys, values = self._overlay()
        untouched = _look_up(keys, values, ids, missing=GONE - 1) == GONE - 1
        kept = values != GONE
        return (
            np.concatenate([ids[untouched], keys[kept]]),
            np.concatenate([rows[untouched], values[kept]]),
        )

    def _overlay_limit(self) -> int:
        return max(REBASE_MIN, len(self._sorted) // REBASE_SHARE)

    def _changed_since(self) -> None:
        self._changed = None
        if len(self._changes) > self._overlay_limit():
            self._rebase(*self._pairs())


def _look_up(
    keys: np.ndarray, values: np.ndarray, ids: np.ndarray, missing: int = GONE
) -> np.ndarray:
    """values[keys == id] for each of `ids` (`keys` sorted), `missing` where absent."""
    if not len(keys):
        return np.full(len(ids), missing, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
    return np.where(keys[at] == ids, values[at].astype(np.int64), missing)

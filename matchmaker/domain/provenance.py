"""Where a matcher snapshot came from: which database, which generation, which rows.

A generation number alone cannot tie a snapshot to a database state: a restored
backup counts from a lower number and passes the snapshot's again after a few edits,
with different rows behind it. So a snapshot also carries the database's identity
and one 64-bit stamp per company row (of its id, version, update time, generation,
status and sanction facts). A row stamped at or below the snapshot's generation has
not changed since (every change restamps it higher), so a loader can check that
every such row still carries the stamp the snapshot saw.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np


def row_stamp(facts: str) -> int:
    """A 64-bit digest of one row's facts (signed, to fit an int64 array)."""
    digest = hashlib.blake2b(facts.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@dataclass(frozen=True)
class RowStamps:
    """Company id -> stamp, as two aligned int64 arrays sorted by id."""

    ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    values: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> RowStamps:
        rows = sorted(pairs)
        ids = np.fromiter((i for i, _ in rows), dtype=np.int64, count=len(rows))
        values = np.fromiter((v for _, v in rows), dtype=np.int64, count=len(rows))
        return cls(ids, values)

    def __len__(self) -> int:
        return len(self.ids)

    def differing(self, current: RowStamps) -> np.ndarray:
        """Ids of `current` whose stamp this table lacks or holds otherwise."""
        if not len(current):
            return np.empty(0, dtype=np.int64)
        if not len(self):
            return current.ids.copy()
        at = np.clip(np.searchsorted(self.ids, current.ids), 0, len(self) - 1)
        same = (self.ids[at] == current.ids) & (self.values[at] == current.values)
        return current.ids[~same]


@dataclass(frozen=True)
class Provenance:
    """The database state a snapshot was made from."""

    generation: int
    database_id: str = ""
    stamps: RowStamps = field(default_factory=RowStamps)

"""Term postings of one side's rows, kept up to date write by write.

BM25 over a side needs the rows that hold each of A's terms (with their counts), every
row's length, the side's average length and each term's document frequency, and
every write changes the last three. The side's whole BM25 matrix used to be rebuilt
from every row's term counts after each change: at 100k firms the next request on the
changed side paid 150-500 ms, in every worker, and each worker held its own copy of
the matrices (~100 MB). Here nothing is weighted in advance: postings hold raw counts,
and a request weights the few postings of its own terms with the current statistics.

Postings name *slots*, not rows: rows move (a removal moves the last row into the
gap, as the side's vector indexes do) and postings are never rewritten in place.
Every row holds a slot; a change gives the row a fresh slot and kills the old one
(`slot_row` says -1). Postings come in two segments: the *base*, built over every
row at once (or memory-mapped from a snapshot, so workers share it), and the
*recent* one, rebuilt from the few rows written since, when a read needs it. Once
dead and recent slots reach `COMPACT_SHARE` of the rows, the next read rebuilds the
base from the live rows.

Document frequencies and the total length are kept as exact integers, so after any
sequence of writes every statistic is the one a fresh build over the same rows
gives, and so is every score: a row's weights are summed in the order of the query's
terms, whichever segment holds it and wherever the row sits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

COMPACT_SHARE = 1 / 32  # dead + recent slots, as a share of the rows, that trigger a rebuild
COMPACT_MIN = 256  # ... but never below this many (a small side rebuilds in microseconds)


@dataclass(frozen=True, eq=False)
class TermCounts:
    """One profile's distinct term ids and their counts (an object column's cell)."""

    ids: np.ndarray  # int64, distinct
    counts: np.ndarray  # float64, whole numbers
    script: int = 0  # the script code of the text (see components.lexical); 0: no letters

    @property
    def length(self) -> float:
        return float(self.counts.sum())


@dataclass(frozen=True)
class Segment:
    """Postings by term: those of term t are `slots[ptr[k]:ptr[k + 1]]` (ascending) with
    their counts, where k is t itself or, for a segment saved under other term ids,
    `places[t]` (-1: none); terms past the end of `ptr` (or `places`) have none."""

    ptr: np.ndarray  # int64, one more than the terms it covers
    slots: np.ndarray  # int32 or int64
    counts: np.ndarray  # float32: whole numbers, exact
    places: np.ndarray | None = None  # int64 per term id: its row of `ptr`, -1 if none

    @classmethod
    def of(cls, cells: Sequence[TermCounts], slots: np.ndarray) -> Segment:
        """The postings of `cells`, cell i holding slot `slots[i]` (ascending)."""
        if not len(cells):
            return cls(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
        per_cell = np.fromiter((len(c.ids) for c in cells), dtype=np.int64, count=len(cells))
        ids = np.concatenate([c.ids for c in cells])
        counts = np.concatenate([c.counts for c in cells]).astype(np.float32)
        owners = np.repeat(np.asarray(slots, dtype=np.int64), per_cell)
        terms = int(ids.max()) + 1 if len(ids) else 0
        # scipy's counting sort (COO -> CSR) groups by term in C; each term's slots
        # come out sorted, and a cell's ids are distinct, so nothing is summed.
        by_term = sparse.csr_matrix(
            (counts, (ids, owners)), shape=(terms, int(owners.max(initial=-1)) + 1)
        )
        by_term.sort_indices()
        return cls(by_term.indptr.astype(np.int64), by_term.indices, by_term.data)

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> Segment:
        return cls(arrays["ptr"], arrays["slots"], arrays["counts"])

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"ptr": self.ptr, "slots": self.slots, "counts": self.counts}

    def __len__(self) -> int:
        return len(self.slots)

    def spans(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, length) of the postings of each of `ids`."""
        if self.places is not None:
            inside = ids < len(self.places)
            ids = np.where(inside, self.places[np.where(inside, ids, 0)], -1)
        inside = (ids >= 0) & (ids < len(self.ptr) - 1)
        starts = np.zeros(len(ids), dtype=np.int64)
        ends = np.zeros(len(ids), dtype=np.int64)
        starts[inside] = self.ptr[ids[inside]]
        ends[inside] = self.ptr[ids[inside] + 1]
        return starts, ends - starts


class TermPostings:
    """A side's term postings, document frequencies and row lengths (see the module
    docstring). The side table calls `append`, `overwrite` and `remove` as its rows
    change, and `ready` before a read; the caller serialises writes and reads."""

    def __init__(self) -> None:
        self._base = Segment.of([], np.zeros(0, np.int64))
        self._base_slots = 0  # slots below this are the base segment's
        self._next_slot = 0
        self._slot_row = np.zeros(0, np.int64)  # per slot: its row, -1 once dead
        self._row_slot = np.zeros(0, np.int64)  # per row: its slot
        self._lengths = np.zeros(0, np.float64)  # per row
        self._scripts = np.zeros(0, np.uint8)  # per row
        self._size = 0
        self._document_frequency = np.zeros(0, np.int64)  # per term id
        self._total_length = 0  # whole numbers: exact in any order
        self._postings = 0  # of the live rows
        self._recent: dict[int, TermCounts] = {}  # live slots above the base, and their cells
        self._dead_in_base = 0
        self._recent_segment: Segment | None = None  # built from `_recent` when read
        self._version = 0
        self._norms: tuple[int, float, float, np.ndarray] | None = None
        self._read_rows: tuple[int, np.ndarray] | None = None
        self._clean_version = 0  # the version at which slot i was row i, every slot live

    # --- building -------------------------------------------------------------------

    @classmethod
    def from_saved(
        cls, arrays: Mapping[str, np.ndarray], scripts: np.ndarray, term_ids: np.ndarray
    ) -> TermPostings:
        """Postings whose base segment is `arrays` (`export`'s; e.g. read-only maps of a
        snapshot, used in place so that workers share them), row i in slot i; `scripts`:
        each row's script code; `term_ids`: this process's id of each saved term (in a
        worker that starts from the snapshot, the saved ids themselves)."""
        postings = cls()
        base = Segment.from_arrays(arrays)
        if len(term_ids) != len(base.ptr) - 1:
            raise ValueError("Saved term postings and vocabulary differ in size.")
        frequency = np.diff(base.ptr).astype(np.int64)
        if not np.array_equal(term_ids, np.arange(len(term_ids))):
            places = np.full(int(term_ids.max(initial=-1)) + 1, -1, np.int64)
            places[term_ids] = np.arange(len(term_ids))
            base = replace(base, places=places)
            frequency = np.zeros(len(places), np.int64)
            frequency[term_ids] = np.diff(base.ptr)
        lengths = np.asarray(arrays["lengths"], dtype=np.float64)
        size = len(lengths)
        if len(scripts) != size or (len(base) and int(base.slots.max()) >= size):
            raise ValueError("Saved term postings and term counts hold different rows.")
        postings._base = base
        postings._slot_row = np.arange(size, dtype=np.int64)
        postings._row_slot = np.arange(size, dtype=np.int64)
        postings._lengths = np.array(lengths)
        postings._scripts = np.array(scripts, dtype=np.uint8)
        postings._size = postings._next_slot = postings._base_slots = size
        postings._document_frequency = frequency
        postings._total_length = int(lengths.sum())
        postings._postings = len(base)
        return postings

    def export(self, cells: np.ndarray) -> dict[str, np.ndarray]:
        """A base segment over the live rows (`cells`, in row order), slot = row, and
        each row's length: what `from_saved` takes back."""
        if self._version != self._clean_version or self._base.places is not None:
            self._compact(cells)
        return self._base.to_arrays() | {"lengths": self._lengths[: self._size]}

    # --- changes (mirroring the side table) ------------------------------------------

    def append(self, cells: Sequence[TermCounts]) -> None:
        self._append_cells(cells)

    def overwrite(self, row: int, old: TermCounts, new: TermCounts) -> None:
        self._forget(row, old)
        slot = self._new_slots(1)[0]
        self._row_slot[row], self._slot_row[slot] = slot, row
        self._lengths[row], self._scripts[row] = new.length, new.script
        self._count(new)
        self._recent[int(slot)] = new
        self._changed()

    def remove(self, row: int, last: int, old: TermCounts) -> None:
        """Drop `row` (holding `old`), the last row (`last`) moving into its place."""
        self._forget(row, old)
        if row != last:
            moved = self._row_slot[last]
            self._row_slot[row], self._slot_row[moved] = moved, row
            self._lengths[row], self._scripts[row] = self._lengths[last], self._scripts[last]
        self._size -= 1
        self._changed()

    def ready(self, cells: np.ndarray) -> None:
        """Rebuild the base from `cells` (every live row's, in row order) once enough of
        it is dead or recent that reading around the gaps costs more than the rebuild."""
        stale = len(self._recent) + self._dead_in_base
        if stale and stale >= max(COMPACT_MIN, COMPACT_SHARE * self._size):
            self._compact(cells)

    # --- reads ------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    @property
    def base(self) -> Segment:
        """The segment built over every row at once (or mapped from a snapshot)."""
        return self._base

    @property
    def average_length(self) -> float:
        if not self._size or self._total_length <= 0:
            return 1.0
        return self._total_length / self._size

    @property
    def scripts(self) -> np.ndarray:
        return self._scripts[: self._size]

    @property
    def postings_per_row(self) -> float:
        return self._postings / max(self._size, 1)

    def document_frequency(self, ids: np.ndarray) -> np.ndarray:
        """How many live rows hold each of `ids` (0 for terms no row ever had)."""
        known = self._document_frequency
        frequency = np.zeros(len(ids), dtype=np.int64)
        inside = ids < len(known)
        frequency[inside] = known[ids[inside]]
        return frequency

    def norms(self, k1: float, b: float) -> np.ndarray:
        """BM25's length normalisation of every row, k1 (1 - b + b len / average), and a
        last one (1) for the row past the end that dead postings name."""
        cached = self._norms
        if cached is None or cached[:3] != (self._version, k1, b):
            lengths = self._lengths[: self._size]
            norms = np.ones(self._size + 1)
            norms[:-1] = k1 * (1 - b + b * lengths / self.average_length)
            cached = (self._version, k1, b, norms)
            self._norms = cached
        return cached[3]

    def posting_count(self, ids: np.ndarray) -> int:
        """How many postings `each_term(ids)` yields (dead ones included)."""
        total = int(self._base.spans(ids)[1].sum())
        if self._recent:
            total += int(self._recent_postings().spans(ids)[1].sum())
        return total

    def each_term(self, ids: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """(position in `ids`, rows, counts) of each of `ids` that has postings: the base
        segment's terms in the order of `ids`, then the recent segment's. A live row sits
        in one segment, so its postings come in the order of `ids` (the order its weights
        are summed in). Dead postings name row `len(self)`, one past the last: summed
        into a bin the caller drops, they cost less than being filtered out."""
        segments = [self._base]
        if self._recent:
            segments.append(self._recent_postings())
        rows_of = None if self._version == self._clean_version else self._rows_of_slots()
        for segment in segments:
            starts, lengths = segment.spans(ids)
            for k in np.flatnonzero(lengths).tolist():
                start = int(starts[k])
                slots = segment.slots[start : start + int(lengths[k])]
                rows = slots if rows_of is None else rows_of[slots]
                yield k, rows, segment.counts[start : start + int(lengths[k])]

    # --- internals --------------------------------------------------------------------

    def _rows_of_slots(self) -> np.ndarray:
        cached = self._read_rows
        if cached is None or cached[0] != self._version:
            rows = self._slot_row[: self._next_slot]
            cached = (self._version, np.where(rows < 0, self._size, rows))
            self._read_rows = cached
        return cached[1]

    def _append_cells(self, cells: Sequence[TermCounts]) -> None:
        count = len(cells)
        if not count:
            return
        slots = self._new_slots(count)
        rows = np.arange(self._size, self._size + count)
        self._reserve_rows(self._size + count)
        self._row_slot[rows], self._slot_row[slots] = slots, rows
        per_cell = np.fromiter((len(c.ids) for c in cells), dtype=np.int64, count=count)
        ids = np.concatenate([c.ids for c in cells])
        counts = np.concatenate([c.counts for c in cells])
        owner = np.repeat(np.arange(count), per_cell)
        self._lengths[rows] = np.bincount(owner, weights=counts, minlength=count)
        self._scripts[rows] = np.fromiter((c.script for c in cells), np.uint8, count=count)
        if len(ids):
            self._grow_terms(int(ids.max()) + 1)
            self._document_frequency += np.bincount(ids, minlength=len(self._document_frequency))
        self._total_length += int(counts.sum())
        self._postings += len(ids)
        self._size += count
        self._recent.update(zip(slots.tolist(), cells, strict=True))
        self._changed()

    def _forget(self, row: int, old: TermCounts) -> None:
        slot = int(self._row_slot[row])
        self._slot_row[slot] = -1
        if slot < self._base_slots:
            self._dead_in_base += 1
        else:
            del self._recent[slot]
        self._document_frequency[old.ids] -= 1
        self._total_length -= int(old.length)
        self._postings -= len(old.ids)

    def _count(self, cell: TermCounts) -> None:
        if len(cell.ids):
            self._grow_terms(int(cell.ids.max()) + 1)
            self._document_frequency[cell.ids] += 1
            self._total_length += int(cell.length)
            self._postings += len(cell.ids)

    def _new_slots(self, count: int) -> np.ndarray:
        start = self._next_slot
        self._next_slot += count
        if self._next_slot > len(self._slot_row):
            grown = np.full(max(self._next_slot, 2 * len(self._slot_row), 64), -1, np.int64)
            grown[: len(self._slot_row)] = self._slot_row
            self._slot_row = grown
        return np.arange(start, self._next_slot, dtype=np.int64)

    def _reserve_rows(self, rows: int) -> None:
        if rows <= len(self._row_slot):
            return
        grown = max(rows, 2 * len(self._row_slot), 64)
        for name in ("_row_slot", "_lengths", "_scripts"):
            old = getattr(self, name)
            bigger = np.zeros(grown, dtype=old.dtype)
            bigger[: len(old)] = old
            setattr(self, name, bigger)

    def _grow_terms(self, terms: int) -> None:
        if terms > len(self._document_frequency):
            grown = np.zeros(max(terms, 2 * len(self._document_frequency)), np.int64)
            grown[: len(self._document_frequency)] = self._document_frequency
            self._document_frequency = grown

    def _changed(self) -> None:
        self._version += 1
        self._recent_segment = None

    def _recent_postings(self) -> Segment:
        if self._recent_segment is None:
            slots = sorted(self._recent)
            cells = [self._recent[s] for s in slots]
            self._recent_segment = Segment.of(cells, np.asarray(slots, dtype=np.int64))
        return self._recent_segment

    def _compact(self, cells: np.ndarray) -> None:
        size = self._size
        if len(cells) != size:
            raise ValueError("The term column and the postings hold different rows.")
        self._base = Segment.of(list(cells), np.arange(size))
        self._slot_row = np.arange(max(size, 64), dtype=np.int64)
        self._slot_row[size:] = -1
        self._row_slot[:size] = np.arange(size)
        self._base_slots = self._next_slot = size
        self._recent.clear()
        self._dead_in_base = 0
        self._recent_segment = None
        self._clean_version = self._version

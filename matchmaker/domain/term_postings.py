"""Term counts and postings of one side's rows, kept up to date write by write.

BM25 over a side needs the rows that hold each of A's terms (with their counts), every
row's length, the side's average length and each term's document frequency, and
every write changes the last three. The side's whole BM25 matrix used to be rebuilt
from every row's term counts after each change: at 100k firms the next request on the
changed side paid 150-500 ms, in every worker, and each worker held its own copy of
the matrices (~100 MB). Here nothing is weighted in advance: postings hold raw counts,
and a request weights the few postings of its own terms with the current statistics.

Both directions are kept: each row's terms (*forward*, for the rows a request shows or
shortlists) and each term's rows (*postings*, for scoring every row). Both name
*slots*, not rows: rows move (a removal moves the last row into the gap, as the side's
vector indexes do) and nothing is rewritten in place. Every row holds a slot; a change
gives the row a fresh slot and kills the old one (`slot_row` says -1). The *base*
covers the slots that existed when it was built (or memory-mapped from a snapshot, so
workers share it, and no per-row object is made at load); slots written since are
*recent*, each with its `TermCounts`, and their postings are rebuilt when a read needs
them. Once dead and recent slots reach `COMPACT_SHARE` of the rows, the next read
rebuilds the base from the live rows.

Document frequencies and the total length are kept as exact integers, so after any
sequence of writes every statistic is the one a fresh build over the same rows
gives, and so is every score: a row's weights are summed in the order of the query's
terms, whichever segment holds it and wherever the row sits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

COMPACT_SHARE = 1 / 32  # dead + recent slots, as a share of the rows, that trigger a rebuild
COMPACT_MIN = 256  # ... but never below this many (a small side rebuilds in microseconds)


@dataclass(frozen=True, eq=False)
class TermCounts:
    """One profile's distinct term ids and their counts."""

    ids: np.ndarray  # int64, distinct
    counts: np.ndarray  # float64, whole numbers
    script: int = 0  # the script code of the text (see components.lexical); 0: no letters

    @property
    def length(self) -> float:
        return float(self.counts.sum())


@dataclass(frozen=True)
class Flat:
    """Terms of many slots at once: slot `owners[i]` holds term `ids[i]` `counts[i]` times."""

    owners: np.ndarray  # int64
    ids: np.ndarray  # int64
    counts: np.ndarray  # float64

    @classmethod
    def of(cls, cells: Sequence[TermCounts], owners: np.ndarray) -> Flat:
        if not len(cells):
            return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        per_cell = np.fromiter((len(c.ids) for c in cells), dtype=np.int64, count=len(cells))
        return cls(
            np.repeat(np.asarray(owners, dtype=np.int64), per_cell),
            np.concatenate([c.ids for c in cells]).astype(np.int64, copy=False),
            np.concatenate([c.counts for c in cells]).astype(np.float64, copy=False),
        )

    @classmethod
    def joined(cls, parts: Sequence[Flat]) -> Flat:
        return cls(
            np.concatenate([p.owners for p in parts]),
            np.concatenate([p.ids for p in parts]),
            np.concatenate([p.counts for p in parts]),
        )


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions start, start + 1, ... of each (start, length), concatenated."""
    offsets = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - offsets, lengths)


@dataclass(frozen=True)
class Segment:
    """Postings by term: those of term t are `slots[ptr[t]:ptr[t + 1]]` (ascending) with
    their counts; terms past the end of `ptr` have none."""

    ptr: np.ndarray  # int64, one more than the terms it covers
    slots: np.ndarray  # int32 or int64
    counts: np.ndarray  # float32: whole numbers, exact

    @classmethod
    def of(cls, flat: Flat) -> Segment:
        if not len(flat.ids):
            return cls(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
        # scipy's counting sort (COO -> CSR) groups by term in C; each term's slots
        # come out sorted, and a slot's ids are distinct, so nothing is summed.
        by_term = sparse.csr_matrix(
            (flat.counts.astype(np.float32), (flat.ids, flat.owners)),
            shape=(int(flat.ids.max()) + 1, int(flat.owners.max()) + 1),
        )
        by_term.sort_indices()
        return cls(by_term.indptr.astype(np.int64), by_term.indices, by_term.data)

    def __len__(self) -> int:
        return len(self.slots)

    def spans(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, length) of the postings of each of `ids`."""
        inside = ids < len(self.ptr) - 1
        starts = np.zeros(len(ids), dtype=np.int64)
        ends = np.zeros(len(ids), dtype=np.int64)
        starts[inside] = self.ptr[ids[inside]]
        ends[inside] = self.ptr[ids[inside] + 1]
        return starts, ends - starts


@dataclass(frozen=True)
class Forward:
    """Terms by slot: slot s holds `ids[indptr[s]:indptr[s + 1]]` with their counts."""

    indptr: np.ndarray  # int64, one more than the slots it covers
    ids: np.ndarray  # int64
    counts: np.ndarray  # float64

    @classmethod
    def of(cls, flat: Flat, slots: int) -> Forward:
        """From terms grouped by ascending owner (slots 0 .. `slots` - 1)."""
        indptr = np.zeros(slots + 1, dtype=np.int64)
        np.cumsum(np.bincount(flat.owners, minlength=slots), out=indptr[1:])
        return cls(indptr, flat.ids, flat.counts)

    def read(self, slots: np.ndarray) -> Flat:
        """The terms of `slots`, owner = position in `slots`."""
        starts = self.indptr[slots]
        lengths = self.indptr[slots + 1] - starts
        cells = _ranges(starts, lengths)
        owners = np.repeat(np.arange(len(slots), dtype=np.int64), lengths)
        return Flat(owners, self.ids[cells], self.counts[cells])


SAVED = ("indptr", "ids", "counts", "ptr", "slots", "postings", "lengths", "scripts")  # export


class TermPostings:
    """A side's term counts, postings, document frequencies and row lengths (see the
    module docstring). The side table calls `append`, `overwrite` and `remove` as its
    rows change, and `ready` before a read; the caller serialises writes and reads."""

    def __init__(self) -> None:
        empty = Flat.of([], np.zeros(0, np.int64))
        self._forward = Forward.of(empty, 0)  # the base slots' terms
        self._base = Segment.of(empty)  # the base slots' postings
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
    def from_saved(cls, arrays: Mapping[str, np.ndarray], term_ids: np.ndarray) -> TermPostings:
        """Postings over `export`'s arrays (e.g. read-only maps of a snapshot, used in
        place so that workers share them), row i in slot i; `term_ids`: this process's id
        of each saved term id. A worker that starts from the snapshot numbers terms as
        it was saved; any other process gets its own copy, renumbered."""
        postings = cls()
        forward = Forward(arrays["indptr"], arrays["ids"], arrays["counts"])
        base = Segment(arrays["ptr"], arrays["slots"], arrays["postings"])
        lengths, scripts = arrays["lengths"], arrays["scripts"]
        size = len(lengths)
        if len(scripts) != size or len(forward.indptr) != size + 1:
            raise ValueError("the saved term counts and row lengths hold different rows")
        if len(base) != len(forward.ids) or int(forward.indptr[-1]) != len(forward.ids):
            raise ValueError("the saved postings and term counts differ in size")
        if len(base.ptr) - 1 > len(term_ids):
            raise ValueError("the saved postings name terms the vocabulary lacks")
        if not np.array_equal(term_ids, np.arange(len(term_ids))):
            forward = Forward(forward.indptr, term_ids[forward.ids], forward.counts)
            owners = np.repeat(np.arange(size, dtype=np.int64), np.diff(forward.indptr))
            base = Segment.of(Flat(owners, forward.ids, np.asarray(forward.counts)))
        postings._forward, postings._base = forward, base
        postings._slot_row = np.arange(size, dtype=np.int64)
        postings._row_slot = np.arange(size, dtype=np.int64)
        postings._lengths = np.array(lengths, dtype=np.float64)
        postings._scripts = np.array(scripts, dtype=np.uint8)
        postings._size = postings._next_slot = size
        postings._document_frequency = np.diff(base.ptr).astype(np.int64)
        postings._total_length = int(postings._lengths.sum())
        postings._postings = len(base)
        return postings

    def export(self) -> dict[str, np.ndarray]:
        """Every live row's terms and the postings, slot = row, with each row's length
        and script: what `from_saved` takes back."""
        if self._version != self._clean_version:
            self._compact()
        forward, base = self._forward, self._base
        return {
            "indptr": forward.indptr,
            "ids": forward.ids,
            "counts": forward.counts,
            "ptr": base.ptr,
            "slots": base.slots,
            "postings": base.counts,
            "lengths": self._lengths[: self._size],
            "scripts": self._scripts[: self._size],
        }

    # --- changes (mirroring the side table) ------------------------------------------

    def append(self, cells: Sequence[TermCounts]) -> None:
        count = len(cells)
        if not count:
            return
        slots = self._new_slots(count)
        rows = np.arange(self._size, self._size + count)
        self._reserve_rows(self._size + count)
        self._row_slot[rows], self._slot_row[slots] = slots, rows
        flat = Flat.of(cells, np.arange(count))
        self._lengths[rows] = np.bincount(flat.owners, weights=flat.counts, minlength=count)
        self._scripts[rows] = np.fromiter((c.script for c in cells), np.uint8, count=count)
        if len(flat.ids):
            self._grow_terms(int(flat.ids.max()) + 1)
            frequency = np.bincount(flat.ids, minlength=len(self._document_frequency))
            self._document_frequency += frequency
        self._total_length += int(flat.counts.sum())
        self._postings += len(flat.ids)
        self._size += count
        self._recent.update(zip(slots.tolist(), cells, strict=True))
        self._changed()

    def overwrite(self, row: int, new: TermCounts) -> None:
        self._forget(row)
        slot = self._new_slots(1)[0]
        self._row_slot[row], self._slot_row[slot] = slot, row
        self._lengths[row], self._scripts[row] = new.length, new.script
        if len(new.ids):
            self._grow_terms(int(new.ids.max()) + 1)
            self._document_frequency[new.ids] += 1
        self._total_length += int(new.length)
        self._postings += len(new.ids)
        self._recent[int(slot)] = new
        self._changed()

    def remove(self, row: int, last: int) -> None:
        """Drop `row`, the last row (`last`) moving into its place."""
        self._forget(row)
        if row != last:
            moved = self._row_slot[last]
            self._row_slot[row], self._slot_row[moved] = moved, row
            self._lengths[row], self._scripts[row] = self._lengths[last], self._scripts[last]
        self._size -= 1
        self._changed()

    def ready(self) -> None:
        """Rebuild the base from the live rows once enough of it is dead or recent that
        reading around the gaps costs more than the rebuild."""
        stale = len(self._recent) + self._dead_in_base
        if stale and stale >= max(COMPACT_MIN, COMPACT_SHARE * self._size):
            self._compact()

    # --- reads ------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    @property
    def _base_slots(self) -> int:
        """Slots below this are the base's (those its forward arrays cover)."""
        return len(self._forward.indptr) - 1

    @property
    def base(self) -> Segment:
        """The postings built over every row at once (or mapped from a snapshot)."""
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

    def terms(self, row: int) -> TermCounts:
        """Row `row`'s term counts."""
        slot = int(self._row_slot[row])
        if slot >= self._base_slots:
            return self._recent[slot]
        start, end = int(self._forward.indptr[slot]), int(self._forward.indptr[slot + 1])
        forward = self._forward
        return TermCounts(
            forward.ids[start:end], forward.counts[start:end], int(self._scripts[row])
        )

    def terms_of(self, rows: np.ndarray) -> Flat:
        """The term counts of `rows`, owner = position in `rows` (a row's terms in their
        stored order, which is the same wherever the row's slot is)."""
        slots = self._row_slot[rows]
        in_base = slots < self._base_slots
        if in_base.all():
            return self._forward.read(slots)
        base = self._forward.read(slots[in_base])
        placed = np.flatnonzero(in_base)
        recent = np.flatnonzero(~in_base)
        parts = [Flat(placed[base.owners], base.ids, base.counts)]
        parts.append(Flat.of([self._recent[int(s)] for s in slots[recent]], recent))
        return Flat.joined(parts)

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

    def _forget(self, row: int) -> None:
        old = self.terms(row)
        slot = int(self._row_slot[row])
        self._slot_row[slot] = -1
        if slot < self._base_slots:
            self._dead_in_base += 1
        else:
            del self._recent[slot]
        self._document_frequency[old.ids] -= 1
        self._total_length -= int(old.length)
        self._postings -= len(old.ids)

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
            flat = Flat.of([self._recent[s] for s in slots], np.asarray(slots, np.int64))
            self._recent_segment = Segment.of(flat)
        return self._recent_segment

    def _compact(self) -> None:
        size = self._size
        flat = self.terms_of(np.arange(size))
        order = np.argsort(flat.owners, kind="stable")  # recent rows' terms come last
        flat = Flat(flat.owners[order], flat.ids[order], flat.counts[order])
        self._forward = Forward.of(flat, size)
        self._base = Segment.of(flat)
        self._slot_row = np.arange(max(size, 64), dtype=np.int64)
        self._slot_row[size:] = -1
        self._row_slot[:size] = np.arange(size)
        self._next_slot = size
        self._recent.clear()
        self._dead_in_base = 0
        self._recent_segment = None
        self._clean_version = self._version

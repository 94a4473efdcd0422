"""Unit vectors in rows we own: the exact (flat) index's storage.

FAISS's `IndexFlat` keeps its vectors in a `std::vector` (small pages) and closes a
removal's gap by moving every later row. Here the rows live in an anonymous `mmap`
aligned to 2 MiB and advised `MADV_HUGEPAGE`, so the inner-product kernel streams
them with few TLB misses, and a removal moves the *last* row into the gap (O(1)).
Anyone keeping per-row data beside these rows (the side table) applies the same rule:
`remove` handles the doomed rows in descending order, each replaced by the last row,
so rows computed before the call stay valid while it runs.

`adopt` wraps an existing array (e.g. a read-only `np.memmap` of a snapshot) without
copying it; the first change copies it into owned memory (copy-on-write), so the
file is never written.

Scores come from FAISS's single-threaded `fvec_inner_products_ny`, the kernel an
`IndexFlatIP` search uses for one query: measured as fast as numpy's GEMV here, and
it keeps scores equal bit for bit to those the engine gave over FAISS storage.
"""

from __future__ import annotations

import mmap

import faiss
import numpy as np

from matchmaker.domain.id_rows import GONE, IdRows

HUGE_PAGE = 2 << 20


def _owned(rows: int, dimension: int) -> np.ndarray:
    """A zeroed float32 (rows, dimension) matrix in huge-page-advised anonymous memory."""
    size = max(rows * dimension * 4, 1)
    area = mmap.mmap(-1, size + HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    if hasattr(mmap, "MADV_HUGEPAGE"):
        area.madvise(mmap.MADV_HUGEPAGE)
    address = np.frombuffer(area, dtype=np.uint8, count=1).ctypes.data
    offset = (-address) % HUGE_PAGE
    flat = np.frombuffer(area, dtype=np.float32, count=rows * dimension, offset=offset)
    return flat.reshape(rows, dimension)  # the view keeps `area` alive


class VectorRows:
    """float32 rows with an int64 id each; id -> row kept in an `IdRows`."""

    def __init__(self, dimension: int, capacity: int = 0) -> None:
        self.dimension = dimension
        self._matrix = _owned(capacity, dimension)
        self._ids = np.empty(capacity, dtype=np.int64)
        self._size = 0
        self._owned = True
        self._rows: IdRows | None = IdRows()

    @classmethod
    def adopt(cls, ids: np.ndarray, vectors: np.ndarray) -> VectorRows:
        """Wrap `vectors` (row i is `ids[i]`) without copying; copied on first change."""
        if vectors.dtype != np.float32 or not vectors.flags.c_contiguous:
            raise ValueError("adopt needs a C-contiguous float32 matrix.")
        if vectors.ndim != 2 or len(ids) != len(vectors):
            raise ValueError("adopt needs one id per vector row.")
        store = cls(int(vectors.shape[1]))
        store._matrix, store._ids = vectors, np.asarray(ids, dtype=np.int64)
        store._size, store._owned, store._rows = len(vectors), False, None
        return store

    def __len__(self) -> int:
        return self._size

    def __contains__(self, company_id: int) -> bool:
        return company_id in self._row_map()

    @property
    def owned(self) -> bool:
        return self._owned

    def _row_map(self) -> IdRows:
        if self._rows is None:  # adopted: built on first look-up, not at load
            self._rows = IdRows(self.ids)
        return self._rows

    def row_of(self, company_id: int) -> int:
        return self._row_map()[company_id]

    @property
    def ids(self) -> np.ndarray:
        return self._ids[: self._size]

    @property
    def matrix(self) -> np.ndarray:
        """The live rows (a view: valid until the next change)."""
        return self._matrix[: self._size]

    def _reserve(self, rows: int) -> None:
        """Owned memory for at least `rows` rows (doubling; one copy per growth)."""
        capacity = len(self._matrix)
        if self._owned and rows <= capacity:
            return
        grown = max(rows, 2 * capacity if self._owned else rows, 64)
        matrix = _owned(grown, self.dimension)
        matrix[: self._size] = self._matrix[: self._size]
        ids = np.empty(grown, dtype=np.int64)
        ids[: self._size] = self._ids[: self._size]
        self._matrix, self._ids, self._owned = matrix, ids, True

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Overwrite held ids in place; append the others in order."""
        rows = self._row_map()
        self._reserve(self._size + len(ids))
        held = rows.rows(ids)
        new = held == GONE
        if bool(new.all()) and len(np.unique(ids)) == len(ids):  # all new: one append
            start, end = self._size, self._size + len(ids)
            self._matrix[start:end] = vectors
            self._ids[start:end] = ids
            rows.add(ids, np.arange(start, end))
            self._size = end
            return
        for company_id, vector in zip(ids.tolist(), vectors, strict=True):
            row = rows.get(company_id)
            if row is None:
                row = rows[company_id] = self._size
                self._ids[row] = company_id
                self._size += 1
            self._matrix[row] = vector

    def overwrite(self, row: int, company_id: int, vector: np.ndarray) -> None:
        if not 0 <= row < self._size or int(self._ids[row]) != company_id:
            raise KeyError(f"Row {row} does not hold company {company_id}.")
        self._reserve(self._size)
        self._matrix[row] = vector

    def remove(self, ids: np.ndarray) -> list[tuple[int, int]]:
        """Drop held `ids` (unknown ones ignored), each row replaced by the last one.
        Returns the moves (from_row, to_row) made, in order."""
        rows = self._row_map()
        found = rows.rows(ids)
        doomed = sorted(set(found[found != GONE].tolist()), reverse=True)
        if not doomed:
            return []
        self._reserve(self._size)
        moves = []
        for row in doomed:
            del rows[int(self._ids[row])]
            last = self._size - 1
            if row != last:
                self._matrix[row] = self._matrix[last]
                moved = int(self._ids[last])
                self._ids[row] = moved
                rows[moved] = row
                moves.append((last, row))
            self._size = last
        return moves

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        rows = self._row_map().rows(ids)
        if bool(np.any(rows == GONE)):
            raise KeyError(f"Not held: {np.asarray(ids)[rows == GONE][:5].tolist()}")
        return self._matrix[rows]

    def scan(self, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Inner product of `query` with every row (or with `rows`, gathered first).
        Each product is computed alone, so a row's value does not depend on the others."""
        storage = self.matrix if rows is None else np.ascontiguousarray(self.matrix[rows])
        scores = np.empty(len(storage), dtype=np.float32)
        if len(storage):
            faiss.fvec_inner_products_ny(  # type: ignore[attr-defined]
                faiss.swig_ptr(scores),
                faiss.swig_ptr(np.ascontiguousarray(query, dtype=np.float32)),
                faiss.swig_ptr(storage),
                self.dimension,
                len(storage),
            )
        return scores

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Exact top-`k` (ids, scores), best first, ties by ascending id; `allowed`:
        only these ids (unknown ones ignored)."""
        if allowed is None:
            rows = None
            ids = self.ids
        else:
            rows = self._row_map().rows(allowed)
            rows = rows[rows != GONE]
            ids = self.ids[rows]
        scores = self.scan(query, rows)
        k = min(k, len(scores))
        if k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        if k < len(scores):
            cut = np.partition(scores, len(scores) - k)[len(scores) - k]
            near = np.flatnonzero(scores >= cut)  # every tie at the cut, settled by id
        else:
            near = np.arange(len(scores))
        order = np.lexsort((ids[near], -scores[near]))[:k]
        best = near[order]
        return ids[best].copy(), scores[best]

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        return self.ids.copy(), self.matrix.copy()

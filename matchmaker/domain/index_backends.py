"""The two FAISS engines behind `VectorIndex`: exact ("flat") and approximate ("hnsw").

Both take validated input (int64 ids, float32 C-contiguous unit vectors) from
`VectorIndex`, which owns validation, threading and persistence.

flat: exact inner product over `VectorRows` (rows we own; see `vector_rows`): an
upsert overwrites in place or appends, a removal moves the last row into the gap.

hnsw: `IndexHNSWFlat` (inner product). HNSW cannot delete a node, so a removed or
replaced vector becomes a *tombstone*: its graph node stays (it still routes
searches) but a bitmap selector hides it from results. When tombstones exceed
`HnswParams.max_tombstone_ratio` of the live vectors the graph is rebuilt from
the live vectors (about 4 s at 100k on 2 cores); `compact()` does it on demand.
IVF was the alternative (native `remove_ids`) but needs training, drifts as data
changes and recalls less per millisecond on MiniLM vectors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import faiss
import numpy as np

from matchmaker.domain.vector_rows import VectorRows

Hits = tuple[np.ndarray, np.ndarray]  # (ids int64, scores float32) per query


@dataclass(frozen=True)
class HnswParams:
    """HNSW settings; defaults measured on MiniLM vectors (recall@10 ~0.98, 0.13 ms)."""

    m: int = 32  # graph degree: more = better recall, more memory
    ef_construction: int = 40  # build-time beam width
    ef_search: int = 64  # query-time beam width (raised to k when k is larger)
    max_tombstone_ratio: float = 0.2  # rebuild when dead nodes exceed this share of live ones
    exact_below: int = 2048  # a filter this small is searched exactly (HNSW recall drops)


class FlatBackend:
    """Exact search over rows we own (`VectorRows`): huge-page memory, removal by
    moving the last row into the gap."""

    def __init__(self, dimension: int, rows: VectorRows | None = None) -> None:
        self.dimension = dimension
        self.rows = rows if rows is not None else VectorRows(dimension)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, company_id: int) -> bool:
        return company_id in self.rows

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.rows.upsert(ids, vectors)

    def remove(self, ids: np.ndarray) -> int:
        before = len(self.rows)
        self.rows.remove(ids)
        return before - len(self.rows)

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> list[Hits]:
        return [self.rows.search(query, k, allowed) for query in queries]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self.rows.vectors(ids)

    def scan(self, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        return self.rows.scan(query, rows)

    def overwrite(self, row: int, company_id: int, vector: np.ndarray) -> None:
        self.rows.overwrite(row, company_id, vector)

    def ids(self) -> np.ndarray:
        """Company id of every row, in storage order (a removal moves the last row)."""
        return self.rows.ids.copy()

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        return self.rows.export()


class HnswBackend:
    """Approximate search with tombstones; see the module docstring."""

    def __init__(self, dimension: int, params: HnswParams) -> None:
        self.dimension = dimension
        self.params = params
        self._index = self._new_graph()
        self._owner = np.empty(0, dtype=np.int64)  # graph label -> company id, -1 = tombstone
        self._label_of: dict[int, int] = {}
        self._live_bits: np.ndarray | None = None  # cached packed bitmap of live labels
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None  # live ids sorted, labels

    def _new_graph(self) -> faiss.IndexHNSWFlat:
        graph = faiss.IndexHNSWFlat(self.dimension, self.params.m, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = self.params.ef_construction
        return graph

    def __len__(self) -> int:
        return len(self._label_of)

    def __contains__(self, company_id: int) -> bool:
        return company_id in self._label_of

    @property
    def tombstones(self) -> int:
        return int(self._owner.size) - len(self._label_of)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._bury(ids)
        first = int(self._owner.size)
        self._index.add(vectors)
        self._owner = np.concatenate([self._owner, ids])
        self._label_of.update(zip(ids.tolist(), range(first, first + len(ids)), strict=True))
        self._sorted = None
        self._maybe_compact()

    def remove(self, ids: np.ndarray) -> int:
        removed = self._bury(ids)
        self._maybe_compact()
        return removed

    def _bury(self, ids: np.ndarray) -> int:
        labels = [self._label_of.pop(i) for i in ids.tolist() if i in self._label_of]
        if labels:
            self._owner[labels] = -1
            self._live_bits = None
            self._sorted = None
        return len(labels)

    def _maybe_compact(self) -> None:
        if self.tombstones > self.params.max_tombstone_ratio * max(len(self), 1):
            self.compact()

    def compact(self) -> None:
        """Rebuild the graph from live vectors only (drops every tombstone)."""
        ids, vectors = self.export()
        self._index = self._new_graph()
        self._index.add(vectors)
        self._owner = ids
        self._label_of = dict(zip(ids.tolist(), range(len(ids)), strict=True))
        self._live_bits = None
        self._sorted = None

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> list[Hits]:
        if allowed is not None and len(allowed) <= self.params.exact_below:
            return self._search_exact(queries, k, allowed)
        bits = self._bitmap(allowed)
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
        params.efSearch = max(self.params.ef_search, k)
        if bits is not None:
            selector = faiss.IDSelectorBitmap(int(self._owner.size), faiss.swig_ptr(bits))
            params.sel = selector  # `bits` and `selector` stay referenced until search returns
        scores, labels = self._index.search(queries, k, params=params)
        return [self._to_ids(found, row) for found, row in zip(labels, scores, strict=True)]

    def _bitmap(self, allowed: np.ndarray | None) -> np.ndarray | None:
        if allowed is None:
            if self.tombstones == 0:
                return None
            if self._live_bits is None:
                self._live_bits = np.packbits(self._owner >= 0, bitorder="little")
            return self._live_bits
        mask = np.zeros(self._owner.size, dtype=bool)
        mask[self._labels(allowed)] = True
        return np.packbits(mask, bitorder="little")

    def _search_exact(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> list[Hits]:
        labels = self._labels(allowed)
        scores = queries @ self._storage()[labels].T
        results = []
        for row in scores:
            top = np.argsort(-row, kind="stable")[:k]
            results.append((self._owner[labels[top]], row[top].astype(np.float32)))
        return results

    def _labels(self, ids: np.ndarray) -> np.ndarray:
        """Graph labels of the live `ids`, in that order (others dropped): a binary search
        in a sorted copy of the live ids, rebuilt after a change (a shortlist's few
        hundred look-ups cost less than a Python dict walk)."""
        if self._sorted is None:
            live = np.flatnonzero(self._owner >= 0)
            order = np.argsort(self._owner[live], kind="stable")
            self._sorted = (self._owner[live][order], live[order])
        keys, labels = self._sorted
        if not len(keys):
            return np.empty(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
        return labels[at[keys[at] == ids]]

    def _to_ids(self, labels: np.ndarray, scores: np.ndarray) -> Hits:
        keep = labels >= 0
        return self._owner[labels[keep]], scores[keep]

    def _storage(self) -> np.ndarray:
        return _storage_view(self._index.storage, self.dimension)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self._storage()[self._labels(ids)].copy()

    def ids(self) -> np.ndarray:
        return self._owner[self._owner >= 0]

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        live = np.flatnonzero(self._owner >= 0)
        return self._owner[live].copy(), self._storage()[live].copy()

    def to_bytes(self) -> tuple[np.ndarray, np.ndarray]:
        """The graph (FAISS serialization) and the label owners, for saving."""
        return faiss.serialize_index(self._index), self._owner.copy()

    @classmethod
    def from_bytes(
        cls, dimension: int, params: HnswParams, graph: np.ndarray, owner: np.ndarray
    ) -> HnswBackend:
        backend = cls(dimension, params)
        # deserialize_index already returns the concrete class; downcasting it again
        # would make a second, non-owning proxy and free the index under our feet.
        backend._index = cast(faiss.IndexHNSWFlat, faiss.deserialize_index(graph))
        backend._owner = owner.astype(np.int64)
        live = np.flatnonzero(backend._owner >= 0)
        backend._label_of = dict(zip(backend._owner[live].tolist(), live.tolist(), strict=True))
        return backend


def _storage_view(index: faiss.Index, dimension: int) -> np.ndarray:
    """Zero-copy numpy view of a flat index's vectors (valid until the next add)."""
    flat = cast(faiss.IndexFlat, faiss.downcast_index(index))
    if flat.ntotal == 0:
        return np.empty((0, dimension), dtype=np.float32)
    raw = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * dimension)
    return np.asarray(raw).reshape(flat.ntotal, dimension)

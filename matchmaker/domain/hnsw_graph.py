"""One HNSW graph (FAISS `IndexHNSWFlat`, inner product) and the owner of each node.

HNSW cannot delete a node, so a removed or replaced vector becomes a *tombstone*:
its node stays (it still routes searches), its owner becomes -1 and a bitmap
selector hides it from results. `HnswBackend` (index_backends) decides when to
rebuild a graph from its live vectors and swaps graphs; this class is the graph
alone and is not thread-safe: the backend serialises every call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

import faiss
import numpy as np

if TYPE_CHECKING:
    from matchmaker.domain.index_backends import HnswParams

Hits = tuple[np.ndarray, np.ndarray]  # (ids int64, scores float32) per query
# A change made while a rebuild runs, replayed onto the new graph: (ids, vectors)
# is an upsert, (ids, None) a removal.
Change = tuple[np.ndarray, np.ndarray | None]
BUILD_STEP = 8192  # vectors per FAISS add while rebuilding: a cancelled build stops between steps


class HnswGraph:
    """A graph, its label -> company id owners (-1 = tombstone) and cached look-ups."""

    def __init__(self, dimension: int, params: HnswParams) -> None:
        """An empty graph built with `params` (degree, build beam); searches take the
        query-time settings from the caller, whose params may change."""
        self.dimension = dimension
        self.index = faiss.IndexHNSWFlat(dimension, params.m, faiss.METRIC_INNER_PRODUCT)
        self.index.hnsw.efConstruction = params.ef_construction
        self.owner = np.empty(0, dtype=np.int64)  # graph label -> company id, -1 = tombstone
        self._label_of: dict[int, int] = {}
        self._live_bits: np.ndarray | None = None  # cached packed bitmap of live labels
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None  # live ids sorted, labels

    @classmethod
    def built(
        cls,
        dimension: int,
        params: HnswParams,
        ids: np.ndarray,
        vectors: np.ndarray,
        keep_going: Callable[[], bool] | None = None,
    ) -> HnswGraph | None:
        """A graph of exactly `ids` -> `vectors`, added in steps; None when `keep_going`
        turns false between two steps (a cancelled background rebuild)."""
        graph = cls(dimension, params)
        for start in range(0, len(ids), BUILD_STEP):
            if keep_going is not None and not keep_going():
                return None
            graph.index.add(vectors[start : start + BUILD_STEP])
        graph.owner = ids.astype(np.int64, copy=True)
        graph._label_of = dict(zip(ids.tolist(), range(len(ids)), strict=True))
        return graph

    @classmethod
    def adopt(
        cls, dimension: int, params: HnswParams, index: faiss.IndexHNSWFlat, owner: np.ndarray
    ) -> HnswGraph:
        """A graph around a deserialised FAISS index and its saved owners."""
        graph = cls(dimension, params)
        graph.index = index
        graph.owner = owner.astype(np.int64)
        live = np.flatnonzero(graph.owner >= 0)
        graph._label_of = dict(zip(graph.owner[live].tolist(), live.tolist(), strict=True))
        return graph

    def __len__(self) -> int:
        return len(self._label_of)

    def __contains__(self, company_id: int) -> bool:
        return company_id in self._label_of

    @property
    def tombstones(self) -> int:
        return int(self.owner.size) - len(self._label_of)

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.bury(ids)
        first = int(self.owner.size)
        self.index.add(vectors)
        self.owner = np.concatenate([self.owner, ids])
        self._label_of.update(zip(ids.tolist(), range(first, first + len(ids)), strict=True))
        self._sorted = None

    def bury(self, ids: np.ndarray) -> int:
        """Tombstone the nodes of `ids` (unknown ids ignored); how many there were."""
        labels = [self._label_of.pop(i) for i in ids.tolist() if i in self._label_of]
        if labels:
            self.owner[labels] = -1
            self._live_bits = None
            self._sorted = None
        return len(labels)

    def replay(self, changes: Sequence[Change]) -> None:
        for ids, vectors in changes:
            if vectors is None:
                self.bury(ids)
            else:
                self.upsert(ids, vectors)

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None, settings: HnswParams
    ) -> list[Hits]:
        if allowed is not None and len(allowed) <= settings.exact_below:
            return self._search_exact(queries, k, allowed)
        bits = self._bitmap(allowed)
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
        params.efSearch = max(settings.ef_search, k)
        if bits is not None:
            selector = faiss.IDSelectorBitmap(int(self.owner.size), faiss.swig_ptr(bits))
            params.sel = selector  # `bits` and `selector` stay referenced until search returns
        scores, labels = self.index.search(queries, k, params=params)
        return [self._to_ids(found, row) for found, row in zip(labels, scores, strict=True)]

    def _bitmap(self, allowed: np.ndarray | None) -> np.ndarray | None:
        if allowed is None:
            if self.tombstones == 0:
                return None
            if self._live_bits is None:
                self._live_bits = np.packbits(self.owner >= 0, bitorder="little")
            return self._live_bits
        mask = np.zeros(self.owner.size, dtype=bool)
        mask[self._labels(allowed)] = True
        return np.packbits(mask, bitorder="little")

    def _search_exact(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> list[Hits]:
        labels = self._labels(allowed)
        scores = queries @ self._storage()[labels].T
        results = []
        for row in scores:
            top = np.argsort(-row, kind="stable")[:k]
            results.append((self.owner[labels[top]], row[top].astype(np.float32)))
        return results

    def _labels(self, ids: np.ndarray) -> np.ndarray:
        """Graph labels of the live `ids`, in that order (others dropped): a binary search
        in a sorted copy of the live ids, rebuilt after a change (a shortlist's few
        hundred look-ups cost less than a Python dict walk)."""
        if self._sorted is None:
            live = np.flatnonzero(self.owner >= 0)
            order = np.argsort(self.owner[live], kind="stable")
            self._sorted = (self.owner[live][order], live[order])
        keys, labels = self._sorted
        if not len(keys):
            return np.empty(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, ids), len(keys) - 1)
        return labels[at[keys[at] == ids]]

    def _to_ids(self, labels: np.ndarray, scores: np.ndarray) -> Hits:
        keep = labels >= 0
        return self.owner[labels[keep]], scores[keep]

    def _storage(self) -> np.ndarray:
        return _storage_view(self.index.storage, self.dimension)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        return self._storage()[self._labels(ids)].copy()

    def ids(self) -> np.ndarray:
        return self.owner[self.owner >= 0]

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the live ids and their vectors, in label order."""
        live = np.flatnonzero(self.owner >= 0)
        return self.owner[live].copy(), self._storage()[live].copy()

    def live(self) -> tuple[np.ndarray, np.ndarray]:
        """The live ids and their labels, in label order."""
        labels = np.flatnonzero(self.owner >= 0)
        return self.owner[labels].copy(), labels

    def rows(self, labels: np.ndarray) -> np.ndarray:
        """A copy of the vectors stored at `labels`. A label's vector never changes (a
        replacement gets a new label), so a copy made in parts, between changes, is
        that of one moment."""
        return self._storage()[labels]

    def to_bytes(self) -> tuple[np.ndarray, np.ndarray]:
        return faiss.serialize_index(self.index), self.owner.copy()


def _storage_view(index: faiss.Index, dimension: int) -> np.ndarray:
    """Zero-copy numpy view of a flat index's vectors (valid until the next add)."""
    flat = cast(faiss.IndexFlat, faiss.downcast_index(index))
    if flat.ntotal == 0:
        return np.empty((0, dimension), dtype=np.float32)
    raw = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * dimension)
    return np.asarray(raw).reshape(flat.ntotal, dimension)

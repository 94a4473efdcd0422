"""A vector index keyed by company id, over FAISS; derived data, rebuilt at will.

`kind="flat"` (default) is exact inner product over rows we own (`vector_rows`):
a removal moves the last row into the gap (O(1)); `from_arrays` adopts the saved
arrays without copying them (copy-on-write).
`kind="hnsw"` is approximate (~0.13 ms at 100k, recall@10 ~0.98 on MiniLM
vectors); it handles removals with tombstones and rebuilds the graph in a
background thread when they pile up, see `index_backends`. Vectors are unit
length, so inner product is cosine similarity.

Threads: FAISS parallelises with OpenMP, and on these 2-vCPU machines a single
query on 2 threads is *slower* than on 1, so single-query searches run on one
OpenMP thread (set per calling thread, then restored); batches use them all.
The index is not safe for concurrent mutation and search: the caller (the
`Matcher`) serialises access. The one other thread is an HNSW index's own
background rebuild, which touches the serving graph only under the backend's
lock (to copy it, and to swap in the new one); `wait_for_rebuild` waits for it.

Saved as one `.npz` file written atomically (temp file in the same directory,
fsync, `os.replace`): readers see the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

import faiss
import numpy as np

from matchmaker.domain.errors import IndexFileError, ModelMismatchError
from matchmaker.domain.index_backends import FlatBackend, Hits, HnswBackend, HnswParams
from matchmaker.domain.npzfile import (
    REBUILD_HINT,
    from_json_array,
    json_array,
    read_npz,
    write_npz_atomic,
)
from matchmaker.domain.vector_rows import VectorRows

INDEX_KINDS = ("flat", "hnsw")
FILE_FORMAT = 1


class VectorIndex:
    """Unit vectors keyed by int company id: upsert, remove, search, save, load."""

    def __init__(
        self,
        dimension: int,
        *,
        kind: str = "flat",
        model_name: str = "",
        generation: int = 0,
        hnsw: HnswParams | None = None,
    ) -> None:
        if kind not in INDEX_KINDS:
            raise ValueError(f"Unknown index kind {kind!r}; choose one of {INDEX_KINDS}.")
        if dimension <= 0:
            raise ValueError("An index needs a positive dimension.")
        self.dimension = dimension
        self.kind = kind
        self.model_name = model_name
        self.generation = generation  # stamp compared with the database's to spot staleness
        self.hnsw_params = hnsw or HnswParams()
        self._backend: FlatBackend | HnswBackend = (
            FlatBackend(dimension) if kind == "flat" else HnswBackend(dimension, self.hnsw_params)
        )

    @classmethod
    def build(
        cls,
        ids: Iterable[int] | np.ndarray,
        vectors: np.ndarray,
        *,
        kind: str = "flat",
        model_name: str = "",
        generation: int = 0,
        hnsw: HnswParams | None = None,
    ) -> VectorIndex:
        """Bulk path: a new index holding exactly `ids` -> `vectors` (one FAISS add)."""
        index = cls(
            int(np.shape(vectors)[-1]),
            kind=kind,
            model_name=model_name,
            generation=generation,
            hnsw=hnsw,
        )
        index.add(ids, vectors)
        return index

    def __len__(self) -> int:
        return len(self._backend)

    def __contains__(self, company_id: object) -> bool:
        return isinstance(company_id, int | np.integer) and int(company_id) in self._backend

    def add(self, ids: Iterable[int] | np.ndarray, vectors: np.ndarray) -> None:
        """Insert or replace (upsert) the vectors of `ids`."""
        id_array = _as_ids(ids)
        matrix = self._as_matrix(vectors, len(id_array))
        if len(id_array):
            self._backend.add(id_array, matrix)

    def remove(self, ids: Iterable[int] | np.ndarray) -> int:
        """Remove `ids` in one batch; unknown ids are ignored. Returns how many went."""
        id_array = _as_ids(ids)
        return self._backend.remove(id_array) if len(id_array) else 0

    def search(
        self,
        query_vectors: np.ndarray,
        k: int,
        *,
        allowed_ids: Iterable[int] | np.ndarray | None = None,
    ) -> list[Hits]:
        """Top-`k` (ids, cosines) per query row, best first; optionally only `allowed_ids`."""
        queries = self._as_matrix(np.atleast_2d(query_vectors), None)
        allowed = None if allowed_ids is None else _as_ids(allowed_ids)
        k = min(k, len(self) if allowed is None else len(allowed), len(self))
        if k <= 0 or len(queries) == 0:
            empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))
            return [empty for _ in range(len(queries))]
        with _omp_threads(1 if len(queries) == 1 else None):
            return self._backend.search(queries, k, allowed)

    def scan(self, query_vector: np.ndarray) -> np.ndarray:
        """Exact (flat) index only: the inner product of one query with every stored
        vector, in the order of `ids()`. For callers that score every row: the same
        work as an exact search, without ranking."""
        if not isinstance(self._backend, FlatBackend):
            raise TypeError("Only an exact (flat) index can scan every row.")
        query = self._as_matrix(np.atleast_2d(query_vector), 1)[0]
        return self._backend.scan(query)

    def scan_rows(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact (flat) index only: `scan` restricted to the stored rows `rows` (positions
        in `ids()` order), by the same kernel, so equal to `scan(query)[rows]` bit for bit."""
        if not isinstance(self._backend, FlatBackend):
            raise TypeError("Only an exact (flat) index can scan rows.")
        query = self._as_matrix(np.atleast_2d(query_vector), 1)[0]
        return self._backend.scan(query, rows)

    def overwrite(self, row: int, company_id: int, vector: np.ndarray) -> None:
        """Exact (flat) index only: replace the vector stored at `row` (its position in
        `ids()`), which must hold `company_id`. O(1), where `add` moves later rows."""
        if not isinstance(self._backend, FlatBackend):
            raise TypeError("Only an exact (flat) index can overwrite a row.")
        matrix = self._as_matrix(np.atleast_2d(vector), 1)
        self._backend.overwrite(row, company_id, matrix[0])

    @property
    def exact(self) -> bool:
        """Whether this index searches exactly (flat) rather than approximately."""
        return isinstance(self._backend, FlatBackend)

    def vector(self, company_id: int) -> np.ndarray:
        """The stored vector of one company (KeyError if absent)."""
        return self.vectors([company_id])[0]

    def vectors(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        """Stored vectors of `ids`, in that order (KeyError if any is absent)."""
        id_array = _as_ids(ids)
        missing = [i for i in id_array.tolist() if i not in self._backend]
        if missing:
            raise KeyError(f"Not in the index: {missing[:5]}")
        if not len(id_array):
            return np.empty((0, self.dimension), dtype=np.float32)
        return self._backend.vectors(id_array)

    def ids(self) -> np.ndarray:
        """Every indexed company id (int64, in storage order)."""
        return self._backend.ids()

    def compact(self) -> None:
        """HNSW: rebuild now, in this thread, without tombstones (e.g. from a maintenance
        job); a background rebuild under way is abandoned. Flat: no-op."""
        if isinstance(self._backend, HnswBackend):
            self._backend.compact()

    def wait_for_rebuild(self, timeout: float | None = None) -> bool:
        """HNSW: wait until no background rebuild runs (tests, shutdown); False if one
        still runs after `timeout` seconds. Flat: True at once."""
        if isinstance(self._backend, HnswBackend):
            return self._backend.wait_for_rebuild(timeout)
        return True

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: temp file in the same directory, fsync, then `os.replace`."""
        write_npz_atomic(path, self.to_arrays())

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        dimension: int | None = None,
        model_name: str | None = None,
    ) -> VectorIndex:
        """Read a saved index; refuse one built for another model or dimension."""
        return cls.from_arrays(
            read_npz(path), dimension=dimension, model_name=model_name, source=path
        )

    def to_arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        """The index as named arrays (for `save`, or to bundle several in one file)."""
        meta: dict[str, Any] = {
            "format": FILE_FORMAT,
            "kind": self.kind,
            "dimension": self.dimension,
            "model_name": self.model_name,
            "generation": self.generation,
            "count": len(self),
            "hnsw": asdict(self.hnsw_params),
        }
        arrays = {"meta": json_array(meta)}
        if isinstance(self._backend, HnswBackend):
            arrays["graph"], arrays["owner"] = self._backend.to_bytes()
        else:
            arrays["ids"], arrays["vectors"] = self._backend.export()
        return {prefix + name: array for name, array in arrays.items()}

    @classmethod
    def from_arrays(
        cls,
        arrays: dict[str, np.ndarray],
        prefix: str = "",
        *,
        dimension: int | None = None,
        model_name: str | None = None,
        source: object = "(memory)",
    ) -> VectorIndex:
        """Inverse of `to_arrays`, checking the model and dimension when given."""
        meta = from_json_array(arrays, prefix + "meta", source)
        if meta.get("format") != FILE_FORMAT or meta.get("kind") not in INDEX_KINDS:
            raise IndexFileError(f"Index file {source} has an unknown format; {REBUILD_HINT}.")
        _check_model(meta, dimension, model_name)
        index = cls(
            meta["dimension"],
            kind=meta["kind"],
            model_name=meta["model_name"],
            generation=meta["generation"],
            hnsw=HnswParams(**meta["hnsw"]),
        )
        try:
            if index.kind == "hnsw":
                index._backend = HnswBackend.from_bytes(
                    index.dimension,
                    index.hnsw_params,
                    arrays[prefix + "graph"],
                    arrays[prefix + "owner"],
                )
            else:
                index._backend = FlatBackend(index.dimension, _adopted(arrays, prefix, index))
        except KeyError as exc:
            raise IndexFileError(f"Index file {source} lacks {exc}; {REBUILD_HINT}.") from exc
        return index

    def _as_matrix(self, vectors: np.ndarray, rows: int | None) -> np.ndarray:
        matrix = np.ascontiguousarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or matrix.shape[1] != self.dimension:
            raise ModelMismatchError(
                f"Vectors of shape {matrix.shape} do not fit this index of dimension "
                f"{self.dimension} (model {self.model_name or 'unknown'}); {REBUILD_HINT}."
            )
        if rows is not None and matrix.shape[0] != rows:
            raise ValueError(f"Got {rows} ids but {matrix.shape[0]} vectors.")
        if not _finite(matrix):
            raise ValueError("Vectors contain NaN or infinity.")
        return matrix


def _adopted(arrays: dict[str, np.ndarray], prefix: str, index: VectorIndex) -> VectorRows:
    """The saved rows without a copy (e.g. a snapshot's memory map: copied on the first
    change), after the checks `add` would make."""
    ids = _as_ids(arrays[prefix + "ids"])
    vectors = arrays[prefix + "vectors"]
    if vectors.dtype != np.float32 or not vectors.flags.c_contiguous:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index._as_matrix(vectors, len(ids))  # shape and finiteness: raises, copies nothing kept
    return VectorRows.adopt(ids, vectors)


def _finite(matrix: np.ndarray, block: int = 8192) -> bool:
    """Whether every value is finite, checked a block of rows at a time: a whole-matrix
    check of a 100k-row snapshot map allocated a 38 MB temporary per index, which the
    allocator kept as dirty memory in every worker."""
    return all(np.isfinite(matrix[i : i + block]).all() for i in range(0, len(matrix), block))


def _check_model(meta: dict[str, Any], dimension: int | None, model_name: str | None) -> None:
    if dimension is not None and meta["dimension"] != dimension:
        raise ModelMismatchError(
            f"The saved index has dimension {meta['dimension']} but the embedding model "
            f"gives {dimension}; {REBUILD_HINT}."
        )
    if model_name is not None and meta["model_name"] != model_name:
        raise ModelMismatchError(
            f"The saved index was built with model {meta['model_name']!r}, not the "
            f"configured {model_name!r}; {REBUILD_HINT}."
        )


def _as_ids(ids: Iterable[int] | np.ndarray) -> np.ndarray:
    array = np.asarray(ids if isinstance(ids, np.ndarray) else list(ids), dtype=np.int64)
    if array.ndim != 1:
        raise ValueError("Ids must be a flat sequence of integers.")
    if array.size and array.min() < 0:
        raise ValueError("Company ids must be non-negative (FAISS uses -1 for 'no result').")
    if np.unique(array).size != array.size:
        raise ValueError("Ids must be unique within one call.")
    return array


@contextlib.contextmanager
def _omp_threads(count: int | None) -> Iterator[None]:
    """Run the block on `count` OpenMP threads (None: leave as is), then restore."""
    if count is None:
        yield
        return
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)

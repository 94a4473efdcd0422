"""The two FAISS engines behind `VectorIndex`: exact ("flat") and approximate ("hnsw").

Both take validated input (int64 ids, float32 C-contiguous unit vectors) from
`VectorIndex`, which owns validation, OpenMP threads and persistence; the caller (the
`Matcher`) serialises calls.

flat: exact inner product over `VectorRows` (rows we own; see `vector_rows`): an
upsert overwrites in place or appends, a removal moves the last row into the gap.

hnsw: an `HnswGraph` (FAISS `IndexHNSWFlat`, inner product) whose removed or
replaced vectors are tombstones, hidden from results. When tombstones exceed
`HnswParams.max_tombstone_ratio` of the live vectors, a fresh graph is built from a
copy of the live vectors in a background thread, while the current graph keeps
answering and taking changes; the changes made since the copy are logged,
replayed onto the new graph, and the new graph is swapped in under the backend's
lock, so a search sees the old graph or the new one, never a half-built one, and
no change is lost. One background build runs at a time in the process (2-vCPU
machines: the other core serves searches). Synchronous rebuilds remain: `compact()`
(a maintenance job), graphs below `sync_rebuild_below` live vectors (0.15-0.9 s
at 1k on the shared 2-vCPU machine, load 5-8), `background_rebuild=False`, and the hard ceiling of
twice the ratio (a build that cannot keep up with the changes: memory and search
cost stay bounded). Figures: docs/performance.md, "HNSW background rebuild".
IVF was the alternative (native `remove_ids`) but needs training, drifts as data
changes and recalls less per millisecond on MiniLM vectors.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import faiss
import numpy as np

from matchmaker.domain.hnsw_graph import Change, Hits, HnswGraph
from matchmaker.domain.vector_rows import VectorRows

__all__ = ["FlatBackend", "Hits", "HnswBackend", "HnswParams", "RebuildStats"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HnswParams:
    """HNSW settings; defaults measured on MiniLM vectors (recall@10 ~0.98, 0.13 ms)."""

    m: int = 32  # graph degree: more = better recall, more memory
    ef_construction: int = 40  # build-time beam width
    ef_search: int = 64  # query-time beam width (raised to k when k is larger)
    max_tombstone_ratio: float = 0.2  # rebuild when dead nodes exceed this share of live ones
    exact_below: int = 2048  # a filter this small is searched exactly (HNSW recall drops)
    background_rebuild: bool = True  # rebuild in a thread while the old graph serves
    sync_rebuild_below: int = 500  # fewer live vectors: rebuild in place (0.15-0.9 s at 1k)
    rebuild_threads: int = 1  # OpenMP threads of a background build (one core keeps serving)


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


# One background build at a time in the process: the offer and seek graphs of a side
# cross the threshold together, and on 2 vCPUs two builds would starve the searches.
_BUILD_SLOT = threading.Lock()
CATCH_UP_ROUNDS = 3  # replays outside the lock before the final, locked one
SWAP_REPLAY = 64  # changes few enough to replay while holding the lock
COPY_STEP = 2048  # live vectors copied per hold of the lock (~0.7 ms at 384 dimensions)


@dataclass(frozen=True)
class RebuildStats:
    """What the last background rebuild of a backend did, for logs and benchmarks."""

    vectors: int  # live vectors copied into the new graph
    copy_s: float  # copying them, in steps under the lock
    build_s: float  # building the graph, without the lock
    replayed: int  # changes made meanwhile, replayed onto it
    replayed_locked: int  # of which under the lock, just before the swap
    swap_ms: float  # the lock held for those and the swap
    wall_s: float  # from the thread's start (after the one-build-at-a-time wait) to the swap


@dataclass(eq=False)
class _Rebuild:
    """One background rebuild: its thread, and the changes made since its copy."""

    log: list[Change] | None = None  # None until the copy is taken (changes are in it)
    cancelled: bool = False
    done: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None


class HnswBackend:
    """Approximate search with tombstones and background rebuilds; see the module
    docstring. Every public method holds `_lock`, which the rebuild thread takes to
    copy the live vectors and to swap graphs."""

    def __init__(self, dimension: int, params: HnswParams) -> None:
        self.dimension = dimension
        self.params = params
        self._lock = threading.RLock()
        self._graph = HnswGraph(dimension, params)
        self._rebuild: _Rebuild | None = None  # the one under way, if any
        self._threads: list[_Rebuild] = []  # started and maybe still running (abandoned too)
        self.rebuilds = 0  # graphs swapped in by a background rebuild
        self.last_rebuild: RebuildStats | None = None
        # Tests: called by the rebuild thread, outside the lock, with "copying" (after
        # each step of the copy), "copied" (live vectors copied, build not started) and
        # "built" (before the replay and swap).
        self.rebuild_hook: Callable[[str], None] | None = None

    def __len__(self) -> int:
        return len(self._graph)

    def __contains__(self, company_id: int) -> bool:
        return company_id in self._graph

    @property
    def tombstones(self) -> int:
        return self._graph.tombstones

    @property
    def rebuilding(self) -> bool:
        return self._rebuild is not None

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        with self._lock:
            self._graph.upsert(ids, vectors)
            self._record((ids.copy(), vectors.copy()))  # the caller may reuse its arrays
            self._after_change()

    def remove(self, ids: np.ndarray) -> int:
        with self._lock:
            removed = self._graph.bury(ids)
            if removed:
                self._record((ids.copy(), None))
                self._after_change()
            return removed

    def _record(self, change: Change) -> None:
        job = self._rebuild
        if job is not None and job.log is not None:
            job.log.append(change)

    def _after_change(self) -> None:
        graph, params = self._graph, self.params
        live = max(len(graph), 1)
        if graph.tombstones <= params.max_tombstone_ratio * live:
            return
        if (
            not params.background_rebuild
            or len(graph) < params.sync_rebuild_below
            or graph.tombstones > 2 * params.max_tombstone_ratio * live  # hard ceiling
        ):
            self.compact()
        elif self._rebuild is None:
            self._start_rebuild()

    def compact(self) -> None:
        """Rebuild the graph from live vectors now, in this thread (drops every
        tombstone); a background rebuild under way is abandoned."""
        with self._lock:
            if self._rebuild is not None:
                self._rebuild.cancelled = True
                self._rebuild = None
            ids, vectors = self._graph.export()
            fresh = HnswGraph.built(self.dimension, self.params, ids, vectors)
            assert fresh is not None  # no keep_going: never cancelled
            self._graph = fresh

    def _start_rebuild(self) -> None:
        job = _Rebuild()
        job.thread = threading.Thread(
            target=self._run_rebuild, args=(job,), name="hnsw-rebuild", daemon=True
        )
        self._rebuild = job
        self._threads = [j for j in self._threads if not j.done.is_set()] + [job]
        job.thread.start()

    def _run_rebuild(self, job: _Rebuild) -> None:
        try:
            with _BUILD_SLOT:
                self._build_and_swap(job)
        except Exception:  # the old graph keeps serving; the next change retries
            log.exception("Background HNSW rebuild failed")
        finally:
            with self._lock:
                if self._rebuild is job:
                    self._rebuild = None
            job.done.set()

    def _build_and_swap(self, job: _Rebuild) -> None:
        started = time.perf_counter()
        with self._lock:
            if job.cancelled:
                return
            serving = self._graph
            ids, labels = serving.live()
            job.log = []  # changes from now on are replayed; the copy is of this moment
        # Copied in steps, each under the lock (an add may move FAISS's storage), so a
        # search waits for one step, not for the whole copy (~150 ms at 20k).
        vectors = np.empty((len(labels), self.dimension), dtype=np.float32)
        for start in range(0, len(labels), COPY_STEP):
            with self._lock:
                if job.cancelled:
                    return
                vectors[start : start + COPY_STEP] = serving.rows(labels[start : start + COPY_STEP])
            self._hook("copying")
        self._hook("copied")
        copied = time.perf_counter()
        faiss.omp_set_num_threads(self.params.rebuild_threads)  # this thread only
        fresh = HnswGraph.built(
            self.dimension, self.params, ids, vectors, keep_going=lambda: not job.cancelled
        )
        del vectors
        if fresh is None:
            return
        self._hook("built")
        built = time.perf_counter()
        applied = 0
        for _ in range(CATCH_UP_ROUNDS):  # the new graph is ours alone: replay unlocked
            with self._lock:
                pending = job.log[applied:]
            if len(pending) <= SWAP_REPLAY:
                break
            fresh.replay(pending)
            applied += len(pending)
        with self._lock:
            if job.cancelled:
                return
            locked = time.perf_counter()
            fresh.replay(job.log[applied:])
            self._graph = fresh
            self.rebuilds += 1
            done = time.perf_counter()
            self.last_rebuild = RebuildStats(
                len(ids),
                copied - started,
                built - copied,
                len(job.log),
                len(job.log) - applied,
                (done - locked) * 1e3,
                done - started,
            )
        log.info("HNSW graph rebuilt in the background: %s", self.last_rebuild)

    def _hook(self, stage: str) -> None:
        if self.rebuild_hook is not None:
            self.rebuild_hook(stage)

    def wait_for_rebuild(self, timeout: float | None = None) -> bool:
        """Block until no rebuild thread of this backend runs, abandoned ones included
        (tests, shutdown); False if one still does after `timeout` seconds. The
        backend's lock is not held while waiting (the rebuild needs it to finish)."""
        with self._lock:
            jobs = list(self._threads)
        deadline = None if timeout is None else time.monotonic() + timeout
        for job in jobs:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            if not job.done.wait(left):
                return False
        return True

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> list[Hits]:
        with self._lock:
            return self._graph.search(queries, k, allowed, self.params)

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        with self._lock:
            return self._graph.vectors(ids)

    def ids(self) -> np.ndarray:
        with self._lock:
            return self._graph.ids()

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            return self._graph.export()

    def to_bytes(self) -> tuple[np.ndarray, np.ndarray]:
        """The graph (FAISS serialization) and the label owners, for saving: both of the
        graph serving now (a rebuild swaps only after this returns)."""
        with self._lock:
            return self._graph.to_bytes()

    @classmethod
    def from_bytes(
        cls, dimension: int, params: HnswParams, graph: np.ndarray, owner: np.ndarray
    ) -> HnswBackend:
        backend = cls(dimension, params)
        # deserialize_index already returns the concrete class; downcasting it again
        # would make a second, non-owning proxy and free the index under our feet.
        index = cast(faiss.IndexHNSWFlat, faiss.deserialize_index(graph))
        backend._graph = HnswGraph.adopt(dimension, params, index, owner)
        return backend

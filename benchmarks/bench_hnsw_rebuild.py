"""HNSW tombstone rebuild: synchronous (before) against background (after), one run.

One HNSW `VectorIndex` over the offer vectors of N firms (real-text MiniLM vectors).
Ids are removed up to just below `max_tombstone_ratio`, then one more removal
crosses it:
- before (`background_rebuild=False`): that removal rebuilds the graph in place;
  its wall time is what a write (and, through the matcher's lock, every reader)
  waited;
- after (default): that removal starts the rebuild thread and returns; searches
  (one query, k = the shortlist pool) and a few upserts then run until the new graph
  is swapped in, and their latencies are compared with the same searches on the idle
  index (the tombstoned graph before, the rebuilt one after).
Also printed: rebuild wall time (crossing removal to swap) and the in-place rebuild
time at `sync_rebuild_below` live vectors (why smaller graphs rebuild in place).
`--matcher`: the same crossing on a whole HNSW `Matcher` (`Matcher.remove`, both graphs
of a side), in place and in the background, with a reader thread calling
`match_company` throughout (the matcher's lock: it waited for an in-place rebuild).

Vectors: the cached registry (`registry.py`) of 100k firms if there is one, else of
10k, else 20k profiles from `synth.py` embedded through `registry.embed_chunks`
(reusing finished chunk files in benchmarks/cache, embedding the missing ones).

Run:  PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_hnsw_rebuild.py [--size N]
      [--rebuild-threads 1 2] [--matcher]
"""

from __future__ import annotations

import argparse
import dataclasses
import threading
import time

import numpy as np
from common import Timing, load_average, machine_header, quiet_model_loading
from registry import CACHE, embed_chunks, generate, load_registry

from matchmaker.domain.embedding import DEFAULT_MODEL, SentenceTransformerEmbedder, model_name_for
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswBackend, HnswParams
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.side import suggestible
from matchmaker.domain.taxonomy import SIDES, other_side

K = 100  # the shortlist's pool: what `SideIndexes.candidates` asks each graph for
UPSERT_EVERY = 50  # searches between two upserts while the rebuild runs


def vectors_for(
    size: int | None,
) -> tuple[list[CompanyProfile], np.ndarray, np.ndarray, str]:
    """Profiles, their (offer, seek) vectors and where they came from."""
    for n in [size] if size else [100_000, 10_000]:
        try:
            registry = load_registry(n, build=False)
            return (
                registry.profiles,
                registry.offer,
                registry.seek,
                f"cached registry of {n:,} firms",
            )
        except FileNotFoundError:
            continue
    n = size or 20_000
    chunk_dir = CACHE / f"embeddings-{model_name_for(DEFAULT_MODEL)}"
    chunk_dir.mkdir(parents=True, exist_ok=True)
    profiles = generate(n)
    offer, seek = embed_chunks(profiles, chunk_dir)
    return profiles, offer, seek, f"{n:,} synth.py profiles embedded by registry.embed_chunks"


def engine(index: VectorIndex) -> HnswBackend:
    backend = index._backend
    assert isinstance(backend, HnswBackend)
    return backend


def below_threshold(index: VectorIndex, params: HnswParams) -> np.ndarray:
    """Remove the most ids that keep tombstones at the threshold; the next one crosses."""
    ids = index.ids()
    count = int(params.max_tombstone_ratio * len(ids) / (1 + params.max_tombstone_ratio))
    while count + 1 <= params.max_tombstone_ratio * (len(ids) - count - 1):
        count += 1
    index.remove(ids[:count])
    assert engine(index).tombstones == count and not engine(index).rebuilding
    return ids[count:]


def searches(index: VectorIndex, queries: np.ndarray, count: int) -> Timing:
    samples = []
    for i in range(count):
        started = time.perf_counter_ns()
        index.search(queries[i % len(queries)], K)
        samples.append(time.perf_counter_ns() - started)
    return Timing(np.asarray(samples, dtype=np.float64) / 1e6)


def p99(timing: Timing) -> float:
    return float(np.percentile(timing.samples_ms, 99))


def line(name: str, timing: Timing) -> str:
    return (
        f"{name:<44} p50 {timing.p50:7.3f} ms  p99 {p99(timing):7.3f} ms  "
        f"max {timing.samples_ms.max():8.1f} ms  n={timing.count}"
    )


def run_before(offer: np.ndarray, ids: np.ndarray, params: HnswParams) -> None:
    sync = dataclasses.replace(params, background_rebuild=False)
    index = VectorIndex.build(ids, offer, kind="hnsw", hnsw=sync)
    live = below_threshold(index, sync)
    started = time.perf_counter()
    index.remove(live[:1])
    crossing = time.perf_counter() - started
    assert engine(index).tombstones == 0
    print(f"before: the crossing remove (in-place rebuild)  {crossing * 1e3:9.1f} ms")


def run_after(
    offer: np.ndarray, ids: np.ndarray, queries: np.ndarray, params: HnswParams, idle_n: int
) -> None:
    index = VectorIndex.build(ids, offer, kind="hnsw", hnsw=params)
    live = below_threshold(index, params)
    idle_tombstoned = searches(index, queries, idle_n)
    backend = engine(index)
    rng = np.random.default_rng(5)
    started = time.perf_counter()
    index.remove(live[:1])
    crossing = time.perf_counter() - started
    assert backend.rebuilding
    during, writes = [], []
    upserted = 0
    while backend.rebuilding:
        timing = searches(index, queries[upserted % len(queries) :], UPSERT_EVERY)
        during.append(timing.samples_ms)
        row = int(rng.integers(len(offer)))
        write_started = time.perf_counter_ns()
        index.add([int(ids[row])], offer[row][None, :])  # replace: a tombstone, logged
        writes.append((time.perf_counter_ns() - write_started) / 1e6)
        upserted += 1
    index.wait_for_rebuild()
    wall = time.perf_counter() - started
    assert backend.rebuilds == 1
    idle_rebuilt = searches(index, queries, idle_n)
    print(
        f"after ({params.rebuild_threads} build thread(s)): the crossing remove returns in "
        f"{crossing * 1e3:.2f} ms; rebuild wall {wall:.1f} s (crossing remove to swap)"
    )
    print(line("  search, idle, tombstoned graph", idle_tombstoned))
    print(line("  search, during the background rebuild", Timing(np.concatenate(during))))
    print(line("  search, idle, rebuilt graph", idle_rebuilt))
    print(line("  upsert (replace) during the rebuild", Timing(np.asarray(writes))))
    print(f"  tombstones after the swap: {backend.tombstones} ({upserted} upserts replayed)")
    stats = backend.last_rebuild
    assert stats is not None
    print(
        f"  rebuild thread: copy {stats.copy_s * 1e3:.0f} ms (in steps), "
        f"build {stats.build_s:.1f} s, "
        f"replayed {stats.replayed} changes ({stats.replayed_locked} under the lock), "
        f"lock held {stats.swap_ms:.1f} ms for the swap"
    )


def run_matcher(
    registry: tuple[list[CompanyProfile], np.ndarray, np.ndarray],
    params: HnswParams,
    embedder: SentenceTransformerEmbedder,
) -> None:
    """A whole HNSW matcher: a reader thread matches firms of one side against the other
    while the main thread removes firms of that other side one by one; the crossing
    removal buries a firm in both graphs of its side (offer and seek)."""
    profiles = registry[0]
    matcher = Matcher(embedder, index_kind="hnsw", hnsw=params)
    started = time.perf_counter()
    matcher.bulk_load(*registry)
    load_s = time.perf_counter() - started
    held = [p for p in profiles if suggestible(p)]
    side = max(SIDES, key=lambda name: sum(p.side == name for p in held))
    members = [p.id for p in held if p.side == side]
    askers = [p.id for p in held if p.side == other_side(side)][:500]
    ratio = params.max_tombstone_ratio
    count = int(ratio * len(members) / (1 + ratio))
    for company_id in members[:count]:
        matcher.remove(company_id)
    stop = threading.Event()
    samples: list[tuple[float, float]] = []  # (start, ms)

    def reader() -> None:
        i = 0
        while not stop.is_set():
            begun = time.perf_counter()
            matcher.match_company(askers[i % len(askers)])
            samples.append((begun, (time.perf_counter() - begun) * 1e3))
            i += 1

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(1.0)
    crossing_at = time.perf_counter()
    matcher.remove(members[count])
    crossing_ms = (time.perf_counter() - crossing_at) * 1e3
    assert matcher.wait_for_rebuilds(600)
    done_at = time.perf_counter()
    time.sleep(0.5)
    stop.set()
    thread.join()
    idle = np.asarray([ms for at, ms in samples if at < crossing_at])
    window = np.asarray([ms for at, ms in samples if crossing_at - 0.5 <= at <= done_at])
    mode = "background" if params.background_rebuild else "in place"
    print(
        f"matcher ({mode}; bulk_load {load_s:.1f} s; side {side}, {len(members):,} firms): "
        f"crossing Matcher.remove {crossing_ms:,.1f} ms; rebuilds done "
        f"{done_at - crossing_at:.1f} s after it"
    )
    print(line("  match_company, reader thread, before", Timing(idle)))
    print(line("  match_company, reader, crossing to swap", Timing(window)))


def small_rebuild(offer: np.ndarray, params: HnswParams) -> None:
    n = min(params.sync_rebuild_below, len(offer))
    index = VectorIndex.build(np.arange(n), offer[:n], kind="hnsw", hnsw=params)
    started = time.perf_counter()
    index.compact()
    print(
        f"in-place rebuild at {n:,} live vectors (sync_rebuild_below): "
        f"{(time.perf_counter() - started) * 1e3:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--rebuild-threads", type=int, nargs="+", default=[1])
    parser.add_argument("--idle-searches", type=int, default=2000)
    parser.add_argument("--sync-rebuild-below", type=int, default=HnswParams.sync_rebuild_below)
    parser.add_argument("--matcher", action="store_true", help="also a whole HNSW Matcher")
    args = parser.parse_args()
    quiet_model_loading()
    for header in machine_header():
        print(header)
    profiles, offer, seek, source = vectors_for(args.size)
    offer = np.ascontiguousarray(offer, dtype=np.float32)
    ids = np.arange(len(offer), dtype=np.int64)
    queries = np.ascontiguousarray(seek[np.random.default_rng(3).permutation(len(seek))[:2000]])
    params = HnswParams(sync_rebuild_below=args.sync_rebuild_below)
    print(
        f"\n== {len(offer):,} offer vectors ({source}); M={params.m}, "
        f"efC={params.ef_construction}, efSearch {max(params.ef_search, K)}, k={K}, "
        f"max_tombstone_ratio {params.max_tombstone_ratio}; load {load_average()}"
    )
    print(
        f"faiss OpenMP threads of the caller: {__import__('faiss').omp_get_max_threads()}; "
        f"threads alive: {threading.active_count()}"
    )
    run_before(offer, ids, params)
    print(f"load {load_average()}")
    for threads in args.rebuild_threads:
        run_after(
            offer,
            ids,
            queries,
            dataclasses.replace(params, rebuild_threads=threads),
            args.idle_searches,
        )
        print(f"load {load_average()}")
    small_rebuild(offer, params)
    if args.matcher:
        embedder = SentenceTransformerEmbedder("default")
        for background in (False, True):
            chosen = dataclasses.replace(params, background_rebuild=background)
            run_matcher((profiles, offer, seek), chosen, embedder)
            print(f"load {load_average()}")
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()

"""Speed at scale: every row of issue 14's table, in one run per registry size.

Per size (`--sizes 10000 100000 300000`), on the same sampled firms, p50 per match:
  FAISS flat      IndexFlatIP, the 2 exact top-10 searches of the other side (1 thread)
  numpy floor     2 x (M @ q + argpartition) on 1 BLAS thread
  match exact     Matcher.match_company, flat indexes (every firm scored + explanations)
  engine HNSW     VectorIndex(kind="hnsw") of the other side's offers and seeks: 2 searches
  match HNSW      Matcher(index_kind="hnsw").match_company, top-10 agreement with exact
  pgvector HNSW   2 queries (m=16, ef_construction=64) at ef_search 40/64/100, recall@10
  pgvector exact  the same 2 queries without the index
  embedding       query embedding alone, 1 text: MiniLM and e5 (size-independent, once)
Vectors: the cached real-text registry of that size (`registry.py`, `--model`) where one
exists, else the synthetic profiles with seeded random unit vectors; on random vectors
only the exact rows are measured (an approximate index on random vectors says nothing).
Each section prints the load average at its start and end. pgvector runs on a private
server (`pgvector_server.py`; `make bench-deps`), never the shared PostgreSQL.

Run:  .venv/bin/python benchmarks/bench_scale.py --sizes 10000 100000
Uses only the engine's public API (Matcher, VectorIndex, make_embedder), so it measures
whatever engine the checkout holds.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import faiss
import numpy as np
from common import Timing, load_average, machine_header, quiet_model_loading, time_each
from pgvector_server import PgvectorUnavailable, PrivateServer
from registry import Registry, generate, load_registry
from sections_engine import blas_threads, faiss_threads, ms
from sections_pgvector import EF_SEARCHES, PgvectorBench, SideVectors

from matchmaker.domain.embedding import Embedder, make_embedder, model_name_for, seek_text
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.side import suggestible

K = 10
SIDES = ("EU", "UA")
NO_REGISTRY = "n/a: no real-text registry at this size"


@dataclass
class Line:
    measure: str
    p50: str
    note: str = ""


@dataclass
class SizeRun:
    """One size's registry, its per-side vectors, the sampled firms and the printed lines."""

    registry: Registry
    real: bool
    rows: list[int]  # sampled suggestible firms (row numbers)
    sides: dict[str, SideVectors]
    lines: list[Line] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)

    def other(self, row: int) -> str:
        return "UA" if self.registry.profiles[row].side == "EU" else "EU"

    def add(self, measure: str, timing: Timing | str, note: str = "") -> None:
        p50 = timing if isinstance(timing, str) else ms(timing.p50)
        if not isinstance(timing, str):
            self.figures[measure] = timing.p50
        self.lines.append(Line(measure, p50, note))


@contextlib.contextmanager
def section(name: str) -> Iterator[None]:
    started, load = time.perf_counter(), load_average()
    print(f"  {name}: load avg {load} ...", flush=True)
    yield
    print(
        f"  {name}: done in {time.perf_counter() - started:.0f} s, load avg {load_average()}",
        flush=True,
    )


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """1 FAISS OpenMP thread and 1 BLAS thread, as the engine searches a single query."""
    with faiss_threads(1), blas_threads(1):
        yield


# --- registries ---------------------------------------------------------------------------


def synthetic_registry(n: int, dim: int, seed: int = 20261204) -> Registry:
    """The synthetic profiles with seeded random unit vectors (exact rows only)."""
    rng = np.random.default_rng(seed)
    vectors = []
    for _ in range(2):
        v = rng.standard_normal((n, dim), dtype=np.float32)
        vectors.append(v / np.linalg.norm(v, axis=1, keepdims=True))
    return Registry(generate(n), vectors[0], vectors[1], key="random")


def load_size(n: int, model: str, dim: int, queries: int) -> SizeRun:
    started = time.perf_counter()
    try:
        registry, real = load_registry(n, build=False, model=model), True
    except FileNotFoundError:
        registry, real = synthetic_registry(n, dim), False
    source = (
        f"real-text registry ({model_name_for(model)}, key {registry.key})"
        if real
        else "synthetic profiles, seeded random unit vectors"
    )
    print(f"{n:,} firms: {source}, ready in {time.perf_counter() - started:.1f} s", flush=True)
    eligible = [i for i, p in enumerate(registry.profiles) if suggestible(p)]
    rows = sorted(random.Random(11).sample(eligible, queries))
    sides = {}
    for side in SIDES:
        members = [i for i in eligible if registry.profiles[i].side == side]
        sides[side] = SideVectors(
            registry.ids[members],
            np.ascontiguousarray(registry.offer[members]),
            np.ascontiguousarray(registry.seek[members]),
        )
    return SizeRun(registry, real, rows, sides)


# --- sections -----------------------------------------------------------------------------


def bench_raw(run: SizeRun) -> None:
    reg = run.registry
    flat = {}
    for side, vectors in run.sides.items():
        offers, seeks = (
            faiss.IndexFlatIP(vectors.offer.shape[1]),
            faiss.IndexFlatIP(vectors.seek.shape[1]),
        )
        offers.add(vectors.offer)
        seeks.add(vectors.seek)
        flat[side] = (offers, seeks)

    def searches(row: int) -> None:
        offers, seeks = flat[run.other(row)]
        offers.search(reg.seek[row][None, :], K)
        seeks.search(reg.offer[row][None, :], K)

    def top(matrix: np.ndarray, query: np.ndarray) -> np.ndarray:
        scores = matrix @ query
        return np.argpartition(-scores, K)[:K]

    def floor(row: int) -> None:
        vectors = run.sides[run.other(row)]
        top(vectors.offer, reg.seek[row])
        top(vectors.seek, reg.offer[row])

    side_size = np.mean([len(run.sides[run.other(r)].ids) for r in run.rows])
    with one_thread():
        run.add(
            "FAISS IndexFlatIP, the 2 exact top-10 searches",
            time_each(searches, run.rows),
            f"~{side_size:,.0f} firms per side",
        )
        run.add("numpy floor, 1 thread (2 x M@q + argpartition)", time_each(floor, run.rows))


def top10_ids(matcher: Matcher, ids: list[int]) -> dict[int, list[int]]:
    return {i: [s.company.id for s in matcher.match_company(i, limit=K)] for i in ids}


def bench_match(run: SizeRun, embedder: Embedder, kind: str) -> dict[int, list[int]]:
    reg = run.registry
    matcher = Matcher(embedder, index_kind=kind)
    started = time.perf_counter()
    matcher.bulk_load(reg.profiles, reg.offer, reg.seek)
    load_s = time.perf_counter() - started
    ids = [reg.profiles[row].id for row in run.rows]
    timing = time_each(lambda company_id: matcher.match_company(company_id, limit=K), ids)
    faiss_p50 = run.figures["FAISS IndexFlatIP, the 2 exact top-10 searches"]
    note = f"{timing.p50 / faiss_p50:.2f} x FAISS; bulk_load {load_s:.1f} s"
    tops = top10_ids(matcher, ids)
    run.add(f"match_company, {'exact' if kind == 'flat' else 'HNSW'}", timing, note)
    return tops


def bench_engine_hnsw(run: SizeRun) -> None:
    reg = run.registry
    started = time.perf_counter()
    graphs = {
        side: (
            VectorIndex.build(v.ids, v.offer, kind="hnsw"),
            VectorIndex.build(v.ids, v.seek, kind="hnsw"),
        )
        for side, v in run.sides.items()
    }
    build_s = time.perf_counter() - started

    def searches(row: int) -> None:
        offers, seeks = graphs[run.other(row)]
        offers.search(reg.seek[row], K)
        seeks.search(reg.offer[row], K)

    with one_thread():
        timing = time_each(searches, run.rows)
    params = graphs["EU"][0].hnsw_params
    run.add(
        "engine HNSW graphs alone (2 searches)",
        timing,
        f"engine defaults M={params.m}, efC={params.ef_construction}, "
        f"efSearch={params.ef_search}; 4 graphs built in {build_s:.1f} s",
    )


def agreement(approximate: dict[int, list[int]], exact: dict[int, list[int]]) -> float:
    shares = [len(set(approximate[i]) & set(top)) / len(top) for i, top in exact.items() if top]
    return float(np.mean(shares))


def bench_pgvector(run: SizeRun) -> None:
    reg = run.registry
    queries = [(run.other(row), reg.offer[row], reg.seek[row]) for row in run.rows]
    try:
        server = PrivateServer()
    except PgvectorUnavailable as error:
        run.add("pgvector HNSW / exact", "n/a", str(error))
        return
    with server:
        pg = PgvectorBench(server, run.sides)
        try:
            # Exact first: building the index afterwards invalidates the prepared plans.
            timing, recall = pg.time_matches(queries, exact=True)
            exact_line = Line(
                "pgvector exact (2 queries)", ms(timing.p50), f"recall@10 {recall:.3f}"
            )
            run.figures[exact_line.measure] = timing.p50
            if run.real:
                build_s = pg.build_hnsw()
                for ef in EF_SEARCHES:
                    timing, recall = pg.time_matches(queries, exact=False, ef_search=ef)
                    note = f"recall@10 {recall:.3f}"
                    if ef == EF_SEARCHES[0]:
                        note += (
                            f"; 4 indexes built in {build_s:.1f} s, tables loaded {pg.load_s:.1f} s"
                        )
                    run.add(f"pgvector HNSW m=16, ef {ef} (2 queries)", timing, note)
            else:
                run.add("pgvector HNSW m=16, ef 40/64/100 (2 queries)", "n/a", NO_REGISTRY)
            run.lines.append(exact_line)
        finally:
            pg.close()


def bench_embedding(
    names: tuple[str, ...], texts: list[str], loaded: Embedder, loaded_s: float
) -> list[Line]:
    """Query embedding of 1 text per call, distinct texts (no cache can answer); `loaded`
    is the matcher's embedder (loaded in `loaded_s`), reused rather than loaded again."""
    lines = []
    for name in names:
        started = time.perf_counter()
        reuse = model_name_for(name) == loaded.model_name
        embedder = loaded if reuse else make_embedder(name)
        load_s = loaded_s if reuse else time.perf_counter() - started
        for text in texts[-3:]:  # warm-up on texts that are not timed
            embedder.encode([text])
        timing = time_each(lambda text, e=embedder: e.encode([text]), texts[:-3], warmup=0)
        lines.append(
            Line(
                f"query embedding alone ({embedder.model_name}, 1 text)",
                ms(timing.p50),
                f"p95 {ms(timing.p95)}; {len(texts) - 3} texts of 36-67 words; load {load_s:.1f} s",
            )
        )
    return lines


# --- run ----------------------------------------------------------------------------------


def run_size(n: int, args: argparse.Namespace, embedder: Embedder) -> SizeRun:
    print(f"\n=== {n:,} firms (load avg {load_average()}) ===", flush=True)
    run = load_size(n, args.model, embedder.dimension, args.queries)
    steps: list[tuple[str, Callable[[], object]]] = [("raw exact search", lambda: bench_raw(run))]
    exact: dict[int, list[int]] = {}
    steps.append(("match_company exact", lambda: exact.update(bench_match(run, embedder, "flat"))))
    approximate = run.real and not args.skip_approx
    if approximate:
        steps.append(("engine HNSW graphs", lambda: bench_engine_hnsw(run)))

        def match_hnsw() -> None:
            tops = bench_match(run, embedder, "hnsw")
            run.lines[-1].note += f"; top-10 agreement with exact {agreement(tops, exact):.3f}"

        steps.append(("match_company HNSW", match_hnsw))
    if not args.skip_pgvector:
        steps.append(("pgvector", lambda: bench_pgvector(run)))
    for name, step in steps:
        with section(name):
            step()
    if not approximate:
        reason = NO_REGISTRY if not run.real else "skipped (--skip-approx)"
        index = 3 if len(run.lines) >= 3 else len(run.lines)
        run.lines[index:index] = [
            Line("engine HNSW graphs alone (2 searches)", "n/a", reason),
            Line("match_company, HNSW", "n/a", reason),
        ]
    return run


def print_table(n: int, run: SizeRun, embedding: list[Line], queries: int) -> None:
    lines = run.lines + embedding
    width = max(len(line.measure) for line in lines)
    p50_width = max(len(line.p50) for line in lines)
    source = "real-text vectors" if run.real else "random vectors"
    print(f"\np50 at {n:,} firms ({source}; {queries} sampled firms; load avg {load_average()})")
    print(f"{'measure':<{width}}  {'p50':>{p50_width}}  note")
    print("-" * (width + p50_width + 8))
    for line in lines:
        print(f"{line.measure:<{width}}  {line.p50:>{p50_width}}  {line.note}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--queries", type=int, default=200, help="sampled firms per row")
    parser.add_argument(
        "--model", default="default", help='registry vectors: "default" (MiniLM) or "e5"'
    )
    parser.add_argument("--skip-approx", action="store_true", help="no engine HNSW rows")
    parser.add_argument("--skip-pgvector", action="store_true", help="no pgvector rows")
    parser.add_argument(
        "--embedders",
        nargs="*",
        default=["default", "e5"],
        help="models for the query-embedding row (none: skip)",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    print("\n".join(machine_header()))
    quiet_model_loading()
    started = time.perf_counter()
    embedder = make_embedder(args.model)  # the Matcher's; match_company embeds nothing
    loaded_s = time.perf_counter() - started
    with section("query embedding"):
        texts = [seek_text(p) for p in generate(53)]
        embedding = bench_embedding(tuple(args.embedders), texts, embedder, loaded_s)
    for n in args.sizes:
        run = run_size(n, args, embedder)
        print_table(n, run, embedding, args.queries)
        del run
    print(f"\nload avg at end: {load_average()}")


if __name__ == "__main__":
    main()

"""Engine measurements for `bench_matching.py`, one function per table section.

Each section appends `Row`s to the shared `Bench` and records raw figures in
`Bench.results` (written as JSON next to the cache).
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from common import Timing, rss_mb, time_each, time_once
from registry import CACHE, Registry

from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.matcher import AdHocQuery, Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.side import suggestible

SEARCH_TARGET_RATIO = 2.0  # match_company p50 / raw FAISS searches it contains
REBUILD_TARGET_S = 5.0
PIPELINE_TARGET_RATIO = 0.9


@dataclass
class Row:
    section: str
    measure: str
    p50: str
    p95: str = ""
    note: str = ""


@dataclass
class Bench:
    registry: Registry
    embedder: SentenceTransformerEmbedder
    queries: int
    matcher: Matcher | None = None
    rows: list[Row] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    def sample(self, count: int, seed: int = 7) -> list[int]:
        """Row numbers of `count` suggestible companies, seeded."""
        rows = [i for i, p in enumerate(self.registry.profiles) if suggestible(p)]
        return sorted(random.Random(seed).sample(rows, count))

    def add_timing(self, section: str, measure: str, timing: Timing, note: str = "") -> None:
        self.rows.append(Row(section, measure, ms(timing.p50), ms(timing.p95), note))
        self.results[measure] = {"p50_ms": timing.p50, "p95_ms": timing.p95, "n": timing.count}


def ms(value: float) -> str:
    return f"{value:.3f} ms" if value < 1 else f"{value:.2f} ms"


def verdict(met: bool) -> str:
    return "target MET" if met else "target MISSED"


def bench_rebuild(bench: Bench, repeats: int = 3) -> None:
    """bulk_load of every profile and its stored vectors into a fresh Matcher."""
    reg = bench.registry
    seconds: list[float] = []
    rss_before = rss_mb()[0]
    for _ in range(repeats):
        bench.matcher = None  # drop the previous matcher first so memory does not double
        matcher = Matcher(bench.embedder)
        started = time.perf_counter()
        matcher.bulk_load(reg.profiles, reg.offer, reg.seek)
        seconds.append(time.perf_counter() - started)
        bench.matcher = matcher
    best, median = min(seconds), float(np.median(seconds))
    met = verdict(median < REBUILD_TARGET_S)
    bench.rows.append(
        Row(
            "rebuild",
            f"bulk_load {len(reg.profiles):,} profiles + vectors",
            f"{median:.2f} s",
            "",
            f"min {best:.2f} s of {repeats}; target < {REBUILD_TARGET_S:.0f} s: {met}",
        )
    )
    bench.results["bulk_load_s"] = {"median": median, "runs": seconds}
    _snapshot_round_trip(bench)
    rss, peak = rss_mb()
    bench.rows.append(
        Row(
            "memory",
            "RSS after model + registry + matcher",
            f"{rss:,.0f} MiB",
            "",
            f"peak {peak:,.0f} MiB (the benchmark holds its own copy of the registry)",
        )
    )
    bench.rows.append(
        Row("memory", "RSS growth from bulk_load (the matcher)", f"{rss - rss_before:,.0f} MiB")
    )
    bench.results["rss_mib"] = {"current": rss, "peak": peak, "matcher": rss - rss_before}


def _snapshot_round_trip(bench: Bench) -> None:
    """Matcher.save / Matcher.load: the restart path that avoids bulk_load altogether."""
    assert bench.matcher is not None
    matcher = bench.matcher
    with tempfile.TemporaryDirectory(dir=CACHE) as directory:
        save_s = time_once(lambda: matcher.save(directory, generation=1))
        size = sum(f.stat().st_size for f in Path(directory).iterdir()) / 2**20
        load_s = time_once(lambda: Matcher.load(directory, bench.embedder))
    bench.rows.append(
        Row(
            "rebuild",
            "Matcher.save (snapshot to disk)",
            f"{save_s:.2f} s",
            "",
            f"{size:,.0f} MiB on disk",
        )
    )
    bench.rows.append(Row("rebuild", "Matcher.load (snapshot from disk)", f"{load_s:.2f} s"))
    bench.results["snapshot"] = {"save_s": save_s, "load_s": load_s, "mib": size}


@contextlib.contextmanager
def faiss_threads(count: int) -> Iterator[None]:
    """Run the block with `count` OpenMP threads in FAISS, then restore the setting."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


@contextlib.contextmanager
def blas_threads(count: int) -> Iterator[None]:
    """Limit numpy's BLAS to `count` threads (threadpoolctl, installed with sentence-transformers'
    scikit-learn); without it the block runs unchanged."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(limits=count, user_api="blas"):
        yield


def _flat_index(vectors: np.ndarray) -> faiss.IndexFlatIP:
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors))
    return index


def _numpy_top_k(vectors: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    scores = vectors @ query
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top])]


def bench_raw_search(bench: Bench, k: int = 10) -> None:
    """Exact search over all N offer vectors: FAISS (1 thread) and the numpy floor."""
    reg = bench.registry
    queries = reg.seek[bench.sample(bench.queries)]
    index = _flat_index(reg.offer)
    n = f"{len(reg.offer):,}"
    with faiss_threads(1):
        timing = time_each(lambda q: index.search(q[None, :], k), queries)
    bench.add_timing("raw search", f"FAISS IndexFlatIP, {n} vectors, k={k}", timing, "1 thread")
    with blas_threads(1):
        timing = time_each(lambda q: _numpy_top_k(reg.offer, q, k), queries)
    bench.add_timing(
        "raw search",
        f"numpy @ + argpartition, {n} vectors, k={k}",
        timing,
        "memory-bandwidth floor, 1 BLAS thread",
    )
    timing = time_each(lambda q: _numpy_top_k(reg.offer, q, k), queries)
    bench.add_timing(
        "raw search",
        "numpy, same, default BLAS threads",
        timing,
        "2 threads suffer when the other core is busy",
    )


def _side_indexes(reg: Registry) -> dict[str, tuple[faiss.IndexFlatIP, faiss.IndexFlatIP]]:
    """Per side, exact indexes of the suggestible firms' offers and seeks (as the matcher)."""
    sides = {}
    for side in ("EU", "UA"):
        rows = [i for i, p in enumerate(reg.profiles) if p.side == side and suggestible(p)]
        sides[side] = (_flat_index(reg.offer[rows]), _flat_index(reg.seek[rows]))
    return sides


def _scan(index: faiss.IndexFlatIP, query: np.ndarray) -> np.ndarray:
    """FAISS's inner-product kernel over every stored vector (what the matcher runs)."""
    storage = faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d)
    scores = np.empty(index.ntotal, dtype=np.float32)
    faiss.fvec_inner_products_ny(
        faiss.swig_ptr(scores),
        faiss.swig_ptr(query),
        faiss.swig_ptr(storage),
        index.d,
        index.ntotal,
    )
    return scores


def bench_match_company(bench: Bench) -> None:
    """match_company (every firm of the other side scored) against the raw FAISS work a
    pure vector engine would do for the same question: two exact top-10 searches of the
    other side (offers by A's seek, seeks by A's offer)."""
    reg, limit = bench.registry, 10
    assert bench.matcher is not None
    matcher = bench.matcher
    rows = bench.sample(bench.queries, seed=11)
    sides = _side_indexes(reg)

    def other(row: int) -> tuple[faiss.IndexFlatIP, faiss.IndexFlatIP]:
        return sides["UA" if reg.profiles[row].side == "EU" else "EU"]

    def searches(row: int) -> None:
        offers, seeks = other(row)
        offers.search(reg.seek[row][None, :], limit)
        seeks.search(reg.offer[row][None, :], limit)

    def scans(row: int) -> None:
        offers, seeks = other(row)
        _scan(offers, reg.seek[row])
        _scan(seeks, reg.offer[row])

    side_size = np.mean([other(row)[0].ntotal for row in rows])
    with faiss_threads(1):  # as VectorIndex does for a single query
        raw = time_each(searches, rows)
        scanned = time_each(scans, rows)
    bench.add_timing(
        "match_company",
        f"raw FAISS: 2 exact searches of the other side, k={limit}",
        raw,
        f"offers by A.seek + seeks by A.offer, ~{side_size:,.0f} firms each",
    )
    bench.add_timing(
        "match_company",
        "raw FAISS: the same 2 scans without top-k",
        scanned,
        "fvec_inner_products_ny: every cosine, as the matcher takes them",
    )
    ids = [reg.profiles[row].id for row in rows]
    timing = time_each(lambda company_id: matcher.match_company(company_id, limit=limit), ids)
    ratio = timing.p50 / raw.p50
    bench.add_timing(
        "match_company",
        "match_company (scan + rules over every firm + explanations)",
        timing,
        f"p50 = {ratio:.2f} x raw search; target <= {SEARCH_TARGET_RATIO:.0f} x: "
        f"{verdict(ratio <= SEARCH_TARGET_RATIO)}",
    )
    bench.results["match_company_ratio"] = ratio
    bench.results["flat_top10"] = {
        i: [s.score for s in matcher.match_company(i, limit=limit)] for i in ids[:50]
    }


POOLS = (50, 100, 200, 400)


def bench_shortlist(bench: Bench, companies: int = 40) -> None:
    """The approximate (HNSW) matcher scores a shortlist: the top `candidate_pool` of each
    vector search plus the top `candidate_pool` by the rules alone. How much of the exact
    matcher's top 10 (every firm scored) it keeps, per pool size. Agreement counts a
    suggestion scoring at least the exact 10th as found (ties are not misses)."""
    assert bench.matcher is not None
    reg, exact = bench.registry, bench.matcher
    ids = [reg.profiles[row].id for row in bench.sample(companies, seed=31)]
    reference: Top10 = {i: [s.score for s in exact.match_company(i, limit=10)] for i in ids}
    approximate = Matcher(bench.embedder, exact.config, index_kind="hnsw")
    seconds = time_once(lambda: approximate.bulk_load(reg.profiles, reg.offer, reg.seek))
    bench.rows.append(
        Row(
            "shortlist",
            "Matcher(index_kind='hnsw').bulk_load",
            f"{seconds:.2f} s",
            "",
            "4 graphs: offer + seek per side",
        )
    )
    bench.results["hnsw_bulk_load_s"] = seconds
    bench.results["shortlist"] = {}
    for pool in POOLS:
        approximate.config = replace(exact.config, candidate_pool=pool)
        top: Top10 = {}

        def match(company_id: int, top: Top10 = top) -> None:
            top[company_id] = [s.score for s in approximate.match_company(company_id, limit=10)]

        timing = time_each(match, ids, warmup=0)
        agreement, gap = _compare_top10(top, reference)
        bench.add_timing(
            "shortlist",
            f"hnsw match_company, candidate_pool={pool}",
            timing,
            f"top-10 agreement with the exact matcher {agreement:.3f}, mean score gap {gap:.4f}",
        )
        bench.results["shortlist"][pool] = {"agreement": agreement, "score_gap": gap}


Top10 = dict[int, list[float]]  # company id -> scores of its top-10 suggestions


def _compare_top10(top: Top10, exhaustive: Top10) -> tuple[float, float]:
    """(share of suggestions scoring at least the exhaustive 10th, mean top-10 score gap)."""
    found, gaps = [], []
    for company_id, best in exhaustive.items():
        scores = top[company_id]
        if best and scores:
            found.append(np.mean([score >= best[-1] for score in scores]))
            gaps.append(np.mean(best) - np.mean(scores))
    return float(np.mean(found)), float(np.mean(gaps))


def _ad_hoc_queries(bench: Bench, with_capability: bool) -> list[AdHocQuery]:
    """Requests written like firms write: another firm's `seeks`, aimed at the other side."""
    profiles = [bench.registry.profiles[row] for row in bench.sample(bench.queries, seed=13)]
    return [
        AdHocQuery(
            side="UA" if p.side == "EU" else "EU",
            seeks=p.seeks,
            capabilities=frozenset(sorted(p.seeking_capabilities)[:1])
            if with_capability
            else frozenset(),
        )
        for p in profiles
    ]


def bench_match_query(bench: Bench) -> None:
    """Ad-hoc requests, including the query embedding (the embedding alone for scale)."""
    assert bench.matcher is not None
    matcher = bench.matcher
    plain = _ad_hoc_queries(bench, with_capability=False)
    timing = time_each(lambda q: bench.embedder.encode([q.seeks]), plain)
    bench.add_timing("match_query", "query embedding alone (1 text)", timing)
    timing = time_each(lambda q: matcher.match_query(q, limit=10), plain)
    bench.add_timing("match_query", "match_query, text only", timing, "incl. embedding")
    filtered = _ad_hoc_queries(bench, with_capability=True)
    timing = time_each(lambda q: matcher.match_query(q, limit=10), filtered)
    bench.add_timing(
        "match_query", "match_query, text + 1 capability filter", timing, "incl. embedding"
    )


def bench_updates(bench: Bench) -> None:
    """Single-company upsert (new vectors), insert of a new firm, and removal."""
    assert bench.matcher is not None
    matcher, reg = bench.matcher, bench.registry
    rows = bench.sample(bench.queries, seed=17)
    donors = bench.sample(bench.queries, seed=19)  # real vectors of other firms as "new" ones

    def upsert(pair: tuple[int, int]) -> None:
        row, donor = pair
        matcher.upsert(reg.profiles[row], reg.offer[donor], reg.seek[donor])

    bench.add_timing(
        "updates",
        "upsert one held company, new vectors",
        time_each(upsert, list(zip(rows, donors, strict=True)), warmup=0),
    )
    fresh = [replace(reg.profiles[row], id=10_000_000 + i) for i, row in enumerate(donors)]

    def insert(profile: CompanyProfile) -> None:
        row = donors[profile.id - 10_000_000]
        matcher.upsert(profile, reg.offer[row], reg.seek[row])

    bench.add_timing("updates", "upsert one new company", time_each(insert, fresh, warmup=0))
    ids = [reg.profiles[row].id for row in rows] + [p.id for p in fresh]
    bench.add_timing("updates", "remove one company", time_each(matcher.remove, ids, warmup=0))

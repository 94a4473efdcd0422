"""Exact match path vs raw FAISS, at any registry size, without embedding a registry.

    .venv/bin/python benchmarks/bench_match_ratio.py --size 100000 [--queries 200]

`bench_matching.py` needs the registry's real vectors, which take hours to embed at
100k on these machines. The cost of an exact match does not depend on what the
vectors hold (every firm of the other side is scanned and scored whatever they say),
so this script times it on the synthetic registry's real profiles (`synth.py`: their
texts, codes and compliance facts, so term statistics and rule work are realistic)
with seeded random unit vectors. Printed, in one run: two raw exact top-10 FAISS
searches of the other side (what a pure vector engine does for the question), the
scans the matcher runs, `match_company` p50/p95, its ratio to the raw searches, the
same with each query's searches and match timed back to back (so that both see the same
load on a shared machine), and (with --profile) where the time goes. Use only the
Matcher API that every version of the engine has, so the same script measures an older
commit checked out beside it.
Not for ranking quality: random vectors rank nothing meaningfully.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time

import faiss
import numpy as np
from common import load_average, machine_header, time_each
from synth import make_profile

from matchmaker.domain.matcher import Matcher

DIMENSION = 384


class VectorsOnly:
    """Stands in for the embedder where only its dimension and name are read: every
    profile and query here comes with its vectors, so nothing is ever embedded."""

    model_name = "all-MiniLM-L6-v2"
    dimension = DIMENSION

    def encode(self, texts: object, batch_size: int = 32, show_progress: bool = False) -> None:
        raise RuntimeError("bench_match_ratio gives every vector; nothing should be embedded")


def unit_vectors(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, DIMENSION), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def scoring_config(names: str) -> object:
    """The scoring configuration with only the named components (None: the default)."""
    if not names:
        return None
    from matchmaker.domain.components import COMPONENTS
    from matchmaker.domain.scoring_config import ScoringConfig

    wanted = names.split(",")
    return ScoringConfig(components=tuple(c for c in COMPONENTS if c.name in wanted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--components",
        default="",
        help="comma-separated registered components to score with (default: all), e.g. "
        "capability,semantic,regulatory,certification for the four of before the real-set work",
    )
    args = parser.parse_args()
    print("\n".join(machine_header()))
    started = time.perf_counter()
    profiles = [make_profile(i) for i in range(args.size)]
    offers, seeks = unit_vectors(args.size, 1), unit_vectors(args.size, 2)
    print(f"{args.size:,} profiles in {time.perf_counter() - started:.1f} s", flush=True)
    matcher = Matcher(VectorsOnly(), scoring_config(args.components))  # type: ignore[arg-type]
    started = time.perf_counter()
    matcher.bulk_load(profiles, offers, seeks)
    print(f"bulk_load {time.perf_counter() - started:.2f} s", flush=True)
    rng = np.random.default_rng(3)
    rows = sorted(rng.choice(args.size, size=args.queries, replace=False).tolist())
    sides = {}
    for side in ("EU", "UA"):
        members = [i for i, p in enumerate(profiles) if p.side == side]
        index_offers, index_seeks = faiss.IndexFlatIP(DIMENSION), faiss.IndexFlatIP(DIMENSION)
        index_offers.add(offers[members])
        index_seeks.add(seeks[members])
        sides[side] = (index_offers, index_seeks)

    def searches(row: int) -> None:
        index_offers, index_seeks = sides["UA" if profiles[row].side == "EU" else "EU"]
        index_offers.search(seeks[row][None, :], 10)
        index_seeks.search(offers[row][None, :], 10)

    faiss.omp_set_num_threads(1)  # as VectorIndex does for a single query
    raw = time_each(searches, rows)
    ids = [profiles[row].id for row in rows]

    def match(company_id: int) -> None:
        matcher.match_company(company_id, limit=10)

    first = time.perf_counter()
    match(ids[0])  # builds per-day and per-change caches once, as a serving worker does
    print(f"first match (caches) {1000 * (time.perf_counter() - first):.1f} ms")
    timing = time_each(match, ids)
    print(f"load average {load_average()}")
    print(f"raw FAISS, 2 exact top-10 searches  p50 {raw.p50:7.2f} ms  p95 {raw.p95:7.2f} ms")
    print(f"match_company                       p50 {timing.p50:7.2f} ms  p95 {timing.p95:7.2f} ms")
    print(f"ratio (p50) {timing.p50 / raw.p50:.2f} x the raw searches")
    # The same, each query's raw searches and match timed back to back, so that both
    # see the same load on a shared machine (the runs above are minutes apart at 100k).
    raw_ms, match_ms = [], []
    for row, company_id in zip(rows, ids, strict=True):
        started = time.perf_counter_ns()
        searches(row)
        between = time.perf_counter_ns()
        match(company_id)
        raw_ms.append((between - started) / 1e6)
        match_ms.append((time.perf_counter_ns() - between) / 1e6)
    raw_p50, match_p50 = float(np.median(raw_ms)), float(np.median(match_ms))
    print(
        f"interleaved: raw p50 {raw_p50:.2f} ms, match p50 {match_p50:.2f} ms, ratio "
        f"{match_p50 / raw_p50:.2f} x; median per-query ratio "
        f"{float(np.median(np.divide(match_ms, raw_ms))):.2f} x  (load {load_average()})"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for company_id in ids:
            match(company_id)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(18)


if __name__ == "__main__":
    main()

"""The approximate (HNSW) match path against the exact one, on real-text MiniLM vectors.

Prints in one run, per registry size: the engine's HNSW graph searches alone (the
searches one `match_company` makes), `match_company` on HNSW (shortlist from the
graphs plus the inverted lists, `matchmaker/domain/shortlist.py`) and on exact
indexes, and the top-10 agreement of the approximate path with the exact one at a
few (candidate_pool, efSearch) settings.

Agreement: the share of the approximate top 10 scoring at least the exact 10th
(a tie is not a miss), and the plain id overlap of the two top-10 lists.

Run:  .venv/bin/python benchmarks/bench_approx.py --sizes 10000 100000
The registries come from `registry.py --size N` (cached in benchmarks/cache).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time

import numpy as np
from common import load_average, machine_header, quiet_model_loading, time_each
from registry import load_registry

from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.side import suggestible
from matchmaker.domain.taxonomy import other_side

SETTINGS = ((50, 64), (100, 64), (100, 128), (200, 128))  # (candidate_pool, efSearch)


def _set_ef(matcher: Matcher, ef_search: int) -> None:
    """Benchmark only: change the query-time beam of every graph of a built matcher."""
    for side in matcher._sides.values():
        for index in (side.offers, side.seeks):
            backend = index._backend
            backend.params = dataclasses.replace(backend.params, ef_search=ef_search)  # type: ignore[union-attr]


def _graph_searches(matcher: Matcher, company_id: int, pool: int) -> None:
    """The vector searches one match of `company_id` makes, and nothing else."""
    a = matcher.profile(company_id)
    side = matcher._sides[a.side]
    offer, seek = side.vectors_of(company_id)
    other = matcher._sides[other_side(a.side)]
    searches: tuple[tuple[VectorIndex, np.ndarray], ...] = (
        (other.offers, seek),
        (other.seeks, offer),
        (other.offers, offer),
    )
    for index, query in searches:
        index.search(query, pool)


def _agreement(approx: list[list], exact: list[list]) -> tuple[float, float]:
    found, overlap = [], []
    for mine, best in zip(approx, exact, strict=True):
        if not best or not mine:
            continue
        tenth = best[-1].score
        found.append(np.mean([s.score >= tenth for s in mine]))
        overlap.append(len({s.company.id for s in mine} & {s.company.id for s in best}) / len(best))
    return float(np.mean(found)), float(np.mean(overlap))


def run(size: int, queries: int, embedder: SentenceTransformerEmbedder) -> None:
    registry = load_registry(size, build=False)
    rng = random.Random(31)
    held = [p.id for p in registry.profiles if suggestible(p)]
    ids = sorted(rng.sample(held, queries))
    exact = Matcher(embedder)
    exact.bulk_load(registry.profiles, registry.offer, registry.seek)
    started = time.perf_counter()
    approx = Matcher(embedder, index_kind="hnsw")
    approx.bulk_load(registry.profiles, registry.offer, registry.seek)
    build_s = time.perf_counter() - started
    print(f"\n== {size:,} firms; HNSW matcher built in {build_s:.1f} s; load {load_average()}")
    reference = [exact.match_company(i) for i in ids]
    exact_t = time_each(exact.match_company, ids)
    print(
        f"match_company exact                     p50 {exact_t.p50:7.3f} ms  p95 {exact_t.p95:7.3f}"
    )
    for pool, ef in SETTINGS:
        _set_ef(approx, ef)
        approx.config = dataclasses.replace(exact.config, candidate_pool=pool)
        graphs = time_each(lambda i, pool=pool: _graph_searches(approx, i, pool), ids)
        got = [approx.match_company(i) for i in ids]
        timing = time_each(approx.match_company, ids)
        found, overlap = _agreement(got, reference)
        print(
            f"pool {pool:3d} ef {ef:3d}: graphs alone p50 {graphs.p50:6.3f} ms | "
            f"match_company hnsw p50 {timing.p50:6.3f} ms p95 {timing.p95:6.3f} | "
            f"top-10 agreement {found:.3f} (id overlap {overlap:.3f}) | "
            f"exact/hnsw {exact_t.p50 / timing.p50:.1f}x"
        )
    print(f"load average after: {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    quiet_model_loading()
    for line in machine_header():
        print(line)
    embedder = SentenceTransformerEmbedder("default")
    for size in args.sizes:
        run(size, args.queries, embedder)


if __name__ == "__main__":
    main()

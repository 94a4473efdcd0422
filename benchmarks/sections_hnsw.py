"""The approximate index (`VectorIndex(kind="hnsw")`) against exact search, on real vectors.

Index: every offer vector of the registry; queries: seek vectors of sampled firms
(what `match_company` asks). Recall@k = share of the exact top-k ids that HNSW
returns, at k=10 and at the matcher's candidate pool. Then a whole Matcher on
HNSW: rebuild time, match_company time and how many of the flat matcher's top-10
suggestions it reproduces.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from common import time_each, time_once
from sections_engine import Bench, Row

from matchmaker.domain.index import VectorIndex
from matchmaker.domain.matcher import Matcher


def _exact_top(vectors: np.ndarray, ids: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    scores = queries @ vectors.T
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    return ids[top]


def _recall(index: VectorIndex, queries: np.ndarray, exact: np.ndarray, k: int) -> float:
    found = [set(index.search(q, k)[0][0].tolist()) for q in queries]
    return float(np.mean([len(f & set(e.tolist())) / k for f, e in zip(found, exact, strict=True)]))


def _searcher(index: VectorIndex, k: int) -> Callable[[np.ndarray], object]:
    return lambda query: index.search(query, k)


def bench_hnsw(bench: Bench) -> None:
    reg, pool = bench.registry, bench.pool
    ids = reg.ids
    queries = reg.seek[bench.sample(bench.queries, seed=23)]
    build_s = time_once(lambda: VectorIndex.build(ids, reg.offer, kind="hnsw"))
    index = VectorIndex.build(ids, reg.offer, kind="hnsw")
    flat = VectorIndex.build(ids, reg.offer, kind="flat")
    n = f"{len(ids):,}"
    bench.rows.append(Row("hnsw", f"build HNSW over {n} offer vectors", f"{build_s:.2f} s",
                          "", f"M={index.hnsw_params.m}, efC={index.hnsw_params.ef_construction}"))
    bench.results["hnsw_build_s"] = build_s
    for k in (10, pool):
        exact = _exact_top(reg.offer, ids, queries, k)
        recall = _recall(index, queries, exact, k)
        ef = max(index.hnsw_params.ef_search, k)
        bench.add_timing("hnsw", f"VectorIndex hnsw search, k={k}",
                         time_each(_searcher(index, k), queries),
                         f"recall@{k} = {recall:.3f} (efSearch {ef})")
        bench.add_timing("hnsw", f"VectorIndex flat search, k={k}",
                         time_each(_searcher(flat, k), queries), "exact, for scale")
        bench.results[f"hnsw_recall@{k}"] = recall
    _hnsw_matcher(bench)


def _hnsw_matcher(bench: Bench) -> None:
    """A whole Matcher on HNSW: rebuild time, match time, agreement with the flat matcher."""
    reg = bench.registry
    matcher = Matcher(bench.embedder, index_kind="hnsw")
    seconds = time_once(lambda: matcher.bulk_load(reg.profiles, reg.offer, reg.seek))
    bench.rows.append(Row("hnsw", "Matcher(index_kind='hnsw').bulk_load", f"{seconds:.2f} s",
                          "", "4 graphs: offer + seek per side"))
    bench.results["hnsw_bulk_load_s"] = seconds
    flat_top = bench.results.get("flat_top10", {})
    company_ids = list(flat_top)
    if not company_ids:
        return
    timing = time_each(lambda i: matcher.match_company(i, limit=10), company_ids)
    overlaps = [
        len({s.company.id for s in matcher.match_company(i)} & set(flat_top[i])) / max(
            1, len(flat_top[i]))
        for i in company_ids
    ]
    agreement = float(np.mean(overlaps))
    bench.add_timing("hnsw", "match_company on the HNSW matcher", timing,
                     f"top-10 agreement with flat: {agreement:.3f} ({len(company_ids)} firms)")
    bench.results["hnsw_top10_agreement"] = agreement

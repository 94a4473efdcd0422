"""The approximate index (`VectorIndex(kind="hnsw")`) against exact search, on real vectors.

Indexes: every offer vector of the registry, queried by seek vectors of sampled
firms, and every seek vector, queried by offer vectors (the two searches of
`match_company`). Recall@k = share of the exact top-k ids that HNSW returns, at
k=10 and at the default candidate pool (100). A whole Matcher on HNSW is measured in
`sections_engine.bench_shortlist`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from common import time_each
from sections_engine import Bench, Row

from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams


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
    reg = bench.registry
    rows = bench.sample(bench.queries, seed=23)
    _index_section(bench, "offer", reg.offer, reg.seek[rows])  # A.seek -> B.offer
    _index_section(bench, "seek", reg.seek, reg.offer[rows])  # A.offer -> B.seek
    for name, stored, queries in (
        ("offer", reg.offer, reg.seek[rows]),
        ("seek", reg.seek, reg.offer[rows]),
    ):
        _sweep(bench, name, stored, queries)


SWEEP = ((40, 128), (120, 64), (120, 128), (120, 256))  # (efConstruction, efSearch)


def _sweep(bench: Bench, name: str, stored: np.ndarray, queries: np.ndarray) -> None:
    """Recall@10 and time for other HNSW settings than the engine's defaults."""
    ids, k = bench.registry.ids, 10
    exact = _exact_top(stored, ids, queries, k)
    for ef_construction, ef_search in SWEEP:
        params = HnswParams(ef_construction=ef_construction, ef_search=ef_search)
        started = time.perf_counter()
        index = VectorIndex.build(ids, stored, kind="hnsw", hnsw=params)
        build_s = time.perf_counter() - started
        recall = _recall(index, queries, exact, k)
        label = f"{name} index: efC={ef_construction}, efSearch={ef_search}, k={k}"
        bench.add_timing(
            "hnsw sweep",
            label,
            time_each(_searcher(index, k), queries),
            f"recall@{k} = {recall:.3f}; build {build_s:.1f} s",
        )
        bench.results[f"sweep_{name}_{ef_construction}_{ef_search}_recall@10"] = recall


def _index_section(bench: Bench, name: str, stored: np.ndarray, queries: np.ndarray) -> None:
    """Build HNSW over every `name` vector; recall and time at k=10 and k=pool vs flat."""
    ids = bench.registry.ids
    started = time.perf_counter()
    index = VectorIndex.build(ids, stored, kind="hnsw")
    build_s = time.perf_counter() - started
    flat = VectorIndex.build(ids, stored, kind="flat")
    params = index.hnsw_params
    bench.rows.append(
        Row(
            "hnsw",
            f"build HNSW over {len(ids):,} {name} vectors",
            f"{build_s:.2f} s",
            "",
            f"M={params.m}, efC={params.ef_construction}",
        )
    )
    bench.results[f"hnsw_{name}_build_s"] = build_s
    for k in (10, 100):
        exact = _exact_top(stored, ids, queries, k)
        recall = _recall(index, queries, exact, k)
        bench.add_timing(
            "hnsw",
            f"{name} index: hnsw search, k={k}",
            time_each(_searcher(index, k), queries),
            f"recall@{k} = {recall:.3f} (efSearch {max(params.ef_search, k)})",
        )
        bench.add_timing(
            "hnsw",
            f"{name} index: flat search, k={k}",
            time_each(_searcher(flat, k), queries),
            "exact, for scale",
        )
        bench.results[f"hnsw_{name}_recall@{k}"] = recall

"""Measuring suggestion quality against known good pairs: metrics and two baselines.

A query is "partners for company A" with one known good partner B; the rank of B in
the answer gives Recall@k and the reciprocal rank. The baselines rank the same
candidates by BM25 keyword overlap and by plain embedding similarity, so the
engine's figures can be compared with what a simpler system would give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

_TOKEN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


@dataclass(frozen=True)
class Metrics:
    queries: int
    recall_at_5: float
    recall_at_10: float
    mrr: float


def metrics_from_ranks(ranks: Sequence[int | None]) -> Metrics:
    """Recall@5, Recall@10 and MRR from 1-based ranks (None: the partner was not found)."""
    n = len(ranks)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    found = [r for r in ranks if r is not None]
    return Metrics(
        queries=n,
        recall_at_5=sum(r <= 5 for r in found) / n,
        recall_at_10=sum(r <= 10 for r in found) / n,
        mrr=sum(1.0 / r for r in found) / n,
    )


def rank_of(target: int, ranked_ids: Sequence[int]) -> int | None:
    """1-based position of `target` in `ranked_ids`, or None when absent."""
    for position, company_id in enumerate(ranked_ids, start=1):
        if company_id == target:
            return position
    return None


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class Bm25Ranker:
    """BM25 (Okapi) over candidate texts: the keyword-search baseline."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        self._ids = np.asarray(ids)
        self._bm25 = BM25Okapi([tokenize(t) or ["_"] for t in texts])

    def rank(self, query: str, limit: int) -> list[int]:
        scores = self._bm25.get_scores(tokenize(query))
        return _top_ids(self._ids, np.asarray(scores), limit)


class EmbeddingRanker:
    """Cosine similarity of the query vector to candidate vectors: the embedding-only baseline."""

    def __init__(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        self._ids = np.asarray(ids)
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    def rank(self, query_vector: np.ndarray, limit: int) -> list[int]:
        return _top_ids(self._ids, self._vectors @ query_vector.astype(np.float32), limit)


def _top_ids(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    # Stable order on ties (by id) so figures are reproducible run to run.
    order = np.lexsort((ids, -scores))[:limit]
    return [int(i) for i in ids[order]]

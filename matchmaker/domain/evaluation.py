"""Measuring suggestion quality against known good pairs: metrics and three baselines.

A query is "partners for company A" with one known good partner B; the rank of B in
the answer gives Recall@k and the reciprocal rank (read to a fixed depth: a partner
below it counts as not found). The baselines rank the same candidates by what a user
would try first: BM25 keyword search over the whole profile text, cosine similarity
of whole-profile embeddings, and a uniform random order (its expected figures are
computed exactly, not sampled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from matchmaker.domain.lexical import tokenize

# The token an empty document is indexed with, so that it scores 0 and not an error.
_EMPTY = "\x00"


@dataclass(frozen=True)
class Metrics:
    queries: int
    recall_at_5: float
    recall_at_10: float
    mrr: float


def metrics_from_ranks(ranks: Sequence[int | None], depth: int | None = None) -> Metrics:
    """Recall@5, Recall@10 and MRR from 1-based ranks (None, or below `depth`: not found)."""
    n = len(ranks)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    found = [r for r in ranks if r is not None and (depth is None or r <= depth)]
    return Metrics(
        queries=n,
        recall_at_5=sum(r <= 5 for r in found) / n,
        recall_at_10=sum(r <= 10 for r in found) / n,
        mrr=sum(1.0 / r for r in found) / n,
    )


def random_metrics(candidate_counts: Sequence[int], depth: int) -> Metrics:
    """Expected figures of a uniformly random ranking, exactly.

    With N candidates the partner's rank is uniform on 1..N, so its expected reciprocal
    rank read to `depth` is H(min(N, depth)) / N and P(rank <= k) = min(k, N) / N;
    the figures are the mean of these over the queries (one N per query)."""
    n = len(candidate_counts)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    rr = r5 = r10 = 0.0
    for count in candidate_counts:
        if count <= 0:
            continue
        rr += sum(1.0 / r for r in range(1, min(count, depth) + 1)) / count
        r5 += min(5, count, depth) / count
        r10 += min(10, count, depth) / count
    return Metrics(queries=n, recall_at_5=r5 / n, recall_at_10=r10 / n, mrr=rr / n)


def rank_of(target: int, ranked_ids: Sequence[int]) -> int | None:
    """1-based position of `target` in `ranked_ids`, or None when absent."""
    for position, company_id in enumerate(ranked_ids, start=1):
        if company_id == target:
            return position
    return None


class Bm25Ranker:
    """BM25 (bm25s, Lucene variant) over candidate texts: the keyword-search baseline."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        self._ids = np.asarray(ids)
        self._bm25 = bm25s.BM25()
        # Plain words, as a user's keyword search would have them: no bilingual glossary.
        corpus = [tokenize(t, bilingual=False) or [_EMPTY] for t in texts]
        self._bm25.index(corpus, show_progress=False)
        self._vocabulary = set(self._bm25.vocab_dict)

    def scores(self, query: str) -> np.ndarray:
        terms = [t for t in tokenize(query, bilingual=False) if t in self._vocabulary]
        if not terms:
            return np.zeros(len(self._ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)

    def rank(self, query: str, limit: int) -> list[int]:
        return _top_ids(self._ids, self.scores(query), limit)


class EmbeddingRanker:
    """Cosine similarity of the query vector to candidate vectors: the embedding baseline."""

    def __init__(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        self._ids = np.asarray(ids)
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    def rank(self, query_vector: np.ndarray, limit: int) -> list[int]:
        return _top_ids(self._ids, self._vectors @ query_vector.astype(np.float32), limit)


def _top_ids(ids: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    # Stable order on ties (by id) so figures are reproducible run to run.
    order = np.lexsort((ids, -scores))[:limit]
    return [int(i) for i in ids[order]]

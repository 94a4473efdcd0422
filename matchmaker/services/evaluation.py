"""How often the engine puts a known good partner near the top, against three baselines.

Known good pairs come from a labelled file (companies named by country and legal id:
`a`/`b`, or `eu`/`ua` as in eval/real/pairs.json) and from recorded introductions that
reached an MoU or a joint venture. Each pair gives two queries (A looking for
partners, and B). Every method ranks the same candidates, the approved firms of the
other side, read to DEPTH:

- engine: `MatchingService.match_company`;
- bm25: BM25 of the asker's whole profile text against every candidate's
  (`matchmaker.domain.lexical.profile_text`, language-aware tokens);
- embedding only: cosine of whole-profile vectors (one vector of `profile_text` per
  firm, the same model as the engine; symmetric);
- random: the exact expectation of a uniformly random order of the candidates.

`flask evaluate` runs the planted set over the current registry; `eval/run.py` runs a
set from scratch in a temporary database (`matchmaker.evaluate_set`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.embedding import Embedder
from matchmaker.domain.evaluation import (
    Bm25Ranker,
    EmbeddingRanker,
    Metrics,
    metrics_from_ranks,
    random_metrics,
    rank_of,
)
from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.domain.lexical import profile_text
from matchmaker.domain.taxonomy import SUCCESSFUL_OUTCOMES
from matchmaker.models import Company, Introduction
from matchmaker.services.conversion import to_profile
from matchmaker.services.embeddings import companies_with_embeddings
from matchmaker.services.matching import MatchingService

DEPTH = 50  # how far down each ranking is read; a partner below it counts as not found
RANKED_METHODS = ("engine", "bm25", "embedding only")
METHODS = (*RANKED_METHODS, "random")


class EvaluationError(ValueError):
    """The pairs file cannot be used as given."""


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    source: str
    state_holding: bool = False  # one firm of the pair is the Ukrainian state holding


@dataclass(frozen=True)
class QueryResult:
    """One firm of a pair looking for the other: the partner's rank by each method."""

    pair: Pair
    query_id: int
    target_id: int
    candidates: int  # approved firms of the other side: what random ranks among
    ranks: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluationReport:
    pairs: int
    results: dict[str, Metrics]

    def table(self) -> str:
        lines = [
            f"{self.pairs} known good pairs, {2 * self.pairs} queries "
            "(each firm of a pair looks for the other)",
            f"{'method':<22}{'Recall@5':>10}{'Recall@10':>11}{'MRR':>8}",
        ]
        for name, m in self.results.items():
            lines.append(f"{name:<22}{m.recall_at_5:>10.3f}{m.recall_at_10:>11.3f}{m.mrr:>8.3f}")
        return "\n".join(lines)


def load_pairs_file(session: Session, path: Path) -> list[Pair]:
    """Resolve each pair's firms by country and legal id; unknown firms are an error."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    keys = {
        (c.country, c.legal_id): c.id
        for c in session.execute(select(Company.id, Company.country, Company.legal_id))
    }
    pairs, missing = [], []
    for number, row in enumerate(rows, start=1):
        sides = ("eu", "ua") if isinstance(row, dict) and "eu" in row else ("a", "b")
        a, b = (keys.get(_key(row.get(side) if isinstance(row, dict) else None)) for side in sides)
        if a is None or b is None:
            missing.append(number)
        else:
            holding = bool(row.get("state_holding", False))
            pairs.append(Pair(a, b, f"{path.name}#{number}", holding))
    if missing:
        raise EvaluationError(
            f"Pairs {missing[:10]} of {path} name firms that are not in the registry "
            "(run `flask seed` first)."
        )
    return pairs


def successful_introductions(session: Session) -> list[Pair]:
    """Introductions that reached an MoU or a joint venture."""
    successful = Introduction.outcome.in_(SUCCESSFUL_OUTCOMES)
    rows = session.scalars(select(Introduction).where(successful))
    return [Pair(i.company_a_id, i.company_b_id, f"introduction#{i.id}") for i in rows]


def evaluate(session: Session, service: MatchingService, pairs: list[Pair]) -> EvaluationReport:
    """Rank each pair's partner with the engine and the baselines; report the metrics."""
    return report(rank_queries(session, service, pairs), len(pairs))


def rank_queries(
    session: Session, service: MatchingService, pairs: list[Pair]
) -> list[QueryResult]:
    """Both queries of every pair, each partner's rank by each ranked method."""
    if not pairs:
        raise EvaluationError("No known good pairs to evaluate.")
    companies = {c.id: c for c in companies_with_embeddings(session)}
    baselines = WholeProfileBaselines(companies.values(), service.embedder)
    results = []
    for pair, query_id, target_id in _queries(pairs):
        query = companies[query_id]
        suggestions = service.match_company(session, query_id, limit=DEPTH)
        ranks = {
            "engine": rank_of(target_id, [s.company.id for s in suggestions]),
            "bm25": rank_of(target_id, baselines.bm25(query)),
            "embedding only": rank_of(target_id, baselines.embedding(query)),
        }
        candidates = baselines.candidates(query)
        results.append(QueryResult(pair, query_id, target_id, candidates, ranks))
    return results


def report(results: list[QueryResult], pairs: int) -> EvaluationReport:
    """Metrics of every method over `results` (random: its exact expectation)."""
    metrics = {
        method: metrics_from_ranks([r.ranks[method] for r in results], DEPTH)
        for method in RANKED_METHODS
    }
    metrics["random"] = random_metrics([r.candidates for r in results], DEPTH)
    return EvaluationReport(pairs, metrics)


def _queries(pairs: list[Pair]) -> list[tuple[Pair, int, int]]:
    return [(p, p.a, p.b) for p in pairs] + [(p, p.b, p.a) for p in pairs]


def _key(ref: Any) -> tuple[str, str]:
    if not isinstance(ref, dict) or "country" not in ref or "legal_id" not in ref:
        raise EvaluationError(f"Each side of a pair needs 'country' and 'legal_id', got {ref!r}.")
    return str(ref["country"]).upper(), normalize_legal_id(str(ref["legal_id"]))


class WholeProfileBaselines:
    """BM25 and embedding similarity of whole profiles over the approved firms of each side.

    Every firm's `profile_text` is embedded once here (it is not a stored vector kind),
    with the engine's model, so both baselines and the engine see the same words."""

    def __init__(self, companies: Iterable[Company], embedder: Embedder) -> None:
        self._embedder = embedder
        firms = list(companies)
        texts = {c.id: profile_text(to_profile(c)) for c in firms}
        order = sorted(texts)
        encoded = embedder.encode([texts[i] for i in order]) if order else None
        self._vectors = {i: encoded[n] for n, i in enumerate(order)} if encoded is not None else {}
        self._texts = texts
        self._bm25: dict[str, Bm25Ranker] = {}
        self._embedding: dict[str, EmbeddingRanker] = {}
        self._pool_size: dict[str, int] = {}
        for side in ("EU", "UA"):
            ids = sorted(c.id for c in firms if c.side == side and c.status == "approved")
            self._pool_size[side] = len(ids)
            self._bm25[side] = Bm25Ranker(ids, [texts[i] for i in ids])
            vectors = [self._vectors[i] for i in ids]
            dimension = int(embedder.dimension)
            matrix = np.stack(vectors) if vectors else np.empty((0, dimension), np.float32)
            self._embedding[side] = EmbeddingRanker(ids, matrix)

    def candidates(self, query: Company) -> int:
        return self._pool_size[_other(query.side)]

    def bm25(self, query: Company) -> list[int]:
        return self._bm25[_other(query.side)].rank(self._texts[query.id], DEPTH)

    def embedding(self, query: Company) -> list[int]:
        return self._embedding[_other(query.side)].rank(self._vectors[query.id], DEPTH)


def _other(side: str) -> str:
    return "UA" if side == "EU" else "EU"

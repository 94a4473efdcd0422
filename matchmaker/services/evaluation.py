"""`flask evaluate`: how often the engine puts a known good partner near the top.

Known good pairs come from a labelled file (companies named by country and legal
id) and from recorded introductions that reached an MoU or a joint venture. Each
pair gives two queries (A looking for partners, and B). The engine and two
baselines rank the same candidates: approved firms on the other side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.embedding import offer_text, seek_text
from matchmaker.domain.evaluation import (
    Bm25Ranker,
    EmbeddingRanker,
    Metrics,
    metrics_from_ranks,
    rank_of,
)
from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.domain.taxonomy import SUCCESSFUL_OUTCOMES
from matchmaker.models import Company, Introduction
from matchmaker.services.conversion import to_profile
from matchmaker.services.embeddings import companies_with_embeddings, vector_of
from matchmaker.services.matching import MatchingService

DEPTH = 50  # how far down each ranking is read; a partner below it counts as not found


class EvaluationError(ValueError):
    """The pairs file cannot be used as given."""


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    source: str


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
        a, b = (keys.get(_key(row.get(side))) for side in ("a", "b"))
        if a is None or b is None:
            missing.append(number)
        else:
            pairs.append(Pair(a, b, f"{path.name}#{number}"))
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
    """Rank each pair's partner with the engine and both baselines; report the metrics."""
    if not pairs:
        raise EvaluationError("No known good pairs to evaluate.")
    companies = {c.id: c for c in companies_with_embeddings(session)}
    baselines = _Baselines(companies, service)
    ranks: dict[str, list[int | None]] = {"engine": [], "bm25": [], "embedding only": []}
    for query_id, target_id in _queries(pairs):
        suggestions = service.match_company(session, query_id, limit=DEPTH)
        ranks["engine"].append(rank_of(target_id, [s.company.id for s in suggestions]))
        query = companies[query_id]
        ranks["bm25"].append(rank_of(target_id, baselines.bm25(query)))
        ranks["embedding only"].append(rank_of(target_id, baselines.embedding(query)))
    return EvaluationReport(len(pairs), {k: metrics_from_ranks(v) for k, v in ranks.items()})


def _queries(pairs: list[Pair]) -> list[tuple[int, int]]:
    return [(p.a, p.b) for p in pairs] + [(p.b, p.a) for p in pairs]


def _key(ref: Any) -> tuple[str, str]:
    if not isinstance(ref, dict) or "country" not in ref or "legal_id" not in ref:
        raise EvaluationError(f"Each side of a pair needs 'country' and 'legal_id', got {ref!r}.")
    return str(ref["country"]).upper(), normalize_legal_id(str(ref["legal_id"]))


class _Baselines:
    """BM25 and embedding-only rankings over the approved firms of each side."""

    def __init__(self, companies: dict[int, Company], service: MatchingService) -> None:
        self._bm25: dict[str, Bm25Ranker] = {}
        self._embedding: dict[str, EmbeddingRanker] = {}
        model = service.embedder.model_name
        for side in ("EU", "UA"):
            pool = [c for c in companies.values() if c.side == side and c.status == "approved"]
            ids = [c.id for c in pool]
            self._bm25[side] = Bm25Ranker(ids, [offer_text(to_profile(c)) for c in pool])
            vectors = [_stored(c, "offer", model) for c in pool]
            self._embedding[side] = EmbeddingRanker(ids, np.stack(vectors))
        self._model = model

    def bm25(self, query: Company) -> list[int]:
        return self._bm25[_other(query.side)].rank(seek_text(to_profile(query)), DEPTH)

    def embedding(self, query: Company) -> list[int]:
        vector = _stored(query, "seek", self._model)
        return self._embedding[_other(query.side)].rank(vector, DEPTH)


def _stored(company: Company, kind: str, model: str) -> np.ndarray:
    for row in company.embeddings:
        if row.kind == kind and row.model == model:
            return vector_of(row)
    raise EvaluationError(f"Company {company.id} has no {kind} vector: run `flask index rebuild`.")


def _other(side: str) -> str:
    return "UA" if side == "EU" else "EU"

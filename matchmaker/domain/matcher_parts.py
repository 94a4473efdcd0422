"""One side's search structures for the `Matcher`: two vector indexes and a catalog."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matchmaker.domain.catalog import SideCatalog
from matchmaker.domain.embedding import Embedder, has_offer_text, has_seek_text
from matchmaker.domain.errors import InvalidQueryError, ModelMismatchError
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.queries import AdHocQuery, MatchFilters, Suggestion
from matchmaker.domain.ranking import rank
from matchmaker.domain.rules import SemanticInputs, not_approved, sanctioned_owner
from matchmaker.domain.scoring import ScoringConfig, score_pair
from matchmaker.domain.taxonomy import SIDE_EU, SIDE_UA, SIDES

Vectors = tuple[np.ndarray, np.ndarray]  # (offer, seek) of one company
Quick = tuple[float, CompanyProfile, SemanticInputs | None]  # phase-1 score, B, cosines


def other_side(side: str) -> str:
    return SIDE_UA if side == SIDE_EU else SIDE_EU


def suggestible(profile: CompanyProfile) -> bool:
    """Whether a firm may ever be suggested (so belongs in a search index)."""
    return not_approved(profile) is None and sanctioned_owner(profile) is None


def pseudo_company(query: AdHocQuery) -> CompanyProfile:
    """An ad-hoc request as a company A on the other side: it seeks, it offers nothing."""
    return CompanyProfile(
        id=-1,
        name=query.name,
        country="",
        side=other_side(query.side),
        size="",
        seeks=query.seeks,
        seeking_capabilities=frozenset(query.capabilities),
        partner_certifications=frozenset(query.certifications),
        pathways=frozenset(query.pathways),
    )


def check_request(limit: int, min_score: float, max_limit: int) -> None:
    if not 1 <= limit <= max_limit:
        raise InvalidQueryError(f"limit must be between 1 and {max_limit}.")
    if not 0.0 <= min_score <= 1.0:
        raise InvalidQueryError("min_score must be between 0 and 1.")


def as_vector(embedder: Embedder, vector: np.ndarray) -> np.ndarray:
    """One float32 vector of the embedder's dimension, or ModelMismatchError."""
    array = np.asarray(vector, dtype=np.float32).reshape(-1)
    if array.shape[0] != embedder.dimension:
        raise ModelMismatchError(_mismatch(embedder, array.shape))
    return array


def as_matrix(embedder: Embedder, vectors: np.ndarray) -> np.ndarray:
    """A float32 (n, dimension) matrix, or ModelMismatchError."""
    matrix = np.asarray(vectors, dtype=np.float32)
    if len(matrix) == 0:
        return matrix.reshape(0, embedder.dimension)
    if matrix.ndim != 2 or matrix.shape[1] != embedder.dimension:
        raise ModelMismatchError(_mismatch(embedder, matrix.shape))
    return matrix


def _mismatch(embedder: Embedder, shape: tuple[int, ...]) -> str:
    return (
        f"Vectors of shape {shape} do not fit the embedding model {embedder.model_name} "
        f"({embedder.dimension} dimensions); re-embed with `flask index rebuild`."
    )


@dataclass
class SideIndexes:
    """Offer and seek vectors of one side's suggestible firms, plus filter tables."""

    offers: VectorIndex
    seeks: VectorIndex
    catalog: SideCatalog = field(default_factory=SideCatalog)
    # company id -> (has offer text, has seek text): a vector of an empty text means nothing.
    texts: dict[int, tuple[bool, bool]] = field(default_factory=dict)

    @classmethod
    def empty(cls, embedder: Embedder, kind: str, hnsw: HnswParams | None) -> SideIndexes:
        def make() -> VectorIndex:
            return VectorIndex(
                embedder.dimension, kind=kind, model_name=embedder.model_name, hnsw=hnsw
            )

        return cls(make(), make())

    @classmethod
    def build(
        cls,
        embedder: Embedder,
        kind: str,
        hnsw: HnswParams | None,
        profiles: Sequence[CompanyProfile],
        offers: np.ndarray,
        seeks: np.ndarray,
    ) -> SideIndexes:
        """Bulk path: one FAISS add per index instead of one per company."""
        ids = [p.id for p in profiles]
        build = VectorIndex.build
        return cls.from_indexes(
            build(ids, offers, kind=kind, model_name=embedder.model_name, hnsw=hnsw),
            build(ids, seeks, kind=kind, model_name=embedder.model_name, hnsw=hnsw),
            profiles,
        )

    @classmethod
    def from_indexes(
        cls, offers: VectorIndex, seeks: VectorIndex, profiles: Sequence[CompanyProfile]
    ) -> SideIndexes:
        """Wrap filled indexes; `profiles` are the companies they hold."""
        side = cls(offers, seeks)
        for profile in profiles:
            side.catalog.add(profile)
            side.texts[profile.id] = (has_offer_text(profile), has_seek_text(profile))
        return side

    def add(self, profile: CompanyProfile, offer: np.ndarray, seek: np.ndarray) -> None:
        self.offers.add([profile.id], offer[None, :])
        self.seeks.add([profile.id], seek[None, :])
        self.catalog.add(profile)
        self.texts[profile.id] = (has_offer_text(profile), has_seek_text(profile))

    def discard(self, profile: CompanyProfile) -> None:
        self.offers.remove([profile.id])
        self.seeks.remove([profile.id])
        self.catalog.discard(profile)
        self.texts.pop(profile.id, None)

    def offers_text(self, company_id: int) -> bool:
        return self.texts.get(company_id, (False, False))[0]

    def seeks_text(self, company_id: int) -> bool:
        return self.texts.get(company_id, (False, False))[1]

    def vectors_of(self, company_id: int) -> tuple[np.ndarray, np.ndarray]:
        return self.offers.vector(company_id), self.seeks.vector(company_id)

    def vectors_of_many(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        return self.offers.vectors(ids), self.seeks.vectors(ids)

    def candidates(
        self,
        a_seek: np.ndarray | None,
        a_offer: np.ndarray | None,
        pool: int,
        filters: MatchFilters,
        exclude: set[int] | frozenset[int],
    ) -> list[int]:
        """Union of the top-`pool` offers for A's seek and top-`pool` seeks for A's offer."""
        allowed = self.catalog.select(
            countries=filters.countries,
            capabilities=filters.capabilities,
            pathways=filters.pathways,
        )
        if allowed is not None:
            allowed -= exclude
            if not allowed:
                return []
        # Without a filter the excluded ids may fill the top: fetch that many more.
        k = pool if allowed is not None else pool + len(exclude)
        found: set[int] = set()
        for index, query in ((self.offers, a_seek), (self.seeks, a_offer)):
            if query is not None:
                found.update(index.search(query, k, allowed_ids=allowed)[0][0].tolist())
        return sorted(found - exclude)

    def query_candidates(
        self, query: AdHocQuery, vector: np.ndarray | None, pool: int
    ) -> tuple[list[int], list[float | None]]:
        """Candidate ids for an ad-hoc request, with cos(request, B.offer) when there is text.

        Without text every firm meeting the structured criteria is a candidate
        (certifications then narrow too), and the rules alone rank them.
        """
        allowed = self.catalog.select(
            countries=query.countries,
            capabilities=query.capabilities,
            pathways=query.pathways,
            schemes=query.certifications if vector is None else (),
        )
        if vector is None:
            ids = sorted(allowed or ())
            return ids, [None] * len(ids)
        if allowed is not None and not allowed:
            return [], []
        found, scores = self.offers.search(vector, pool, allowed_ids=allowed)[0]
        ids = found.tolist()
        cosines = [
            float(s) if self.offers_text(i) else None
            for i, s in zip(ids, scores.tolist(), strict=True)
        ]
        return ids, cosines


def build_sides(
    embedder: Embedder,
    kind: str,
    hnsw: HnswParams | None,
    profiles: Sequence[CompanyProfile],
    offers: np.ndarray,
    seeks: np.ndarray,
) -> tuple[dict[str, SideIndexes], dict[int, Vectors]]:
    """Bulk path: both sides' indexes of suggestible firms, and the others' vectors."""
    if not len(profiles) == len(offers) == len(seeks):
        raise ValueError("bulk_load needs one offer and one seek vector per profile.")
    if len({p.id for p in profiles}) != len(profiles):
        raise ValueError("bulk_load got the same company id twice.")
    ok = [suggestible(p) for p in profiles]
    sides = {}
    for side in SIDES:
        rows = [i for i, p in enumerate(profiles) if ok[i] and p.side == side]
        chosen = [profiles[i] for i in rows]
        sides[side] = SideIndexes.build(embedder, kind, hnsw, chosen, offers[rows], seeks[rows])
    parked = {p.id: (offers[i], seeks[i]) for i, p in enumerate(profiles) if not ok[i]}
    return sides, parked


def explain_best(
    a: CompanyProfile,
    quick: list[Quick],
    day: date,
    config: ScoringConfig,
    limit: int,
    min_score: float,
    *,
    one_way: bool,
) -> list[Suggestion]:
    """Phase 2: rank by quick score, then run the explained rules on the winners only.
    Both phases share the rules' numeric cores, so the scores are the same."""
    best = rank(
        quick,
        score=lambda item: item[0],
        key=lambda item: item[1].id,
        min_score=min_score,
        limit=limit,
    )
    suggestions = []
    for _, b, inputs in best:
        pair = score_pair(a, b, inputs, day, config, one_way=one_way)
        reasons, warnings = _sentences(pair.reasons), _sentences(pair.warnings)
        suggestions.append(Suggestion(b, pair.score, pair.components, reasons, warnings))
    return suggestions


def _sentences(texts: list[str]) -> list[str]:
    """Explanations may start with a name in lower case ("the request seeks ...")."""
    return [text[:1].upper() + text[1:] for text in texts]

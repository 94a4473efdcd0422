"""The in-memory matcher: per side an offer index, a seek index and the profiles.

The database is the source of truth; a service keeps this object in sync
(`upsert`, `remove`, `bulk_load`) and hands it vectors it embedded once. Only
suggestible firms (approved, not sanctioned) enter the search indexes; other
firms are held so that they can still *ask* for matches.

A company match unions two searches of the other side: B's offers against A's
seek vector and B's seeks against A's offer vector (top `candidate_pool` each),
then applies hard exclusions and the rules to those candidates only. One lock
serialises searches and updates (FAISS indexes are not safe under concurrent
mutation); a search at 100k firms holds it for a few milliseconds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from datetime import date

import numpy as np

from matchmaker.domain.embedding import (
    Embedder,
    has_offer_text,
    has_seek_text,
    offer_text,
    query_text,
    seek_text,
)
from matchmaker.domain.errors import UnknownCompanyError
from matchmaker.domain.facts import ProfileFacts, profile_facts
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.matcher_parts import (
    Quick,
    SideIndexes,
    as_matrix,
    as_vector,
    build_sides,
    check_request,
    explain_best,
    other_side,
    pseudo_company,
    suggestible,
)
from matchmaker.domain.matcher_store import Snapshot, read_snapshot, write_snapshot
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.queries import AdHocQuery, MatchFilters, Suggestion
from matchmaker.domain.rules import SemanticInputs, exclusion_reason
from matchmaker.domain.scoring import ScoringConfig, quick_score
from matchmaker.domain.taxonomy import SIDES

__all__ = ["AdHocQuery", "MatchFilters", "Matcher", "Suggestion"]

Vectors = tuple[np.ndarray, np.ndarray]  # (offer, seek) of one company


class Matcher:
    """Suggest cross-side partners for a firm or an ad-hoc request."""

    def __init__(
        self,
        embedder: Embedder,
        config: ScoringConfig | None = None,
        *,
        index_kind: str = "flat",
        hnsw: HnswParams | None = None,
    ) -> None:
        self.embedder = embedder
        self.config = config or ScoringConfig()
        self._index_kind, self._hnsw = index_kind, hnsw
        self._lock = threading.RLock()
        self._sides = {side: self._new_side() for side in SIDES}
        self._profiles: dict[int, CompanyProfile] = {}
        self._parked: dict[int, Vectors] = {}  # vectors of firms held but not suggestible
        self._facts: dict[int, ProfileFacts] = {}  # derived lazily, dropped on change

    def _new_side(self) -> SideIndexes:
        return SideIndexes.empty(self.embedder, self._index_kind, self._hnsw)

    @property
    def size(self) -> int:
        """How many companies are held (suggestible or not)."""
        return len(self._profiles)

    def __contains__(self, company_id: object) -> bool:
        return company_id in self._profiles

    def profile(self, company_id: int) -> CompanyProfile:
        try:
            return self._profiles[company_id]
        except KeyError:
            raise UnknownCompanyError(
                f"Company {company_id} is not in the matcher; if it exists in the database, "
                "run `flask index rebuild` (or match it by passing its profile)."
            ) from None

    # --- keeping in sync -----------------------------------------------------------

    def upsert(
        self, profile: CompanyProfile, offer_vector: np.ndarray, seek_vector: np.ndarray
    ) -> None:
        """Add or replace one company (its side, status or texts may have changed)."""
        if profile.side not in SIDES:
            raise ValueError(f"Company {profile.id} has no valid side ({profile.side!r}).")
        offer, seek = as_vector(self.embedder, offer_vector), as_vector(self.embedder, seek_vector)
        with self._lock:
            self._forget(profile.id)
            self._profiles[profile.id] = profile
            if suggestible(profile):
                self._sides[profile.side].add(profile, offer, seek)
            else:
                self._parked[profile.id] = (offer, seek)

    def remove(self, company_id: int) -> bool:
        """Forget a company; False if it was not held."""
        with self._lock:
            return self._forget(company_id)

    def _forget(self, company_id: int) -> bool:
        self._facts.pop(company_id, None)
        old = self._profiles.pop(company_id, None)
        if old is None:
            return False
        if self._parked.pop(company_id, None) is None and old.side in self._sides:
            self._sides[old.side].discard(old)
        return True

    def bulk_load(
        self,
        profiles: Sequence[CompanyProfile],
        offer_vectors: np.ndarray,
        seek_vectors: np.ndarray,
    ) -> None:
        """Replace everything with `profiles` (row i of each matrix is profile i)."""
        offers, seeks = (
            as_matrix(self.embedder, offer_vectors),
            as_matrix(self.embedder, seek_vectors),
        )
        if not len(profiles) == len(offers) == len(seeks):
            raise ValueError("bulk_load needs one offer and one seek vector per profile.")
        sides, parked = build_sides(
            self.embedder, self._index_kind, self._hnsw, profiles, offers, seeks
        )
        with self._lock:
            self._sides, self._parked, self._facts = sides, parked, {}
            self._profiles = {p.id: p for p in profiles}

    def save(self, directory: str | os.PathLike[str], *, generation: int) -> None:
        """Persist everything as one atomic file, stamped with the database generation."""
        with self._lock:
            snapshot = Snapshot(
                generation,
                self._index_kind,
                self._hnsw or HnswParams(),
                self._sides,
                self._profiles,
                self._parked,
            )
            write_snapshot(directory, snapshot, self.embedder.model_name, self.embedder.dimension)

    @classmethod
    def load(
        cls,
        directory: str | os.PathLike[str],
        embedder: Embedder,
        config: ScoringConfig | None = None,
    ) -> tuple[Matcher, int]:
        """A matcher from a `save`d directory and the generation it was saved at.
        Raises IndexFileError (missing, torn) or ModelMismatchError (other model)."""
        snapshot = read_snapshot(directory, embedder.model_name, embedder.dimension)
        matcher = cls(embedder, config, index_kind=snapshot.index_kind, hnsw=snapshot.hnsw)
        matcher._sides.update(snapshot.sides)
        matcher._profiles, matcher._parked = snapshot.profiles, snapshot.parked
        return matcher, snapshot.generation

    # --- matching ------------------------------------------------------------------

    def match_company(
        self,
        company: int | CompanyProfile,
        *,
        offer_vector: np.ndarray | None = None,
        seek_vector: np.ndarray | None = None,
        limit: int = 10,
        min_score: float = 0.0,
        filters: MatchFilters | None = None,
        today: date | None = None,
    ) -> list[Suggestion]:
        """Best partners for a held company (by id) or any profile (e.g. a pending one)."""
        check_request(limit, min_score, self.config.max_limit)
        filters = filters or MatchFilters()
        day = today or date.today()
        with self._lock:
            a, a_offer, a_seek = self._resolve(company, offer_vector, seek_vector)
            sides = SIDES if filters.same_side else (other_side(a.side),)
            quick = [
                item
                for side in sides
                for item in self._score_side(a, a_offer, a_seek, side, filters, day)
            ]
        return explain_best(a, quick, day, self.config, limit, min_score, one_way=False)

    def _resolve(
        self, company: int | CompanyProfile, offer: np.ndarray | None, seek: np.ndarray | None
    ) -> tuple[CompanyProfile, np.ndarray, np.ndarray]:
        profile = company if isinstance(company, CompanyProfile) else self.profile(company)
        if offer is not None and seek is not None:
            return profile, as_vector(self.embedder, offer), as_vector(self.embedder, seek)
        if profile.id in self._profiles:
            stored = self._stored_vectors(profile)
            return profile, stored[0], stored[1]
        # Not held (e.g. pending): embed its texts now, once for this request.
        vectors = self.embedder.encode([offer_text(profile), seek_text(profile)])
        return profile, as_vector(self.embedder, vectors[0]), as_vector(self.embedder, vectors[1])

    def _stored_vectors(self, profile: CompanyProfile) -> Vectors:
        held = self._profiles[profile.id]
        if held.id in self._parked:
            return self._parked[held.id]
        return self._sides[held.side].vectors_of(held.id)

    def _score_side(
        self,
        a: CompanyProfile,
        a_offer: np.ndarray,
        a_seek: np.ndarray,
        side: str,
        filters: MatchFilters,
        day: date,
    ) -> list[Quick]:
        """Phase 1: every candidate of one side with its quick (unexplained) score."""
        indexes = self._sides[side]
        a_seeks, a_offers = has_seek_text(a), has_offer_text(a)
        ids = indexes.candidates(
            a_seek if a_seeks else None,
            a_offer if a_offers else None,
            self.config.candidate_pool,
            filters,
            exclude={a.id} | filters.exclude_ids,
        )
        if not ids:
            return []
        offers, seeks = indexes.vectors_of_many(ids)
        forward, backward = (offers @ a_seek).tolist(), (seeks @ a_offer).tolist()
        a_facts = profile_facts(a, self.config.regulatory)
        results: list[Quick] = []
        for i, company_id in enumerate(ids):
            b = self._profiles[company_id]
            if exclusion_reason(a, b, allow_same_side=filters.same_side):
                continue
            has_offer, has_seek = indexes.texts[company_id]
            inputs = SemanticInputs(
                forward[i] if a_seeks and has_offer else None,
                backward[i] if a_offers and has_seek else None,
            )
            score = quick_score(a_facts, self._facts_of(b), inputs, day, self.config)
            results.append((score, b, inputs))
        return results

    def _facts_of(self, profile: CompanyProfile) -> ProfileFacts:
        facts = self._facts.get(profile.id)
        if facts is None:
            facts = self._facts[profile.id] = profile_facts(profile, self.config.regulatory)
        return facts

    def match_query(
        self,
        query: AdHocQuery,
        *,
        limit: int = 10,
        min_score: float = 0.0,
        today: date | None = None,
    ) -> list[Suggestion]:
        """Best `query.side` firms for an ad-hoc request (text and/or structured criteria)."""
        check_request(limit, min_score, self.config.max_limit)
        day = today or date.today()
        text = query.seeks.strip()
        vector = None
        if text:
            encoded = self.embedder.encode([query_text(text, query.capabilities, query.pathways)])
            vector = as_vector(self.embedder, encoded[0])
        a = pseudo_company(query)
        with self._lock:
            indexes = self._sides[query.side]
            ids, cosines = indexes.query_candidates(query, vector, self.config.candidate_pool)
            a_facts = profile_facts(a, self.config.regulatory)
            quick: list[Quick] = []
            for company_id, cosine in zip(ids, cosines, strict=True):
                b = self._profiles[company_id]
                if exclusion_reason(a, b, allow_same_side=True):
                    continue
                inputs = None if cosine is None else SemanticInputs(cosine)
                b_facts = self._facts_of(b)
                score = quick_score(a_facts, b_facts, inputs, day, self.config, one_way=True)
                quick.append((score, b, inputs))
        return explain_best(a, quick, day, self.config, limit, min_score, one_way=True)

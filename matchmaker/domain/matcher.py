"""The in-memory matcher: per side an offer index, a seek index and the profiles.

The database is the source of truth; a service keeps this object in sync
(`upsert`, `remove`, `bulk_load`) and hands it vectors it embedded once. Only
suggestible firms (approved, not sanctioned) enter the search indexes; other
firms are held so that they can still *ask* for matches.

A company match scores every firm of the other side (exact indexes, the
default): FAISS computes the inner products of A's seek vector with every offer
and of A's offer vector with every seek, `batch_scoring` applies the rules to
all of them at once, and only the best `limit` get the explained rules
(reasons, warnings). Hard exclusions hold by construction: only suggestible
firms are in the indexes, A itself and declined pairs are masked out. With
approximate (HNSW) indexes a shortlist is scored instead, see `SideIndexes`.
One lock serialises searches and updates (FAISS indexes are not safe under
concurrent mutation); a match at 100k firms holds it for a few milliseconds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from datetime import date

import numpy as np

from matchmaker.domain.batch_scoring import asker_facts
from matchmaker.domain.embedding import (
    Embedder,
    offer_text,
    query_text,
    seek_text,
)
from matchmaker.domain.errors import UnknownCompanyError
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.matcher_parts import (
    Picked,
    PickRequest,
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
from matchmaker.domain.scoring import ScoringConfig
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

    def _new_side(self) -> SideIndexes:
        return SideIndexes.empty(self.embedder, self._index_kind, self._hnsw, self.config)

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
            old = self._profiles.get(profile.id)
            if (
                old is not None
                and old.side == profile.side
                and suggestible(old)
                and suggestible(profile)
                and self._sides[profile.side].replace(profile, offer, seek)
            ):
                self._profiles[profile.id] = profile
                return
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
            self.embedder, self._index_kind, self._hnsw, self.config, profiles, offers, seeks
        )
        with self._lock:
            self._sides, self._parked = sides, parked
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
        config = config or ScoringConfig()
        snapshot = read_snapshot(directory, embedder.model_name, embedder.dimension, config)
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
            asker = asker_facts(a, self.config)
            request = PickRequest(
                day, self.config, limit, min_score, frozenset({a.id} | filters.exclude_ids)
            )
            sides = SIDES if filters.same_side else (other_side(a.side),)
            picked = [
                pick
                for side in sides
                for pick in self._sides[side].pick(
                    asker,
                    a_seek if asker.seeks_text else None,
                    a_offer if asker.offers_text else None,
                    self._sides[side].table.filter_mask(
                        countries=filters.countries,
                        capabilities=filters.capabilities,
                        pathways=filters.pathways,
                    ),
                    request,
                )
            ]
            chosen = self._with_profiles(picked)
        return explain_best(a, chosen, day, self.config, limit, min_score, one_way=False)

    def _with_profiles(self, picked: list[Picked]) -> list[tuple[CompanyProfile, Picked]]:
        return [(self._profiles[p.company_id], p) for p in picked]

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
            allowed = indexes.table.filter_mask(
                countries=query.countries,
                capabilities=query.capabilities,
                pathways=query.pathways,
                # Without text the certificates narrow too; with text they only score.
                schemes=query.certifications if vector is None else (),
            )
            request = PickRequest(
                day,
                self.config,
                limit,
                min_score,
                frozenset(),
                one_way=True,
                text=vector is not None,
            )
            picked = indexes.pick(asker_facts(a, self.config), vector, None, allowed, request)
            chosen = self._with_profiles(picked)
        return explain_best(a, chosen, day, self.config, limit, min_score, one_way=True)

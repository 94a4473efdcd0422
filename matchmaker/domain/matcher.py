"""The in-memory matcher: per side an offer index, a seek index and the profiles.

The database is the source of truth; a service keeps this object in sync
(`upsert`, `remove`, `bulk_load`) and hands it vectors it embedded once. Only
suggestible firms (approved, not sanctioned) enter the search indexes; other
firms are held so that they can still *ask* for matches.

A match scores every firm of the other side (exact indexes, the default): FAISS
computes the inner products of A's seek vector with every offer and of A's offer
vector with every seek, the registered components score all of them at once, and
only the best `limit` are computed exactly and explained. The cosine of the two offer
vectors (profile similarity) is computed only for the rows that can still reach the
top, which its weight bounds (`pruning`); the scores stay those of every row.
Hard exclusions hold by construction: only suggestible firms are in the indexes,
A itself and declined pairs are masked out. With approximate (HNSW) indexes a shortlist is scored
instead, see `side.SideIndexes`. One lock serialises searches and updates (FAISS
indexes are not safe under concurrent mutation); a match at 100k firms holds it
for a few milliseconds. HNSW graphs rebuild in the background without this lock
(`index_backends`); `wait_for_rebuilds` waits for them (tests, shutdown).
"""

from __future__ import annotations

import os
import threading
from collections.abc import MutableMapping, Sequence
from datetime import date

import numpy as np

from matchmaker.domain.components.base import Rows, ScoreInputs
from matchmaker.domain.embedding import Embedder, offer_text, query_text, seek_text
from matchmaker.domain.errors import UnknownCompanyError
from matchmaker.domain.filters import filter_mask
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.matcher_store import Snapshot, read_snapshot, write_snapshot
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.provenance import Provenance
from matchmaker.domain.queries import AdHocQuery, MatchFilters, MatchRequest, Suggestion
from matchmaker.domain.ranking import best, explained
from matchmaker.domain.scoring import component_scores, encode_asker, score_rows
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import IndexSpec, SideIndexes, Vectors, suggestible
from matchmaker.domain.taxonomy import SIDES, other_side

__all__ = ["AdHocQuery", "MatchFilters", "MatchRequest", "Matcher", "Suggestion"]


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
        self.spec = IndexSpec(embedder.dimension, embedder.model_name, index_kind, hnsw)
        self._lock = threading.RLock()
        self._sides = {side: SideIndexes.empty(self.spec, self.config) for side in SIDES}
        # A dict, or after `load` a mapping decoding each profile when read (LazyProfiles).
        self._profiles: MutableMapping[int, CompanyProfile] = {}
        self._parked: dict[int, Vectors] = {}  # vectors of firms held but not suggestible

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

    def reweight(self, config: ScoringConfig) -> None:
        """Score with `config` from the next search on. Only the weights may differ: the
        side tables hold facts computed with the components and settings of now."""
        if config.components != self.config.components or config.settings != self.config.settings:
            raise ValueError("Only the weights of a loaded matcher can change.")
        with self._lock:
            self.config = config

    # --- keeping in sync -----------------------------------------------------------

    def upsert(
        self, profile: CompanyProfile, offer_vector: np.ndarray, seek_vector: np.ndarray
    ) -> None:
        """Add or replace one company (its side, status or texts may have changed)."""
        if profile.side not in SIDES:
            raise ValueError(f"Company {profile.id} has no valid side ({profile.side!r}).")
        offer, seek = self.spec.vector(offer_vector), self.spec.vector(seek_vector)
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
        sides, parked = SideIndexes.build_sides(
            self.spec, self.config, profiles, offer_vectors, seek_vectors
        )
        with self._lock:
            self._sides, self._parked = sides, parked
            self._profiles = {p.id: p for p in profiles}

    def save(
        self,
        directory: str | os.PathLike[str],
        *,
        generation: int,
        provenance: Provenance | None = None,
    ) -> None:
        """Persist everything as one atomic, memory-mappable file, stamped with the
        database generation (and, from a service, the database id and row stamps it was
        built from)."""
        origin = provenance or Provenance(generation)
        with self._lock:
            snapshot = Snapshot(
                generation,
                self.spec.kind,
                self.spec.hnsw or HnswParams(),
                self._sides,
                self._profiles,
                self._parked,
                origin.database_id,
                origin.stamps,
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
        matcher, provenance = cls.load_with_provenance(directory, embedder, config)
        return matcher, provenance.generation

    @classmethod
    def load_with_provenance(
        cls,
        directory: str | os.PathLike[str],
        embedder: Embedder,
        config: ScoringConfig | None = None,
    ) -> tuple[Matcher, Provenance]:
        """As `load`, with the database state the snapshot says it was made from. The file
        is memory-mapped: nothing is parsed per firm, and its columns are shared with every
        process that maps it until a change copies them."""
        config = config or ScoringConfig()
        snapshot = read_snapshot(directory, embedder.model_name, embedder.dimension, config)
        matcher = cls(embedder, config, index_kind=snapshot.index_kind, hnsw=snapshot.hnsw)
        matcher._sides.update(snapshot.sides)
        matcher._profiles, matcher._parked = snapshot.profiles, snapshot.parked
        return matcher, Provenance(snapshot.generation, snapshot.database_id, snapshot.stamps)

    def wait_for_rebuilds(self, timeout: float | None = None) -> bool:
        """Wait until no HNSW graph of this matcher is being rebuilt in the background;
        False if one still is after `timeout` seconds (each graph waited up to it)."""
        with self._lock:  # which indexes; waited for outside the lock
            indexes = [i for side in self._sides.values() for i in (side.offers, side.seeks)]
        return all([index.wait_for_rebuild(timeout) for index in indexes])

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
        filters = filters or MatchFilters()
        request = MatchRequest(limit, min_score, today, filters.exclude_ids)
        with self._lock:
            a, vectors = self._resolve(company, offer_vector, seek_vector)
            sides = SIDES if filters.same_side else (other_side(a.side),)
            allowed = {
                side: filter_mask(
                    self._sides[side].table,
                    countries=filters.countries,
                    capabilities=filters.capabilities,
                    pathways=filters.pathways,
                )
                for side in sides
            }
            return self._match(a, vectors, request, allowed, one_way=False)

    def match_query(
        self,
        query: AdHocQuery,
        *,
        limit: int = 10,
        min_score: float = 0.0,
        today: date | None = None,
    ) -> list[Suggestion]:
        """Best `query.side` firms for an ad-hoc request (text and/or structured criteria)."""
        MatchRequest(limit, min_score, today).checked(self.config.max_limit)  # before embedding
        text = query.seeks.strip()
        seek = None
        if text:  # embedded outside the lock: the slow part of an ad-hoc request
            seek = self.embedder.encode([query_text(text, query.capabilities, query.pathways)])[0]
        return self.match_query_vector(query, seek, limit=limit, min_score=min_score, today=today)

    def _match(
        self,
        a: CompanyProfile,
        vectors: tuple[np.ndarray | None, np.ndarray | None],
        request: MatchRequest,
        allowed: dict[str, np.ndarray | None],
        *,
        one_way: bool,
    ) -> list[Suggestion]:
        """A's best partners on the sides of `allowed` (side -> filter mask). `vectors` =
        (A's offer, A's seek); a text A does not have is not compared."""
        request = request.checked(self.config.max_limit)
        asker = encode_asker(a, self.config)
        offer, seek = vectors
        queries = (
            seek if asker.seeks_text else None,
            offer if asker.offers_text and not one_way else None,
        )
        inputs = ScoreInputs(request.day or date.today(), one_way=one_way)
        exclude = sorted({a.id, *request.exclude})
        found: list[Suggestion] = []
        for side, mask in allowed.items():
            indexes = self._sides[side]
            if not len(indexes.table):
                continue
            picked = indexes.pick(
                asker,
                queries,
                mask,
                exclude,
                inputs,
                self.config,
                request.limit,
                request.min_score,
            )
            profiles = [self._profiles[i] for i in picked.ids.tolist()]
            found += explained(
                asker,
                indexes.table,
                picked.rows,
                profiles,
                picked.inputs,
                self.config,
                request.min_score,
            )
        return best(found, request.limit)

    def candidate_values(
        self, company_id: int, *, today: date | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Every other-side candidate of a held firm (ids) and each component's value for
        it in double precision (NaN: does not apply), as a match computes them: the input
        for fitting the weights (`eval/fit_weights.py`)."""
        with self._lock:
            a, (offer, seek) = self._resolve(company_id, None, None)
            asker = encode_asker(a, self.config)
            side = self._sides[other_side(a.side)]
            queries = (seek if asker.seeks_text else None, offer if asker.offers_text else None)
            inputs = side.score_inputs(
                None, queries, ScoreInputs(today or date.today()), self.config
            )
            rows = Rows(side.table, None, np.float64)
            values = component_scores(asker, rows, inputs, self.config, every=True)
            return side.table.ids.copy(), values

    def _resolve(
        self, company: int | CompanyProfile, offer: np.ndarray | None, seek: np.ndarray | None
    ) -> tuple[CompanyProfile, Vectors]:
        """A's profile and (offer, seek) vectors: given, held, or embedded now."""
        profile = company if isinstance(company, CompanyProfile) else self.profile(company)
        if offer is not None and seek is not None:
            return profile, (self.spec.vector(offer), self.spec.vector(seek))
        if profile.id in self._profiles:
            held = self._profiles[profile.id]
            parked = self._parked.get(held.id)
            return profile, parked or self._sides[held.side].vectors_of(held.id)
        # Not held (e.g. pending): embed its texts now, once for this request.
        encoded = self.embedder.encode([offer_text(profile), seek_text(profile)])
        return profile, (self.spec.vector(encoded[0]), self.spec.vector(encoded[1]))

    # --- consortia -----------------------------------------------------------------

    def pair_scores(self, ids: Sequence[int], *, today: date | None = None) -> np.ndarray:
        """(n, n): the blended score of firm ids[j] as a partner for firm ids[i], whatever
        their sides, as a company match computes it; NaN on the diagonal and where either
        firm is not suggestible. The pairwise fit inside a consortium."""
        scores = np.full((len(ids), len(ids)), np.nan)
        inputs = ScoreInputs(today or date.today())
        with self._lock:
            indexed = [
                i for i, cid in enumerate(ids) if cid in self._profiles and cid not in self._parked
            ]
            columns = {
                side: [i for i in indexed if self._profiles[ids[i]].side == side]
                for side in self._sides
            }
            rows = {}
            for side, mine in columns.items():
                row_of = {cid: r for r, cid in enumerate(self._sides[side].table.ids.tolist())}
                rows[side] = np.array([row_of[ids[j]] for j in mine], dtype=np.int64)
            for i in indexed:
                a = self._profiles[ids[i]]
                asker = encode_asker(a, self.config)
                offer, seek = self._sides[a.side].vectors_of(a.id)
                queries = (seek if asker.seeks_text else None, offer if asker.offers_text else None)
                for side, mine in columns.items():
                    if not mine:
                        continue
                    indexes = self._sides[side]
                    scored = indexes.score_inputs(rows[side], queries, inputs, self.config)
                    scores[i, mine] = score_rows(
                        asker, indexes.table, rows[side], scored, self.config, dtype=np.float64
                    )
                scores[i, i] = np.nan
        return scores

    def match_query_vector(
        self,
        query: AdHocQuery,
        seek_vector: np.ndarray | None,
        *,
        limit: int = 10,
        min_score: float = 0.0,
        today: date | None = None,
    ) -> list[Suggestion]:
        """`match_query` with the request's text already embedded (`query_text` of it;
        None: no text), for callers that ask many queries about one text."""
        request = MatchRequest(limit, min_score, today).checked(self.config.max_limit)
        seek = None if seek_vector is None else self.spec.vector(seek_vector)
        with self._lock:
            allowed = filter_mask(
                self._sides[query.side].table,
                countries=query.countries,
                capabilities=query.capabilities,
                pathways=query.pathways,
                # Without text the certificates narrow too; with text they only score.
                schemes=query.certifications if seek is None else (),
            )
            return self._match(
                query.as_asker(), (None, seek), request, {query.side: allowed}, one_way=True
            )

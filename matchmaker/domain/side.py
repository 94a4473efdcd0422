"""One side's search structures for the `Matcher`: two vector indexes and a fact table.

With exact (flat) indexes every firm of the side is scored for every request:
FAISS computes the inner products with all stored vectors and the components
score all rows. With approximate (HNSW) indexes, for registries too large for
that, a shortlist is scored: the top `pool` of each vector search plus the `pool`
firms best by the structured components, found through inverted lists
(`shortlist`) without scoring every row. Retrieval (`candidates`) and scoring
(`pick`) are two stages, as in yente; exhaustive retrieval is the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.domain.components.base import ScoreInputs
from matchmaker.domain.errors import ModelMismatchError
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.pruning import DEFERRED, Bounded, score_bounded
from matchmaker.domain.ranking import top_rows
from matchmaker.domain.scoring import Asker, score_rows
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.shortlist import structured_candidates
from matchmaker.domain.side_table import SideTable
from matchmaker.domain.taxonomy import SANCTIONED_CONTROL_COUNTRIES, SIDES

Vectors = tuple[np.ndarray, np.ndarray]  # (offer, seek) of one company
SPARE = 3  # near-ties computed exactly beyond the limit, see SideIndexes.pick


def suggestible(profile: CompanyProfile) -> bool:
    """Whether a firm may ever be suggested (so belongs in a search index): approved,
    and not owned or controlled (>50 %) by a listed person, nor from Russia or Belarus
    (EU Regulations 833/2014, 269/2014 and the Belarus regime)."""
    compliance = profile.compliance
    return (
        profile.status == "approved"
        and not compliance.sanctioned
        and compliance.controlling_country not in SANCTIONED_CONTROL_COUNTRIES
    )


@dataclass(frozen=True)
class IndexSpec:
    """How a side's vector indexes are made: the model's dimension and name, the kind."""

    dimension: int
    model_name: str
    kind: str = "flat"
    hnsw: HnswParams | None = None

    def new_index(self) -> VectorIndex:
        return VectorIndex(
            self.dimension, kind=self.kind, model_name=self.model_name, hnsw=self.hnsw
        )

    def built(self, ids: Sequence[int], vectors: np.ndarray) -> VectorIndex:
        return VectorIndex.build(
            ids, self.matrix(vectors), kind=self.kind, model_name=self.model_name, hnsw=self.hnsw
        )

    def vector(self, vector: np.ndarray) -> np.ndarray:
        """One float32 vector of this dimension, or ModelMismatchError."""
        array = np.asarray(vector, dtype=np.float32).reshape(-1)
        if array.shape[0] != self.dimension:
            raise ModelMismatchError(self._mismatch(array.shape))
        return array

    def matrix(self, vectors: np.ndarray) -> np.ndarray:
        """A float32 (n, dimension) matrix, or ModelMismatchError."""
        matrix = np.asarray(vectors, dtype=np.float32)
        if len(matrix) == 0:
            return matrix.reshape(0, self.dimension)
        if matrix.ndim != 2 or matrix.shape[1] != self.dimension:
            raise ModelMismatchError(self._mismatch(matrix.shape))
        return matrix

    def _mismatch(self, shape: tuple[int, ...]) -> str:
        return (
            f"Vectors of shape {shape} do not fit the embedding model {self.model_name} "
            f"({self.dimension} dimensions); re-embed with `flask index rebuild`."
        )


@dataclass(frozen=True)
class Picked:
    """Rows chosen by the batch score, best first, with the cosines they were scored on."""

    rows: np.ndarray
    ids: np.ndarray
    inputs: ScoreInputs  # cosines aligned with `rows`


@dataclass
class SideIndexes:
    """One side's suggestible firms: offer and seek vector indexes and their facts."""

    offers: VectorIndex
    seeks: VectorIndex
    table: SideTable

    @classmethod
    def empty(cls, spec: IndexSpec, config: ScoringConfig) -> SideIndexes:
        return cls(spec.new_index(), spec.new_index(), SideTable(config))

    @classmethod
    def from_indexes(
        cls,
        offers: VectorIndex,
        seeks: VectorIndex,
        profiles: Sequence[CompanyProfile],
        config: ScoringConfig,
    ) -> SideIndexes:
        """Wrap filled indexes; `profiles` are the companies they hold (any order)."""
        side = cls(offers, seeks, SideTable(config))
        ids = offers.ids()
        if offers.exact and not np.array_equal(ids, seeks.ids()):
            raise RuntimeError("Offer and seek indexes of one side hold different rows.")
        by_id = {p.id: p for p in profiles}
        side.table.append([by_id[i] for i in ids.tolist()])
        return side

    @classmethod
    def build_sides(
        cls,
        spec: IndexSpec,
        config: ScoringConfig,
        profiles: Sequence[CompanyProfile],
        offers: np.ndarray,
        seeks: np.ndarray,
    ) -> tuple[dict[str, SideIndexes], dict[int, Vectors]]:
        """Bulk path (one FAISS add per index): both sides' indexes of suggestible firms,
        and the vectors of the firms held but not suggestible."""
        offers, seeks = spec.matrix(offers), spec.matrix(seeks)
        if not len(profiles) == len(offers) == len(seeks):
            raise ValueError("bulk_load needs one offer and one seek vector per profile.")
        if len({p.id for p in profiles}) != len(profiles):
            raise ValueError("bulk_load got the same company id twice.")
        ok = [suggestible(p) for p in profiles]
        sides = {}
        for side in SIDES:
            rows = [i for i, p in enumerate(profiles) if ok[i] and p.side == side]
            chosen = [profiles[i] for i in rows]
            ids = [p.id for p in chosen]
            sides[side] = cls.from_indexes(
                spec.built(ids, offers[rows]), spec.built(ids, seeks[rows]), chosen, config
            )
        parked = {p.id: (offers[i], seeks[i]) for i, p in enumerate(profiles) if not ok[i]}
        return sides, parked

    def add(self, profile: CompanyProfile, offer: np.ndarray, seek: np.ndarray) -> None:
        """Add or replace a firm. The side owns the invariant "table row i is row i of
        both exact indexes": every change is applied to all three by the same rule
        (overwrite in place, append, or move the last row into a removed row's gap)."""
        if self.replace(profile, offer, seek):
            return
        self.offers.add([profile.id], offer[None, :])
        self.seeks.add([profile.id], seek[None, :])
        self.table.remove([profile.id])  # approximate indexes: table order is free
        self.table.append([profile])

    def replace(self, profile: CompanyProfile, offer: np.ndarray, seek: np.ndarray) -> bool:
        """Overwrite a held firm's vectors and facts in place (exact indexes); False
        when this side cannot."""
        if not self.offers.exact:
            return False
        rows = self.table.rows_of([profile.id])
        if len(rows) != 1:
            return False
        row = int(rows[0])
        self.offers.overwrite(row, profile.id, offer)
        self.seeks.overwrite(row, profile.id, seek)
        self.table.overwrite(row, profile)
        return True

    def discard(self, profile: CompanyProfile) -> None:
        """O(1) on exact indexes: each of the three moves its last row into the gap."""
        self.offers.remove([profile.id])
        self.seeks.remove([profile.id])
        self.table.remove([profile.id])

    def vectors_of(self, company_id: int) -> Vectors:
        return self.offers.vector(company_id), self.seeks.vector(company_id)

    def pick(
        self,
        asker: Asker,
        queries: tuple[np.ndarray | None, np.ndarray | None],
        allowed: np.ndarray | None,
        exclude: Sequence[int],
        inputs: ScoreInputs,
        config: ScoringConfig,
        limit: int,
        min_score: float,
    ) -> Picked:
        """The best `limit` rows for A (as shown, ties by id) plus up to `SPARE` near-ties
        at the cut: the batch score is single precision, so the exact (double precision)
        score settles those. `queries` = (A's seek vector, A's offer vector), None where A
        has no such text; `allowed`: filter mask over rows; `exclude`: ids never picked.
        `inputs` gives the day and direction; its cosines are filled in here."""
        skip = self.table.rows_of(exclude)
        bounded = self._pick_bounded(asker, queries, allowed, skip, inputs, config, limit)
        if bounded is not None:  # pruned rows could never be picked: rank the kept ones
            kept = bounded.kept
            best = kept[
                top_rows(bounded.scores, self.table.ids[kept], limit, min_score, spare=SPARE)
            ]
            return Picked(best, self.table.ids[best], bounded.inputs.subset(best))
        rows = self.candidates(asker, queries, allowed, skip, inputs, config)
        scored = self.score_inputs(rows, queries, inputs, config)
        scores = score_rows(asker, self.table, rows, scored, config)
        if rows is None:  # a shortlist holds usable rows only
            scores[skip] = -np.inf
            if allowed is not None:
                scores[~allowed] = -np.inf
        ids = self.table.ids if rows is None else self.table.ids[rows]
        best = top_rows(scores, ids, limit, min_score, spare=SPARE)
        return Picked(best if rows is None else rows[best], ids[best], scored.subset(best))

    def _pick_bounded(
        self,
        asker: Asker,
        queries: tuple[np.ndarray | None, np.ndarray | None],
        allowed: np.ndarray | None,
        skip: np.ndarray,
        inputs: ScoreInputs,
        config: ScoringConfig,
        limit: int,
    ) -> Bounded | None:
        """Exact indexes: every row scored, the offer-offer cosine only on the rows that
        may still reach the top (`pruning`); None where that does not apply."""
        a_offer = queries[1]
        if not self.offers.exact or a_offer is None or not len(self.table):
            return None
        if DEFERRED not in config.cosines:
            return None
        usable = np.ones(len(self.table), dtype=bool) if allowed is None else allowed.copy()
        usable[skip] = False
        scanned = self.score_inputs(None, queries, inputs, config, defer=True)
        return score_bounded(
            asker,
            self.table,
            usable,
            scanned,
            lambda rows: self.offers.scan_rows(a_offer, rows),
            config,
            limit,
        )

    def score_inputs(
        self,
        rows: np.ndarray | None,
        queries: tuple[np.ndarray | None, np.ndarray | None],
        inputs: ScoreInputs,
        config: ScoringConfig,
        *,
        defer: bool = False,
    ) -> ScoreInputs:
        """`inputs` with the cosines of A's (seek, offer) vectors `queries` that some
        component reads, for `rows` (all when None); `defer`: without the deferred one
        (`pruning.DEFERRED`)."""
        wanted = config.cosines - {DEFERRED} if defer else config.cosines
        cosines = self._cosines(rows, *queries, wanted=wanted)
        return ScoreInputs(inputs.day, cosines[0], cosines[1], inputs.one_way, cosines[2])

    def candidates(
        self,
        asker: Asker,
        queries: tuple[np.ndarray | None, np.ndarray | None],
        allowed: np.ndarray | None,
        skip: np.ndarray,
        inputs: ScoreInputs,
        config: ScoringConfig,
    ) -> np.ndarray | None:
        """Rows to score: None (every row) with exact indexes; else the vector searches'
        top `candidate_pool` and the `candidate_pool` best by the structured estimate
        over inverted lists (`shortlist`), all among the usable rows (filters met, not
        skipped)."""
        if self.offers.exact or not len(self.table):
            return None
        usable = np.ones(len(self.table), dtype=bool) if allowed is None else allowed.copy()
        usable[skip] = False
        pool = config.candidate_pool
        allowed_ids = None if allowed is None and not len(skip) else self.table.ids[usable]
        found: list[np.ndarray] = []
        searches = (
            ("seek_offer", self.offers, queries[0]),
            ("offer_seek", self.seeks, queries[1]),
            ("offer_offer", self.offers, queries[1]),
        )
        for cosine, index, query in searches:
            if query is not None and cosine in config.cosines:
                hits = index.search(query, pool, allowed_ids=allowed_ids)[0][0]
                found.append(self.table.rows_of_ordered(hits))
        # The structured channel reads inverted lists, never every row (see shortlist).
        found.append(
            structured_candidates(asker, self.table, usable, config, pool, one_way=inputs.one_way)
        )
        rows = np.unique(np.concatenate(found))
        return rows[usable[rows]]  # what the exact path may suggest, and nothing else

    def _cosines(
        self,
        rows: np.ndarray | None,
        a_seek: np.ndarray | None,
        a_offer: np.ndarray | None,
        *,
        wanted: frozenset[str],
    ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
        """cos(A.seek, B.offer), cos(B.seek, A.offer) and cos(A.offer, B.offer) for the
        rows (all when None); None where A has no such vector or no component reads it."""
        plan = (
            ("seek_offer", self.offers, a_seek),
            ("offer_seek", self.seeks, a_offer),
            ("offer_offer", self.offers, a_offer),
        )
        if rows is None:
            scanned = [
                None if query is None or name not in wanted else index.scan(query)
                for name, index, query in plan
            ]
        else:
            ids = self.table.ids[rows]
            scanned = [
                None if query is None or name not in wanted else index.vectors(ids) @ query
                for name, index, query in plan
            ]
        return scanned[0], scanned[1], scanned[2]

"""One side's search structures for the `Matcher`: two vector indexes and a fact table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from matchmaker.domain.batch_scoring import Asker, score_rows, top_rows
from matchmaker.domain.embedding import Embedder
from matchmaker.domain.errors import InvalidQueryError, ModelMismatchError
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.queries import AdHocQuery, Suggestion
from matchmaker.domain.ranking import rank
from matchmaker.domain.rules import SemanticInputs, not_approved, sanctioned_owner
from matchmaker.domain.scoring import ScoringConfig, score_pair
from matchmaker.domain.side_table import SideTable
from matchmaker.domain.taxonomy import SIDE_EU, SIDE_UA, SIDES

Vectors = tuple[np.ndarray, np.ndarray]  # (offer, seek) of one company
SPARE = 3  # near-ties explained beyond the limit, see SideIndexes.pick


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
class Picked:
    """A candidate chosen by the batch score, with the cosines it was scored on."""

    company_id: int
    inputs: SemanticInputs | None  # None: no text on A's side at all (neutral semantic)


@dataclass
class SideIndexes:
    """One side's suggestible firms: offer and seek vector indexes and their scoring facts.

    With exact (flat) indexes every firm of the side is scored for every request:
    FAISS computes the inner products with all stored vectors and `batch_scoring`
    the rules over all rows. With approximate (HNSW) indexes, for registries too large
    for that, the rules score a shortlist: the top `pool` of each vector search plus
    the top `pool` by the structured rules alone.
    """

    offers: VectorIndex
    seeks: VectorIndex
    table: SideTable

    @classmethod
    def empty(
        cls, embedder: Embedder, kind: str, hnsw: HnswParams | None, config: ScoringConfig
    ) -> SideIndexes:
        def make() -> VectorIndex:
            return VectorIndex(
                embedder.dimension, kind=kind, model_name=embedder.model_name, hnsw=hnsw
            )

        return cls(make(), make(), SideTable(config))

    @classmethod
    def build(
        cls,
        embedder: Embedder,
        kind: str,
        hnsw: HnswParams | None,
        config: ScoringConfig,
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
            config,
        )

    @classmethod
    def from_indexes(
        cls,
        offers: VectorIndex,
        seeks: VectorIndex,
        profiles: Sequence[CompanyProfile],
        config: ScoringConfig,
    ) -> SideIndexes:
        """Wrap filled indexes; `profiles` are the companies they hold."""
        side = cls(offers, seeks, SideTable(config))
        side.table.append(profiles)
        side._align()
        return side

    def add(self, profile: CompanyProfile, offer: np.ndarray, seek: np.ndarray) -> None:
        self.offers.add([profile.id], offer[None, :])
        self.seeks.add([profile.id], seek[None, :])
        self.table.remove([profile.id])
        self.table.append([profile])
        self._align()

    def replace(self, profile: CompanyProfile, offer: np.ndarray, seek: np.ndarray) -> bool:
        """Overwrite a held firm's vectors and facts in place (exact indexes: no FAISS
        removal, which moves every later row); False when this side cannot."""
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
        self.offers.remove([profile.id])
        self.seeks.remove([profile.id])
        self.table.remove([profile.id])
        self._align()

    def _align(self) -> None:
        """Keep table row i = index row i (flat): FAISS appends and compacts in order
        as the table does, so this only reorders if FAISS ever stops doing so."""
        if not self.offers.exact:
            return
        ids = self.offers.ids()
        if not np.array_equal(ids, self.seeks.ids()):
            raise RuntimeError("Offer and seek indexes of one side hold different rows.")
        if not np.array_equal(ids, self.table.ids):
            self.table.reorder(ids)

    def vectors_of(self, company_id: int) -> tuple[np.ndarray, np.ndarray]:
        return self.offers.vector(company_id), self.seeks.vector(company_id)

    def pick(
        self,
        asker: Asker,
        a_seek: np.ndarray | None,
        a_offer: np.ndarray | None,
        allowed: np.ndarray | None,
        request: PickRequest,
    ) -> list[Picked]:
        """The best `request.limit` rows for A (as shown, ties by id), with their cosines,
        plus up to `SPARE` near-ties at the cut: the batch score is single precision, so
        the explained (double-precision) score settles those.

        `a_seek` / `a_offer` None: A has no such text. `allowed`: filter mask over rows.
        """
        if not len(self.table):
            return []
        skip = self.table.rows_of(request.exclude)
        if self.offers.exact:
            rows = None
            seek_offer = None if a_seek is None else self.offers.scan(a_seek)
            offer_seek = None if a_offer is None else self.seeks.scan(a_offer)
        else:
            rows = self._shortlist(asker, a_seek, a_offer, allowed, skip, request)
            seek_offer, offer_seek = self._cosines(rows, a_seek, a_offer)
        scores = score_rows(
            asker,
            self.table,
            rows,
            seek_offer,
            offer_seek,
            request.day,
            request.config,
            one_way=request.one_way,
        )
        if rows is None:
            scores[skip] = -np.inf
            if allowed is not None:
                scores[~allowed] = -np.inf
        ids = self.table.ids if rows is None else self.table.ids[rows]
        best = top_rows(scores, ids, request.limit, request.min_score, spare=SPARE)
        table_rows = best if rows is None else rows[best]
        has_offer = self.table.column("has_offer")[table_rows] > 0
        has_seek = self.table.column("has_seek")[table_rows] > 0
        picked = []
        for i, offers_text, seeks_text in zip(
            best.tolist(), has_offer.tolist(), has_seek.tolist(), strict=True
        ):
            inputs = None
            if request.text:
                inputs = SemanticInputs(
                    _cosine(seek_offer, i) if offers_text else None,
                    _cosine(offer_seek, i) if seeks_text else None,
                )
            picked.append(Picked(int(ids[i]), inputs))
        return picked

    def _shortlist(
        self,
        asker: Asker,
        a_seek: np.ndarray | None,
        a_offer: np.ndarray | None,
        allowed: np.ndarray | None,
        skip: np.ndarray,
        request: PickRequest,
    ) -> np.ndarray:
        """Approximate indexes: rows from both vector searches and the structured rules."""
        usable = np.ones(len(self.table), dtype=bool) if allowed is None else allowed.copy()
        usable[skip] = False
        pool = request.config.candidate_pool
        allowed_ids = None if allowed is None and not len(skip) else self.table.ids[usable]
        found: list[np.ndarray] = []
        for index, query in ((self.offers, a_seek), (self.seeks, a_offer)):
            if query is not None:
                hits = index.search(query, pool, allowed_ids=allowed_ids)[0][0]
                found.append(self.table.rows_of_ordered(hits))
        rules_only = score_rows(
            asker,
            self.table,
            None,
            None,
            None,
            request.day,
            request.config,
            one_way=request.one_way,
        )
        rules_only[~usable] = -np.inf
        found.append(top_rows(rules_only, self.table.ids, pool, 0.0))
        return np.unique(np.concatenate(found))

    def _cosines(
        self, rows: np.ndarray, a_seek: np.ndarray | None, a_offer: np.ndarray | None
    ) -> tuple[np.ndarray | None, np.ndarray | None]:
        ids = self.table.ids[rows]
        seek_offer = None if a_seek is None else self.offers.vectors(ids) @ a_seek
        offer_seek = None if a_offer is None else self.seeks.vectors(ids) @ a_offer
        return seek_offer, offer_seek


@dataclass(frozen=True)
class PickRequest:
    """What one side needs to know of a request besides A and its vectors."""

    day: date
    config: ScoringConfig
    limit: int
    min_score: float
    exclude: frozenset[int]  # company ids never to pick (A itself, declined pairs)
    one_way: bool = False  # A is an ad-hoc request that offers nothing
    text: bool = True  # A has text at all (False: semantic is neutral, no cosines)


def _cosine(cosines: np.ndarray | None, position: int) -> float | None:
    return None if cosines is None else float(cosines[position])


def build_sides(
    embedder: Embedder,
    kind: str,
    hnsw: HnswParams | None,
    config: ScoringConfig,
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
        sides[side] = SideIndexes.build(
            embedder, kind, hnsw, config, chosen, offers[rows], seeks[rows]
        )
    parked = {p.id: (offers[i], seeks[i]) for i, p in enumerate(profiles) if not ok[i]}
    return sides, parked


def explain_best(
    a: CompanyProfile,
    picked: list[tuple[CompanyProfile, Picked]],
    day: date,
    config: ScoringConfig,
    limit: int,
    min_score: float,
    *,
    one_way: bool,
) -> list[Suggestion]:
    """Run the explained rules on the picked candidates only (same numbers as the batch
    score, now with reasons and warnings) and rank them as shown, ties by lower id."""
    suggestions = []
    for b, choice in picked:
        pair = score_pair(a, b, choice.inputs, day, config, one_way=one_way)
        if pair.score < min_score:
            continue  # the batch score rounded up past the cut by a hair
        reasons, warnings = _sentences(pair.reasons), _sentences(pair.warnings)
        suggestions.append(Suggestion(b, pair.score, pair.components, reasons, warnings))
    return rank(suggestions, score=lambda s: s.score, key=lambda s: s.company.id, limit=limit)


def _sentences(texts: list[str]) -> list[str]:
    """Explanations may start with a name in lower case ("the request seeks ...")."""
    return [text[:1].upper() + text[1:] for text in texts]

"""Match use cases: keep the in-memory matcher in step with the database, then ask it.

The database is the source of truth; the matcher (FAISS indexes plus profiles) is
derived. Before every search the service compares the database's index generation
and identity with the ones it has loaded (one cheap SELECT) and applies whatever
other processes changed since, so no worker serves results older than its last
request. A new identity (a restore) or a lower generation means another history:
the matcher is loaded whole again, from a snapshot only if its provenance checks out
(`index_integrity`), and a snapshot refused is rewritten at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.embedding import Embedder
from matchmaker.domain.errors import IndexFileError, ModelMismatchError
from matchmaker.domain.matcher import AdHocQuery, Matcher, MatchFilters, Suggestion
from matchmaker.domain.matcher_store import MATCHER_FILE, remove_snapshot, snapshot_exists
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.provenance import Provenance
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.instance_files import private_dir
from matchmaker.models import Company, CompanyEmbedding
from matchmaker.services.conversion import to_profile
from matchmaker.services.duplicate_store import refresh_candidates
from matchmaker.services.embeddings import (
    companies_with_embeddings,
    refresh_embeddings,
    vector_of,
)
from matchmaker.services.index_integrity import provenance_of, snapshot_problem
from matchmaker.services.index_state import bump_generation, current_state
from matchmaker.services.profiles import get_company, write_transaction
from matchmaker.services.scoring_state import active_weights

log = logging.getLogger(__name__)
REBUILD_HINT = "run `flask index rebuild`"


@dataclass(frozen=True)
class IndexStatus:
    generation: int
    indexed: int  # companies held by the matcher (suggestible or not)
    model: str
    unindexed: int  # approved companies without vectors of the configured model


class MatchingService:
    """One per process: owns the embedder (loaded lazily, once) and the matcher."""

    def __init__(
        self,
        *,
        embedder_factory: Callable[[], Embedder],
        scoring: ScoringConfig | None = None,
        index_kind: str = "flat",
        index_dir: Path | None = None,
        pinned_weights: frozenset[str] = frozenset(),
        loaded_embedder: Embedder | None = None,
    ) -> None:
        self._embedder_factory = embedder_factory
        # An embedder handed over already loaded (tests, one model for several apps).
        self._embedder: Embedder | None = loaded_embedder
        # The configured scoring (shipped defaults, model calibration, MATCHMAKER_SCORING);
        # an applied scoring version replaces its weights, except the pinned ones.
        self.scoring = scoring or ScoringConfig()
        self.pinned_weights = pinned_weights
        self.scoring_version: int | None = None  # the applied version the matcher uses
        self.index_kind = index_kind
        self.index_dir = index_dir
        self._matcher: Matcher | None = None
        self._generation = -1
        self._database_id = ""
        self._unindexed = 0
        self._lock = threading.RLock()

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = self._embedder_factory()
            return self._embedder

    def embed_changes(
        self, session: Session, companies: list[Company], *, show_progress: bool = False
    ) -> None:
        """Profile-service hook: store vectors of changed texts inside the write's transaction."""
        refresh_embeddings(session, companies, self.embedder, show_progress=show_progress)

    @property
    def model_loaded(self) -> bool:
        """Whether the model is in memory, so embedding costs milliseconds, not a load.
        Read without the lock: a load in progress holds it for seconds."""
        return self._embedder is not None

    def embed_stored(self, session: Session, company_ids: list[int]) -> int:
        """Embed firms that were stored without their vectors, and commit; return how many
        texts were embedded. Their duplicate pairs are judged again with the new offer
        vectors; an approved firm gets a new generation so every matcher re-reads it."""
        with write_transaction(session):
            companies = companies_with_embeddings(session, company_ids)
            embedded = refresh_embeddings(session, companies, self.embedder)
            approved = [c for c in companies if c.status == "approved"]
            if embedded and approved:
                generation = bump_generation(session)
                for company in approved:
                    company.index_generation = generation
            refresh_candidates(session, [c.id for c in companies])
        return embedded

    def reset(self) -> None:
        """Forget the loaded matcher; the next request loads it again from the database."""
        with self._lock:
            self._matcher = None
            self._generation = -1
            self._database_id = ""

    def sync(self, session: Session) -> Matcher:
        """Bring the matcher up to the database's generation and return it."""
        with self._lock:
            generation, database_id = current_state(session)
            changed = self._matcher is None or generation != self._generation
            if (
                self._matcher is None
                or database_id != self._database_id
                or generation < self._generation
            ):
                # First use, or another history (restored): load it whole.
                changed = True
                self._matcher, self._generation = self._load(session, generation, database_id)
                self._database_id = database_id
            if generation > self._generation:
                self._apply_changes(session, self._matcher, since=self._generation)
                self._generation = generation
            if changed:
                # Applying or reverting a scoring version bumps the generation, so every
                # worker picks the new weights up here, at no cost to unchanged requests.
                self.scoring_version, weights = active_weights(session)
                self._matcher.reweight(self.weighted(weights))
            return self._matcher

    def weighted(self, weights: Mapping[str, float] | None) -> ScoringConfig:
        """The configured scoring with a version's weights (None: the configured ones);
        weights pinned by MATCHMAKER_SCORING stay as configured."""
        config = self.scoring
        for name, value in (weights or {}).items():
            if name in config.weights and name not in self.pinned_weights:
                config = config.with_override(f"weights.{name}", float(value))
        return config

    def current_scoring(self, session: Session) -> ScoringConfig:
        """The scoring in force now (one SELECT; does not load the matcher)."""
        return self.weighted(active_weights(session)[1])

    def status(self, session: Session) -> IndexStatus:
        with self._lock:
            return self._status(self.sync(session))

    def synced_status(self) -> IndexStatus | None:
        """The status as of the last sync, without asking the database (None before the
        first): what a match that just synced reports, for the price of no SELECT."""
        with self._lock:
            return None if self._matcher is None else self._status(self._matcher)

    def _status(self, matcher: Matcher) -> IndexStatus:
        return IndexStatus(
            self._generation, matcher.size, self.embedder.model_name, self._unindexed
        )

    def match_company(
        self,
        session: Session,
        company: int | CompanyProfile,
        *,
        limit: int = 10,
        min_score: float = 0.0,
        filters: MatchFilters | None = None,
    ) -> list[Suggestion]:
        """Ranked, explained partners for a registered company (of any status). A firm
        the matcher does not hold (no vectors yet) has its texts embedded for this
        request only."""
        matcher = self.sync(session)
        profile = (
            company
            if isinstance(company, CompanyProfile)
            else to_profile(get_company(session, company))
        )
        return matcher.match_company(profile, limit=limit, min_score=min_score, filters=filters)

    def match_query(
        self, session: Session, query: AdHocQuery, *, limit: int = 10, min_score: float = 0.0
    ) -> list[Suggestion]:
        """Ranked, explained partners for a need described in text and filters."""
        return self.sync(session).match_query(query, limit=limit, min_score=min_score)

    def rebuild(self, session: Session, *, show_progress: bool = False) -> IndexStatus:
        """Embed whatever is missing or stale, reload every vector, and persist the index."""
        companies = companies_with_embeddings(session)
        refresh_embeddings(session, companies, self.embedder, show_progress=show_progress)
        session.commit()
        with self._lock:
            self._matcher = None
            self._generation = -1
            if self.index_dir is not None:
                self._remove_persisted()
        status = self.status(session)
        self.persist(session)
        return status

    def persist(self, session: Session) -> None:
        """Write the loaded indexes atomically, with the database state they reflect."""
        with self._lock:
            if self.index_dir is None or self._matcher is None:
                return
            self._save(session, self._matcher, self._generation, self._database_id)

    def _save(self, session: Session, matcher: Matcher, generation: int, database_id: str) -> None:
        assert self.index_dir is not None
        private_dir(self.index_dir)  # 0700 even when recreated after start-up
        provenance = provenance_of(session, generation, database_id)
        matcher.save(self.index_dir, generation=generation, provenance=provenance)

    def _load(self, session: Session, generation: int, database_id: str) -> tuple[Matcher, int]:
        """The persisted matcher (to be caught up) if it is a state of this database's
        history, else one bulk-loaded from the database; a refused snapshot is rewritten."""
        persisted, refused = self._load_persisted()
        if persisted is not None:
            matcher, provenance = persisted
            refused = snapshot_problem(
                session, provenance, generation=generation, database_id=database_id
            )
            if refused is None:
                return matcher, provenance.generation
        matcher = Matcher(self.embedder, self.scoring, index_kind=self.index_kind)
        self._bulk_load(session, matcher)
        if refused is not None:
            self._repair(session, matcher, generation, database_id, refused)
        return matcher, generation

    def _load_persisted(self) -> tuple[tuple[Matcher, Provenance] | None, str | None]:
        """(matcher and provenance, None), or (None, why the file is unusable), or
        (None, None) when there is no file."""
        if self.index_dir is None or not snapshot_exists(self.index_dir):
            return None, None
        try:
            return Matcher.load_with_provenance(self.index_dir, self.embedder, self.scoring), None
        except (IndexFileError, ModelMismatchError) as error:
            return None, str(error)

    def _repair(
        self, session: Session, matcher: Matcher, generation: int, database_id: str, why: str
    ) -> None:
        """Rewrite a refused snapshot now, from the matcher just loaded from the database.
        In line, not in a background thread: this worker is already held up by the bulk
        load (the larger cost), a background save would hold the matcher's lock as long,
        and a thread dies with a forked or recycled worker, leaving the bad file for
        every later start to trip over again."""
        path = self.index_dir / MATCHER_FILE if self.index_dir else MATCHER_FILE
        log.warning("Refused the index snapshot %s: %s. Loaded from the database.", path, why)
        try:
            self._save(session, matcher, generation, database_id)
        except OSError as error:
            log.error("Could not rewrite the index snapshot %s: %s", path, error)
            return
        log.warning("Rewrote the index snapshot %s at generation %d.", path, generation)

    def _remove_persisted(self) -> None:
        assert self.index_dir is not None
        remove_snapshot(self.index_dir)

    def _bulk_load(self, session: Session, matcher: Matcher) -> None:
        companies = companies_with_embeddings(session)
        loadable = [c for c in companies if _has_current_vectors(c, self.embedder)]
        self._check_model(companies, loadable)
        if loadable:
            offer = np.stack([_vectors(c, self.embedder)[0] for c in loadable])
            seek = np.stack([_vectors(c, self.embedder)[1] for c in loadable])
            matcher.bulk_load([to_profile(c) for c in loadable], offer, seek)

    def _apply_changes(self, session: Session, matcher: Matcher, *, since: int) -> None:
        changed_ids = session.scalars(select(Company.id).where(Company.index_generation > since))
        for company in companies_with_embeddings(session, list(changed_ids)):
            if _has_current_vectors(company, self.embedder):
                offer, seek = _vectors(company, self.embedder)
                matcher.upsert(to_profile(company), offer, seek)
            elif company.id in matcher:
                matcher.remove(company.id)

    def _check_model(self, companies: list[Company], loadable: list[Company]) -> None:
        foreign = {
            (e.model, e.dimension)
            for c in companies
            for e in c.embeddings
            if e.model != self.embedder.model_name or e.dimension != self.embedder.dimension
        }
        self._unindexed = sum(c.status == "approved" for c in companies) - sum(
            c.status == "approved" for c in loadable
        )
        if foreign:
            found = ", ".join(f"{model} ({dim} dimensions)" for model, dim in sorted(foreign))
            raise ModelMismatchError(
                f"Stored vectors were made by {found}, but the configured model is "
                f"{self.embedder.model_name} ({self.embedder.dimension} dimensions): "
                f"{REBUILD_HINT}."
            )


def _has_current_vectors(company: Company, embedder: Embedder) -> bool:
    current = [
        e
        for e in company.embeddings
        if e.model == embedder.model_name and e.dimension == embedder.dimension
    ]
    return len(current) == 2


def _vectors(company: Company, embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    rows: dict[str, CompanyEmbedding] = {e.kind: e for e in company.embeddings}
    return vector_of(rows["offer"]), vector_of(rows["seek"])

"""Store each company's offer and seek vectors, embedding only what changed.

A vector is kept with the model name and a hash of the text it came from, so an
unchanged profile is never re-embedded and a change of model is noticed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.domain.embedding import Embedder, offer_text, seek_text, text_hash
from matchmaker.models import Company, CompanyEmbedding
from matchmaker.services.conversion import to_profile

KINDS = ("offer", "seek")


@dataclass(frozen=True)
class _Pending:
    company: Company
    kind: str
    text: str
    digest: str


def embedding_texts(company: Company) -> dict[str, str]:
    """The offer and seek texts that are embedded for `company`."""
    profile = to_profile(company)
    return {"offer": offer_text(profile), "seek": seek_text(profile)}


def refresh_embeddings(
    session: Session,
    companies: Iterable[Company],
    embedder: Embedder,
    *,
    batch_size: int = 32,
    show_progress: bool = False,
) -> int:
    """Embed the texts that changed (or were made by another model); return how many.

    Runs inside the caller's transaction: the vectors commit with the profile.
    """
    pending = [p for company in companies for p in _stale_texts(company, embedder)]
    if not pending:
        return 0
    vectors = embedder.encode([p.text for p in pending], batch_size, show_progress)
    for item, vector in zip(pending, vectors, strict=True):
        _store(item, vector, embedder)
    session.flush()
    return len(pending)


def companies_with_embeddings(session: Session, ids: Iterable[int] | None = None) -> list[Company]:
    """Companies with everything embedding needs loaded in a few queries, not one per row.

    Rows already in the session are refreshed: another process may have changed them.
    """
    query = (
        select(Company)
        .execution_options(populate_existing=True)
        .options(
            selectinload(Company.capabilities),
            selectinload(Company.certifications),
            selectinload(Company.pathways),
            selectinload(Company.embeddings),
        )
    )
    if ids is not None:
        query = query.where(Company.id.in_(list(ids)))
    return list(session.scalars(query.order_by(Company.id)))


def stale_vector_count(session: Session, embedder: Embedder) -> int:
    """How many firms hold vectors of `embedder`'s model made from other text than the
    model would read of their profile now: what the model reads changed (a glossary
    edit; an upgrade that glosses Ukrainian texts) or a profile was changed past the app.
    They are still matched on the old vectors until `flask index rebuild` re-embeds them.
    Firms without vectors of this model count as unindexed, not stale."""
    return sum(
        1
        for company in companies_with_embeddings(session)
        if any(e.model == embedder.model_name for e in company.embeddings)
        and _stale_texts(company, embedder)
    )


def vector_of(embedding: CompanyEmbedding) -> np.ndarray:
    return np.frombuffer(embedding.vector, dtype=np.float32)


def _stale_texts(company: Company, embedder: Embedder) -> list[_Pending]:
    stored = {e.kind: e for e in company.embeddings}
    stale = []
    for kind, text in embedding_texts(company).items():
        digest = text_hash(text, embedder.model_name)
        current = stored.get(kind)
        if (
            current is None
            or current.text_hash != digest
            or current.model != embedder.model_name
            or current.dimension != embedder.dimension
        ):
            stale.append(_Pending(company, kind, text, digest))
    return stale


def _store(item: _Pending, vector: np.ndarray, embedder: Embedder) -> None:
    row = next((e for e in item.company.embeddings if e.kind == item.kind), None)
    if row is None:
        row = CompanyEmbedding(kind=item.kind)
        item.company.embeddings.append(row)
    row.model = embedder.model_name
    row.text_hash = item.digest
    row.dimension = embedder.dimension
    row.vector = np.ascontiguousarray(vector, dtype=np.float32).tobytes()

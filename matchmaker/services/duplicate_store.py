"""Stored duplicate candidates, refreshed for the firms each write touches.

Comparing every firm with every other on each page view grew quadratically (600
alike firms: 73 s and 256 MB of HTML). Instead every write (the profile service's
`after_change`, which every create, update, import, status change and merge passes
through) refreshes the pairs of the firms it wrote, in its own transaction:

- name and legal-id partners come from `duplicate_key`, an indexed table of each
  non-archived firm's blocking keys (legal id, name in its country, distinctive name
  tokens and their 4-letter starts), so finding them reads a few index entries;
- offer partners are the neighbours of the firm's offer vector among the stored
  offer vectors of its side and model (one exact inner-product scan, no pairs);
- each pair is judged by `duplicates.judge`, the same rules as the full comparison.

The review pages read the table, a page at a time. `rebuild_candidates` fills it from
scratch (after the migration, or a change of embedding model) in bounded chunks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import faiss
import numpy as np
from sqlalchemy import ColumnElement, Select, delete, func, insert, or_, select, union_all
from sqlalchemy.orm import Session

from matchmaker.models import Company, CompanyEmbedding, DuplicateCandidatePair, DuplicateKey
from matchmaker.services.duplicates import (
    BANDS,
    LIKELY_OFFER_SIMILARITY,
    MAX_BLOCK_SIZE,
    POSSIBLE_OFFER_SIMILARITY,
    DuplicateCandidate,
    Firm,
    dismissed_pairs,
    judge,
    load_firms,
    offer_vectors,
)
from matchmaker.services.index_state import current_generation
from matchmaker.services.pagination import Page, paginate

# Firms refreshed per round: bounds memory and the length of IN (...) lists
# (SQLite allows 32766 parameters; a firm has about six keys).
CHUNK = 500
# Offer neighbours kept per written firm: a cluster of N near-identical offers would
# otherwise store N^2/2 pairs (5,000 alike firms: 12.5 million), more than anyone reviews.
OFFER_NEIGHBOURS = 20
# Keys that are never too common to compare on (the full comparison does not cap them).
UNCAPPED = ("legal:", "name:")

Vectors = dict[int, tuple[str, np.ndarray]]


def firm_keys(firm: Firm) -> set[str]:
    """The blocking keys of a firm: firms sharing one are compared."""
    keys = {f"legal:{firm.legal_id}", f"name:{firm.country}:{firm.name_key}"}
    for token in firm.core.split():
        keys |= {f"tok:{token}", f"pre:{token[:4]}"}
    return {key[:250] for key in keys}


def refresh_written(session: Session, companies: Iterable[Company]) -> None:
    """Profile-service step after every write: refresh the pairs of what it wrote.

    A merge archives the merged firm without handing it to the hook; every firm a
    write touches carries the write's generation, so those are refreshed too."""
    ids = {c.id for c in companies}
    stamped = select(Company.id).where(Company.index_generation == current_generation(session))
    ids.update(session.scalars(stamped))
    refresh_candidates(session, ids)


def refresh_candidates(session: Session, company_ids: Iterable[int]) -> None:
    """Recompute the keys and candidate pairs of `company_ids` (in the caller's transaction)."""
    ids = sorted(set(company_ids))
    for chunk in _chunks(ids):
        _write_keys(session, chunk)
    for chunk in _chunks(ids):
        _write_pairs(session, chunk)
    session.flush()


def rebuild_candidates(session: Session) -> int:
    """Recompute every stored candidate from scratch and commit; returns how many pairs."""
    session.execute(delete(DuplicateCandidatePair))
    session.execute(delete(DuplicateKey))
    ids = session.scalars(select(Company.id).where(Company.status != "archived")).all()
    refresh_candidates(session, ids)
    session.commit()
    return session.scalar(select(func.count()).select_from(DuplicateCandidatePair)) or 0


def candidates_query(band: str | None = None) -> Select[Any]:
    """Stored candidates, strongest first (band, then the stronger signal): the order of
    the index ix_duplicate_candidate_page_order, so a page reads that index from its start
    (or from the band's, by band_rank) and no request sorts the table."""
    query = select(DuplicateCandidatePair)
    if band:
        query = query.where(DuplicateCandidatePair.band_rank == BANDS.index(band))
    return query.order_by(
        DuplicateCandidatePair.band_rank,
        DuplicateCandidatePair.strength.desc(),
        DuplicateCandidatePair.first_id,
        DuplicateCandidatePair.second_id,
    )


def candidates_page(
    session: Session, band: str | None, page: int, page_size: int, counts: dict[str, int]
) -> Page[DuplicateCandidatePair]:
    """One page of `candidates_query`, its length taken from `counts` (`band_counts`);
    the offset is walked in the ordering index alone."""
    total = counts[band] if band else sum(counts.values())
    query = candidates_query(band)
    return paginate(session, query, page=page, page_size=page_size, keys_first=True, total=total)


def band_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(DuplicateCandidatePair.band, func.count()).group_by(DuplicateCandidatePair.band)
    )
    counts = dict.fromkeys(BANDS, 0)
    counts.update({band: count for band, count in rows})
    return counts


def candidates_of(session: Session, company_id: int) -> list[DuplicateCandidate]:
    """The stored candidates involving one firm, strongest first."""
    query = candidates_query().where(
        or_(
            DuplicateCandidatePair.first_id == company_id,
            DuplicateCandidatePair.second_id == company_id,
        )
    )
    return [as_candidate(row) for row in session.scalars(query)]


def candidate_counts(session: Session, company_ids: Sequence[int]) -> dict[int, int]:
    """How many stored candidates each of `company_ids` takes part in: one query for up to
    CHUNK firms (a page of the review queue), each side of the pair read through its index."""
    counts: dict[int, int] = dict.fromkeys(company_ids, 0)
    for chunk in _chunks(list(company_ids)):
        sides = union_all(
            select(DuplicateCandidatePair.first_id.label("company_id")).where(
                DuplicateCandidatePair.first_id.in_(chunk)
            ),
            select(DuplicateCandidatePair.second_id.label("company_id")).where(
                DuplicateCandidatePair.second_id.in_(chunk)
            ),
        ).subquery()
        rows = session.execute(
            select(sides.c.company_id, func.count()).group_by(sides.c.company_id)
        )
        for company_id, count in rows:
            counts[company_id] += count
    return counts


def as_candidate(row: DuplicateCandidatePair) -> DuplicateCandidate:
    return DuplicateCandidate(
        row.first_id,
        row.second_id,
        row.band,
        row.name_similarity,
        row.offer_similarity,
        tuple(row.reasons),
    )


def _write_keys(session: Session, ids: list[int]) -> None:
    session.execute(delete(DuplicateKey).where(DuplicateKey.company_id.in_(ids)))
    rows = [
        {"company_id": firm.id, "key": key}
        for firm in load_firms(session, ids)
        for key in sorted(firm_keys(firm))
    ]
    if rows:
        session.execute(insert(DuplicateKey), rows)


def _write_pairs(session: Session, ids: list[int]) -> None:
    # Pairs stored before are judged again: an offer neighbour found when the other
    # firm was written stays a candidate while the rules still say so.
    stored = select(DuplicateCandidatePair.first_id, DuplicateCandidatePair.second_id)
    before = {(a, b) for a, b in session.execute(stored.where(_touching(ids)))}
    session.execute(delete(DuplicateCandidatePair).where(_touching(ids)))
    changed = {firm.id: firm for firm in load_firms(session, ids)}
    if not changed:
        return
    vectors = offer_vectors(session, changed)
    pairs = _key_pairs(session, changed) | _offer_pairs(session, changed, vectors) | before
    pairs -= dismissed_pairs(session)
    partners = {i for pair in pairs for i in pair} - set(changed)
    firms = changed | {firm.id: firm for firm in load_firms(session, partners)}
    vectors |= offer_vectors(session, partners)
    rows = []
    for a, b in sorted(pairs):
        if a not in firms or b not in firms:
            continue  # archived in this very write
        candidate = judge(firms[a], firms[b], vectors)
        if candidate is not None:
            rows.append(_row(candidate))
    if rows:
        session.execute(insert(DuplicateCandidatePair), rows)


def _key_pairs(session: Session, changed: dict[int, Firm]) -> set[tuple[int, int]]:
    """Pairs of a changed firm with a firm sharing a key (common tokens excepted)."""
    own = session.execute(
        select(DuplicateKey.key, DuplicateKey.company_id).where(
            DuplicateKey.company_id.in_(list(changed))
        )
    ).all()
    keys = sorted({key for key, _ in own})
    usable = []
    for chunk in _chunks(keys):
        sizes = session.execute(
            select(DuplicateKey.key, func.count())
            .where(DuplicateKey.key.in_(chunk))
            .group_by(DuplicateKey.key)
        )
        usable += [k for k, n in sizes if n > 1 and (k.startswith(UNCAPPED) or n <= MAX_BLOCK_SIZE)]
    members: dict[str, list[int]] = defaultdict(list)
    for chunk in _chunks(usable):
        rows = session.execute(
            select(DuplicateKey.key, DuplicateKey.company_id).where(DuplicateKey.key.in_(chunk))
        )
        for key, company_id in rows:
            members[key].append(company_id)
    pairs = set()
    for key, company_id in own:
        for other in members.get(key, ()):
            if other != company_id:
                pairs.add((min(company_id, other), max(company_id, other)))
    return pairs


def _offer_pairs(
    session: Session, changed: dict[int, Firm], vectors: Vectors
) -> set[tuple[int, int]]:
    """The nearest offer vectors to each changed firm's, on its side and by its model,
    that are alike enough to matter (exact FAISS search, at most OFFER_NEIGHBOURS)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for company_id, (model, _) in vectors.items():
        groups[(changed[company_id].side, model)].append(company_id)
    threshold = min(LIKELY_OFFER_SIMILARITY, POSSIBLE_OFFER_SIMILARITY)
    pairs = set()
    for (side, model), asking in groups.items():
        ids, matrix = _side_vectors(session, side, model)
        if not ids:
            continue
        index = faiss.IndexFlatIP(matrix.shape[1])
        index.add(matrix)
        queries = np.stack([vectors[i][1] for i in asking]).astype(np.float32)
        scores, rows = index.search(queries, min(OFFER_NEIGHBOURS + 1, len(ids)))
        for a, found, cosines in zip(asking, rows, scores, strict=True):
            for row, cosine in zip(found, cosines, strict=True):
                b = ids[row]
                if row >= 0 and cosine >= threshold and a != b:
                    pairs.add((min(a, b), max(a, b)))
    return pairs


def _side_vectors(session: Session, side: str, model: str) -> tuple[list[int], np.ndarray]:
    """Offer vectors of the non-archived firms of one side made by `model`."""
    query = (
        select(CompanyEmbedding.company_id, CompanyEmbedding.vector)
        .join(Company, Company.id == CompanyEmbedding.company_id)
        .where(
            CompanyEmbedding.kind == "offer",
            CompanyEmbedding.model == model,
            Company.side == side,
            Company.status != "archived",
        )
        .order_by(CompanyEmbedding.company_id)
    )
    ids, blobs = [], []
    for company_id, blob in session.execute(query):
        ids.append(company_id)
        blobs.append(blob)
    if not ids:
        return [], np.empty((0, 0), dtype=np.float32)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)
    return ids, matrix


def _row(candidate: DuplicateCandidate) -> dict[str, Any]:
    return {
        "first_id": candidate.first_id,
        "second_id": candidate.second_id,
        "band": candidate.band,
        "band_rank": BANDS.index(candidate.band),
        "strength": -candidate.strength[1],
        "name_similarity": candidate.name_similarity,
        "offer_similarity": candidate.offer_similarity,
        "reasons": list(candidate.reasons),
    }


def _touching(ids: list[int]) -> ColumnElement[bool]:
    return or_(DuplicateCandidatePair.first_id.in_(ids), DuplicateCandidatePair.second_id.in_(ids))


def _chunks(items: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])

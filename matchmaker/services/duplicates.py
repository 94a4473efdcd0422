"""Candidate duplicate firms, in confidence bands, for an admin to merge or dismiss.

Three signals, each cheap to explain:
- the legal identifier (normalized as stored: upper case, no separators);
- the name, once legal forms ("GmbH", "LLC", "ТОВ") and generic trade words
  ("Defence", "Systems") are dropped: `difflib` ratio of what is left;
- the offer text: cosine of the stored offer vectors (same embedding model only).

Bands (Open Supply Hub style: sure, for a human, clearly different):
- certain: same legal identifier, or same name and country;
- likely: names nearly identical, or names alike and offers very alike;
- possible: names alike, or the same distinctive name part ("Sych Works" /
  "Sych Dynamics") with alike offers, or offers almost word for word alike on the
  same side.
Archived firms are never candidates; a pair an admin dismissed is not shown again
(the dismissal is an audit event, so it is also part of the history).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matchmaker.errors import NotFoundError
from matchmaker.models import AuditEvent, Company, CompanyEmbedding, DuplicateCandidatePair
from matchmaker.services.audit import record_audit

BANDS = ("certain", "likely", "possible")
# Name similarity (difflib ratio of the distinctive part of two names, 0..1).
LIKELY_NAME_SIMILARITY = 0.9  # alone enough for "likely": two letters swapped in ten
POSSIBLE_NAME_SIMILARITY = 0.8  # alone enough for "possible"
SUPPORTING_NAME_SIMILARITY = 0.6  # enough for "likely" when the offers agree too
# Cosine of the offer vectors (all-MiniLM-L6-v2 ranges ~0.3 for unrelated firms in
# one field, ~0.8 for two firms making the same thing, ~0.97+ for a near copy).
LIKELY_OFFER_SIMILARITY = 0.9  # with SUPPORTING_NAME_SIMILARITY
POSSIBLE_OFFER_SIMILARITY = 0.97  # alone enough for "possible" (same side only)
SAME_BRAND_OFFER_SIMILARITY = 0.75  # "possible" when the distinctive name parts are equal
# A word this close to a generic trade word is that word misspelt.
GENERIC_TYPO_SIMILARITY = 0.8
# A name token shared by more firms than this says nothing (e.g. "Kyiv").
MAX_BLOCK_SIZE = 60
# Rows of the offer matrix compared at once (memory: rows x firms floats).
CHUNK_ROWS = 1024
DISMISS_ACTION = "duplicate.dismiss"

# Legal forms, dropped from names before comparing them ("Sp. z o.o." -> sp z oo).
LEGAL_FORMS = frozenset(
    """
    gmbh ag kg ohg ug mbh co kgaa se sa sas sasu sarl sarlu spa srl sl slu nv bv bvba
    ab oy oyj as asa aps ou plc ltd limited llc llp inc corp corporation company sp z oo
    zoo spzoo sro akciova spolecnost kft zrt nyrt doo dd ad ead eood ehf hf tov tdv pp
    pjsc pat prat jsc ojsc cjsc dp pe sc тов тдв пп пат прат ат дп
    """.split()  # noqa: SIM905 - a word list reads better as words
)
# Trade words too common in this field to tell two firms apart.
GENERIC_WORDS = frozenset(
    """
    defence defense systems system technologies technology tech industries industry
    group holding holdings works engineering dynamics solutions aerospace aero design
    bureau international manufacturing mobility robotics electronics munitions armour
    armor services rocket targeting research production enterprise state private public
    joint stock and the of plant factory mechanical repair aviation integration arsenal
    """.split()  # noqa: SIM905
)
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class DuplicateCandidate:
    """Two firms that may be one; `first_id` < `second_id`."""

    first_id: int
    second_id: int
    band: str
    name_similarity: float
    offer_similarity: float | None
    reasons: tuple[str, ...]

    @property
    def strength(self) -> tuple[int, float]:
        """Sort key: band first, then the stronger signal."""
        return (BANDS.index(self.band), -max(self.name_similarity, self.offer_similarity or 0))


@dataclass(frozen=True)
class Firm:
    id: int
    name: str
    country: str
    side: str
    legal_id: str
    name_key: str  # the whole name, folded, legal forms dropped
    core: str  # the distinctive part: generic words dropped too


def name_tokens(name: str) -> list[str]:
    """Lower-case, accent-free tokens of a name, punctuation removed."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    # "S.p.A." and "Sp. z o.o." lose their dots before splitting.
    folded = folded.replace(".", "")
    return [t for t in _NON_WORD.split(folded) if t]


def name_key(name: str) -> str:
    """A name without its legal form: "Sych Works PJSC" -> "sych works"."""
    return " ".join(t for t in name_tokens(name) if t not in LEGAL_FORMS)


def name_core(name: str) -> str:
    """The distinctive part of a name ("sych"); the key when nothing distinctive remains."""
    key = name_key(name)
    core = " ".join(t for t in key.split() if not _generic(t))
    return core or key


@lru_cache(maxsize=4096)
def _generic(token: str) -> bool:
    """A generic trade word, or a misspelling of one ("wroks")."""
    if token in GENERIC_WORDS:
        return True
    return len(token) >= 5 and any(
        SequenceMatcher(None, token, word).ratio() >= GENERIC_TYPO_SIMILARITY
        for word in GENERIC_WORDS
    )


def name_similarity(a: str, b: str) -> float:
    """How alike two names are (0..1), ignoring legal forms.

    The lower of two `difflib` ratios: of the whole names and of their distinctive
    parts. "Karawanken Defence" / "Karawanken Dynamics" share a distinctive part but
    not a name (0.7); "Research and Production Enterprise Perun" / "... Pivden" share
    a long name but not a distinctive part (0.55); "Sych Works" / "Sych Work" share both.
    """
    return _similarity(name_key(a), name_core(a), name_key(b), name_core(b))


def _similarity(key_a: str, core_a: str, key_b: str, core_b: str) -> float:
    if not key_a or not key_b:
        return 0.0
    whole = SequenceMatcher(None, key_a, key_b).ratio()
    return min(whole, SequenceMatcher(None, core_a, core_b).ratio())


def find_duplicates(
    session: Session, *, company_id: int | None = None, include_dismissed: bool = False
) -> list[DuplicateCandidate]:
    """Candidate pairs among non-archived firms (only those involving `company_id`, if given).

    Compares the whole registry: the reference the stored candidates are checked
    against (tests, benchmark). Pages read `duplicate_store`, which is kept current
    per write."""
    firms = {f.id: f for f in load_firms(session)}
    vectors = {i: v for i, v in offer_vectors(session).items() if i in firms}
    pairs = set(_legal_id_pairs(firms.values())) | set(_name_pairs(firms.values()))
    pairs |= set(_offer_pairs(firms, vectors, company_id))
    if company_id is not None:
        pairs = {p for p in pairs if company_id in p}
    if not include_dismissed:
        pairs -= dismissed_pairs(session)
    found = (judge(firms[a], firms[b], vectors) for a, b in pairs)
    return sorted((c for c in found if c is not None), key=lambda c: (c.strength, c.first_id))


def dismiss_pair(session: Session, first_id: int, second_id: int, *, actor: str) -> None:
    """Record that two firms are not the same, so the pair is not proposed again."""
    a, b = sorted((first_id, second_id))
    for company_id in (a, b):
        # profiles.get_company would be a circular import (profiles refreshes the store).
        if session.get(Company, company_id) is None:
            raise NotFoundError(f"No company with id {company_id}.")
    record_audit(session, actor, DISMISS_ACTION, "company", a, None, {"not_duplicate_of": b})
    session.execute(
        delete(DuplicateCandidatePair).where(
            DuplicateCandidatePair.first_id == a, DuplicateCandidatePair.second_id == b
        )
    )
    session.commit()


def dismissed_pairs(session: Session) -> set[tuple[int, int]]:
    rows = session.execute(
        select(AuditEvent.entity_id, AuditEvent.after).where(AuditEvent.action == DISMISS_ACTION)
    )
    pairs = set()
    for entity_id, after in rows:
        other = (after or {}).get("not_duplicate_of")
        if entity_id is not None and isinstance(other, int):
            pairs.add((min(entity_id, other), max(entity_id, other)))
    return pairs


def load_firms(session: Session, ids: Iterable[int] | None = None) -> list[Firm]:
    """Non-archived firms (only `ids`, if given) with their name keys."""
    query = select(Company.id, Company.name, Company.country, Company.side, Company.legal_id).where(
        Company.status != "archived"
    )
    if ids is not None:
        query = query.where(Company.id.in_(list(ids)))
    return [
        Firm(id_, name, country, side, legal_id, name_key(name), name_core(name))
        for id_, name, country, side, legal_id in session.execute(query)
    ]


def offer_vectors(
    session: Session, ids: Iterable[int] | None = None
) -> dict[int, tuple[str, np.ndarray]]:
    """Offer vector of each firm (only `ids`, if given), with the model that made it
    (vectors of two models differ)."""
    query = select(
        CompanyEmbedding.company_id, CompanyEmbedding.model, CompanyEmbedding.vector
    ).where(CompanyEmbedding.kind == "offer")
    if ids is not None:
        query = query.where(CompanyEmbedding.company_id.in_(list(ids)))
    return {
        company_id: (model, np.frombuffer(vector, dtype=np.float32))
        for company_id, model, vector in session.execute(query)
    }


def _legal_id_pairs(firms: Iterable[Firm]) -> Iterator[tuple[int, int]]:
    groups: dict[object, list[int]] = defaultdict(list)
    for firm in firms:
        groups[("legal", firm.legal_id)].append(firm.id)
        groups[("name", firm.country, firm.name_key)].append(firm.id)
    for ids in groups.values():
        yield from combinations(sorted(ids), 2)


def _name_pairs(firms: Iterable[Firm]) -> Iterator[tuple[int, int]]:
    """Firms whose distinctive name parts share a word or a 4-letter word start."""
    blocks: dict[str, set[int]] = defaultdict(set)
    for firm in firms:
        for token in firm.core.split():
            blocks[token].add(firm.id)
            blocks[token[:4] + "*"].add(firm.id)
    for ids in blocks.values():
        if 1 < len(ids) <= MAX_BLOCK_SIZE:
            yield from combinations(sorted(ids), 2)


def _offer_pairs(
    firms: dict[int, Firm], vectors: dict[int, tuple[str, np.ndarray]], company_id: int | None
) -> Iterator[tuple[int, int]]:
    """Pairs on one side whose offer vectors are at least SUPPORTING-level alike."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for firm_id, (model, _) in vectors.items():
        groups[(firms[firm_id].side, model)].append(firm_id)
    threshold = min(LIKELY_OFFER_SIMILARITY, POSSIBLE_OFFER_SIMILARITY)
    for ids in groups.values():
        if company_id is not None and company_id not in ids:
            continue
        ids.sort()
        matrix = np.stack([vectors[i][1] for i in ids])
        rows = [ids.index(company_id)] if company_id is not None else range(len(ids))
        for start in range(0, len(rows), CHUNK_ROWS):
            chunk = list(rows[start : start + CHUNK_ROWS])
            scores = matrix[chunk] @ matrix.T
            for r, c in zip(*np.nonzero(scores >= threshold), strict=True):
                a, b = ids[chunk[r]], ids[c]
                if a != b:
                    yield (min(a, b), max(a, b))


def judge(
    a: Firm, b: Firm, vectors: dict[int, tuple[str, np.ndarray]]
) -> DuplicateCandidate | None:
    names = _similarity(a.name_key, a.core, b.name_key, b.core)
    offers = _cosine(vectors.get(a.id), vectors.get(b.id))
    reasons = []
    if a.legal_id == b.legal_id:
        reasons.append(f"Same legal identifier ({a.legal_id}).")
    if a.country == b.country and a.name_key == b.name_key:
        reasons.append("Same name in the same country.")
    if names >= SUPPORTING_NAME_SIMILARITY:
        reasons.append(f"Names {names:.0%} alike.")
    elif a.core == b.core:
        reasons.append(f"Same distinctive name part ({a.core!r}).")
    if offers is not None and offers >= SAME_BRAND_OFFER_SIMILARITY:
        reasons.append(f"Offers {offers:.0%} alike (text embeddings).")
    band = _band(a, b, names, offers)
    if band is None:
        return None
    return DuplicateCandidate(a.id, b.id, band, round(names, 3), offers, tuple(reasons))


def _band(a: Firm, b: Firm, names: float, offers: float | None) -> str | None:
    offers = offers or 0.0
    if a.legal_id == b.legal_id or (a.country == b.country and a.name_key == b.name_key):
        return "certain"
    if names >= LIKELY_NAME_SIMILARITY or (
        names >= SUPPORTING_NAME_SIMILARITY and offers >= LIKELY_OFFER_SIMILARITY
    ):
        return "likely"
    same_brand = a.core == b.core and offers >= SAME_BRAND_OFFER_SIMILARITY
    if (
        names >= POSSIBLE_NAME_SIMILARITY
        or same_brand
        or (a.side == b.side and offers >= POSSIBLE_OFFER_SIMILARITY)
    ):
        return "possible"
    return None


def _cosine(
    first: tuple[str, np.ndarray] | None, second: tuple[str, np.ndarray] | None
) -> float | None:
    if first is None or second is None or first[0] != second[0]:
        return None
    a, b = first[1], second[1]
    denominator = float(np.linalg.norm(a) * np.linalg.norm(b))
    return round(float(a @ b) / denominator, 3) if denominator else None

"""Matching scores every firm of the other side: agreement with pair-by-pair scoring,
a partner no cosine shortlist would reach, and index changes that keep the fact table
in step with FAISS."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from matchmaker.domain.codes import CodeBits
from matchmaker.domain.components.base import PairInputs, ScoreInputs
from matchmaker.domain.embedding import (
    SentenceTransformerEmbedder,
    has_offer_text,
    offer_text,
    seek_text,
)
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.ranking import rank
from matchmaker.domain.scoring import encode_asker, score_pair, score_rows
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import suggestible
from matchmaker.domain.side_table import SideTable
from matchmaker.domain.taxonomy import other_side
from tests.domain.factories import TODAY, make_profile, random_profile

KINDS = ["flat", "hnsw"]
Registry = tuple[list[CompanyProfile], np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def registry(embedder: SentenceTransformerEmbedder) -> Registry:
    """60 random firms on both sides with real vectors of their texts."""
    rng = random.Random(5)
    profiles = [random_profile(rng, n) for n in range(1, 61)]
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    return profiles, offers, seeks


def brute_force(a: CompanyProfile, registry: Registry, limit: int) -> list[tuple[int, float]]:
    """Score A against every other-side firm with the explained rules, one pair at a time."""
    profiles, offers, seeks = registry
    a_row = profiles.index(a)
    side = [b for b in profiles if b.side == other_side(a.side) and suggestible(b)]
    scored = []
    for row, b in enumerate(profiles):
        if b not in side:
            continue
        inputs = PairInputs(
            TODAY,
            float(offers[row] @ seeks[a_row]) if a.seeks.strip() else None,
            float(seeks[row] @ offers[a_row]) if has_offer_text(a) else None,
            offer_offer=float(offers[row] @ offers[a_row]) if has_offer_text(a) else None,
        )
        scored.append((b.id, score_pair(a, b, inputs, ScoringConfig(), side=side).score))
    best = rank(scored, score=lambda item: item[1], key=lambda item: item[0], limit=limit)
    return [(company_id, score) for company_id, score in best]


@pytest.mark.parametrize("kind", KINDS)
def test_matches_equal_scoring_every_pair(
    embedder: SentenceTransformerEmbedder, registry: Registry, kind: str
) -> None:
    """The matcher's top 10 is the top 10 of scoring every pair, one pair at a time."""
    matcher = Matcher(embedder, index_kind=kind)
    matcher.bulk_load(*registry)
    for a in registry[0][:12]:
        got = [(s.company.id, s.score) for s in matcher.match_company(a.id, today=TODAY)]
        assert got == brute_force(a, registry, 10), a.id


def _direction(base: np.ndarray, cosine: float, rng: np.random.Generator) -> np.ndarray:
    """A unit vector at exactly `cosine` to the unit vector `base`."""
    noise = rng.normal(size=base.shape)
    noise -= (noise @ base) * base
    noise /= np.linalg.norm(noise)
    return (cosine * base + np.sqrt(1 - cosine**2) * noise).astype(np.float32)


@pytest.mark.parametrize("kind", KINDS)
def test_partner_below_every_cosine_shortlist_is_found(
    embedder: SentenceTransformerEmbedder, kind: str
) -> None:
    """A firm that fits A on every rule, but whose texts rank below ten look-alikes in
    each search direction, still comes first (a shortlist of 5 per search missed it)."""
    rng = np.random.default_rng(0)
    dim = embedder.dimension
    a_offer, a_seek = (_direction(np.eye(dim, dtype=np.float32)[i], 1.0, rng) for i in (0, 1))
    matcher = Matcher(embedder, ScoringConfig(candidate_pool=5), index_kind=kind)
    shells, propellants = "ammunition_missiles.shells", "ammunition_missiles.propellants"
    a = make_profile(
        id=1,
        offers="propellant charges",
        seeks="shell bodies",
        capabilities={propellants},
        seeking_capabilities={shells},
        pathways={"jv_eu"},
    )
    matcher.upsert(a, a_offer, a_seek)
    decoy = make_profile(
        country="UA",
        offers="repairs",
        seeks="anything",
        capabilities={"mro.vehicle_repair"},
        pathways={"rnd"},
        itar_controlled=True,
        non_eligible_component_share=60.0,
    )
    for n in range(10):  # look-alike offers, then look-alike seeks
        matcher.upsert(
            replace(decoy, id=100 + n), _direction(a_seek, 0.9, rng), _direction(a_seek, 0, rng)
        )
        matcher.upsert(
            replace(decoy, id=200 + n), _direction(a_offer, 0, rng), _direction(a_offer, 0.9, rng)
        )
    partner = make_profile(
        id=50,
        country="UA",
        offers="shells",
        seeks="propellants",
        capabilities={shells},
        seeking_capabilities={propellants},
        pathways={"jv_eu"},
        non_eligible_component_share=10.0,
    )
    matcher.upsert(partner, _direction(a_seek, 0.5, rng), _direction(a_offer, 0.45, rng))
    best = matcher.match_company(1, today=TODAY)[0]
    assert best.company.id == 50 and best.components["capability"] == 1.0


@pytest.mark.parametrize("kind", KINDS)
def test_changes_keep_matching_as_a_fresh_load(
    embedder: SentenceTransformerEmbedder, registry: Registry, kind: str
) -> None:
    """After 150 random upserts (new firms, changed sides, statuses and codes) and removals,
    every match equals that of a matcher bulk-loaded with the final state."""
    profiles, offers, seeks = registry
    rng = random.Random(9)
    matcher = Matcher(embedder, index_kind=kind)
    matcher.bulk_load(profiles[:40], offers[:40], seeks[:40])
    state = {p.id: (p, offers[i], seeks[i]) for i, p in enumerate(profiles[:40])}
    for _ in range(150):
        row = rng.randrange(len(profiles))
        if state and rng.random() < 0.25:
            company_id = rng.choice(sorted(state))
            assert matcher.remove(company_id)
            del state[company_id]
            continue
        changed = replace(
            random_profile(rng, profiles[row].id if rng.random() < 0.7 else 100 + row),
            status=rng.choice(["approved", "approved", "approved", "pending"]),
        )
        vectors = (offers[rng.randrange(len(offers))], seeks[rng.randrange(len(seeks))])
        matcher.upsert(changed, *vectors)
        state[changed.id] = (changed, *vectors)
    fresh = Matcher(embedder, index_kind=kind)
    final = [state[i] for i in sorted(state)]
    fresh.bulk_load(
        [p for p, _, _ in final],
        np.stack([o for _, o, _ in final]),
        np.stack([s for *_, s in final]),
    )
    assert matcher.size == fresh.size == len(state)
    for company_id in sorted(state)[:15]:
        got = [(s.company.id, s.score) for s in matcher.match_company(company_id, today=TODAY)]
        want = [(s.company.id, s.score) for s in fresh.match_company(company_id, today=TODAY)]
        assert got == want, company_id


def test_code_outside_the_taxonomy_scores_like_the_explained_rule() -> None:
    """A retired capability code still in old data gets its own bit: exact match and the
    explained score agree."""
    a = make_profile(id=1, seeking_capabilities={"legacy.optics"})
    b = make_profile(id=2, country="UA", capabilities={"legacy.optics"})
    table = SideTable(ScoringConfig())
    table.append([b])
    batch = score_rows(
        encode_asker(a, ScoringConfig()), table, None, ScoreInputs(TODAY), ScoringConfig()
    )
    explained = score_pair(a, b, PairInputs(TODAY), ScoringConfig())
    assert batch[0] == pytest.approx(explained.score, abs=5e-5)
    assert explained.components["capability"] > 0.7


def test_code_vocabulary_refuses_a_65th_code() -> None:
    """Masks are 64 bits wide: a 65th distinct code is an error naming the code."""
    bits = CodeBits("test", [f"code{i}" for i in range(64)])
    assert bits.bit("code63") == 1 << 63
    with pytest.raises(ValueError, match="code64"):
        bits.bit("code64")

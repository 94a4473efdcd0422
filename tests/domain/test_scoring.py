"""Pair scoring and ranking: the fast path agrees with the explained one; sorting is stable."""

from __future__ import annotations

import random
from datetime import date

import pytest

from matchmaker.domain.facts import profile_facts
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.ranking import blend, rank
from matchmaker.domain.rules import SemanticInputs
from matchmaker.domain.scoring import ComponentWeights, ScoringConfig, quick_score, score_pair
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
    PATHWAYS,
    SECURITY_CLEARANCE_LEVELS,
)
from tests.domain.domain_factories import TODAY, cert, make_profile

CONFIG = ScoringConfig()


def random_profile(rng: random.Random, company_id: int) -> CompanyProfile:
    """A profile with random capabilities, certificates, pathways and compliance."""
    codes, schemes = sorted(CAPABILITY_CODES), sorted(CERTIFICATION_SCHEMES)
    return make_profile(
        id=company_id,
        name=f"Firm {company_id}",
        country=rng.choice(["UA", "DE", "GB", "PL", "NO"]),
        capabilities=set(rng.sample(codes, rng.randint(0, 4))),
        seeking_capabilities=set(rng.sample(codes, rng.randint(0, 3))),
        partner_certifications=set(rng.sample(schemes, rng.randint(0, 2))),
        pathways=set(rng.sample(sorted(PATHWAYS), rng.randint(0, 3))),
        certifications=[
            cert(s, rng.choice([None, "2024-12-31", "2025-06-01", "2030-01-01"]))
            for s in rng.sample(schemes, rng.randint(0, 3))
        ],
        controlling_country=rng.choice([None, None, "US", "GB", "UA"]),
        non_eligible_component_share=rng.choice([None, 10.0, 35.0, 60.0]),
        export_control=set(rng.sample(["ML4", "ML10", "DU5"], rng.randint(0, 2))),
        itar_controlled=rng.random() < 0.2,
        security_clearance=rng.choice(SECURITY_CLEARANCE_LEVELS),
        required_clearance=rng.choice(SECURITY_CLEARANCE_LEVELS),
    )


def test_quick_score_equals_explained_score() -> None:
    """On 500 random pairs the per-candidate fast path gives exactly the explained score."""
    rng = random.Random(7)
    for n in range(500):
        a, b = random_profile(rng, 2 * n), random_profile(rng, 2 * n + 1)
        inputs = rng.choice([None, SemanticInputs(rng.random(), rng.choice([None, rng.random()]))])
        one_way = rng.random() < 0.3
        fast = quick_score(
            profile_facts(a, CONFIG.regulatory),
            profile_facts(b, CONFIG.regulatory),
            inputs,
            TODAY,
            CONFIG,
            one_way=one_way,
        )
        assert fast == score_pair(a, b, inputs, TODAY, CONFIG, one_way=one_way).score


def test_pair_score_has_the_four_components_in_range() -> None:
    """Components are exactly the four named ones, each and the blend within [0, 1]."""
    rng = random.Random(3)
    for n in range(50):
        pair = score_pair(
            random_profile(rng, n),
            random_profile(rng, n + 100),
            SemanticInputs(0.5, 0.3),
            TODAY,
            CONFIG,
        )
        assert set(pair.components) == {"semantic", "capability", "certification", "regulatory"}
        assert all(0 <= v <= 1 for v in pair.components.values()) and 0 <= pair.score <= 1


def test_without_text_semantic_is_neutral() -> None:
    """A pair without text gets the neutral semantic prior instead of a free pass."""
    a, b = make_profile(id=1), make_profile(id=2, country="UA")
    pair = score_pair(a, b, None, TODAY, CONFIG)
    assert pair.components["semantic"] == CONFIG.semantic.unknown


def test_expired_certificate_changes_with_the_day() -> None:
    """The same certificate counts before its expiry and not after."""
    a = make_profile(id=1, partner_certifications={"iso_9001"})
    b = make_profile(id=2, country="UA", certifications=[cert("iso_9001", "2025-03-31")])
    before = score_pair(a, b, None, date(2025, 3, 1), CONFIG)
    after = score_pair(a, b, None, date(2025, 4, 1), CONFIG)
    assert before.score > after.score and any("expired" in w for w in after.warnings)


def test_blend_is_a_weighted_mean_and_zero_weight_switches_off() -> None:
    """The blend is sum(w*c)/sum(w); a zero weight leaves its component out."""
    weights = ComponentWeights(semantic=1, capability=1, certification=0, regulatory=2)
    parts = {"semantic": 0.2, "capability": 0.4, "certification": 1.0, "regulatory": 0.7}
    assert blend(parts, weights.as_dict()) == pytest.approx((0.2 + 0.4 + 1.4) / 4)


def test_rank_sorts_by_score_then_id_with_cutoff_and_limit() -> None:
    """Ranking is deterministic: score descending, ties by id, then cut-off and limit."""
    items = [(5, 0.5), (2, 0.7), (9, 0.7), (1, 0.1), (4, 0.5)]
    ranked = rank(items, score=lambda i: i[1], key=lambda i: i[0], min_score=0.2, limit=4)
    assert [i[0] for i in ranked] == [2, 9, 4, 5]

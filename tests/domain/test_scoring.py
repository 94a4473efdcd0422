"""Pair scoring and ranking: the batch path agrees with the explained one; sorting is stable."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matchmaker.domain.batch_scoring import asker_facts, score_rows, top_rows
from matchmaker.domain.embedding import has_offer_text, has_seek_text
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.ranking import blend, rank
from matchmaker.domain.rules import SemanticInputs
from matchmaker.domain.scoring import ComponentWeights, ScoringConfig, score_pair
from matchmaker.domain.side_table import SideTable
from tests.domain.factories import TODAY, cert, make_profile, random_profile

CONFIG = ScoringConfig()


def _maybe_text(rng: random.Random, profile: CompanyProfile) -> CompanyProfile:
    """Give a profile offer and/or seek text at random (no text = neutral semantic)."""
    return replace(
        profile,
        offers="makes things" if rng.random() < 0.8 else "",
        seeks="wants things" if rng.random() < 0.8 else "",
    )


@pytest.mark.parametrize("seed", range(6))
def test_batch_score_equals_explained_score(seed: int) -> None:
    """Scoring a whole table at once gives, for every row, the explained pair score:
    random askers (one-way or not, with or without text) against 150 random firms."""
    rng = random.Random(seed)
    candidates = [_maybe_text(rng, random_profile(rng, n)) for n in range(1, 151)]
    table = SideTable(CONFIG)
    table.append(candidates)
    for _ in range(8):
        a = _maybe_text(rng, random_profile(rng, 0))
        one_way, text = rng.random() < 0.3, rng.random() < 0.85
        seek_offer = np.array([rng.uniform(-0.1, 0.9) for _ in candidates], dtype=np.float32)
        offer_seek = np.array([rng.uniform(-0.1, 0.9) for _ in candidates], dtype=np.float32)
        asker = asker_facts(a, CONFIG)
        forward = seek_offer if text and asker.seeks_text else None
        backward = offer_seek if text and asker.offers_text and not one_way else None
        batch = score_rows(asker, table, None, forward, backward, TODAY, CONFIG, one_way=one_way)
        for i, b in enumerate(candidates):
            inputs = None
            if text:
                inputs = SemanticInputs(
                    float(forward[i]) if forward is not None and has_offer_text(b) else None,
                    float(backward[i]) if backward is not None and has_seek_text(b) else None,
                )
            explained = score_pair(a, b, inputs, TODAY, CONFIG, one_way=one_way).score
            # The explained score is rounded for display; the batch one is not.
            assert batch[i] == pytest.approx(explained, abs=5e-5 + 1e-9), (seed, i)


def test_batch_score_of_a_subset_equals_the_whole() -> None:
    """Scoring chosen rows (the approximate-index shortlist) gives those rows' scores."""
    rng = random.Random(11)
    table = SideTable(CONFIG)
    table.append([random_profile(rng, n) for n in range(1, 101)])
    asker = asker_facts(random_profile(rng, 0), CONFIG)
    whole = score_rows(asker, table, None, None, None, TODAY, CONFIG)
    rows = np.array([3, 17, 42, 99])
    part = score_rows(asker, table, rows, None, None, TODAY, CONFIG)
    assert part.tolist() == whole[rows].tolist()


def test_top_rows_ranks_as_shown_with_ties_by_id() -> None:
    """Rounded scores decide, then the lower id; -inf rows and those under min_score never."""
    scores = np.array([0.5, 0.80001, 0.8, 0.9, -np.inf, 0.79996, 0.2])
    ids = np.array([10, 7, 3, 9, 1, 2, 5])
    # Three rows show 0.8 (ids 7, 3, 2): they follow 0.9 in id order 2, 3, 7.
    assert top_rows(scores, ids, 4, 0.0).tolist() == [3, 5, 2, 1]
    assert top_rows(scores, ids, 3, 0.0).tolist() == [3, 5, 2]
    assert top_rows(scores, ids, 10, 0.5).tolist() == [3, 5, 2, 1, 0]
    assert top_rows(scores, ids, 2, 0.95).tolist() == []
    # Spares: only rows within a rounding step of the last kept one (0.8 ties; not 0.5).
    assert top_rows(scores, ids, 2, 0.0, spare=3).tolist() == [3, 5, 2, 1]
    assert top_rows(scores, ids, 4, 0.0, spare=3).tolist() == [3, 5, 2, 1]


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

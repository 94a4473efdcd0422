"""Metrics, the exact random baseline, the BM25 baseline and the bilingual tokeniser."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from matchmaker.domain.evaluation import (
    Bm25Ranker,
    EmbeddingRanker,
    metrics_from_ranks,
    random_metrics,
    rank_of,
)
from matchmaker.domain.lexical import profile_text, tokenize
from matchmaker.domain.profile import CompanyProfile


def test_metrics_read_ranks_to_the_depth() -> None:
    m = metrics_from_ranks([1, 4, 10, None, 60], depth=50)
    assert m.queries == 5
    assert m.recall_at_5 == pytest.approx(2 / 5)
    assert m.recall_at_10 == pytest.approx(3 / 5)
    assert m.mrr == pytest.approx((1 + 1 / 4 + 1 / 10) / 5)  # rank 60 is below the depth


def test_random_baseline_is_the_exact_expectation_on_a_hand_example() -> None:
    """4 candidates: every order equally likely, so E[1/rank] = (1 + 1/2 + 1/3 + 1/4) / 4
    = 25/48, found in the top 5 always; 100 candidates read to depth 50: H(50) / 100."""
    small = random_metrics([4], depth=50)
    assert small.mrr == pytest.approx(25 / 48)
    assert (small.recall_at_5, small.recall_at_10) == (1.0, 1.0)
    orders = list(itertools.permutations(range(4)))  # partner is candidate 0
    brute = sum(Fraction(1, order.index(0) + 1) for order in orders) / len(orders)
    assert small.mrr == pytest.approx(float(brute))

    large = random_metrics([100], depth=50)
    assert large.mrr == pytest.approx(sum(1 / r for r in range(1, 51)) / 100)
    assert (large.recall_at_5, large.recall_at_10) == pytest.approx((0.05, 0.10))

    both = random_metrics([4, 100], depth=50)
    assert both.mrr == pytest.approx((small.mrr + large.mrr) / 2)
    assert both.recall_at_10 == pytest.approx((1.0 + 0.10) / 2)


def test_random_baseline_counts_nothing_below_the_depth() -> None:
    assert random_metrics([3], depth=2).recall_at_5 == pytest.approx(2 / 3)
    assert random_metrics([3], depth=2).mrr == pytest.approx((1 + 1 / 2) / 3)


def test_tokenizer_reads_english_and_ukrainian_alike() -> None:
    assert sorted(tokenize("FPV drones and the AI-450 engine")) == sorted(
        ["ai-450", "fpv", "drone", "ai", "450", "engine"]
    )
    plain = tokenize("виробництво дронів, дрони та дронами; 155-мм снарядів", bilingual=False)
    assert plain == ["155-мм", "виробництв", "дрон", "дрон", "дрон", "155", "мм", "снаряд"]
    # the engine's terms: the glossary's English for the Ukrainian words it knows
    assert tokenize("виробництво дронів, дрони та дронами; 155-мм снарядів") == [
        "155-mm",
        "production",
        "drone",
        "drone",
        "drone",
        "155",
        "mm",
        "shell",
    ]
    assert tokenize("невідомеслово") == ["невідомеслов"]  # unknown: stemmed as before
    assert tokenize("Об'єднує") == tokenize("Обʼєднує")  # either apostrophe
    # every spelling of a calibre shares its terms
    assert {"155", "mm"} <= set(tokenize("155mm")) & set(tokenize("155 mm"))


def test_bm25_ranks_the_firm_sharing_rare_terms_first_in_either_language() -> None:
    texts = ["155-мм самохідна гаубиця «Богдана»", "дрони FPV для фронту", "тепловізори"]
    ranker = Bm25Ranker([10, 20, 30], texts)
    assert ranker.rank("шукаємо виробника гаубиць 155 мм", 3)[0] == 10
    assert ranker.rank("FPV drones", 3)[0] == 20
    assert not ranker.scores("no shared words").any()


def test_embedding_ranker_orders_by_cosine_with_ties_by_id() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    ranker = EmbeddingRanker([3, 1, 2], vectors)
    assert ranker.rank(np.array([1.0, 0.0]), 3) == [2, 3, 1]
    assert rank_of(1, ranker.rank(np.array([1.0, 0.0]), 3)) == 3


def test_profile_text_is_description_offers_seeks_and_every_ticked_label() -> None:
    profile = CompanyProfile(
        id=1,
        name="Acme Drones",
        country="DE",
        side="EU",
        size="sme",
        description="Acme builds drones.",
        offers="Quadcopters.",
        seeks="Batteries.",
        capabilities=frozenset({"drones_counter_drone.fpv"}),
        seeking_capabilities=frozenset({"strategic_enablers.sensors"}),
    )
    text = profile_text(profile)
    assert text.startswith("Acme builds drones. Quadcopters. Batteries.")
    assert text.endswith("FPV and small tactical drones; Sensors and optronics")

"""The hubness guard of the match-quality issue: on the demo registry no firm reaches more
than 5 % of the top-10 lists through profile completeness alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.hubness import BOUND, measure, relevance_only
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import suggestible

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "eval"))
from fit_weights import profile_of  # noqa: E402


@pytest.fixture(scope="module")
def demo_matchers(
    embedder: SentenceTransformerEmbedder,
) -> tuple[Matcher, Matcher, list[int], tuple]:
    seeds = json.loads((ROOT / "seeds" / "companies.json").read_text())
    profiles = [profile_of(10_000 + n, firm) for n, firm in enumerate(seeds)]
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    config = ScoringConfig.for_model(embedder.model_name)
    engine, relevance = Matcher(embedder, config), Matcher(embedder, relevance_only(config))
    engine.bulk_load(profiles, offers, seeks)
    relevance.bulk_load(profiles, offers, seeks)
    askers = [p.id for p in profiles if suggestible(p)]
    return engine, relevance, askers, (profiles, offers, seeks)


def test_no_firm_is_a_hub_through_completeness_alone(demo_matchers) -> None:
    engine, relevance, askers, _ = demo_matchers
    hubs = measure(engine, relevance, askers)
    assert hubs.askers == len(askers) > 200
    assert hubs.above(BOUND) == [], {i: hubs.completeness_share(i) for i in hubs.above(BOUND)}


def test_completeness_weighted_up_makes_hubs_the_guard_sees(demo_matchers) -> None:
    """The guard can fail: with certification and regulatory fit weighted as much as all
    relevance together, completeness decides lists and firms cross the bound."""
    engine, relevance, askers, registry = demo_matchers
    config = engine.config
    for name in ("certification", "regulatory"):
        config = config.with_override(f"weights.{name}", 1.0)
    completeness_first = Matcher(engine.embedder, config)
    completeness_first.bulk_load(*registry)
    hubs = measure(completeness_first, relevance, askers)
    assert hubs.above(BOUND), hubs.max_completeness_share

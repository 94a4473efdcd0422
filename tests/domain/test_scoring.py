"""Pair scoring and ranking: the vectorised components agree with the plain oracle, in
both precisions and on any subset of rows; sorting is stable."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matchmaker.domain.components import COMPONENTS
from matchmaker.domain.components.base import (
    Column,
    Explained,
    PairInputs,
    Rows,
    RuleDoc,
    ScoreInputs,
)
from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.matcher import Matcher, MatchFilters
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.ranking import rank, top_rows
from matchmaker.domain.scoring import (
    blend,
    component_scores,
    describe_model,
    encode_asker,
    score_pair,
    score_rows,
)
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable
from tests.domain import oracle
from tests.domain.factories import TODAY, cert, make_profile, random_profile

CONFIG = ScoringConfig()


def _maybe_text(rng: random.Random, profile: CompanyProfile) -> CompanyProfile:
    """Give a profile offer and/or seek text at random (no text = neutral semantic)."""
    return replace(
        profile,
        offers="makes things" if rng.random() < 0.8 else "",
        seeks="wants things" if rng.random() < 0.8 else "",
    )


def _random_request(rng: random.Random, count: int) -> tuple[CompanyProfile, ScoreInputs]:
    a = _maybe_text(rng, random_profile(rng, 0))
    one_way, text = rng.random() < 0.3, rng.random() < 0.85
    asker = encode_asker(a, CONFIG)
    cosines = [np.array([rng.uniform(-0.1, 0.9) for _ in range(count)]) for _ in range(3)]
    forward = cosines[0] if text and asker.seeks_text else None
    backward = cosines[1] if text and asker.offers_text and not one_way else None
    alike = cosines[2] if text and asker.offers_text and not one_way else None
    return a, ScoreInputs(TODAY, forward, backward, one_way, alike)


@pytest.mark.parametrize("seed", range(6))
def test_batch_score_equals_the_oracle(seed: int) -> None:
    """Scoring a whole table at once gives, for every row, the plain one-pair formulas:
    random askers (one-way or not, with or without text) against 150 random firms."""
    rng = random.Random(seed)
    candidates = [_maybe_text(rng, random_profile(rng, n)) for n in range(1, 151)]
    table = SideTable(CONFIG)
    table.append(candidates)
    for _ in range(8):
        a, inputs = _random_request(rng, len(candidates))
        batch = score_rows(encode_asker(a, CONFIG), table, None, inputs, CONFIG)
        for i, b in enumerate(candidates):
            pair = inputs.at(i)
            values = oracle.components(
                a,
                b,
                pair.seek_offer,
                pair.offer_seek,
                TODAY,
                CONFIG,
                one_way=pair.one_way,
                offer_offer=pair.offer_offer,
                corpus=candidates,
            )
            assert batch[i] == pytest.approx(oracle.score(values, CONFIG), abs=5e-6), (seed, i)


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.name)
def test_every_component_scores_a_row_alike_in_any_precision_and_subset(component: object) -> None:
    """For each registered component: single precision over all rows = double precision
    over a chosen subset, row for row (the number shown is the number ranked)."""
    rng = random.Random(hash(component.name) % 1000)
    candidates = [_maybe_text(rng, random_profile(rng, n)) for n in range(1, 81)]
    table = SideTable(CONFIG)
    table.append(candidates)
    subset = np.array(sorted(rng.sample(range(len(candidates)), 12)))
    for _ in range(6):
        a, inputs = _random_request(rng, len(candidates))
        asker = encode_asker(a, CONFIG)
        whole = component_scores(asker, Rows(table, None), inputs, CONFIG, every=True)
        picked = inputs.subset(subset)
        exact = component_scores(asker, Rows(table, subset, np.float64), picked, CONFIG, every=True)
        name = component.name
        assert whole[name].dtype == np.float32 and exact[name].dtype == np.float64
        assert np.allclose(whole[name][subset], exact[name], atol=2e-6, equal_nan=True)
        shown = exact[name][~np.isnan(exact[name])]
        assert ((shown >= 0) & (shown <= 1)).all()


@pytest.mark.parametrize("seed", range(3))
def test_pair_score_equals_the_oracle(seed: int) -> None:
    """score_pair (a one-row table, double precision) gives the oracle's components."""
    rng = random.Random(100 + seed)
    for n in range(40):
        a, b = random_profile(rng, n), random_profile(rng, n + 100)
        cosines = [rng.uniform(0, 0.9) for _ in range(3)]
        inputs = PairInputs(TODAY, *cosines[:2], rng.random() < 0.3, cosines[2])
        pair = score_pair(a, b, inputs, CONFIG)
        want = oracle.components(
            a,
            b,
            inputs.seek_offer,
            inputs.offer_seek,
            TODAY,
            CONFIG,
            one_way=inputs.one_way,
            offer_offer=inputs.offer_offer,
        )
        got = {k: float("nan") if v is None else v for k, v in pair.components.items()}
        assert got == pytest.approx(want, abs=1e-4, nan_ok=True)
        assert pair.score == pytest.approx(oracle.score(want, CONFIG), abs=1e-4)


def test_batch_score_of_a_subset_equals_the_whole() -> None:
    """Scoring chosen rows (the approximate-index shortlist) gives those rows' scores."""
    rng = random.Random(11)
    table = SideTable(CONFIG)
    table.append([random_profile(rng, n) for n in range(1, 101)])
    asker = encode_asker(random_profile(rng, 0), CONFIG)
    whole = score_rows(asker, table, None, ScoreInputs(TODAY), CONFIG)
    rows = np.array([3, 17, 42, 99])
    part = score_rows(asker, table, rows, ScoreInputs(TODAY), CONFIG)
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


def test_pair_score_has_every_registered_component_in_range() -> None:
    """Components are exactly the registered ones, each (where it applies) and the blend
    within [0, 1]."""
    rng = random.Random(3)
    for n in range(50):
        pair = score_pair(
            random_profile(rng, n),
            random_profile(rng, n + 100),
            PairInputs(TODAY, 0.5, 0.3),
            CONFIG,
        )
        assert set(pair.components) == {c.name for c in COMPONENTS}
        shown = [v for v in pair.components.values() if v is not None]
        assert all(0 <= v <= 1 for v in shown) and 0 <= pair.score <= 1


def test_without_text_the_text_components_do_not_apply() -> None:
    """A pair without text is scored on what it has: the text components do not apply
    (None) and the blend is the weighted mean of the others."""
    a = make_profile(id=1, capabilities={"mro.vehicle_repair"})
    b = make_profile(id=2, country="UA", seeking_capabilities={"mro.vehicle_repair"})
    pair = score_pair(a, b, PairInputs(TODAY), CONFIG)
    for name in ("semantic", "profile", "lexical", "certification"):
        assert pair.components[name] is None, name
    assert [w.code for w in pair.warnings if w.code == "no_text"] == ["no_text"]
    used = {n: v for n, v in pair.components.items() if v is not None}
    expected = sum(CONFIG.weights[n] * v for n, v in used.items()) / sum(
        CONFIG.weights[n] for n in used
    )
    assert pair.score == pytest.approx(expected, abs=1e-4)


def test_expired_certificate_changes_with_the_day() -> None:
    """The same certificate counts before its expiry and not after."""
    a = make_profile(id=1, partner_certifications={"iso_9001"})
    b = make_profile(id=2, country="UA", certifications=[cert("iso_9001", "2025-03-31")])
    before = score_pair(a, b, PairInputs(date(2025, 3, 1)), CONFIG)
    after = score_pair(a, b, PairInputs(date(2025, 4, 1)), CONFIG)
    assert before.score > after.score
    (expired,) = [w for w in after.warnings if w.code == "cert_expired"]
    assert expired.params == {"firm": b.name, "scheme": "iso_9001", "date": "2025-03-31"}
    assert not [w for w in before.warnings if w.code == "cert_expired"]


def test_blend_is_a_weighted_mean_and_zero_weight_switches_off() -> None:
    """The blend is sum(w*c)/sum(w); a zero weight leaves its component out."""
    config = ScoringConfig(
        weights={"semantic": 1, "capability": 1, "certification": 0, "regulatory": 2}
    )
    parts = {"semantic": 0.2, "capability": 0.4, "certification": 1.0, "regulatory": 0.7}
    blended = blend({k: np.array([v]) for k, v in parts.items()}, config, 1, np.float64)
    assert blended[0] == pytest.approx((0.2 + 0.4 + 1.4) / 4)


def test_rank_sorts_by_score_then_id_with_cutoff_and_limit() -> None:
    """Ranking is deterministic: score descending, ties by id, then cut-off and limit."""
    items = [(5, 0.5), (2, 0.7), (9, 0.7), (1, 0.1), (4, 0.5)]
    ranked = rank(items, score=lambda i: i[1], key=lambda i: i[0], min_score=0.2, limit=4)
    assert [i[0] for i in ranked] == [2, 9, 4, 5]


class _SameCountry:
    """A throwaway component: 1.0 when B is established in A's country, else 0."""

    name = "same_country"
    label = "Same country"
    default_weight = 0.5
    config_type = dict
    columns = (Column("same_country.country", np.int32, "country code point"),)
    compares_text = False
    cosines: frozenset[str] = frozenset()

    def facts(self, b: CompanyProfile, cfg: object) -> dict[str, int]:
        return {self.columns[0].name: ord(b.country[0]) * 256 + ord(b.country[1])}

    def encode(self, a: CompanyProfile, cfg: object) -> int:
        return ord(a.country[0]) * 256 + ord(a.country[1])

    def score(self, part: int, rows: Rows, inputs: ScoreInputs, cfg: object) -> np.ndarray:
        return (rows[self.columns[0]] == part).astype(rows.dtype)

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: object
    ) -> Explained:
        return Explained()

    def rules(self, cfg: object) -> tuple[RuleDoc, ...]:
        return (RuleDoc("same_country", "B is established in A's country."),)


def test_a_new_component_is_one_class_and_its_registration(
    embedder: SentenceTransformerEmbedder,
) -> None:
    """Registering a component adds its column, its number, its weight in the blend and its
    description; nothing else changes."""
    config = ScoringConfig(components=(*COMPONENTS, _SameCountry()))
    matcher = Matcher(embedder, config)
    a = make_profile(id=1, country="DE", offers="propellants", seeks="shells")
    near = make_profile(id=2, country="DE", name="Near", offers="shells", seeks="propellants")
    far = replace(near, id=3, country="UA", side="EU", name="Far")
    for profile in (a, near, far):
        matcher.upsert(profile, *embedder.encode([offer_text(profile), seek_text(profile)]))
    both = matcher.match_company(1, filters=MatchFilters(same_side=True), today=TODAY)
    assert [s.company.id for s in both] == [2, 3]
    assert [s.components["same_country"] for s in both] == [1.0, 0.0]
    applying = [n for n, v in both[0].components.items() if v is not None]
    weights = sum(config.weights[n] for n in applying)
    gap = both[0].score - both[1].score  # the pairs differ in their country alone
    assert gap == pytest.approx(0.5 / weights, abs=1e-3)
    described = describe_model(config)["components"][-1]
    assert (described["name"], described["weight"]) == ("same_country", 0.5)

"""The exact match path against a straightforward reference, on a few hundred real-text firms.

`Matcher.match_company` scans and scores every firm with shortcuts of its own (cosine
scans shared between A's vectors, components skipped on rows that cannot reach the
top, explanations from stored facts); the reference here does none of that: a fresh
side table of the suggestible firms, every cosine in double precision from the vectors,
every component in double precision on every row, every pair explained, then sorted.
Both must give the same firms, scores, component values and explanations, for firms
with and without texts, requests with filters and exclusions, and a registry holding
pending, sanctioned and Russian-controlled firms that must never be suggested.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

import numpy as np
import pytest

from matchmaker.domain.components.base import Rows, ScoreInputs
from matchmaker.domain.components.lexical import _as_written
from matchmaker.domain.embedding import (
    SentenceTransformerEmbedder,
    has_offer_text,
    offer_text,
    seek_text,
)
from matchmaker.domain.explanations import Explanation
from matchmaker.domain.filters import filter_mask
from matchmaker.domain.lexical import surface_forms, tokenize
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.pruning import _kth_largest
from matchmaker.domain.queries import MatchFilters, Suggestion
from matchmaker.domain.ranking import explained, rank, top_rows
from matchmaker.domain.scoring import (
    PairScore,
    component_scores,
    encode_asker,
    explain_pair,
    score_rows,
)
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import SPARE, suggestible
from matchmaker.domain.side_table import SideTable
from matchmaker.domain.taxonomy import SIDES, other_side
from tests.domain.factories import TODAY, random_profile

Registry = tuple[list[CompanyProfile], np.ndarray, np.ndarray]

PRODUCTS = [
    "FPV drones",
    "155 mm shells",
    "155mm artillery rounds",
    "AI-450 engines",
    "Bohdana howitzers",
    "counter-drone jammers",
    "GNSS-denied navigation",
    "EW-resistant datalinks",
    "armoured vehicle repair",
    "nitrocellulose propellants",
    "thermal imaging sights",
    "loitering munitions",
    "air-surveillance radars",
    "cyber defence for critical infrastructure",
    "ударні дрони",
    "ремонт бронетехніки",
    "артилерійські снаряди",
    "засоби РЕБ",
]
VERBS = ["We build", "Serial production of", "Design and testing of", "Виробляємо", "Supply of"]
NEEDS = ["Partners for", "We seek", "Шукаємо", "Capacity in Europe for", "Investors in"]


def _text(rng: random.Random, opener: list[str]) -> str:
    words = rng.sample(PRODUCTS, rng.randint(1, 3))
    return f"{rng.choice(opener)} {' and '.join(words)}."


def text_profile(rng: random.Random, company_id: int) -> CompanyProfile:
    """A random firm (codes, compliance) with texts: some none at all, some one of three."""
    base = random_profile(rng, company_id)
    kind = rng.random()
    if kind < 0.12:  # no words at all; half of them tick nothing that says what they do
        return base if kind < 0.06 else replace(base, capabilities=frozenset(), certifications=())
    description = _text(rng, VERBS) if rng.random() < 0.6 else ""
    offers = _text(rng, VERBS) if kind < 0.85 else ""
    seeks = _text(rng, NEEDS) if rng.random() < 0.55 else ""
    status = rng.choices(["approved", "pending", "rejected"], [0.85, 0.1, 0.05])[0]
    profile = replace(base, description=description, offers=offers, seeks=seeks, status=status)
    if rng.random() < 0.04:  # listed person or Russian control: never suggested
        compliance = replace(
            profile.compliance,
            sanctioned=rng.random() < 0.5,
            controlling_country=rng.choice(["RU", "BY", profile.compliance.controlling_country]),
        )
        profile = replace(profile, compliance=compliance)
    return profile


@pytest.fixture(scope="module")
def registry(embedder: SentenceTransformerEmbedder) -> Registry:
    """320 firms on both sides with real vectors of their texts."""
    rng = random.Random(11)
    profiles = [text_profile(rng, n) for n in range(1, 321)]
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    return profiles, offers, seeks


@pytest.fixture(scope="module")
def matcher(embedder: SentenceTransformerEmbedder, registry: Registry) -> Matcher:
    loaded = Matcher(embedder)
    loaded.bulk_load(*registry)
    return loaded


def reference(
    a: CompanyProfile,
    registry: Registry,
    config: ScoringConfig,
    *,
    filters: MatchFilters | None = None,
    limit: int = 10,
    min_score: float = 0.0,
) -> list[tuple[int, Reference]]:
    """A's best partners the plain way: (company id, PairScore) best first, ties by id."""
    filters = filters or MatchFilters()
    profiles, offers, seeks = registry
    row_of = {p.id: i for i, p in enumerate(profiles)}
    a_offer = offers[row_of[a.id]].astype(np.float64)
    a_seek = seeks[row_of[a.id]].astype(np.float64)
    asker = encode_asker(a, config)
    scored = []
    for side in SIDES if filters.same_side else (other_side(a.side),):
        firms = [p for p in profiles if p.side == side and suggestible(p)]
        if not firms:
            continue
        table = SideTable(config)
        table.append(firms)
        b_offers = np.stack([offers[row_of[b.id]] for b in firms]).astype(np.float64)
        b_seeks = np.stack([seeks[row_of[b.id]] for b in firms]).astype(np.float64)
        # A cosine only a component weighted 0 reads is not computed (so not shown).
        wanted = config.cosines
        inputs = ScoreInputs(
            TODAY,
            b_offers @ a_seek if a.seeks.strip() and "seek_offer" in wanted else None,
            b_seeks @ a_offer if has_offer_text(a) and "offer_seek" in wanted else None,
            False,
            b_offers @ a_offer if has_offer_text(a) and "offer_offer" in wanted else None,
        )
        values = component_scores(asker, Rows(table, None, np.float64), inputs, config, every=True)
        allowed = filter_mask(
            table,
            countries=filters.countries,
            capabilities=filters.capabilities,
            pathways=filters.pathways,
        )
        for i, b in enumerate(firms):
            if b.id == a.id or b.id in filters.exclude_ids:
                continue
            if allowed is not None and not allowed[i]:
                continue
            row_values = {name: float(column[i]) for name, column in values.items()}
            pair = explain_pair(a, b, row_values, inputs.at(i, table), config)
            if pair.score >= min_score:
                scored.append((b.id, Reference(pair, row_values, _blend(row_values, config))))
    scored.sort(key=lambda item: (-item[1].pair.score, item[0]))
    return scored[:limit]


@dataclass(frozen=True)
class Reference:
    pair: PairScore  # as shown (rounded)
    values: dict[str, float]  # unrounded component values, NaN: does not apply
    score: float  # unrounded


def _blend(values: dict[str, float], config: ScoringConfig) -> float:
    used = {n: v for n, v in values.items() if config.weights[n] > 0 and not math.isnan(v)}
    total = sum(config.weights[n] for n in used)
    return sum(config.weights[n] * v for n, v in used.items()) / total if total else 0.0


def close(shown: float, exact: float) -> bool:
    """`shown` is the 4-decimal rounding of a value within 1e-6 of `exact`: a value this
    close to a rounding boundary may round either way from single-precision cosines."""
    return abs(shown - exact) <= 0.5e-4 + 1e-6


def same_words(got: tuple[Explanation, ...], want: tuple[Explanation, ...]) -> bool:
    """Equal explanations, their fits to 1e-6 (the engine's cosines are single precision)."""
    if [(e.code, sorted(e.params)) for e in got] != [(e.code, sorted(e.params)) for e in want]:
        return False
    for mine, theirs in zip(got, want, strict=True):
        for key, value in mine.params.items():
            other = theirs.params[key]
            if isinstance(value, float):
                if not math.isclose(value, other, abs_tol=1e-6):
                    return False
            elif value != other:
                return False
    return True


def assert_same(got: list[Suggestion], want: list[tuple[int, Reference]], context: object) -> None:
    """Same firms in the same order, same scores and component values to 1e-6 (before
    rounding), same explanations."""
    assert [s.company.id for s in got] == [company_id for company_id, _ in want], context
    for suggestion, (_, ref) in zip(got, want, strict=True):
        pair = ref.pair
        assert close(suggestion.score, ref.score), context
        assert suggestion.components.keys() == pair.components.keys(), context
        for name, value in suggestion.components.items():
            exact = ref.values[name]
            assert (value is None) == math.isnan(exact), (context, name)
            assert value is None or close(value, exact), (context, name)
        assert same_words(suggestion.reasons, pair.reasons), (context, suggestion.reasons)
        assert same_words(suggestion.warnings, pair.warnings), (context, suggestion.warnings)


def test_registry_covers_the_hard_cases(registry: Registry) -> None:
    """The registry holds what the parity tests must see: firms without any text,
    without seek text, pending or sanctioned firms, and Russian-controlled ones."""
    profiles = registry[0]
    assert sum(not has_offer_text(p) and not p.seeks.strip() for p in profiles) >= 8
    assert sum(not (p.description or p.offers or p.seeks) for p in profiles) >= 25
    assert sum(has_offer_text(p) and not p.seeks.strip() for p in profiles) >= 40
    assert sum(p.status != "approved" for p in profiles) >= 15
    assert sum(p.compliance.sanctioned for p in profiles) >= 2
    assert sum(p.compliance.controlling_country in ("RU", "BY") for p in profiles) >= 2


def test_matches_equal_the_reference(matcher: Matcher, registry: Registry) -> None:
    """Every firm's top 10 (suggestible or not, with or without texts) is the reference's."""
    for a in registry[0][::3]:
        got = matcher.match_company(a.id, today=TODAY)
        assert_same(got, reference(a, registry, matcher.config), a.id)


def test_long_lists_and_minimum_scores_equal_the_reference(
    matcher: Matcher, registry: Registry
) -> None:
    """Deep lists (where the shortcuts keep many rows) and score floors agree too."""
    for a in registry[0][1:80:7]:
        got = matcher.match_company(a.id, today=TODAY, limit=60)
        assert_same(got, reference(a, registry, matcher.config, limit=60), a.id)
        got = matcher.match_company(a.id, today=TODAY, limit=5, min_score=0.45)
        want = reference(a, registry, matcher.config, limit=5, min_score=0.45)
        assert_same(got, want, a.id)


@pytest.mark.parametrize(
    "filters",
    [
        MatchFilters(countries=frozenset({"UA", "PL"})),
        MatchFilters(capabilities=frozenset({"drones_counter_drone"})),
        MatchFilters(pathways=frozenset({"jv_eu", "rnd"}), exclude_ids=frozenset(range(1, 60))),
        MatchFilters(same_side=True),
    ],
)
def test_filtered_matches_equal_the_reference(
    matcher: Matcher, registry: Registry, filters: MatchFilters
) -> None:
    for a in registry[0][2::11]:
        got = matcher.match_company(a.id, today=TODAY, filters=filters)
        assert_same(got, reference(a, registry, matcher.config, filters=filters), a.id)


@pytest.mark.parametrize(
    "weights",
    [
        {"lexical": 0.0},
        {"profile": 0.0, "lexical": 0.0},
        {"profile": 0.6, "lexical": 0.8},
    ],
)
def test_other_weights_equal_the_reference(
    embedder: SentenceTransformerEmbedder, registry: Registry, weights: dict[str, float]
) -> None:
    """With the text components off or weighing most, the shortcuts stay exact."""
    config = ScoringConfig(weights=weights)
    loaded = Matcher(embedder, config)
    loaded.bulk_load(*registry)
    for a in registry[0][5::13]:
        got = loaded.match_company(a.id, today=TODAY)
        assert_same(got, reference(a, registry, config), a.id)


def plain_match(
    matcher: Matcher, a: CompanyProfile, *, limit: int = 10, min_score: float = 0.0
) -> list[Suggestion]:
    """The engine's own single-precision ranking without any shortcut: every cosine of
    every row scanned, every component on every row, the top rows explained."""
    config = matcher.config
    asker = encode_asker(a, config)
    side = matcher._sides[other_side(a.side)]
    offer, seek = side_vectors(matcher, a)
    queries = (seek if asker.seeks_text else None, offer if asker.offers_text else None)
    inputs = side.score_inputs(None, queries, ScoreInputs(TODAY), config)
    scores = score_rows(asker, side.table, None, inputs, config)
    scores[side.table.rows_of([a.id])] = -np.inf
    best = top_rows(scores, side.table.ids, limit, min_score, spare=SPARE)
    profiles = [matcher.profile(i) for i in side.table.ids[best].tolist()]
    found = explained(asker, side.table, best, profiles, inputs.subset(best), config, min_score)
    return rank(found, score=lambda s: s.score, key=lambda s: s.company.id, limit=limit)


def side_vectors(matcher: Matcher, a: CompanyProfile) -> tuple[np.ndarray, np.ndarray]:
    return matcher._resolve(a.id, None, None)[1]


def test_matches_equal_the_plain_ranking_exactly(matcher: Matcher, registry: Registry) -> None:
    """Against the engine's own formulas on every row, the shortcuts change nothing at
    all: the same suggestions, equal to the last digit and word."""
    for a in registry[0]:
        for limit, min_score in ((10, 0.0), (40, 0.3)):
            got = matcher.match_company(a.id, today=TODAY, limit=limit, min_score=min_score)
            assert got == plain_match(matcher, a, limit=limit, min_score=min_score), a.id


def test_component_values_on_some_rows_equal_those_on_every_row(
    matcher: Matcher, registry: Registry
) -> None:
    """A component computed on a few rows (the explained ones) gives those rows' values
    of the every-row computation bit for bit, in both precisions (the shared terms sum
    a row's terms instead of a column slice over every row)."""
    rng = np.random.default_rng(4)
    config = matcher.config
    for a in registry[0][:40:3]:
        asker = encode_asker(a, config)
        side = matcher._sides[other_side(a.side)]
        offer, seek = side_vectors(matcher, a)
        queries = (seek if asker.seeks_text else None, offer if asker.offers_text else None)
        inputs = side.score_inputs(None, queries, ScoreInputs(TODAY), config)
        rows = np.sort(rng.choice(len(side.table), size=12, replace=False))
        for dtype in (np.float32, np.float64):
            every = component_scores(asker, Rows(side.table, None, dtype), inputs, config)
            some = component_scores(
                asker, Rows(side.table, rows, dtype), inputs.subset(rows), config
            )
            for name, values in some.items():
                assert np.array_equal(values, every[name][rows], equal_nan=True), (a.id, name)


def test_pruned_scores_equal_every_row_scores(matcher: Matcher, registry: Registry) -> None:
    """The bounded scoring keeps fewer rows than it could, and each kept row's score is
    the every-row score bit for bit; no pruned row could have been picked."""
    config = matcher.config
    pruned = 0
    for a in registry[0]:
        asker = encode_asker(a, config)
        if not asker.offers_text:
            continue
        side = matcher._sides[other_side(a.side)]
        offer, seek = side_vectors(matcher, a)
        queries = (seek if asker.seeks_text else None, offer)
        usable = side.table.ids != a.id
        every = score_rows(
            asker,
            side.table,
            None,
            side.score_inputs(None, queries, ScoreInputs(TODAY), config),
            config,
        )
        bounded = side._pick_bounded(
            asker, queries, None, np.flatnonzero(~usable), ScoreInputs(TODAY), config, 10
        )
        assert bounded is not None
        kept = np.zeros(len(every), dtype=bool)
        kept[bounded.kept] = True
        assert np.array_equal(bounded.scores, every[kept]), a.id
        cut = np.sort(every[usable])[-10]
        assert (every[usable & ~kept] < cut - 2e-4).all(), a.id
        pruned += int((usable & ~kept).sum())
    assert pruned > 0


def test_terms_are_shown_as_first_written_in_the_joined_text(registry: Registry) -> None:
    """The shared-terms reason reads B's text part by part; every term's shown form is
    the one the whole joined text gives."""
    for b in registry[0]:
        parts = (b.description, b.offers, b.seeks)
        forms = surface_forms(" ".join(parts))
        terms = sorted(set(tokenize(" ".join(parts))))
        assert _as_written(terms, parts) == [forms.get(t, t) for t in terms], b.id
        for term in terms[:3]:
            assert _as_written([term, "nothing-such"], parts) == [
                forms.get(term, term),
                "nothing-such",
            ]


def test_kth_largest_equals_a_full_partition() -> None:
    rng = np.random.default_rng(8)
    for size, k in ((50, 10), (1000, 10), (5000, 60), (20000, 100)):
        values = rng.random(size).astype(np.float32)
        values[rng.random(size) < 0.3] = -np.inf
        values[: size // 10] = np.round(values[: size // 10], 1)  # ties
        assert _kth_largest(values, k) == np.sort(values)[-k]

"""The approximate (HNSW) path suggests only what the exact path may suggest.

The approximate path scores a shortlist (graph hits plus inverted-list candidates,
`shortlist.py`) instead of every firm. Whatever it misses, it must never let through
a firm the exact path would not: filters (countries, capabilities, pathways, and
certificate schemes for a text-less request), exclusions (A itself, `exclude_ids`)
and firms that are never suggestible (pending, sanctioned, Russian or Belarusian
control). Checked here against a plain-Python predicate for many random askers and
filters, on real-text vectors; and with a pool as large as the registry the
shortlist holds every usable firm, so both paths give the same list.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.matcher import AdHocQuery, Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.queries import MatchFilters
from matchmaker.domain.side import suggestible
from matchmaker.domain.taxonomy import CAPABILITY_CODES, PATHWAYS, capability_area, other_side
from tests.domain.factories import TODAY
from tests.domain.test_match_parity import Registry, text_profile

COUNTRIES = ["UA", "DE", "GB", "PL", "NO"]


@pytest.fixture(scope="module")
def registry(embedder: SentenceTransformerEmbedder) -> Registry:
    rng = random.Random(29)
    profiles = [text_profile(rng, n) for n in range(1, 401)]
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    return profiles, offers, seeks


def loaded(embedder: SentenceTransformerEmbedder, registry: Registry, **kwargs: object) -> Matcher:
    matcher = Matcher(embedder, **kwargs)  # type: ignore[arg-type]
    matcher.bulk_load(*registry)
    return matcher


@pytest.fixture(scope="module")
def exact(embedder: SentenceTransformerEmbedder, registry: Registry) -> Matcher:
    return loaded(embedder, registry)


@pytest.fixture(scope="module")
def approx(embedder: SentenceTransformerEmbedder, registry: Registry) -> Matcher:
    """HNSW with a shortlist far smaller than a side, so the shortlist really decides."""
    matcher = loaded(embedder, registry, index_kind="hnsw")
    matcher.config = replace(matcher.config, candidate_pool=8)
    return matcher


def offers_code(b: CompanyProfile, codes: frozenset[str]) -> bool:
    """The capability filter in words: B offers the code, something inside an area
    code, or the whole area of a sub-capability."""
    for code in codes:
        area = capability_area(code)
        if code == area and any(capability_area(c) == area for c in b.capabilities):
            return True
        if code != area and (code in b.capabilities or area in b.capabilities):
            return True
    return False


def may_suggest(a_id: int, b: CompanyProfile, sides: set[str], filters: MatchFilters) -> bool:
    return (
        suggestible(b)
        and b.id != a_id
        and b.id not in filters.exclude_ids
        and b.side in sides
        and (not filters.countries or b.country in filters.countries)
        and (not filters.capabilities or offers_code(b, filters.capabilities))
        and (not filters.pathways or bool(b.pathways & filters.pathways))
    )


def random_filters(rng: random.Random, ids: list[int]) -> MatchFilters:
    codes, pathways = sorted(CAPABILITY_CODES), sorted(PATHWAYS)
    return MatchFilters(
        countries=frozenset(rng.sample(COUNTRIES, rng.randint(0, 2))),
        capabilities=frozenset(rng.sample(codes, rng.choice([0, 0, 1, 2]))),
        pathways=frozenset(rng.sample(pathways, rng.choice([0, 0, 1]))),
        same_side=rng.random() < 0.2,
        exclude_ids=frozenset(rng.sample(ids, rng.randint(0, 40))),
    )


def test_company_matches_never_break_a_filter_or_an_exclusion(
    approx: Matcher, exact: Matcher, registry: Registry
) -> None:
    profiles = registry[0]
    by_id = {p.id: p for p in profiles}
    ids = sorted(by_id)
    rng = random.Random(5)
    returned = 0
    for _ in range(150):
        a = rng.choice(profiles)
        filters = random_filters(rng, ids)
        # Exclusions aimed at what the exact path would show first.
        shown = [s.company.id for s in exact.match_company(a.id, today=TODAY, limit=5)]
        filters = replace(filters, exclude_ids=filters.exclude_ids | set(shown[:3]))
        sides = {a.side, other_side(a.side)} if filters.same_side else {other_side(a.side)}
        got = approx.match_company(a.id, today=TODAY, filters=filters, limit=20)
        for s in got:
            assert may_suggest(a.id, by_id[s.company.id], sides, filters), (a.id, s.company.id)
        allowed = {b.id for b in profiles if may_suggest(a.id, b, sides, filters)}
        if allowed and got:
            returned += 1
        if not allowed:
            assert got == []
    assert returned > 60  # the filters left something to suggest often enough to test


def test_ad_hoc_requests_never_break_a_filter(
    approx: Matcher, registry: Registry, embedder: SentenceTransformerEmbedder
) -> None:
    profiles = registry[0]
    by_id = {p.id: p for p in profiles}
    rng = random.Random(8)
    texts = ["", "", "FPV drones and counter-drone jammers", "155 mm shells"]
    schemes_pool = sorted({c.scheme for p in profiles for c in p.certifications})
    for _ in range(60):
        schemes = frozenset(rng.sample(schemes_pool, rng.randint(0, 2)))
        query = AdHocQuery(
            side=rng.choice(["EU", "UA"]),
            seeks=rng.choice(texts),
            capabilities=frozenset(rng.sample(sorted(CAPABILITY_CODES), rng.randint(0, 2))),
            certifications=schemes,
            pathways=frozenset(rng.sample(sorted(PATHWAYS), rng.choice([0, 1]))),
        )
        filters = MatchFilters(
            countries=query.countries,
            capabilities=query.capabilities,
            pathways=query.pathways,
        )
        for s in approx.match_query(query, today=TODAY, limit=20):
            b = by_id[s.company.id]
            assert may_suggest(-1, b, {query.side}, filters), s.company.id
            if schemes and not query.seeks.strip():  # text-less: the schemes narrow too
                assert {c.scheme for c in b.certifications} & schemes, s.company.id


def test_a_pool_as_large_as_the_registry_gives_the_exact_list(
    embedder: SentenceTransformerEmbedder, exact: Matcher, registry: Registry
) -> None:
    """With every usable firm on the shortlist (A has an offer text, so the graphs
    return the whole side), the same firms, scores and order as the exact path."""
    approx = loaded(embedder, registry, index_kind="hnsw")
    approx.config = replace(approx.config, candidate_pool=len(registry[0]))
    rng = random.Random(3)
    askers = [p for p in registry[0] if suggestible(p) and p.offers.strip()]
    for a in rng.sample(askers, 25):
        filters = MatchFilters(exclude_ids=frozenset(rng.sample(sorted(p.id for p in askers), 10)))
        want = exact.match_company(a.id, today=TODAY, filters=filters, limit=15)
        got = approx.match_company(a.id, today=TODAY, filters=filters, limit=15)
        assert [(s.company.id, s.score) for s in got] == [(s.company.id, s.score) for s in want]


def test_removed_firms_never_come_back_and_added_ones_are_found(
    embedder: SentenceTransformerEmbedder, registry: Registry
) -> None:
    """Removals are tombstones in the graphs and vanish from the inverted lists; a firm
    added later is on both (its own vectors find it first)."""
    profiles, offers, seeks = registry
    approx = loaded(embedder, registry, index_kind="hnsw")
    approx.config = replace(approx.config, candidate_pool=8)
    rng = random.Random(13)
    askers = [p for p in profiles if suggestible(p) and p.offers.strip()]
    gone: set[int] = set()
    for a in rng.sample(askers, 20):
        if a.id in gone:  # removed as an earlier asker's suggestion
            continue
        top = approx.match_company(a.id, today=TODAY, limit=3)
        for s in top[:2]:
            if s.company.id not in gone and s.company.id != a.id:
                approx.remove(s.company.id)
                gone.add(s.company.id)
    for a in askers:
        if a.id in gone:
            continue
        found = {s.company.id for s in approx.match_company(a.id, today=TODAY, limit=20)}
        assert not found & gone
    # A twin of an asker's best match, added afresh, is suggested to that asker.
    a = next(p for p in askers if p.id not in gone)
    best = approx.match_company(a.id, today=TODAY, limit=1)[0].company
    row = next(i for i, p in enumerate(profiles) if p.id == best.id)
    twin = replace(best, id=10_000, name="Twin")
    approx.upsert(twin, offers[row], seeks[row])
    found = [s.company.id for s in approx.match_company(a.id, today=TODAY, limit=5)]
    assert 10_000 in found

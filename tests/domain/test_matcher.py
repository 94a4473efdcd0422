"""The matcher end to end with the real model: candidates, exclusions, filters, queries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matchmaker.domain.columnar import read_columns, write_columns_atomic
from matchmaker.domain.components import COMPONENTS
from matchmaker.domain.embedding import SentenceTransformerEmbedder, offer_text, seek_text
from matchmaker.domain.errors import (
    IndexFileError,
    InvalidQueryError,
    ModelMismatchError,
    UnknownCompanyError,
)
from matchmaker.domain.matcher import AdHocQuery, Matcher, MatchFilters, Suggestion
from matchmaker.domain.matcher_store import MATCHER_FILE
from matchmaker.domain.profile import CompanyProfile
from tests.domain.conftest import SampleData
from tests.domain.factories import TODAY, make_profile

COMPONENT_KEYS = {c.name for c in COMPONENTS}


def names(suggestions: list[Suggestion]) -> list[str]:
    return [s.company.name for s in suggestions]


def add(matcher: Matcher, embedder: SentenceTransformerEmbedder, profile: CompanyProfile) -> None:
    offer, seek = embedder.encode([offer_text(profile), seek_text(profile)])
    matcher.upsert(profile, offer, seek)


def test_natural_partner_ranks_first(matcher: Matcher) -> None:
    """Each sample firm's designed partner on the other side comes out on top."""
    expected = {1: "Kyiv Shell Works", 2: "Nordprop", 3: "NavSec", 6: "ArmourRepair"}
    for company_id, partner in expected.items():
        assert names(matcher.match_company(company_id, today=TODAY))[0] == partner


def test_suggestions_are_explained(matcher: Matcher) -> None:
    """A suggestion carries every component, and reasons and warnings as data."""
    best = matcher.match_company(3, today=TODAY)[0]
    assert set(best.components) == COMPONENT_KEYS and 0 <= best.score <= 1
    assert any(r.params.get("sought") == "ai_cyber_ew.resilient_navigation" for r in best.reasons)
    assert "itar_content" in {w.code for w in best.warnings}


def test_mutual_fit_outranks_one_sided_fit(embedder: SentenceTransformerEmbedder) -> None:
    """B1 fits A both ways, B2 only offers what A seeks: B1 ranks above B2."""
    matcher = Matcher(embedder)
    a = make_profile(
        id=1,
        name="ShellCo",
        country="PL",
        offers="Forging and machining of 155 mm artillery shell bodies.",
        seeks="Nitrocellulose propellant and modular propellant charges.",
    )
    shared = "We manufacture nitrocellulose propellant and modular propellant charges."
    mutual = make_profile(
        id=2,
        name="Mutual",
        country="UA",
        offers=shared,
        seeks="Steel shell bodies for 155 mm artillery rounds.",
    )
    one_sided = make_profile(
        id=3,
        name="OneSided",
        country="UA",
        offers=shared,
        seeks="Investors for our cloud accounting software start-up.",
    )
    for profile in (a, mutual, one_sided):
        add(matcher, embedder, profile)
    first, second = matcher.match_company(1, today=TODAY)
    assert (first.company.name, second.company.name) == ("Mutual", "OneSided")
    assert first.components["semantic"] > second.components["semantic"] + 0.2
    assert "one_sided_text_fit" in {w.code for w in second.warnings}


def test_excluded_firms_are_never_suggested(
    matcher: Matcher, embedder: SentenceTransformerEmbedder
) -> None:
    """Pending, archived and sanctioned firms are held but never suggested."""
    twin = matcher.profile(2)
    add(matcher, embedder, replace(twin, id=20, name="Pending twin", status="pending"))
    add(
        matcher,
        embedder,
        replace(
            twin,
            id=21,
            name="Sanctioned twin",
            compliance=replace(twin.compliance, sanctioned=True),
        ),
    )
    add(matcher, embedder, replace(twin, name="Archived", status="archived"))
    assert 20 in matcher and 2 in matcher
    found = names(matcher.match_company(1, limit=20, today=TODAY))
    assert not {"Pending twin", "Sanctioned twin", "Archived", "Kyiv Shell Works"} & set(found)


def test_same_side_only_when_requested(matcher: Matcher) -> None:
    """By default only the other side is suggested; same_side adds the own side."""
    default = matcher.match_company(1, limit=20, today=TODAY)
    assert {s.company.side for s in default} == {"UA"}
    both = matcher.match_company(1, limit=20, filters=MatchFilters(same_side=True), today=TODAY)
    assert {s.company.side for s in both} == {"UA", "EU"}
    assert 1 not in {s.company.id for s in both}


def test_filters_narrow_before_ranking(matcher: Matcher) -> None:
    """Country, capability, pathway and exclusion filters each narrow the suggestions."""

    def ids(**filters: Any) -> set[int]:
        result = matcher.match_company(6, limit=20, filters=MatchFilters(**filters), today=TODAY)
        return {s.company.id for s in result}

    assert ids() == {2, 3, 5, 8}
    assert ids(capabilities={"mro"}) == {5}
    assert ids(capabilities={"ammunition_missiles.shells"}) == {2}
    assert ids(pathways={"licensing", "coproduction_ua"}) == {2, 3}
    assert ids(countries={"DE"}) == set()
    assert ids(exclude_ids={5, 2}) == {3, 8}


def test_limit_and_min_score(matcher: Matcher) -> None:
    """The limit caps the list; min_score drops weaker suggestions; order is by score."""
    everything = matcher.match_company(1, limit=100, today=TODAY)
    assert len(matcher.match_company(1, limit=2, today=TODAY)) == 2
    scores = [s.score for s in everything]
    assert scores == sorted(scores, reverse=True)
    cut = scores[1]
    assert [s.score for s in matcher.match_company(1, min_score=cut, today=TODAY)] == scores[:2]


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": 101}, {"min_score": 1.5}])
def test_invalid_requests_are_refused(matcher: Matcher, kwargs: dict[str, float]) -> None:
    """Limits outside 1..100 and scores outside 0..1 raise InvalidQueryError."""
    with pytest.raises(InvalidQueryError):
        matcher.match_company(1, **kwargs)  # type: ignore[arg-type]


def test_unknown_company_is_reported(matcher: Matcher) -> None:
    """Matching an id the matcher does not hold names the fix."""
    with pytest.raises(UnknownCompanyError, match="flask index rebuild"):
        matcher.match_company(999)


def test_unheld_profile_can_be_matched(matcher: Matcher) -> None:
    """A pending firm not in the matcher is matched from its profile (embedded on the fly)."""
    pending = make_profile(
        id=50,
        name="NewProp",
        country="CZ",
        status="pending",
        offers="Nitrocellulose propellant charges.",
        seeks="155 mm shell bodies and a loading plant.",
        seeking_capabilities={"ammunition_missiles.shells"},
    )
    assert names(matcher.match_company(pending, today=TODAY))[0] == "Kyiv Shell Works"


def test_wrong_vector_dimension_is_refused(matcher: Matcher) -> None:
    """Vectors from another model are refused with the rebuild command in the message."""
    bad = np.ones(128, dtype=np.float32)
    with pytest.raises(ModelMismatchError, match="flask index rebuild"):
        matcher.upsert(make_profile(id=60), bad, bad)


def test_update_and_remove_take_effect(
    matcher: Matcher, embedder: SentenceTransformerEmbedder
) -> None:
    """Archiving a firm or removing it drops it from results at once."""
    assert names(matcher.match_company(1, today=TODAY))[0] == "Kyiv Shell Works"
    add(matcher, embedder, replace(matcher.profile(2), status="archived"))
    assert "Kyiv Shell Works" not in names(matcher.match_company(1, today=TODAY))
    assert matcher.remove(2) and not matcher.remove(2)
    assert 2 not in matcher and matcher.size == 7


def test_query_with_text(matcher: Matcher) -> None:
    """A text request finds the firm whose offer matches it."""
    query = AdHocQuery(side="UA", seeks="Air-surveillance radar to detect drones")
    best = matcher.match_query(query, today=TODAY)[0]
    assert best.company.name == "RadarUA" and best.components["semantic"] > 0.5


def test_query_with_filters_only_ranks_by_rules(matcher: Matcher) -> None:
    """Without text, structured criteria select and the rules rank."""
    query = AdHocQuery(
        side="UA", capabilities={"ammunition_missiles"}, certifications={"ua_mod_codification"}
    )
    (only,) = matcher.match_query(query, today=TODAY)
    assert only.company.name == "Kyiv Shell Works" and only.components["certification"] > 0.8
    by_pathway = matcher.match_query(AdHocQuery(side="EU", pathways={"mro_ua"}), today=TODAY)
    assert names(by_pathway) == ["PanzerWerk"]


def test_invalid_queries_are_refused(matcher: Matcher) -> None:
    """Empty requests, unknown codes and bad limits raise InvalidQueryError."""
    with pytest.raises(InvalidQueryError, match="Empty request"):
        AdHocQuery(side="UA", seeks="   ")
    with pytest.raises(InvalidQueryError, match="taxonomy"):
        AdHocQuery(side="UA", capabilities={"lasers"})
    with pytest.raises(InvalidQueryError):
        AdHocQuery(side="XX", seeks="drones")
    with pytest.raises(InvalidQueryError):
        matcher.match_query(AdHocQuery(side="UA", seeks="drones"), limit=500)


def test_scores_are_spread(matcher: Matcher) -> None:
    """Across varied firms scores spread out: nothing saturates (the hand-built ideal pairs
    of the sample come closest), clear gaps to poor fits."""
    scores = [
        s.score for cid in range(1, 9) for s in matcher.match_company(cid, limit=10, today=TODAY)
    ]
    assert max(scores) < 0.95
    assert max(scores) - min(scores) > 0.4
    assert np.median(scores) < 0.4


def test_ties_sort_by_id(embedder: SentenceTransformerEmbedder) -> None:
    """Two identical candidates score the same and come in id order."""
    matcher = Matcher(embedder)
    twin = make_profile(country="UA", offers="FPV drones", seeks="Navigation modules")
    for company_id in (7, 3):
        add(matcher, embedder, replace(twin, id=company_id))
    add(matcher, embedder, make_profile(id=1, offers="Navigation modules", seeks="FPV drones"))
    result = matcher.match_company(1, today=TODAY)
    assert [s.company.id for s in result] == [3, 7] and result[0].score == result[1].score


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_save_and_load_round_trip(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path, kind: str
) -> None:
    """A saved matcher loads with its generation and gives the same suggestions."""
    matcher = Matcher(embedder, index_kind=kind)
    matcher.bulk_load(*sample_data)
    matcher.upsert(
        replace(sample_data[0][0], id=40, status="pending"),
        *sample_data[1][:1],
        *sample_data[2][:1],
    )
    matcher.save(tmp_path, generation=12)
    loaded, generation = Matcher.load(tmp_path, embedder)
    assert generation == 12 and loaded.size == matcher.size == 9
    assert loaded.profile(1) == matcher.profile(1)
    for company_id in (1, 40):
        original = matcher.match_company(company_id, today=TODAY)
        again = loaded.match_company(company_id, today=TODAY)
        assert [(s.company.id, s.score) for s in again] == [
            (s.company.id, s.score) for s in original
        ]


def test_snapshot_with_vectors_of_unknown_firms_is_refused(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    """A snapshot whose indexes name a firm its profile list lacks is reported as
    unreadable (the service then rebuilds from the database), not half-loaded."""
    matcher = Matcher(embedder)
    matcher.bulk_load(*sample_data)
    matcher.save(tmp_path, generation=3)
    path = tmp_path / MATCHER_FILE
    meta, mapped = read_columns(path)
    arrays = {name: np.array(values) for name, values in mapped.items()}
    keep = arrays["profiles.ids"] != 2
    records = [
        arrays["profiles.blob"][start:end].tobytes()
        for start, end in zip(
            arrays["profiles.offsets"][:-1], arrays["profiles.offsets"][1:], strict=True
        )
    ]
    kept = [r for r, k in zip(records, keep, strict=True) if k]
    arrays["profiles.ids"] = arrays["profiles.ids"][keep]
    arrays["profiles.offsets"] = np.concatenate([[0], np.cumsum([len(r) for r in kept])])
    arrays["profiles.blob"] = np.frombuffer(b"".join(kept), dtype=np.uint8)
    write_columns_atomic(path, meta, arrays)
    with pytest.raises(IndexFileError, match="unknown firms"):
        Matcher.load(tmp_path, embedder)


def test_a_firm_with_only_ticked_codes_is_matched_and_told_why(
    embedder: SentenceTransformerEmbedder,
) -> None:
    """No words at all on either side: no crash, ranked on codes and rules, and the
    explanation says there was no text to compare."""
    matcher = Matcher(embedder)
    codes_only = make_profile(id=1, seeking_capabilities={"ammunition_missiles.shells"})
    partner = make_profile(id=2, country="UA", capabilities={"ammunition_missiles.shells"})
    other = make_profile(id=3, country="UA", capabilities={"mro.vehicle_repair"})
    for profile in (codes_only, partner, other):
        add(matcher, embedder, profile)
    best, second = matcher.match_company(1, today=TODAY)
    assert (best.company.id, second.company.id) == (2, 3)
    assert "no_text" in {w.code for w in best.warnings}
    assert best.components["lexical"] is None and best.components["semantic"] is None


def test_candidate_values_are_what_a_match_blends(matcher: Matcher) -> None:
    """The component values handed to the weight fit give the scores a match shows."""
    ids, values = matcher.candidate_values(1, today=TODAY)
    config = matcher.config
    for s in matcher.match_company(1, today=TODAY):
        row = int(np.flatnonzero(ids == s.company.id)[0])
        used = {n: v[row] for n, v in values.items() if not np.isnan(v[row])}
        expected = sum(config.weights[n] * v for n, v in used.items()) / sum(
            config.weights[n] for n in used
        )
        assert s.score == pytest.approx(expected, abs=1e-4)

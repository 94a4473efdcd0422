"""The consortium builder on a small real registry (real embedder): complete, eligible,
different teams; the beam's best team is the optimum of exhaustive enumeration;
impossible requests say which rule fails and what would relax it."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import numpy as np
import pytest

from matchmaker.domain.components.regulatory import RegulatoryConfig
from matchmaker.domain.consortium import (
    ConsortiumRequest,
    InfeasibleRequest,
    Relaxation,
    build_consortia,
)
from matchmaker.domain.consortium_build import ConsortiumConfig, prepare
from matchmaker.domain.consortium_frictions import pair_frictions
from matchmaker.domain.consortium_request import InvalidConsortiumRequest
from matchmaker.domain.consortium_search import exhaustive, required_difference
from matchmaker.domain.embedding import (
    SentenceTransformerEmbedder,
    offer_text,
    query_text,
    seek_text,
)
from matchmaker.domain.errors import InvalidQueryError
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.programmes import (
    PER_MEMBER_RULES,
    eligibility,
    get_programme,
    member_verdict,
)
from matchmaker.domain.queries import AdHocQuery, MatchFilters
from matchmaker.domain.side import suggestible
from tests.domain.factories import TODAY, make_profile

SHELLS, PROPELLANTS, FUZES = (
    "ammunition_missiles.shells",
    "ammunition_missiles.propellants",
    "ammunition_missiles.fuzes",
)
FPV, NAVIGATION = "drones_counter_drone.fpv", "ai_cyber_ew.resilient_navigation"
TEXT = {
    SHELLS: "Forging and machining of 155 mm artillery shell bodies",
    PROPELLANTS: "Nitrocellulose propellants and modular charges for 155 mm rounds",
    FUZES: "Mechanical and electronic fuzes for artillery and mortar rounds",
    FPV: "FPV strike drones built in thousands per month",
    NAVIGATION: "GNSS-denied navigation modules for drones and munitions",
}
# id, country, capabilities, compliance and other overrides
REGISTRY: list[tuple[int, str, tuple[str, ...], dict[str, Any]]] = [
    (1, "DE", (PROPELLANTS,), {"pathways": {"jv_eu"}}),
    (2, "UA", (SHELLS,), {"pathways": {"jv_eu", "coproduction_ua"}}),
    (3, "FR", (SHELLS, FUZES), {}),
    (4, "PL", (SHELLS,), {"pathways": {"jv_eu"}}),
    (5, "CZ", (PROPELLANTS, SHELLS), {"export_control": {"ML3"}}),
    (6, "IT", (FUZES,), {"itar_controlled": True}),
    (7, "UA", (FPV,), {"pathways": {"licensing"}}),
    (8, "FR", (NAVIGATION,), {"pathways": {"rnd"}}),
    (9, "NO", (PROPELLANTS,), {"security_clearance": "nato_secret"}),
    (10, "GB", (FUZES, SHELLS), {}),
    (11, "DE", (FPV, NAVIGATION), {"non_eligible_component_share": None}),
    (12, "UA", (PROPELLANTS,), {}),
    (13, "PL", (FUZES,), {"controlling_country": "CN"}),
    (14, "DE", (SHELLS,), {"non_eligible_component_share": 50.0}),
    (15, "FR", (PROPELLANTS,), {"sanctioned": True}),
    (16, "UA", (FUZES, SHELLS), {"pathways": {"mro_ua"}}),
    (17, "SE", (NAVIGATION,), {"security_clearance": "nato_secret"}),
    (18, "IT", (SHELLS,), {"status": "pending"}),
]


def _profile(
    index: int, country: str, caps: tuple[str, ...], extra: dict[str, Any]
) -> CompanyProfile:
    values: dict[str, Any] = {"non_eligible_component_share": 10.0}
    values.update(extra)
    return make_profile(
        id=index,
        name=f"Firm {index} {country}",
        country=country,
        offers=". ".join(TEXT[c] for c in caps) + ".",
        seeks="Partners for a European artillery ammunition and drone programme.",
        capabilities=set(caps),
        **values,
    )


PROFILES = [_profile(*row) for row in REGISTRY]


@pytest.fixture(scope="module")
def registry(embedder: SentenceTransformerEmbedder) -> Matcher:
    matcher = Matcher(embedder)
    offers = embedder.encode([offer_text(p) for p in PROFILES])
    seeks = embedder.encode([seek_text(p) for p in PROFILES])
    matcher.bulk_load(PROFILES, offers, seeks)
    return matcher


def _request(**fields: Any) -> ConsortiumRequest:
    values: dict[str, Any] = {
        "seeks": "155 mm artillery rounds: shells, propellant charges and fuzes",
        "capabilities": (SHELLS, PROPELLANTS, FUZES),
    }
    values.update(fields)
    return ConsortiumRequest(**values)


def _build(matcher: Matcher, **fields: Any):  # type: ignore[no-untyped-def]
    return build_consortia(matcher, _request(**fields), today=TODAY)


REQUESTS = {
    "none": {},
    "edf": {"programme": "edf"},
    "edip": {"programme": "edip", "limit": 3},
    "edip_usi": {"programme": "edip_usi"},
    "safe": {"programme": "safe", "max_size": 4},
    "build_with_ukraine": {"programme": "build_with_ukraine"},
    "edf_with_lead": {"programme": "edf", "lead_company_id": 9},
    "none_drones": {
        "capabilities": (FPV, NAVIGATION),
        "seeks": "FPV drones with GNSS-denied navigation",
    },
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_every_team_is_complete_eligible_and_within_bounds(registry: Matcher, name: str) -> None:
    request = _request(**REQUESTS[name])
    answer = build_consortia(registry, request, today=TODAY)
    programme = get_programme(request.programme)
    assert answer.programme == programme.code and answer.teams
    for team in answer.teams:
        ids = [m.company_id for m in team.members]
        assert len(set(ids)) == len(ids)
        assert programme.min_members <= len(ids) <= (request.max_size or programme.max_members)
        assert [c.capability for c in team.coverage] == list(request.capabilities)
        assert all(c.company_id in ids and c.fit == 1.0 for c in team.coverage)
        assert all(m.roles for m in team.members if not m.is_lead)
        assert all(c.status != "failed" for c in team.checks)
        assert {c.rule for c in team.checks} == set(programme.rules())
        assert not {15, 18} & set(ids)  # sanctioned, pending
        assert 0 <= team.score.score <= 1
        weights = ConsortiumConfig().weights
        assert team.score.eligibility == pytest.approx(
            eligibility(team.checks, weights.warning_value), abs=1e-4
        )
    scores = [t.score.score for t in answer.teams]
    assert scores == sorted(scores, reverse=True)


def _eligible_offerers(request: ConsortiumRequest) -> set[int]:
    """Every registry firm the builder may consider: suggestible, established where the
    programme and request allow, passing each per-member rule, offering a required code."""
    programme = get_programme(request.programme)
    found = set()
    for p in PROFILES:
        allowed = (
            p.country in programme.open_countries and p.country not in request.exclude_countries
        )
        if programme.ukrainian_member == "not_allowed" and p.country == "UA":
            allowed = False
        passes = all(
            member_verdict(programme, rule, p, request.classification) != "failed"
            for rule in PER_MEMBER_RULES
        )
        if suggestible(p) and allowed and passes and p.capabilities & set(request.capabilities):
            found.add(p.id)
    return found


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_the_best_team_is_the_optimum_of_exhaustive_enumeration(
    registry: Matcher, name: str
) -> None:
    request = _request(**REQUESTS[name])
    ready = prepare(registry, request, today=TODAY)
    # The candidates are every eligible firm here, so enumerating them is every team.
    assert _eligible_offerers(request) <= {m.id for m in ready.members}
    every = exhaustive(ready.problem)
    best_score, best_team = every[0]
    answer = build_consortia(registry, request, today=TODAY)
    assert answer.teams[0].score.score == pytest.approx(best_score, abs=1e-4)
    best_members = [ready.members[i] for i in best_team]
    from matchmaker.domain.programmes import check_team

    checks = check_team(ready.programme, best_members, classification=request.classification)
    assert all(c.status != "failed" for c in checks)


def test_teams_differ_in_at_least_two_members_or_forty_percent(registry: Matcher) -> None:
    answer = _build(registry, limit=5)
    assert len(answer.teams) >= 3
    config = ConsortiumConfig()
    teams = [{m.company_id for m in t.members} for t in answer.teams]
    for later, team in enumerate(teams):
        need = required_difference(len(team), config.min_new_members, config.min_new_share)
        assert all(len(team - earlier) >= need for earlier in teams[:later])


def test_few_candidates_per_capability_still_reach_the_programmes_countries(
    registry: Matcher,
) -> None:
    config = ConsortiumConfig(candidates_per_capability=1)
    request = _request(programme="edf")
    ready = prepare(registry, request, today=TODAY, config=config)
    assert len({m.country for m in ready.members}) >= 3
    answer = build_consortia(registry, request, today=TODAY, config=config)
    assert all(c.status != "failed" for t in answer.teams for c in t.checks)


def test_a_request_given_lists_is_stored_as_sets(registry: Matcher) -> None:
    request = ConsortiumRequest(
        capabilities=[SHELLS, PROPELLANTS],  # type: ignore[arg-type]
        exclude_countries=["GB"],  # type: ignore[arg-type]
    )
    assert request.capabilities == (SHELLS, PROPELLANTS)
    assert hash(request) and request.exclude_countries == frozenset({"GB"})
    answer = build_consortia(registry, request, today=TODAY)
    assert all(m.country != "GB" for t in answer.teams for m in t.members)


def test_the_lead_is_first_in_every_team(registry: Matcher) -> None:
    answer = _build(registry, programme="edf", lead_company_id=9, limit=3)
    for team in answer.teams:
        assert team.members[0].company_id == 9 and team.members[0].is_lead
        assert not any(m.is_lead for m in team.members[1:])


def test_pair_scores_are_the_company_match_scores(registry: Matcher) -> None:
    ids = [1, 2, 4, 7]
    pairs = registry.pair_scores(ids, today=TODAY)
    assert np.isnan(np.diag(pairs)).all()
    shown = {s.company.id: s.score for s in registry.match_company(1, limit=20, today=TODAY)}
    assert pairs[0, 1] == pytest.approx(shown[2], abs=1e-4)
    assert pairs[0, 3] == pytest.approx(shown[7], abs=1e-4)
    same_side = registry.match_company(
        1, limit=20, today=TODAY, filters=MatchFilters(same_side=True)
    )
    assert pairs[0, 2] == pytest.approx(
        next(s.score for s in same_side if s.company.id == 4), abs=1e-4
    )
    assert np.isnan(registry.pair_scores([1, 15], today=TODAY)[0, 1])  # sanctioned


def test_match_query_vector_answers_as_match_query(registry: Matcher) -> None:
    query = AdHocQuery("EU", seeks="propellant charges", capabilities={PROPELLANTS})
    text = query_text(query.seeks, query.capabilities, query.pathways)
    vector = registry.embedder.encode([text])[0]
    given = registry.match_query_vector(query, vector, limit=5, today=TODAY)
    asked = registry.match_query(query, limit=5, today=TODAY)
    assert [(s.company.id, s.score) for s in given] == [(s.company.id, s.score) for s in asked]
    assert given


def _infeasible(matcher: Matcher, **fields: Any) -> InfeasibleRequest:
    with pytest.raises(InfeasibleRequest) as caught:
        _build(matcher, **fields)
    return caught.value


def _codes(error: InfeasibleRequest) -> dict[str, Relaxation]:
    return {r.code: r for r in error.relax}


def test_a_capability_only_a_firm_of_its_area_offers_is_not_covered(registry: Matcher) -> None:
    error = _infeasible(registry, capabilities=(SHELLS, "ammunition_missiles.rocket_motors"))
    assert error.rule == "capability_not_offered"


def test_a_capability_nobody_offers_says_drop_it(registry: Matcher) -> None:
    error = _infeasible(registry, capabilities=(SHELLS, "air_missile_defence.radars"))
    assert error.rule == "capability_not_offered"
    assert error.params["capability"] == "air_missile_defence.radars"
    relax = _codes(error)["drop_capability"]
    assert relax.params == {"capability": "air_missile_defence.radars"}


def test_a_capability_offered_only_in_excluded_countries_says_allow_them(registry: Matcher) -> None:
    error = _infeasible(registry, capabilities=(FPV,), exclude_countries={"UA", "DE"})
    assert error.rule == "capability_not_offered"
    assert _codes(error)["allow_countries"].params == {"countries": ["DE", "UA"]}


def test_too_few_countries_says_which_to_allow(registry: Matcher) -> None:
    error = _infeasible(registry, programme="edf", countries={"DE", "FR"})
    assert error.rule == "min_countries"
    assert error.params == {"required": 3, "available": 2, "countries": ["DE", "FR"]}
    allow = _codes(error)["allow_countries"].params["countries"]
    assert {"PL", "CZ", "NO"} <= set(allow) and "UA" not in allow  # EDF is closed to Ukraine
    assert "edip" in _codes(error)["other_programme"].params["programmes"]


def test_a_required_ukrainian_member_excluded_says_allow_ukraine(registry: Matcher) -> None:
    error = _infeasible(registry, programme="edip_usi", exclude_countries={"UA"})
    assert error.rule == "ukrainian_member"
    assert _codes(error)["allow_countries"].params == {"countries": ["UA"]}


@pytest.mark.parametrize(
    ("lead", "reason"),
    [
        (15, "suggestible"),
        (18, "suggestible"),
        (404, "unknown"),
        (13, "control"),
        (14, "component_share"),
        (2, "excluded_country"),
    ],
)
def test_an_ineligible_lead_says_why_and_to_pick_another(
    registry: Matcher, lead: int, reason: str
) -> None:
    error = _infeasible(registry, programme="edip", lead_company_id=lead, exclude_countries={"UA"})
    assert error.rule == "lead_not_eligible"
    assert error.params == {"company_id": lead, "reason": reason}
    assert "other_lead" in _codes(error)


def test_a_lead_without_clearance_for_classified_work_says_lower_it(registry: Matcher) -> None:
    error = _infeasible(registry, programme="edf", lead_company_id=1, classification="nato_secret")
    assert error.params["reason"] == "clearance"
    assert _codes(error)["lower_classification"].params == {"level": "none"}


def test_size_bounds_outside_the_programme_say_its_bounds(registry: Matcher) -> None:
    error = _infeasible(registry, programme="edf", min_size=2, max_size=4)
    assert error.rule == "size_bounds"
    assert _codes(error)["use_programme_size"].params == {"min_size": 3, "max_size": 4}


def test_no_team_within_the_size_says_raise_it(registry: Matcher) -> None:
    error = _infeasible(registry, capabilities=(SHELLS, PROPELLANTS, FUZES, FPV), max_size=2)
    assert error.rule == "no_team"
    assert _codes(error)["raise_max_size"].params == {"max_size": 6}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"programme": "horizon"}, "programme"),
        ({"capabilities": ()}, "capabilities"),
        ({"capabilities": ("ammunition_missiles.lasers",)}, "capabilities"),
        ({"countries": {"XX"}}, "countries"),
        ({"exclude_countries": {"ZZ"}}, "exclude_countries"),
        ({"pathways": {"barter"}}, "pathways"),
        ({"classification": "cosmic"}, "classification"),
        ({"limit": 0}, "limit"),
        ({"min_size": 4, "max_size": 3}, "max_size"),
    ],
)
def test_bad_codes_and_values_name_the_field(
    registry: Matcher, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        _build(registry, **fields)
    assert isinstance(caught.value, InvalidConsortiumRequest)
    assert caught.value.field == field and str(caught.value).startswith(field)


def test_frictions_name_licences_itar_clearance_gaps_and_pathways() -> None:
    cfg = RegulatoryConfig()
    itar = make_profile(id=1, country="IT", itar_controlled=True, export_control={"ML4"})
    needs = make_profile(id=2, country="FR", required_clearance="nato_secret", pathways={"rnd"})
    other = make_profile(id=3, country="IT", pathways={"mro_ua"})
    found = {(f.code, f.company_ids) for f in pair_frictions(itar, needs, cfg)}
    assert found == {("export_licence", (1, 2)), ("itar", (1, 2)), ("clearance_gap", (1, 2))}
    same_country = {f.code for f in pair_frictions(itar, other, cfg)}
    assert "export_licence" not in same_country and "itar" in same_country
    assert [f.code for f in pair_frictions(needs, other, cfg)] == [
        "clearance_gap",
        "pathway_mismatch",
    ]
    compatible = dataclasses.replace(other, pathways=frozenset({"licensing"}))
    assert "pathway_mismatch" not in {f.code for f in pair_frictions(needs, compatible, cfg)}


def test_team_frictions_are_those_of_its_pairs(registry: Matcher) -> None:
    cfg = RegulatoryConfig()
    by_id = {p.id: p for p in PROFILES}
    for team in _build(registry, limit=5).teams:
        members = [by_id[m.company_id] for m in team.members]
        expected = [
            f for a, b in itertools.combinations(members, 2) for f in pair_frictions(a, b, cfg)
        ]
        assert list(team.frictions) == expected

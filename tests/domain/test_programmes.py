"""Programmes as data: the bundled file loads, and every rule of every programme
passes on a team built to its rules and fails (or warns) when a member breaks it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from matchmaker.domain.consortium import Check
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.programmes import (
    DATA_FILE,
    Programme,
    UnknownProgrammeError,
    check_team,
    eligibility,
    get_programme,
    load_programmes,
    programmes,
)
from tests.domain.factories import make_profile

CODES = sorted(programmes().programmes)
PROGRAMME_RULES = [(code, rule) for code in CODES for rule in get_programme(code).rules()]


def _member(index: int, country: str, **overrides: Any) -> CompanyProfile:
    values: dict[str, Any] = {"non_eligible_component_share": 10.0}
    values.update(overrides)
    return make_profile(id=index, name=f"Firm {index}", country=country, **values)


def _good_team(programme: Programme) -> list[CompanyProfile]:
    """The smallest team that meets every rule of `programme`."""
    europe = sorted(c for c in programme.eligible_countries if c != "UA")
    countries = []
    if programme.ukrainian_member == "required":
        countries.append("UA")
    countries += europe[: max(programme.min_countries, programme.min_members) - len(countries)]
    while len(countries) < programme.min_members:
        countries.append(countries[-1])
    return [_member(i + 1, country) for i, country in enumerate(countries)]


def _status(checks: tuple[Check, ...], rule: str) -> str:
    return next(c.status for c in checks if c.rule == rule)


def _broken(programme: Programme, rule: str) -> tuple[list[CompanyProfile], str]:
    """A team breaking `rule` (and the classification to check it at)."""
    team = _good_team(programme)
    first = team[0]
    if rule == "suggestible":
        return [dataclasses.replace(first, status="pending"), *team[1:]], "none"
    if rule == "min_members":
        return team[: programme.min_members - 1], "none"
    if rule == "max_members":
        extra = [_member(100 + i, team[-1].country) for i in range(programme.max_members)]
        return [*team, *extra][: programme.max_members + 1], "none"
    if rule == "min_countries":
        country = first.country if programme.min_countries > 1 else "US"
        return [_member(m.id, country) for m in team], "none"
    if rule == "establishment":
        return [_member(first.id, "US"), *team[1:]], "none"
    if rule == "control":
        return [_member(first.id, first.country, controlling_country="CN"), *team[1:]], "none"
    if rule == "ukrainian_member":
        if programme.ukrainian_member == "not_allowed":
            return [*team, _member(99, "UA")], "none"
        europe = sorted(c for c in programme.eligible_countries if c not in {"UA"})
        used = {m.country for m in team}
        spare = next(c for c in europe if c not in used)
        return [_member(m.id, spare) if m.country == "UA" else m for m in team], "none"
    if rule == "european_member":
        return [_member(m.id, "UA") for m in team], "none"
    if rule == "component_share":
        return [_member(first.id, first.country, non_eligible_component_share=50.0)] + team[
            1:
        ], "none"
    if rule == "clearance":
        return team, "nato_secret"
    raise AssertionError(f"no failing case for {rule}")


@pytest.mark.parametrize(("code", "rule"), PROGRAMME_RULES)
def test_rule_passes_on_a_team_built_to_the_programme(code: str, rule: str) -> None:
    programme = get_programme(code)
    assert _status(check_team(programme, _good_team(programme)), rule) == "passed"


@pytest.mark.parametrize(("code", "rule"), PROGRAMME_RULES)
def test_rule_fails_when_a_member_breaks_it(code: str, rule: str) -> None:
    programme = get_programme(code)
    team, classification = _broken(programme, rule)
    checks = check_team(programme, team, classification=classification)
    assert _status(checks, rule) == "failed"
    assert eligibility(checks, 0.5) == 0.0


def test_every_programme_has_its_legal_source_and_a_check_per_rule() -> None:
    assert programmes().version
    for code in CODES:
        programme = get_programme(code)
        assert programme.legal_source
        checks = check_team(programme, _good_team(programme))
        assert [c.rule for c in checks] == list(programme.rules())


def test_edf_needs_three_members_in_three_countries_without_ukraine() -> None:
    edf = get_programme("edf")
    assert (edf.min_members, edf.min_countries, edf.ukrainian_member) == (3, 3, "not_allowed")
    two_countries = [_member(1, "DE"), _member(2, "FR"), _member(3, "FR")]
    check = next(c for c in check_team(edf, two_countries) if c.rule == "min_countries")
    assert check.status == "failed"
    assert check.params == {"required": 3, "countries": ["DE", "FR"]}


def test_safe_partner_country_and_undeclared_share_warn_without_failing() -> None:
    safe = get_programme("safe")
    team = [_member(1, "GB"), _member(2, "DE", non_eligible_component_share=None)]
    checks = check_team(safe, team)
    assert _status(checks, "establishment") == "warning"
    assert _status(checks, "component_share") == "warning"
    assert next(c for c in checks if c.rule == "component_share").params["warned"] == [2]
    assert 0.0 < eligibility(checks, 0.5) < 1.0


def test_component_share_at_the_limit_passes_and_names_no_figure() -> None:
    safe = get_programme("safe")
    team = [_member(1, "DE", non_eligible_component_share=35.0), _member(2, "UA")]
    check = next(c for c in check_team(safe, team) if c.rule == "component_share")
    assert check.status == "passed"
    assert check.params == {"failed": [], "warned": [], "limit": 35.0}


def test_classified_work_needs_every_member_cleared() -> None:
    edf = get_programme("edf")
    team = [
        _member(i + 1, c, security_clearance="nato_secret")
        for i, c in enumerate(["DE", "FR", "PL"])
    ]
    assert _status(check_team(edf, team, classification="nato_secret"), "clearance") == "passed"
    team[1] = _member(2, "FR", security_clearance="nato_confidential")
    check = next(
        c for c in check_team(edf, team, classification="nato_secret") if c.rule == "clearance"
    )
    assert (check.status, check.params["failed"]) == ("failed", [2])


def test_sanctioned_or_russian_controlled_firm_fails_every_programme() -> None:
    for code in CODES:
        programme = get_programme(code)
        team = _good_team(programme)
        for bad in (
            dataclasses.replace(
                team[0], compliance=dataclasses.replace(team[0].compliance, sanctioned=True)
            ),
            _member(team[0].id, team[0].country, controlling_country="RU"),
        ):
            assert _status(check_team(programme, [bad, *team[1:]]), "suggestible") == "failed"


def test_unknown_programme_is_named() -> None:
    with pytest.raises(UnknownProgrammeError, match="'edfx'"):
        get_programme("edfx")


def _write(tmp_path: Path, change: dict[str, Any]) -> Path:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    raw["programmes"]["edf"].update(change)
    path = tmp_path / "programmes.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"eligible_countries": ["NOT_A_GROUP"]}, "unknown country group 'NOT_A_GROUP'"),
        ({"ukrainian_member": "maybe"}, "edf.ukrainian_member"),
        ({"min_members": 7}, "edf needs 1 <= min_members <= max_members"),
        ({"required_clearance": "top_secret"}, "edf.required_clearance"),
    ],
)
def test_a_bad_programme_file_is_refused_naming_the_entry(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load_programmes(_write(tmp_path, change))

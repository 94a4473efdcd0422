"""POST /api/v1/consortia: teams covering a call's capabilities, checked against a
programme; offices only; bad codes and infeasible requests are 422s that say why."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.models import Company
from matchmaker.services.api_keys import create_api_client, revoke_api_client
from tests.api.conftest import ApiCaller
from tests.factories import make_matchable_company

# Firms in five countries that together make a 155 mm round and aim it: shell bodies,
# propellant (Ukrainian and Czech), fuzes and fire control; the French one is sanctioned.
SHELLS = dict(
    name="Feldberg Präzision GmbH",
    country="DE",
    description="German SME machining 155 mm artillery shell bodies for NATO customers.",
    offers="Serial production of 155 mm shell bodies, forging and CNC machining.",
    seeks="Propellant charges and fuzes to complete 155 mm rounds.",
    capabilities=["ammunition_missiles.shells"],
    seeking_capabilities=["ammunition_missiles.propellants", "ammunition_missiles.fuzes"],
    pathways=["coproduction_ua", "jv_eu"],
)
PROPELLANT = dict(
    name="Shostka Powder Works LLC",
    country="UA",
    description="Ukrainian chemical plant making nitrocellulose propellant charges.",
    offers="Modular propellant charges and nitrocellulose powders for 155 mm artillery.",
    seeks="Shell bodies and fuzes to assemble complete rounds with European partners.",
    capabilities=["ammunition_missiles.propellants"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["coproduction_ua", "jv_eu"],
    compliance={"controlling_country": "UA", "export_control": ["ML8"]},
)
CZECH_PROPELLANT = dict(
    name="Explosia Pardubice a.s.",
    country="CZ",
    legal_id="CZ12345678",
    description="Czech maker of propellants and explosives for large-calibre ammunition.",
    offers="Nitrocellulose propellant charges for 155 mm artillery, modular charge systems.",
    seeks="Shell body and fuze makers for complete rounds in European programmes.",
    capabilities=["ammunition_missiles.propellants"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["jv_eu"],
)
FUZES = dict(
    name="Mielec Fuze Systems Sp. z o.o.",
    country="PL",
    legal_id="PL1234567890",
    description="Polish maker of mechanical and electronic artillery fuzes.",
    offers="Point-detonating and proximity fuzes for 155 mm shells, NATO STANAG qualified.",
    seeks="Shell makers and propellant producers for complete 155 mm rounds.",
    capabilities=["ammunition_missiles.fuzes"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["jv_eu", "coproduction_ua"],
)
FIRE_CONTROL = dict(
    name="Lviv Ballistics LLC",
    country="UA",
    description="Ukrainian software house for artillery fire control.",
    offers="Fire-control computers and ballistic software for 155 mm howitzers.",
    seeks="Ammunition makers to integrate ballistic tables for their rounds.",
    capabilities=["artillery.fire_control"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["coproduction_ua", "rnd"],
)
SANCTIONED = dict(
    name="Tainted Munitions SAS",
    country="FR",
    legal_id="FR98765432109",
    description="French maker of shell bodies.",
    offers="155 mm shell bodies.",
    seeks="Propellant.",
    capabilities=["ammunition_missiles.shells"],
    seeking_capabilities=["ammunition_missiles.propellants"],
    compliance={"controlling_country": "FR", "sanctioned": True},
)
CALL = {
    "seeks": "A consortium producing complete 155 mm artillery rounds.",
    "capabilities": [
        "ammunition_missiles.shells",
        "ammunition_missiles.propellants",
        "ammunition_missiles.fuzes",
    ],
    "programme": "none",
}


def consortium_registry(app: Flask, session: Session) -> dict[str, Company]:
    """The firms above, stored with their vectors as the API stores them."""
    matching = app.extensions["matching"]
    firms = {
        "shells": SHELLS,
        "propellant": PROPELLANT,
        "czech_propellant": CZECH_PROPELLANT,
        "fuzes": FUZES,
        "fire_control": FIRE_CONTROL,
        "sanctioned": SANCTIONED,
    }
    return {key: make_matchable_company(session, matching, **f) for key, f in firms.items()}


def propose(caller: ApiCaller, **changes: Any) -> Any:
    return caller.post("/consortia", json={**CALL, **changes})


def test_teams_have_the_documented_shape(office: ApiCaller, app: Flask, session: Session) -> None:
    """Each team: members, one coverage row per capability in request order, worded
    checks and frictions, and the score with its parts; best team first."""
    firms = consortium_registry(app, session)
    response = propose(office, limit=3)
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert 1 <= len(items) <= 3
    allowed = {f.id: f for key, f in firms.items() if key != "sanctioned"}
    for team in items:
        assert set(team) == {"members", "coverage", "checks", "frictions", "score"}
        for member in team["members"]:
            assert set(member) == {"id", "name", "country", "side", "roles", "is_lead"}
            firm = allowed[member["id"]]  # never the sanctioned firm
            assert (member["name"], member["country"]) == (firm.name, firm.country)
            assert set(member["roles"]) <= set(CALL["capabilities"])
        assert [c["capability"] for c in team["coverage"]] == CALL["capabilities"]
        ids = {m["id"] for m in team["members"]}
        assert all(c["company_id"] in ids and 0 <= c["fit"] <= 1 for c in team["coverage"])
        for check in team["checks"]:
            assert set(check) == {"rule", "status", "params", "text"} and check["text"]
            assert check["status"] in {"passed", "failed", "warning"}
        for friction in team["frictions"]:
            assert set(friction) == {"code", "company_ids", "params", "text"}
            assert set(friction["company_ids"]) <= ids and friction["text"]
        parts = team["score"]
        assert set(parts) == {"score", "coverage", "cohesion", "eligibility"}
        assert all(0 <= value <= 1 for value in parts.values())
    scores = [team["score"]["score"] for team in items]
    assert scores == sorted(scores, reverse=True)


def test_programme_checks_are_worded_in_the_request_language(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """With a programme each team carries its checks; ?lang=uk words them in Ukrainian
    with the same rules and statuses."""
    consortium_registry(app, session)
    english = propose(office, programme="edf").get_json()
    ukrainian = office.post("/consortia?lang=uk", json={**CALL, "programme": "edf"}).get_json()
    assert "items" in english, english
    checks = english["items"][0]["checks"]
    assert checks, "a programme's team is checked"
    uk_checks = ukrainian["items"][0]["checks"]
    assert [(c["rule"], c["status"]) for c in uk_checks] == [
        (c["rule"], c["status"]) for c in checks
    ]
    assert all(uk["text"] != en["text"] for uk, en in zip(uk_checks, checks, strict=True))


def test_a_lead_firm_is_in_every_team(office: ApiCaller, app: Flask, session: Session) -> None:
    firms = consortium_registry(app, session)
    lead = firms["fuzes"].id
    items = propose(office, lead_company_id=lead, limit=5).get_json()["items"]
    assert items
    for team in items:
        leads = [m["id"] for m in team["members"] if m["is_lead"]]
        assert leads == [lead]


def test_countries_narrow_and_exclude_members(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """Members come only from `countries`, never from `exclude_countries` (codes in any case)."""
    consortium_registry(app, session)
    items = propose(
        office,
        capabilities=["ammunition_missiles.shells", "ammunition_missiles.fuzes"],
        countries=["de", "PL", "UA"],
        exclude_countries=["ua"],
        min_size=2,
    ).get_json()["items"]
    assert items
    assert {m["country"] for team in items for m in team["members"]} <= {"DE", "PL"}


def test_the_office_role_is_required(
    anonymous: ApiCaller, office: ApiCaller, admin: ApiCaller, app: Flask, session: Session
) -> None:
    """No key: 401 with a challenge; a made-up or revoked key: 401; office and admin keys
    (the two roles there are, office the lowest, so no key is refused 403): 200."""
    consortium_registry(app, session)
    refused = propose(anonymous)
    assert refused.status_code == 401 and "WWW-Authenticate" in refused.headers
    assert refused.get_json()["code"] == 401
    made_up = ApiCaller(office.client, "mm_not_a_key")
    assert propose(made_up).status_code == 401
    assert propose(office).status_code == 200
    assert propose(admin).status_code == 200
    client, key = create_api_client(session, "Closed office", "office", actor="test")
    revoke_api_client(session, client.id, actor="test")
    assert propose(ApiCaller(office.client, key)).status_code == 401


def test_unknown_codes_are_422_naming_the_field(office: ApiCaller) -> None:
    """An unknown programme, capability, country or pathway is refused before any search,
    with the error under that field, in the API's error shape."""
    for field, value in (
        ("programme", "horizon"),
        ("capabilities", ["ammunition_missiles.laser_swords"]),
        ("countries", ["DE", "XX"]),
        ("countries", ["US"]),  # known, but no registered firm can be there
        ("exclude_countries", ["ZZ"]),
        ("pathways", ["barter"]),
    ):
        response = propose(office, **{field: value})
        body = response.get_json()
        assert response.status_code == 422, (field, body)
        assert set(body) >= {"code", "status", "message", "errors"}
        assert list(body["errors"]) == [field], body
    assert "horizon" in str(propose(office, programme="horizon").get_json()["errors"])


def test_malformed_requests_are_422_naming_the_field(office: ApiCaller) -> None:
    for changes, field in (
        ({"capabilities": []}, "capabilities"),
        ({"min_size": 5, "max_size": 3}, "max_size"),
        ({"limit": 0}, "limit"),
        ({"lead_company_id": "7"}, "lead_company_id"),
        ({"seeks": "x" * 2001}, "seeks"),
    ):
        response = propose(office, **changes)
        assert response.status_code == 422 and field in response.get_json()["errors"], changes


def test_an_infeasible_request_says_which_rule_and_what_would_relax_it(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """A capability nobody offers, or too few countries for the programme: 422 with the
    rule, its figures and at least one relaxation, each worded; not an empty list."""
    consortium_registry(app, session)
    for changes in (
        {"capabilities": [*CALL["capabilities"], "strategic_enablers.space"]},
        {"programme": "edf", "countries": ["DE", "PL"]},
    ):
        response = propose(office, **changes)
        body = response.get_json()
        assert response.status_code == 422, (changes, body)
        assert body["code"] == 422 and body["rule"] and isinstance(body["params"], dict)
        assert body["message"] and body["relax"], body
        assert all(set(r) == {"code", "params", "text"} and r["text"] for r in body["relax"])


def test_a_sanctioned_lead_is_infeasible_for_admins_and_unknown_to_offices(
    office: ApiCaller, admin: ApiCaller, app: Flask, session: Session
) -> None:
    """An admin key learns the rule (the lead cannot take part) and that another lead
    would help; an office gets the answer of an id that does not exist, as everywhere."""
    firms = consortium_registry(app, session)
    lead = firms["sanctioned"].id
    as_admin = propose(admin, lead_company_id=lead)
    body = as_admin.get_json()
    assert as_admin.status_code == 422 and body["rule"] and body["relax"], body
    for company_id in (lead, 999_999):
        as_office = propose(office, lead_company_id=company_id)
        assert as_office.status_code == 422
        assert as_office.get_json()["errors"] == {
            "lead_company_id": [f"No company with id {company_id}."]
        }


def test_openapi_documents_the_endpoint(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"]["/api/v1/consortia"]["post"]
    assert post["security"] == [{"bearerAuth": []}]
    assert {"200", "422"} <= set(post["responses"])
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    fields = set(spec["components"]["schemas"][body]["properties"])
    assert fields >= {
        "seeks",
        "capabilities",
        "programme",
        "lead_company_id",
        "countries",
        "exclude_countries",
        "min_size",
        "max_size",
        "pathways",
        "limit",
    }
    team = spec["components"]["schemas"]["Team"]["properties"]
    assert set(team) == {"members", "coverage", "checks", "frictions", "score"}


def test_every_code_of_the_builder_is_worded_in_both_languages(app: Flask) -> None:
    """Each programme's rules, the lead reasons (its per-member rules) and every template
    of the catalogue have a sentence, translated into Ukrainian."""
    from flask_babel import force_locale, gettext

    from matchmaker.consortium_wording import (
        FRICTIONS,
        LEAD_REASONS,
        PROGRAMME_LABELS,
        RELAXATIONS,
        RULES,
    )
    from matchmaker.domain.programmes import PER_MEMBER_RULES, programmes

    book = programmes().programmes
    for programme in book.values():
        for rule in programme.rules():
            assert rule in RULES or any(k.startswith(f"{rule}:") for k in RULES), rule
    assert set(PER_MEMBER_RULES) <= set(LEAD_REASONS)
    assert set(book) == set(PROGRAMME_LABELS)
    templates = [*LEAD_REASONS.values(), *PROGRAMME_LABELS.values()]
    for table in (RULES, FRICTIONS, RELAXATIONS):
        for value in table.values():
            templates.extend((value,) if isinstance(value, str) else value)
    with app.test_request_context(), force_locale("uk"):
        untranslated = [t for t in templates if gettext(t) == t]
    assert untranslated == []

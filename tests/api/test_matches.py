"""Explained matches for a company and for ad-hoc requests; declined pairs stay out."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.domain.components import COMPONENTS
from tests.api.conftest import ApiCaller
from tests.factories import make_matchable_company
from tests.services.test_matching import DRONE_MAKER, PROPELLANT_MAKER, SHELL_MAKER


def registry(app: Flask, session: Session) -> dict[str, Any]:
    matching = app.extensions["matching"]
    return {
        name: make_matchable_company(session, matching, **fields)
        for name, fields in (
            ("shells", SHELL_MAKER),
            ("propellants", PROPELLANT_MAKER),
            ("drones", DRONE_MAKER),
        )
    }


def test_match_items_have_the_documented_shape(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """Each item: company id/name/country/side, score, every registered component,
    reasons, warnings."""
    firms = registry(app, session)
    items = office.get(f"/companies/{firms['shells'].id}/matches").get_json()["items"]
    first = items[0]
    assert first["company"] == {
        "id": firms["propellants"].id,
        "name": firms["propellants"].name,
        "country": "UA",
        "side": "UA",
    }
    # The firm did not consent and this office introduced nobody: no contact.
    assert first["contact"] is None
    assert set(first["components"]) == {c.name for c in COMPONENTS}
    assert 0.0 <= first["score"] <= 1.0 and first["reasons"]
    assert all(set(r) == {"code", "params", "text"} for r in first["reasons"] + first["warnings"])
    # An office learns that a licence is needed, not the firm's export-control categories.
    licence = [w for w in first["warnings"] if w["code"] == "licence_needed"]
    assert licence and licence[0]["params"] == {"firm": first["company"]["name"]}
    assert "ML8" not in str(first["warnings"])
    assert items[0]["score"] >= items[-1]["score"]


def test_explanations_follow_the_requested_language(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """?lang=uk or Accept-Language: uk gives Ukrainian sentences with the same codes."""
    firms = registry(app, session)
    url = f"/companies/{firms['shells'].id}/matches"
    english = office.get(url).get_json()["items"][0]["reasons"]
    by_query = office.get(f"{url}?lang=uk").get_json()["items"][0]["reasons"]
    by_header = office.get(url, headers={"Accept-Language": "uk"}).get_json()["items"][0]
    assert [r["code"] for r in by_query] == [r["code"] for r in english]
    assert [r["text"] for r in by_header["reasons"]] == [r["text"] for r in by_query]
    assert all(uk["text"] != en["text"] for uk, en in zip(by_query, english, strict=True))
    assert any("Пороха та метальні заряди" in r["text"] for r in by_query)


def test_scoring_model_describes_every_component(office: ApiCaller) -> None:
    """GET /scoring: each component with its weight, meaning and rules; every code."""
    model = office.get("/scoring").get_json()
    weights = {c["name"]: c["weight"] for c in model["components"]}
    assert weights == {c.name: c.default_weight for c in COMPONENTS}
    assert sum(c["share"] for c in model["components"]) == pytest.approx(1.0)
    assert all(c["description"] and c["rules"] for c in model["components"])
    assert model["explanation_codes"]["cert_expired"]["params"] == ["firm", "scheme", "date"]
    assert "%(date)s" in model["explanation_codes"]["cert_expired"]["template"]


def test_limit_filters_and_min_score(office: ApiCaller, app: Flask, session: Session) -> None:
    """limit caps the list; capability narrows it; min_score cuts weak suggestions."""
    firms = registry(app, session)
    url = f"/companies/{firms['shells'].id}/matches"
    assert len(office.get(f"{url}?limit=1").get_json()["items"]) == 1
    only = office.get(f"{url}?capability=drones_counter_drone.fpv").get_json()["items"]
    assert [i["company"]["id"] for i in only] == [firms["drones"].id]
    assert office.get(f"{url}?min_score=0.99").get_json()["items"] == []
    assert office.get(f"{url}?country=de").get_json()["items"] == []


def test_out_of_range_limit_is_422(office: ApiCaller, app: Flask, session: Session) -> None:
    """limit must be between 1 and 100."""
    firms = registry(app, session)
    response = office.get(f"/companies/{firms['shells'].id}/matches?limit=0")
    assert response.status_code == 422 and "limit" in response.get_json()["errors"]


def test_matches_for_unknown_company_are_404(office: ApiCaller) -> None:
    """An unknown company id is a 404."""
    assert office.get("/companies/777/matches").status_code == 404


def test_declined_pair_is_not_suggested_again_to_that_office(
    office: ApiCaller, other_office: ApiCaller, app: Flask, session: Session
) -> None:
    """After a declined introduction the partner disappears for that office, unless asked."""
    firms = registry(app, session)
    shells, propellants = firms["shells"].id, firms["propellants"].id
    intro = office.post(
        "/introductions", json={"company_a_id": shells, "company_b_id": propellants}
    )
    office.patch(f"/introductions/{intro.get_json()['id']}", json={"outcome": "declined"})
    ids = lambda caller, q="": [  # noqa: E731
        i["company"]["id"]
        for i in caller.get(f"/companies/{shells}/matches{q}").get_json()["items"]
    ]
    assert propellants not in ids(office)
    assert propellants in ids(office, "?include_declined=true")
    assert propellants in ids(other_office)


def test_ad_hoc_request_with_text(office: ApiCaller, app: Flask, session: Session) -> None:
    """An office describing a need gets the firm that offers it first."""
    firms = registry(app, session)
    body = office.post(
        "/matches", json={"side": "UA", "seeks": "nitrocellulose propellant charges"}
    )
    assert body.get_json()["items"][0]["company"]["id"] == firms["propellants"].id


def test_ad_hoc_request_with_filters_only(office: ApiCaller, app: Flask, session: Session) -> None:
    """Structured criteria alone are enough."""
    firms = registry(app, session)
    body = office.post(
        "/matches", json={"side": "UA", "capabilities": ["drones_counter_drone.fpv"]}
    )
    assert [i["company"]["id"] for i in body.get_json()["items"]] == [firms["drones"].id]


def test_empty_ad_hoc_request_is_422(office: ApiCaller, app: Flask, session: Session) -> None:
    """No text and no filter: a clear error, not an arbitrary ranking."""
    registry(app, session)
    response = office.post("/matches", json={"side": "UA"})
    assert response.status_code == 422 and "Empty request" in response.get_json()["message"]


def test_ad_hoc_request_validates_codes_and_side(office: ApiCaller) -> None:
    """Unknown capability codes and a missing side are named."""
    response = office.post("/matches", json={"capabilities": ["laser"], "seeks": "x"})
    assert response.status_code == 422
    assert {"side", "capabilities"} <= set(response.get_json()["errors"])


def test_vectors_of_another_model_give_503_with_the_fix(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """A model/vector mismatch is reported with the command that fixes it, never a 500."""
    firms = registry(app, session)
    for row in firms["drones"].embeddings:
        row.model = "another-model"
    session.commit()
    app.extensions["matching"].reset()
    response = office.get(f"/companies/{firms['shells'].id}/matches")
    assert response.status_code == 503
    assert "flask index rebuild" in response.get_json()["message"]


# The partner's and the asker's confidential compliance facts, and every way they could be
# written: codes, NATO markings, country code and names (English and Ukrainian).
SECRET_PARTNER = {
    **PROPELLANT_MAKER,
    "compliance": {
        "controlling_country": "US",
        "export_control": ["ML8", "ML4"],
        "itar_controlled": True,
        "required_clearance": "nato_secret",
    },
}
SECRET_ASKER = {
    **SHELL_MAKER,
    "compliance": {"export_control": ["ML3"], "required_clearance": "nato_confidential"},
}
CONFIDENTIAL_TEXTS = (
    "ML8", "ML4", "ML3", "ITAR", "itar_controlled", '"US"', "United States", "США",
    "nato_secret", "nato_confidential", "SECRET", "CONFIDENTIAL",
)  # fmt: skip


def confidential_pair(app: Flask, session: Session) -> tuple[int, int]:
    matching = app.extensions["matching"]
    asker = make_matchable_company(session, matching, **SECRET_ASKER)
    partner = make_matchable_company(session, matching, **SECRET_PARTNER)
    return asker.id, partner.id


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_offices_get_no_confidential_compliance_detail(
    office: ApiCaller, app: Flask, session: Session, lang: str
) -> None:
    """An office learns that a licence or clearance is needed, never which category,
    the ITAR flag, the controlling country or the clearance level, in params or text."""
    asker, partner = confidential_pair(app, session)
    answers = [
        office.get(f"/companies/{asker}/matches?lang={lang}"),
        office.post(f"/matches?lang={lang}", json={"side": "UA", "seeks": "propellant charges"}),
    ]
    for answer in answers:
        assert answer.status_code == 200
        body = answer.get_data(as_text=True)
        assert [item["company"]["id"] for item in answer.get_json()["items"]] == [partner]
        assert [text for text in CONFIDENTIAL_TEXTS if text in body] == []
    warnings = {w["code"] for w in answers[0].get_json()["items"][0]["warnings"]}
    assert {"licence_needed", "safe_not_eligible", "clearance_needed"} <= warnings


def test_admins_still_see_the_compliance_detail(
    admin: ApiCaller, app: Flask, session: Session
) -> None:
    """The same answer for an admin names the categories, ITAR, the country and the level."""
    asker, _ = confidential_pair(app, session)
    items = admin.get(f"/companies/{asker}/matches").get_json()["items"]
    warnings = {w["code"]: w for w in items[0]["warnings"]}
    assert warnings["export_licence"]["params"]["categories"] == ["ML4", "ML8"]
    assert "itar_content" in warnings
    assert warnings["safe_foreign_control"]["params"]["country"] == "US"
    levels = {w["params"]["level"] for w in items[0]["warnings"] if w["code"] == "clearance_gap"}
    assert levels == {"nato_secret", "nato_confidential"}


@pytest.mark.parametrize("code", ["st", "XX", "US"])
def test_unknown_or_ineligible_country_filters_are_422_naming_the_field(
    office: ApiCaller, app: Flask, session: Session, code: str
) -> None:
    """A country no registered firm can have is refused, not answered with an empty list:
    Swagger's old example "st", an unassigned code, a known but non-participating one."""
    firms = registry(app, session)
    ad_hoc = office.post("/matches", json={"side": "UA", "seeks": "x", "countries": ["DE", code]})
    assert ad_hoc.status_code == 422
    assert set(ad_hoc.get_json()["errors"]) == {"countries"}
    # The entry at fault (the second), not the valid "DE" before it.
    assert set(ad_hoc.get_json()["errors"]["countries"]) == {"1"}
    by_firm = office.get(f"/companies/{firms['shells'].id}/matches?country={code}")
    assert by_firm.status_code == 422
    assert set(by_firm.get_json()["errors"]) == {"country"}


def test_participating_country_filters_still_work_in_either_case(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    firms = registry(app, session)
    body = office.post("/matches", json={"side": "UA", "seeks": "propellant", "countries": ["ua"]})
    assert body.status_code == 200
    assert firms["propellants"].id in [i["company"]["id"] for i in body.get_json()["items"]]


def test_swagger_examples_of_country_filters_are_accepted(
    office: ApiCaller, app: Flask, session: Session, client: Any
) -> None:
    """The example Swagger UI fills in is a valid request, not one answered with 422."""
    spec = client.get("/api/v1/openapi.json").get_json()
    schema = spec["components"]["schemas"]["AdHocMatch"]
    example = schema["properties"]["countries"]["example"]
    body = {"side": "UA", "seeks": "propellant", "countries": example}
    assert office.post("/matches", json=body).status_code == 200


def test_a_need_in_ukrainian_says_the_english_model_cannot_read_it(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    """With all-MiniLM-L6-v2 (the default) a Ukrainian need is compared on names and
    numbers only; every suggestion says so, and the same need in English does not."""
    registry(app, session)
    ukrainian = "шукаємо партнера для спільного виробництва 155-мм снарядів в Україні"
    english = "a partner to co-produce 155 mm artillery shells in Ukraine"
    asked = {}
    for language, text in (("uk", ukrainian), ("en", english)):
        response = office.post("/matches", json={"seeks": text, "side": "EU"})
        assert response.status_code == 200, response.get_data(as_text=True)
        asked[language] = response.get_json()["items"]
    assert asked["uk"] and asked["en"]
    assert all(any(w["code"] == "model_language" for w in item["warnings"]) for item in asked["uk"])
    assert not any(w["code"] == "model_language" for i in asked["en"] for w in i["warnings"])

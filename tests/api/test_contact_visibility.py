"""Which contacts a facilitation office sees: of firms that consented, and of both firms of
an introduction that office recorded; never of firms only another office introduced."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from tests.api.conftest import ApiCaller
from tests.factories import make_company, make_matchable_company
from tests.services.test_matching import DRONE_MAKER, PROPELLANT_MAKER, SHELL_MAKER


def contact(name: str) -> dict[str, Any]:
    slug = name.split()[0].lower()
    return {"name": name, "email": f"{slug}@firm.example", "phone": "+380 44 123 4567"}


def firms(app: Flask, session: Session) -> dict[str, int]:
    """A German shell maker asking; a consenting and a non-consenting Ukrainian partner."""
    matching = app.extensions["matching"]
    made = {
        "asker": make_matchable_company(session, matching, **SHELL_MAKER),
        "consented": make_matchable_company(
            session,
            matching,
            **PROPELLANT_MAKER,
            contact=contact("Olena Kovalenko"),
            contact_consent=True,
        ),
        "silent": make_matchable_company(
            session, matching, **DRONE_MAKER, contact=contact("Taras Melnyk")
        ),
    }
    return {name: company.id for name, company in made.items()}


def contact_in_match(caller: ApiCaller, asker: int, partner: int) -> Any:
    items = caller.get(f"/companies/{asker}/matches?limit=20").get_json()["items"]
    (item,) = [i for i in items if i["company"]["id"] == partner]
    return item["contact"]


def test_office_sees_the_contact_of_a_consenting_firm_only(
    office: ApiCaller, app: Flask, session: Session
) -> None:
    ids = firms(app, session)
    consented = office.get(f"/companies/{ids['consented']}").get_json()
    silent = office.get(f"/companies/{ids['silent']}").get_json()
    assert consented["contact"] == contact("Olena Kovalenko")
    assert consented["contact_consent"] is True and consented["contact_consent_at"]
    assert silent["contact"] is None and silent["contact_consent"] is False
    assert "Taras" not in str(silent)
    # The same in the list and in the match lists (by firm and ad hoc).
    listed = {c["id"]: c["contact"] for c in office.get("/companies").get_json()["items"]}
    assert listed[ids["consented"]] == contact("Olena Kovalenko")
    assert listed[ids["silent"]] is None
    assert contact_in_match(office, ids["asker"], ids["consented"]) == contact("Olena Kovalenko")
    assert contact_in_match(office, ids["asker"], ids["silent"]) is None
    ad_hoc = office.post("/matches", json={"side": "UA", "seeks": "FPV drones propellant"})
    by_id = {i["company"]["id"]: i["contact"] for i in ad_hoc.get_json()["items"]}
    assert by_id[ids["consented"]] == contact("Olena Kovalenko") and by_id[ids["silent"]] is None
    # Compliance stays hidden from offices whatever the consent.
    assert "compliance" not in consented


def test_own_introduction_shows_both_contacts_to_that_office_only(
    office: ApiCaller, other_office: ApiCaller, app: Flask, session: Session
) -> None:
    ids = firms(app, session)
    body = {"company_a_id": ids["asker"], "company_b_id": ids["silent"]}
    recorded = office.post("/introductions", json=body).get_json()
    assert recorded["company_b_contact"] == contact("Taras Melnyk")
    assert recorded["company_a_contact"]["name"] == "Erika Muster"
    listed = office.get("/introductions").get_json()["items"]
    assert listed[0]["company_b_contact"] == contact("Taras Melnyk")
    one = office.get(f"/introductions/{recorded['id']}").get_json()
    assert one["company_b_contact"] == contact("Taras Melnyk")
    # The recording office now sees the non-consenting firm's contact everywhere...
    assert office.get(f"/companies/{ids['silent']}").get_json()["contact"] == contact(
        "Taras Melnyk"
    )
    assert contact_in_match(office, ids["asker"], ids["silent"]) == contact("Taras Melnyk")
    # ...another office does not, in the company, the matches or the introductions.
    assert other_office.get(f"/companies/{ids['silent']}").get_json()["contact"] is None
    assert contact_in_match(other_office, ids["asker"], ids["silent"]) is None
    assert other_office.get(f"/introductions/{recorded['id']}").status_code == 404
    assert other_office.get("/introductions").get_json()["items"] == []


def test_admins_see_every_contact(admin: ApiCaller, app: Flask, session: Session) -> None:
    ids = firms(app, session)
    assert admin.get(f"/companies/{ids['silent']}").get_json()["contact"] == contact("Taras Melnyk")
    assert contact_in_match(admin, ids["asker"], ids["silent"]) == contact("Taras Melnyk")


def test_withdrawn_consent_hides_the_contact_again(
    office: ApiCaller, admin: ApiCaller, session: Session
) -> None:
    company = make_company(session, country="UA", contact_consent=True)
    assert office.get(f"/companies/{company.id}").get_json()["contact"] is not None
    etag = admin.get(f"/companies/{company.id}").headers["ETag"]
    changed = admin.patch(
        f"/companies/{company.id}", json={"contact_consent": False}, headers={"If-Match": etag}
    )
    assert changed.status_code == 200 and changed.get_json()["contact_consent_at"] is None
    assert office.get(f"/companies/{company.id}").get_json()["contact"] is None


def test_the_spec_says_when_offices_see_a_contact(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    assert "consented" in schemas["PublicCompany"]["properties"]["contact"]["description"]
    assert "introduction" in schemas["MatchItem"]["properties"]["contact"]["description"]
    assert "company_a_contact" in schemas["Introduction"]["properties"]
    assert schemas["Company"]["properties"]["contact_consent"]["default"] is False

"""Introductions: record, move forward, decline; each office sees its own."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.api.conftest import ApiCaller
from tests.factories import make_company


def pair(session: Session) -> tuple[int, int]:
    return make_company(session).id, make_company(session, country="UA").id


def test_record_and_progress_an_introduction(office: ApiCaller, session: Session) -> None:
    """proposed -> meeting -> mou, with the office recorded as author."""
    a, b = pair(session)
    created = office.post(
        "/introductions", json={"company_a_id": a, "company_b_id": b, "score": 0.71}
    )
    assert created.status_code == 201
    body = created.get_json()
    assert (body["outcome"], body["recorded_by"]) == ("proposed", "api:Berlin export office")
    moved = office.patch(f"/introductions/{body['id']}", json={"outcome": "meeting"})
    assert moved.get_json()["outcome"] == "meeting"
    assert office.patch(f"/introductions/{body['id']}", json={"outcome": "mou"}).status_code == 200


def test_going_backwards_is_422_on_outcome(office: ApiCaller, session: Session) -> None:
    """An MoU cannot become 'contacted' again."""
    a, b = pair(session)
    intro = office.post(
        "/introductions", json={"company_a_id": a, "company_b_id": b, "outcome": "mou"}
    ).get_json()
    response = office.patch(f"/introductions/{intro['id']}", json={"outcome": "contacted"})
    assert response.status_code == 422 and "outcome" in response.get_json()["errors"]


def test_the_same_open_pair_twice_is_409(office: ApiCaller, session: Session) -> None:
    """A second open introduction of the same pair (either order) is a conflict."""
    a, b = pair(session)
    office.post("/introductions", json={"company_a_id": a, "company_b_id": b})
    assert (
        office.post("/introductions", json={"company_a_id": b, "company_b_id": a}).status_code
        == 409
    )


def test_unknown_or_identical_firms_are_422(office: ApiCaller, session: Session) -> None:
    """Missing companies and self-introductions are named by field."""
    a, _ = pair(session)
    missing = office.post("/introductions", json={"company_a_id": a, "company_b_id": 999})
    assert "company_b_id" in missing.get_json()["errors"]
    itself = office.post("/introductions", json={"company_a_id": a, "company_b_id": a})
    assert itself.status_code == 422


def test_offices_see_only_their_own_introductions(
    office: ApiCaller, other_office: ApiCaller, admin: ApiCaller, session: Session
) -> None:
    """Another office gets 404 for it and an empty list; admins see all."""
    a, b = pair(session)
    intro = office.post("/introductions", json={"company_a_id": a, "company_b_id": b}).get_json()
    assert other_office.get(f"/introductions/{intro['id']}").status_code == 404
    assert (
        other_office.patch(f"/introductions/{intro['id']}", json={"outcome": "jv"}).status_code
        == 404
    )
    assert other_office.get("/introductions").get_json()["total"] == 0
    assert admin.get("/introductions").get_json()["total"] == 1


def test_list_filters_by_company_and_outcome(office: ApiCaller, session: Session) -> None:
    """company_id and outcome narrow the list; totals are counted."""
    a, b = pair(session)
    c = make_company(session, country="UA").id
    office.post("/introductions", json={"company_a_id": a, "company_b_id": b})
    office.post("/introductions", json={"company_a_id": a, "company_b_id": c, "outcome": "jv"})
    assert office.get(f"/introductions?company_id={c}").get_json()["total"] == 1
    assert office.get("/introductions?outcome=jv").get_json()["total"] == 1
    assert office.get(f"/introductions?company_id={a}").get_json()["total"] == 2

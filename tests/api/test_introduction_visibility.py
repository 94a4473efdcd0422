"""Offices introduce only firms they can see, and cannot tell hidden ids from missing ones."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import Introduction
from tests.api.conftest import ApiCaller
from tests.factories import make_company


def test_hidden_firms_answer_exactly_like_missing_ones(
    office: ApiCaller, admin: ApiCaller, session: Session
) -> None:
    visible = make_company(session).id
    hidden = {
        "pending": make_company(session, country="UA", status="pending").id,
        "rejected": make_company(session, country="UA", status="rejected").id,
        "archived": make_company(session, country="UA", status="archived").id,
        "sanctioned": make_company(
            session, country="UA", compliance={"controlling_country": "UA", "sanctioned": True}
        ).id,
    }
    missing = max(hidden.values()) + 100
    answer_for_missing = office.post(
        "/introductions", json={"company_a_id": visible, "company_b_id": missing}
    )
    assert answer_for_missing.status_code == 422
    for why, company_id in hidden.items():
        answer = office.post(
            "/introductions", json={"company_a_id": visible, "company_b_id": company_id}
        )
        assert answer.status_code == 422, why
        expected = answer_for_missing.get_json()["errors"]["company_b_id"][0]
        assert answer.get_json()["errors"]["company_b_id"][0] == expected.replace(
            str(missing), str(company_id)
        ), why
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Introduction)) == 0
    # Admins curate every firm, so they may still record such an introduction.
    by_admin = admin.post(
        "/introductions", json={"company_a_id": visible, "company_b_id": hidden["pending"]}
    )
    assert by_admin.status_code == 201


def test_the_conflict_names_the_open_introduction(office: ApiCaller, session: Session) -> None:
    a, b = make_company(session).id, make_company(session, country="UA").id
    first = office.post("/introductions", json={"company_a_id": a, "company_b_id": b})
    again = office.post("/introductions", json={"company_a_id": b, "company_b_id": a})
    assert again.status_code == 409 and again.get_json()["id"] == first.get_json()["id"]

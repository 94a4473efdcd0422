"""Concurrent requests against a live server: no duplicates, no 500s, on both backends."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import Company, Introduction
from matchmaker.services.api_keys import create_api_client
from tests.factories import company_payload, make_company
from tests.live_server import at_once, call, live_server

ROUNDS, CLIENTS = 5, 6


def test_concurrent_posts_of_one_introduction_create_one(app: Flask, session: Session) -> None:
    """Each round: several offices' requests for one pair race; one wins (201), the others
    get 409 naming the winner's id, and the database holds one open introduction."""
    _, key = create_api_client(session, "Racing office", "office", actor="test")
    pairs = [
        (make_company(session).id, make_company(session, country="UA").id) for _ in range(ROUNDS)
    ]
    with live_server(app) as url:
        for a, b in pairs:
            answers = at_once(
                CLIENTS,
                lambda _, a=a, b=b: call(
                    "POST",
                    f"{url}/api/v1/introductions",
                    key=key,
                    body={"company_a_id": a, "company_b_id": b},
                ),
            )
            statuses = Counter(answer.status for answer in answers)
            assert statuses == {201: 1, 409: CLIENTS - 1}, statuses
            created = next(answer.body["id"] for answer in answers if answer.status == 201)
            assert {answer.body["id"] for answer in answers if answer.status == 409} == {created}
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Introduction)) == ROUNDS


def test_concurrent_patches_never_answer_500(app: Flask, session: Session) -> None:
    """Twenty admins edit one firm at once with the same ETag: one wins, the others are told
    it changed (412) or, if the database stayed locked too long, to retry (503)."""
    _, key = create_api_client(session, "Racing admin", "admin", actor="test")
    company = make_company(session)
    path, etag = f"/api/v1/companies/{company.id}", f'"v{company.version}"'
    with live_server(app) as url:
        answers = at_once(
            20,
            lambda _: call(
                "PATCH",
                url + path,
                key=key,
                body={"name": "Renamed GmbH"},
                If_Match=etag,
            ),
        )
    statuses = Counter(answer.status for answer in answers)
    assert set(statuses) <= {200, 412, 503} and statuses[200] == 1, statuses
    assert all(a.headers.get("Retry-After") for a in answers if a.status == 503)


def test_concurrent_imports_of_the_same_firms_are_idempotent(app: Flask, session: Session) -> None:
    """Ten imports of the same three firms at once, atomic and not: no 500, no 412, each
    firm registered once, and every answer reports each row as created or updated."""
    _, key = create_api_client(session, "Racing importer", "admin", actor="test")
    rows = [company_payload(), company_payload(country="UA"), company_payload()]
    with live_server(app) as url:
        answers = at_once(
            10,
            lambda i: call(
                "POST",
                f"{url}/api/v1/companies/import?atomic={'true' if i % 2 else 'false'}",
                key=key,
                body=rows,
            ),
        )
    assert [a.status for a in answers] == [200] * 10, [(a.status, a.body) for a in answers]
    for answer in answers:
        assert answer.body["errors"] == []
        assert len(answer.body["created"]) + len(answer.body["updated"]) == len(rows)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Company)) == len(rows)

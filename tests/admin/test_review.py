"""The review queue: approve, reject with a reason, edit before approving; each audited."""

from __future__ import annotations

import random

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from matchmaker.extensions import db, matching
from matchmaker.models import Company
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from matchmaker.services.profiles import create_companies
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import loaded_company, make_company, no_embedding
from tests.web.form_data import form_data


def pending(app: Flask, session: Session, **overrides: object) -> Company:
    """A firm's own submission, stored with its vectors as the public form stores it."""
    hook = matching.service.embed_changes
    return edit_links.submit_profile(session, loaded_company(**overrides), on_change=hook)


def test_the_queue_lists_pending_submissions_oldest_first(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Pending firms are listed with their actions; approved ones are not."""
    first = pending(app, session, name="First Pending GmbH")
    pending(app, session, name="Second Pending GmbH")
    make_company(session, name="Already Approved GmbH")
    page = admin_client.get("/admin/review").get_data(as_text=True)
    assert page.index("First Pending GmbH") < page.index("Second Pending GmbH")
    assert "Already Approved GmbH" not in page
    assert f"/admin/companies/{first.id}/approve" in page


def test_the_queue_flags_possible_duplicates(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """A submission that looks like a registered firm says so in the queue."""
    make_company(session, name="Staufen Dynamics GmbH")
    pending(app, session, name="Staufen Dynamics AG")
    page = admin_client.get("/admin/review").get_data(as_text=True)
    assert "1 possible duplicate" in page


def test_approving_puts_the_firm_into_the_suggestions_at_once(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Approval is audited with the admin as actor, and the matcher suggests the firm next."""
    service = matching.service
    firm = pending(app, session)
    partner = pending(
        app,
        session,
        country="UA",
        offers="Propellants.",
        capabilities=["ammunition_missiles.propellants"],
        seeking_capabilities=["ammunition_missiles.shells"],
    )
    partner.status = "approved"
    session.commit()
    assert firm.id not in {s.company.id for s in service.match_company(session, partner.id)}
    response = admin_client.post(
        f"/admin/companies/{firm.id}/approve", data={"version": firm.version}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Company, firm.id).status == "approved"
    event = last_audit(session, "company.update")
    assert (event.actor, event.entity_id) == (ACTOR, firm.id)
    assert (event.before["status"], event.after["status"]) == ("pending", "approved")
    assert firm.id in {s.company.id for s in service.match_company(session, partner.id)}


def test_a_stale_approval_is_refused(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """If the firm edited its profile since the admin looked, the approval does not pass."""
    firm = pending(app, session)
    stale = firm.version
    edit_links.update_by_firm(
        session, firm.id, company_document(firm) | {"seeks": "Changed."}, on_change=no_embedding
    )
    response = admin_client.post(
        f"/admin/companies/{firm.id}/approve", data={"version": stale}, follow_redirects=True
    )
    assert "changed since you read it" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"


def test_rejecting_needs_a_reason(app: Flask, admin_client: FlaskClient, session: Session) -> None:
    """Without a reason nothing changes; with one, the firm is rejected and the reason kept."""
    firm = pending(app, session)
    url = f"/admin/companies/{firm.id}/reject"
    page = admin_client.post(url, data={"reason": " "}, follow_redirects=True)
    assert "Give the reason for rejecting" in page.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"
    admin_client.post(url, data={"reason": "No EDRPOU code given.", "version": firm.version})
    session.expire_all()
    rejected = session.get(Company, firm.id)
    assert (rejected.status, rejected.review_note) == ("rejected", "No EDRPOU code given.")
    event = last_audit(session, "company.update")
    assert event.actor == ACTOR
    assert event.after["review_note"] == "No EDRPOU code given."


def test_edit_before_approving(app: Flask, admin_client: FlaskClient, session: Session) -> None:
    """The admin corrects a field and approves in one step; the audit shows before -> after."""
    firm = pending(app, session, website="http://typo.example")
    document = company_document(firm) | {"website": "https://fixed.example"}
    data = form_data(document, version=str(firm.version), action="save-and-approve")
    response = admin_client.post(f"/admin/companies/{firm.id}/edit", data=data)
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Company, firm.id)
    assert (stored.website, stored.status) == ("https://fixed.example", "approved")
    event = last_audit(session, "company.update")
    assert event.before["website"] == "http://typo.example"
    assert event.after["website"] == "https://fixed.example"
    assert event.after["status"] == "approved"


def queue_of(session: Session, count: int) -> list[Company]:
    """`count` pending submissions in one write, oldest first, whose names share no part
    (so none is another's duplicate candidate)."""
    rng = random.Random(count)
    names = set()
    while len(names) < count:
        names.add("".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)))
    documents = [loaded_company(name=f"{name.title()} GmbH", status="pending") for name in names]
    return create_companies(session, documents, actor="test", on_change=no_embedding)


def test_the_queue_comes_fifty_firms_a_page(admin_client: FlaskClient, session: Session) -> None:
    """Page 2 continues where page 1 stopped, the heading counts the whole queue, and a
    firm's duplicate count is shown on whichever page it falls."""
    firms = queue_of(session, 53)
    make_company(session, name=firms[51].name)  # the 52nd submission has a twin
    first = admin_client.get("/admin/review").get_data(as_text=True)
    second = admin_client.get("/admin/review?page=2").get_data(as_text=True)
    assert [f.name in first for f in firms] == [True] * 50 + [False] * 3
    assert [f.name in second for f in firms] == [False] * 50 + [True] * 3
    assert first.index(firms[0].name) < first.index(firms[49].name)
    assert '<span class="count">53</span>' in first and '<span class="count">53</span>' in second
    assert "Page 1 of 2" in first and 'href="/admin/review?page=2" rel="next"' in first
    assert "possible duplicate" not in first
    assert second.count("1 possible duplicate") == 1
    twin_card = second[second.index(firms[51].name) : second.index(firms[52].name)]
    assert "1 possible duplicate" in twin_card


def test_actions_return_to_the_page_they_were_taken_on(
    admin_client: FlaskClient, session: Session
) -> None:
    """Approve and reject carry the page they were shown on and come back to it; a page an
    action emptied leads to the queue's new last page."""
    firms = queue_of(session, 52)
    second = admin_client.get("/admin/review?page=2").get_data(as_text=True)
    assert second.count('name="next" value="/admin/review?page=2"') == 5  # 2 x 2 + bulk
    approve = admin_client.post(
        f"/admin/companies/{firms[50].id}/approve",
        data={"version": firms[50].version, "next": "/admin/review?page=2"},
    )
    assert approve.location == "/admin/review?page=2"
    reject = admin_client.post(
        f"/admin/companies/{firms[51].id}/reject",
        data={"version": firms[51].version, "reason": "Duplicate.", "next": "/admin/review?page=2"},
        follow_redirects=True,
    )
    assert f"Rejected #{firms[51].id}." in reject.get_data(as_text=True)
    session.expire_all()
    assert [session.get(Company, f.id).status for f in firms[50:]] == ["approved", "rejected"]
    emptied = admin_client.get("/admin/review?page=2")
    assert (emptied.status_code, emptied.location) == (302, "/admin/review?page=1")
    first = admin_client.get("/admin/review").get_data(as_text=True)
    assert 'name="next" value="/admin/review"' in first and "Page 1 of" not in first


def test_bad_page_values_are_handled_like_other_admin_lists(
    admin_client: FlaskClient, session: Session
) -> None:
    """Not a number, zero or negative: the first page; beyond MAX_PAGE: refused naming it."""
    firms = queue_of(session, 3)
    for value in ("abc", "0", "-4", ""):
        page = admin_client.get(f"/admin/review?page={value}")
        assert page.status_code == 200, value
        assert firms[0].name in page.get_data(as_text=True)
    too_deep = admin_client.get("/admin/review?page=100001")
    assert too_deep.status_code == 422
    assert "page" in too_deep.get_data(as_text=True)


def test_a_page_costs_the_same_however_long_the_queue(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """A page of 50 issues the same SQL (statement for statement, IN lists included) with
    60 firms waiting as with 200: nothing in it is per pending firm beyond the page."""

    def statements_of_one_page() -> list[str]:
        issued: list[str] = []

        def record(conn: object, cursor: object, statement: str, *args: object) -> None:
            issued.append(statement)

        db.session.remove()  # as in production, the request starts with an empty session
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert admin_client.get("/admin/review").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return issued

    queue_of(session, 60)
    admin_client.get("/admin/review")  # the first request warms caches and the session
    short = statements_of_one_page()
    queue_of(session, 140)
    long = statements_of_one_page()
    assert long == short
    assert len(short) <= 8

"""The review queue's search and filters, and its bulk approve / reject: one POST for the
ticked firms, each decided in its own transaction, audited, and version-checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import AuditEvent, Company
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from matchmaker.services.profiles import create_companies
from tests.admin.conftest import ACTOR
from tests.factories import loaded_company, no_embedding


def submissions(session: Session, *overrides: dict[str, object]) -> list[Company]:
    """Pending firms, one per set of overrides, in one write."""
    documents = [loaded_company(status="pending", **extra) for extra in overrides]
    return create_companies(session, documents, actor="test", on_change=no_embedding)


def listed(page: str, firms: list[Company]) -> list[bool]:
    return [firm.name in page for firm in firms]


def test_the_queue_filters_by_country_size_area_and_text(
    admin_client: FlaskClient, session: Session
) -> None:
    firms = submissions(
        session,
        {"name": "Karpaty Forge LLC", "country": "UA"},
        {"name": "Staufen Optics GmbH", "size": "large"},
        {
            "name": "Wigry Drones GmbH",
            "capabilities": ["drones_counter_drone"],
            "offers": "Reconnaissance drones.",
        },
    )

    def queue(query: str) -> list[bool]:
        return listed(admin_client.get(f"/admin/review?{query}").get_data(as_text=True), firms)

    assert queue("") == [True, True, True]
    assert queue("country=UA") == [True, False, False]
    assert queue("size=large") == [False, True, False]
    assert queue("area=drones_counter_drone") == [False, False, True]
    assert queue("q=optics") == [False, True, False]
    # "#id" is the exact lookup (a bare number also finds legal ids that contain it).
    assert queue(f"q=%23{firms[2].id}") == [False, False, True]
    assert queue("country=UA&size=large") == [False, False, False]
    # A value not on the menu does not filter (and does not fail).
    assert queue("size=huge&kind=whatever") == [True, True, True]


def test_the_queue_filters_by_submission_date(admin_client: FlaskClient, session: Session) -> None:
    firms = submissions(session, {"name": "March Firm GmbH"}, {"name": "May Firm GmbH"})
    firms[0].created_at = datetime(2026, 3, 10, 12, tzinfo=UTC)
    firms[1].created_at = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)
    session.commit()

    def queue(query: str) -> list[bool]:
        return listed(admin_client.get(f"/admin/review?{query}").get_data(as_text=True), firms)

    assert queue("since=2026-04-01") == [False, True]
    assert queue("until=2026-05-31") == [True, True]  # the whole last day counts
    assert queue("until=2026-05-30") == [True, False]
    assert queue("since=2026-03-10&until=2026-03-10") == [True, False]
    assert queue("since=not-a-date") == [True, True]


def test_the_queue_tells_re_reviews_from_new_submissions(
    admin_client: FlaskClient, session: Session
) -> None:
    """A firm rejected once that resubmitted is a re-review; one never decided is new. (An
    approved firm's change waits as a revision and heads the first page instead.)"""
    new, changed = submissions(session, {"name": "Fresh Start GmbH"}, {"name": "Came Back GmbH"})
    changed.status = "rejected"
    session.commit()
    edit_links.update_by_firm(
        session,
        changed.id,
        company_document(changed) | {"seeks": "Now also fuzes."},
        on_change=no_embedding,
    )
    session.expire_all()
    assert session.get(Company, changed.id).status == "pending"
    rereviews = admin_client.get("/admin/review?kind=rereview").get_data(as_text=True)
    firsts = admin_client.get("/admin/review?kind=new").get_data(as_text=True)
    assert listed(rereviews, [new, changed]) == [False, True]
    assert listed(firsts, [new, changed]) == [True, False]


def test_paging_and_actions_keep_the_filters(admin_client: FlaskClient, session: Session) -> None:
    submissions(session, *({"country": "UA"} for _ in range(52)))
    page = admin_client.get("/admin/review?country=UA").get_data(as_text=True)
    assert 'href="/admin/review?country=UA&amp;page=2" rel="next"' in page
    assert 'name="next" value="/admin/review?country=UA"' in page


def bulk(client: FlaskClient, decision: str, firms: list[Company], **extra: object) -> str:
    data: dict[str, object] = {
        "decision": decision,
        "ids": [str(firm.id) for firm in firms],
        **{f"version-{firm.id}": firm.version for firm in firms},
        **extra,
    }
    response = client.post("/admin/review/bulk", data=data, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def decisions_by(session: Session, actor: str) -> int:
    return session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.actor == actor)
    )


def test_bulk_approval_decides_each_ticked_firm_and_audits_each(
    admin_client: FlaskClient, session: Session
) -> None:
    firms = submissions(session, {}, {}, {})
    untouched = submissions(session, {})[0]
    page = bulk(admin_client, "approve", firms)
    assert "Approved 3 firms: " + ", ".join(f"#{f.id}" for f in firms) in page
    session.expire_all()
    assert [session.get(Company, f.id).status for f in firms] == ["approved"] * 3
    assert session.get(Company, untouched.id).status == "pending"
    events = session.scalars(select(AuditEvent).where(AuditEvent.actor == ACTOR)).all()
    assert sorted(e.entity_id for e in events) == sorted(f.id for f in firms)
    assert {(e.before["status"], e.after["status"]) for e in events} == {("pending", "approved")}


def test_a_stale_firm_in_a_bulk_decision_is_named_and_left_alone(
    admin_client: FlaskClient, session: Session
) -> None:
    """The firm edited its profile after the queue was shown: the others are approved, this
    one stays pending and the report names it; the firm's edit is not overwritten."""
    firms = submissions(session, {}, {}, {})
    shown = [(f.id, f.version) for f in firms]
    edit_links.update_by_firm(
        session,
        firms[1].id,
        company_document(firms[1]) | {"seeks": "Changed meanwhile."},
        on_change=no_embedding,
    )
    data = {
        "decision": "approve",
        "ids": [str(company_id) for company_id, _ in shown],
        **{f"version-{company_id}": version for company_id, version in shown},
    }
    page = admin_client.post("/admin/review/bulk", data=data, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert f"Approved 2 firms: #{firms[0].id}, #{firms[2].id}." in text
    assert f"#{firms[1].id} was changed by someone else" in text
    session.expire_all()
    stale = session.get(Company, firms[1].id)
    assert (stale.status, stale.seeks) == ("pending", "Changed meanwhile.")
    assert decisions_by(session, ACTOR) == 2


def test_a_firm_without_its_version_is_not_decided(
    admin_client: FlaskClient, session: Session
) -> None:
    firm = submissions(session, {})[0]
    data = {"decision": "approve", "ids": [str(firm.id)]}
    page = admin_client.post("/admin/review/bulk", data=data, follow_redirects=True)
    assert f"#{firm.id}: the page sent no version" in page.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"


def test_bulk_rejection_needs_a_reason_and_gives_it_to_each_firm(
    admin_client: FlaskClient, session: Session
) -> None:
    firms = submissions(session, {}, {})
    page = bulk(admin_client, "reject", firms, reason="  ")
    assert "Give the reason for rejecting" in page
    session.expire_all()
    assert [session.get(Company, f.id).status for f in firms] == ["pending"] * 2
    page = bulk(admin_client, "reject", firms, reason="No legal id document.")
    assert "Rejected 2 firms" in page
    session.expire_all()
    stored = [session.get(Company, f.id) for f in firms]
    assert {(c.status, c.review_note) for c in stored} == {("rejected", "No legal id document.")}
    assert decisions_by(session, ACTOR) == 2


def test_bulk_refuses_empty_oversized_and_forged_selections(
    admin_client: FlaskClient, session: Session
) -> None:
    firm = submissions(session, {})[0]
    assert "Tick at least one firm" in bulk(admin_client, "approve", [])
    ids = {"ids": [str(n) for n in range(1, 52)]}
    assert "Decide at most 50 firms at once" in bulk(admin_client, "approve", [], **ids)
    forged = admin_client.post("/admin/review/bulk", data={"decision": "approve", "ids": "1;2"})
    assert forged.status_code == 400 and "ids" in forged.get_data(as_text=True)
    unknown = admin_client.post("/admin/review/bulk", data={"decision": "delete", "ids": "1"})
    assert unknown.status_code == 400 and "decision" in unknown.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"
    assert decisions_by(session, ACTOR) == 0


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_bulk_needs_the_pages_csrf_token(
    admin_client: FlaskClient, session: Session, csrf_on: None
) -> None:
    firm = submissions(session, {})[0]
    data = {"decision": "approve", "ids": str(firm.id), f"version-{firm.id}": firm.version}
    assert admin_client.post("/admin/review/bulk", data=data).status_code == 400
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"
    page = admin_client.get("/admin/review").get_data(as_text=True)
    form = page[page.index('<form method="post" id="bulk"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    assert f'name="ids" value="{firm.id}" form="bulk"' in page
    done = admin_client.post("/admin/review/bulk", data={**data, "csrf_token": token.group(1)})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Company, firm.id).status == "approved"


def test_the_bulk_report_in_ukrainian(admin_client: FlaskClient, session: Session) -> None:
    firms = submissions(session, {}, {})
    admin_client.get("/admin/review?lang=uk")  # the choice is kept in the session
    page = bulk(admin_client, "approve", firms)
    assert "Схвалено 2 фірми" in page

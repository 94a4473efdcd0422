"""Restoring an archived firm: back to its status from before, audited, suggested again."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.models import Company
from matchmaker.services.profiles import archive_company, set_status
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import make_company, make_matchable_company


def restore(client: FlaskClient, company: Company, version: int | None = None) -> str:
    response = client.post(
        f"/admin/companies/{company.id}/restore",
        data={"version": company.version if version is None else version},
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_restored_approved_firm_is_suggested_again(
    admin_client: FlaskClient, session: Session
) -> None:
    """Archived, the firm leaves the suggestions; restored, it is approved and back in them,
    and the restoration is audited with the admin as actor."""
    service = matching.service
    firm = make_matchable_company(session, service)
    partner = make_matchable_company(
        session,
        service,
        country="UA",
        offers="Propellants.",
        capabilities=["ammunition_missiles.propellants"],
        seeking_capabilities=["ammunition_missiles.shells"],
    )
    assert firm.id in {s.company.id for s in service.match_company(session, partner.id)}
    archive_company(session, firm.id, actor="test")
    assert firm.id not in {s.company.id for s in service.match_company(session, partner.id)}
    page = restore(admin_client, firm)
    assert f"Restored #{firm.id}: approved again." in page
    session.expire_all()
    assert session.get(Company, firm.id).status == "approved"
    event = last_audit(session, "company.update")
    assert (event.actor, event.entity_id) == (ACTOR, firm.id)
    assert (event.before["status"], event.after["status"]) == ("archived", "approved")
    assert firm.id in {s.company.id for s in service.match_company(session, partner.id)}


def test_a_firm_archived_while_pending_goes_back_to_the_queue(
    admin_client: FlaskClient, session: Session
) -> None:
    firm = make_company(session, status="pending")
    archive_company(session, firm.id, actor="test")
    restore(admin_client, firm)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"
    assert firm.name in admin_client.get("/admin/review").get_data(as_text=True)


def test_the_latest_archiving_decides(admin_client: FlaskClient, session: Session) -> None:
    """Archived when approved, restored, rejected, archived again: restored as rejected."""
    firm = make_company(session)
    archive_company(session, firm.id, actor="test")
    restore(admin_client, firm)
    set_status(session, firm.id, "rejected", actor="test", note="Unclear ownership.")
    archive_company(session, firm.id, actor="test")
    restore(admin_client, firm)
    session.expire_all()
    assert session.get(Company, firm.id).status == "rejected"


def test_a_record_stored_archived_is_restored_for_review(
    admin_client: FlaskClient, session: Session
) -> None:
    """No audited archiving to read the old status from: the firm is reviewed first."""
    firm = make_company(session, status="archived")
    restore(admin_client, firm)
    session.expire_all()
    assert session.get(Company, firm.id).status == "pending"


def test_only_archived_firms_are_restored_and_a_stale_page_changes_nothing(
    admin_client: FlaskClient, session: Session
) -> None:
    live = make_company(session)
    assert "Only an archived company can be restored." in restore(admin_client, live)
    archived = make_company(session)
    shown = archived.version
    archive_company(session, archived.id, actor="test")
    assert "changed since you read it" in restore(admin_client, archived, version=shown)
    session.expire_all()
    assert session.get(Company, live.id).status == "approved"
    assert session.get(Company, archived.id).status == "archived"


def test_the_company_page_offers_restore_only_when_archived(
    admin_client: FlaskClient, session: Session
) -> None:
    firm = make_company(session)
    url = f"/admin/companies/{firm.id}"
    assert f"{url}/restore" not in admin_client.get(url).get_data(as_text=True)
    archive_company(session, firm.id, actor="test")
    page = admin_client.get(url).get_data(as_text=True)
    assert f"{url}/restore" in page and f"{url}/archive" not in page
    assert "Відновити" in admin_client.get(f"{url}?lang=uk").get_data(as_text=True)

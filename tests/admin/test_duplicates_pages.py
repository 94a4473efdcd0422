"""The duplicates pages: bands, a merge previewed then confirmed, a pair dismissed."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.models import Company
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import make_company


def test_candidates_are_listed_by_band(admin_client: FlaskClient, session: Session) -> None:
    """A same-name pair appears as certain, with merge links both ways."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    page = admin_client.get("/admin/duplicates").get_data(as_text=True)
    assert "Certain" in page and "Same name in the same country." in page
    assert f"/admin/duplicates/merge?survivor={a.id}&amp;merged={b.id}" in page
    assert "Staufen" not in admin_client.get("/admin/duplicates?band=possible").get_data(
        as_text=True
    )


def test_the_merge_preview_shows_what_changes(admin_client: FlaskClient, session: Session) -> None:
    """Before merging, the admin sees each field that the survivor would take."""
    a = make_company(session, name="Staufen Dynamics GmbH", website=None)
    b = make_company(session, name="Staufen Dynamics AG", website="https://staufen.example")
    page = admin_client.get(f"/admin/duplicates/merge?survivor={a.id}&merged={b.id}")
    text = page.get_data(as_text=True)
    assert "https://staufen.example" in text
    assert f'name="survivor_version" value="{a.version}"' in text


def test_merging_from_the_page(admin_client: FlaskClient, session: Session) -> None:
    """Confirming the merge archives the other record and audits both as the admin."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    data = {
        "survivor": a.id,
        "merged": b.id,
        "survivor_version": a.version,
        "merged_version": b.version,
    }
    response = admin_client.post("/admin/duplicates/merge", data=data)
    assert response.location == f"/admin/companies/{a.id}"
    session.expire_all()
    assert session.get(Company, b.id).status == "archived"
    assert last_audit(session, "company.merge").actor == ACTOR
    assert last_audit(session, "company.merged_into").entity_id == b.id
    assert "Staufen" not in admin_client.get("/admin/duplicates").get_data(as_text=True)


def test_a_stale_merge_goes_back_to_the_preview(
    admin_client: FlaskClient, session: Session
) -> None:
    """If a record changed since the preview, nothing is merged and the preview is shown again."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    data = {
        "survivor": a.id,
        "merged": b.id,
        "survivor_version": a.version,
        "merged_version": b.version + 1,
    }
    response = admin_client.post("/admin/duplicates/merge", data=data)
    assert response.location.startswith("/admin/duplicates/merge?")
    session.expire_all()
    assert session.get(Company, b.id).status == "approved"


def test_dismissing_a_pair(admin_client: FlaskClient, session: Session) -> None:
    """'Different firms' hides the pair and is audited."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    admin_client.post("/admin/duplicates/dismiss", data={"first": a.id, "second": b.id})
    assert "Staufen" not in admin_client.get("/admin/duplicates").get_data(as_text=True)
    event = last_audit(session, "duplicate.dismiss")
    assert (event.actor, event.entity_id, event.after) == (ACTOR, a.id, {"not_duplicate_of": b.id})

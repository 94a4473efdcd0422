"""The duplicates pages: bands, a merge previewed then confirmed, a pair dismissed."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from matchmaker.admin import duplicates as admin_duplicates
from matchmaker.models import Company, DuplicateCandidatePair
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


def test_the_page_shows_one_page_of_pairs(
    admin_client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pairs come a page at a time, strongest first, with the band counts of all of them."""
    monkeypatch.setattr(admin_duplicates, "PAGE_SIZE", 2)
    for stem in ("Staufen", "Lofoten", "Wigry"):
        make_company(session, name=f"{stem} Dynamics GmbH")
        make_company(session, name=f"{stem} Dynamics AG")
    first = admin_client.get("/admin/duplicates").get_data(as_text=True)
    second = admin_client.get("/admin/duplicates?page=2").get_data(as_text=True)
    assert first.count('class="card pair"') == 2 and second.count('class="card pair"') == 1
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert '<span class="count">3</span>' in first
    names = [stem for stem in ("Staufen", "Lofoten", "Wigry") if stem in first + second]
    assert len(names) == 3


def test_the_page_reads_the_stored_pairs(admin_client: FlaskClient, session: Session) -> None:
    """The page never compares the registry itself: it shows what the writes stored."""
    make_company(session, name="Staufen Dynamics GmbH")
    make_company(session, name="Staufen Dynamics AG")
    session.execute(delete(DuplicateCandidatePair))
    session.commit()
    assert "Staufen" not in admin_client.get("/admin/duplicates").get_data(as_text=True)


def test_an_unknown_band_is_refused(admin_client: FlaskClient) -> None:
    """A band that does not exist is a 400 naming the parameter, not an empty page."""
    response = admin_client.get("/admin/duplicates?band=maybe")
    assert response.status_code == 400
    assert "band" in response.get_data(as_text=True) and "maybe" in response.get_data(as_text=True)

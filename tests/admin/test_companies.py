"""The company list, one company, edit any field, archive, a new edit link; each audited."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.models import Company
from matchmaker.services.documents import company_document
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import make_company
from tests.web.form_data import form_data


def listed(client: FlaskClient, **query: str) -> str:
    return client.get("/admin/companies", query_string=query).get_data(as_text=True)


def test_the_list_filters_and_searches(admin_client: FlaskClient, session: Session) -> None:
    """Status, side, country, capability area and text search each narrow the list."""
    make_company(session, name="Alpha Shells GmbH")
    make_company(
        session,
        name="Bravo Drones LLC",
        country="UA",
        capabilities=["drones_counter_drone.fpv"],
        status="pending",
    )
    make_company(
        session,
        name="Charlie Radar SAS",
        country="FR",
        legal_id="FR12345678901",
        capabilities=["air_missile_defence.radars"],
    )
    assert all(n in listed(admin_client) for n in ("Alpha", "Bravo", "Charlie"))
    assert "Alpha" not in listed(admin_client, status="pending")
    assert "Bravo" not in listed(admin_client, side="EU")
    assert "Charlie" in listed(admin_client, country="FR")
    assert "Alpha" not in listed(admin_client, country="FR")
    only_drones = listed(admin_client, area="drones_counter_drone")
    assert "Bravo" in only_drones and "Alpha" not in only_drones
    assert "Charlie" in listed(admin_client, q="radar")
    assert "Charlie" not in listed(admin_client, q="shells")


def test_search_treats_wildcards_as_text(admin_client: FlaskClient, session: Session) -> None:
    """A '%' typed in the search box matches a '%', not everything."""
    make_company(session, name="Alpha Shells GmbH")
    assert "Alpha Shells" not in listed(admin_client, q="%")


def test_the_company_page_shows_everything(admin_client: FlaskClient, session: Session) -> None:
    """All fields, confidential ones included, and the actions that fit the status."""
    company = make_company(session, status="pending")
    page = admin_client.get(f"/admin/companies/{company.id}").get_data(as_text=True)
    assert company.name in page
    assert "erika@testwerk.example" in page
    assert f"/admin/companies/{company.id}/approve" in page
    assert f"/admin/companies/{company.id}/archive" in page


def test_editing_any_field_is_audited(admin_client: FlaskClient, session: Session) -> None:
    """An admin changes a compliance field; the audit records before and after."""
    company = make_company(session)
    document = company_document(company)
    document["compliance"]["itar_controlled"] = True
    document["contact"]["phone"] = "+49 30 7654321"
    data = form_data(document, version=str(company.version))
    assert admin_client.post(f"/admin/companies/{company.id}/edit", data=data).status_code == 302
    event = last_audit(session, "company.update")
    assert event.actor == ACTOR
    assert event.before["compliance"]["itar_controlled"] is False
    assert event.after["compliance"]["itar_controlled"] is True
    assert event.after["contact"]["phone"] == "+49 30 7654321"
    assert event.after["status"] == "approved"  # a plain save keeps the status


def test_an_invalid_edit_shows_the_errors_in_the_form(
    admin_client: FlaskClient, session: Session
) -> None:
    """The admin editor uses the same rules and error display as the firm's form."""
    company = make_company(session)
    data = form_data(company_document(company) | {"country": "RU"}, version=str(company.version))
    response = admin_client.post(f"/admin/companies/{company.id}/edit", data=data)
    assert response.status_code == 422
    assert "not eligible" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Company, company.id).country == "DE"


def test_archiving_keeps_the_record(admin_client: FlaskClient, session: Session) -> None:
    """Archive, never delete: the record stays, archived, and the change is audited."""
    company = make_company(session)
    admin_client.post(f"/admin/companies/{company.id}/archive", data={"version": company.version})
    session.expire_all()
    assert session.get(Company, company.id).status == "archived"
    event = last_audit(session, "company.update")
    assert (event.actor, event.after["status"]) == (ACTOR, "archived")


def test_a_new_edit_link_works_and_is_audited(admin_client: FlaskClient, session: Session) -> None:
    """The admin issues a link for the firm; it opens the firm's edit page."""
    company = make_company(session, status="pending")
    page = admin_client.post(f"/admin/companies/{company.id}/edit-link").get_data(as_text=True)
    link = page.split('id="edit-link"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert "/profile/edit/" in link
    assert last_audit(session, "company.edit_link").actor == ACTOR
    path = link.split("localhost", 1)[1]
    assert company.name in admin_client.get(path, follow_redirects=True).get_data(as_text=True)


def test_the_list_finds_cyrillic_names_in_any_case(
    admin_client: FlaskClient, session: Session
) -> None:
    """The search box of the list: "крук" and "КРУК" both find "Крук Дніпро"."""
    make_company(session, name="Крук Дніпро ТОВ", country="UA")
    make_company(session, name="Alpha Shells GmbH")
    for typed in ("крук", "КРУК"):
        page = listed(admin_client, q=typed)
        assert "Крук Дніпро ТОВ" in page and "Alpha Shells" not in page, typed

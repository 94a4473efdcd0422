"""The introductions page: every introduction, filtered and paged, and outcome updates
with the API's rules (forward only, closed stays closed), a stale version refused and
every update audited."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.models import Introduction
from matchmaker.services.api_keys import create_api_client
from matchmaker.services.introductions import record_introduction
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import make_company

PAGE = "/admin/introductions"


def introduce(session: Session, a: int, b: int, office: int | None = None, **data: str) -> int:
    fields = {"company_a_id": a, "company_b_id": b, **data}
    return record_introduction(session, fields, actor="test", api_client_id=office).id


def listed(client: FlaskClient, **query: str) -> str:
    response = client.get(PAGE, query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_lists_and_filters_by_outcome_office_and_firm(
    admin_client: FlaskClient, session: Session
) -> None:
    kruk = make_company(session, name="Крук Дніпро ТОВ", country="UA")
    shells = make_company(session, name="Alpha Shells GmbH")
    radar = make_company(session, name="Bravo Radar SAS", country="FR", legal_id="FR12345678901")
    office, _key = create_api_client(session, "Berlin export office", "office", actor="test")
    by_office = introduce(session, kruk.id, shells.id, office.id, note="Met in Kyiv.")
    by_admin = introduce(session, kruk.id, radar.id, outcome="meeting")
    page = listed(admin_client)
    assert f"#{by_office} " in page and f"#{by_admin} " in page
    assert "Berlin export office" in page and "Met in Kyiv." in page
    assert 'href="/admin/introductions"' in admin_client.get("/admin/").get_data(as_text=True)

    only_meetings = listed(admin_client, outcome="meeting")
    assert f"#{by_admin} " in only_meetings and f"#{by_office} " not in only_meetings
    only_office = listed(admin_client, office=str(office.id))
    assert f"#{by_office} " in only_office and f"#{by_admin} " not in only_office
    only_pages = listed(admin_client, office="admin")
    assert f"#{by_admin} " in only_pages and f"#{by_office} " not in only_pages
    for firm in ("крук", "#" + str(kruk.id)):  # either firm of the pair, the search's rules
        both = listed(admin_client, firm=firm)
        assert f"#{by_office} " in both and f"#{by_admin} " in both, firm
    only_radar = listed(admin_client, firm="fr 1234 5678 901")
    assert f"#{by_admin} " in only_radar and f"#{by_office} " not in only_radar
    assert "No introduction matches" in listed(admin_client, firm="nobody at all")
    # Values no menu offers do not filter (and do not fail).
    assert f"#{by_office} " in listed(admin_client, outcome="won", office="999")


def test_the_page_is_paged(admin_client: FlaskClient, session: Session) -> None:
    a, b = make_company(session), make_company(session, country="UA")
    ids = [introduce(session, a.id, b.id, outcome="declined") for _ in range(53)]
    first, second = listed(admin_client), listed(admin_client, page="2")
    assert "Page 1 of 2" in first and f"#{ids[-1]} " in first and f"#{ids[0]} " not in first
    assert f"#{ids[0]} " in second and f"#{ids[-1]} " not in second


def test_an_outcome_update_is_saved_and_audited(
    admin_client: FlaskClient, session: Session
) -> None:
    a, b = make_company(session), make_company(session, country="UA")
    intro_id = introduce(session, a.id, b.id)
    back = f"{PAGE}?firm=%23{a.id}"
    response = admin_client.post(
        f"{PAGE}/{intro_id}",
        data={"outcome": "meeting", "note": "Second meeting in May.", "version": "1", "next": back},
    )
    assert response.status_code == 302 and response.location == back
    session.expire_all()
    introduction = session.get(Introduction, intro_id)
    assert introduction is not None
    assert (introduction.outcome, introduction.note) == ("meeting", "Second meeting in May.")
    event = last_audit(session, "introduction.update")
    assert event.actor == ACTOR and event.entity_id == intro_id
    assert (event.before or {})["outcome"] == "proposed"
    assert (event.after or {})["outcome"] == "meeting"
    page = admin_client.get(back).get_data(as_text=True)
    assert f"Updated introduction #{intro_id}." in page and "Meeting held" in page


def test_the_apis_rules_hold_on_the_page(admin_client: FlaskClient, session: Session) -> None:
    """Backwards is refused, an unknown outcome is refused, a closed one offers no form;
    each refusal names the field and changes nothing."""
    a, b = make_company(session), make_company(session, country="UA")
    intro_id = introduce(session, a.id, b.id, outcome="meeting")
    for outcome, message in (("contacted", "Cannot go back"), ("won", "outcome: ")):
        page = admin_client.post(
            f"{PAGE}/{intro_id}",
            data={"outcome": outcome, "version": "1"},
            follow_redirects=True,
        ).get_data(as_text=True)
        assert message in page, outcome
    session.expire_all()
    introduction = session.get(Introduction, intro_id)
    assert introduction is not None and introduction.outcome == "meeting"
    assert introduction.version == 1

    closed = introduce(session, a.id, make_company(session).id, outcome="declined")
    page = listed(admin_client)
    assert f'action="/admin/introductions/{intro_id}"' in page
    assert f'action="/admin/introductions/{closed}"' not in page
    assert "record a new introduction" in page


def test_a_stale_update_is_refused_not_overwritten(
    admin_client: FlaskClient, session: Session
) -> None:
    """Two admins opened the page at version 1; the second save must not undo the first."""
    a, b = make_company(session), make_company(session, country="UA")
    intro_id = introduce(session, a.id, b.id)
    first = {"outcome": "mou", "note": "Signed.", "version": "1"}
    admin_client.post(f"{PAGE}/{intro_id}", data=first)
    stale = {"outcome": "declined", "note": "Lost touch.", "version": "1"}
    page = admin_client.post(f"{PAGE}/{intro_id}", data=stale, follow_redirects=True).get_data(
        as_text=True
    )
    assert "changed by someone else meanwhile; nothing was saved" in page
    session.expire_all()
    introduction = session.get(Introduction, intro_id)
    assert introduction is not None
    assert (introduction.outcome, introduction.note) == ("mou", "Signed.")


def test_the_explorer_sends_a_second_introduction_to_the_open_one(
    admin_client: FlaskClient, session: Session
) -> None:
    """ "Update it instead" leads to the page where that update is made."""
    a, b = make_company(session), make_company(session, country="UA")
    intro_id = introduce(session, a.id, b.id)
    response = admin_client.post(
        f"/admin/explorer/{a.id}/introductions", data={"company_b_id": str(b.id)}
    )
    assert response.location == f"{PAGE}?firm=%23{a.id}#introduction-{intro_id}"
    page = admin_client.get(response.location).get_data(as_text=True)
    assert f"already have an open introduction (#{intro_id})" in page
    assert f'action="/admin/introductions/{intro_id}"' in page


def test_the_page_in_ukrainian(admin_client: FlaskClient, session: Session) -> None:
    a, b = make_company(session), make_company(session, country="UA")
    introduce(session, a.id, b.id)
    page = listed(admin_client, lang="uk")
    assert "Знайомства" in page and "Запропоновано" in page and "Зберегти результат" in page

"""The firm's edit page behind its private link: valid, expired, altered, someone else's."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.models import Company
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from tests.factories import loaded_company, no_embedding
from tests.web.form_data import form_data


def submitted(session: Session, **overrides: object) -> tuple[Company, str]:
    company = edit_links.submit_profile(
        session, loaded_company(**overrides), on_change=no_embedding
    )
    return company, edit_links.edit_token(company, "test-secret-key")


def test_a_valid_link_opens_the_prefilled_form(client: FlaskClient, session: Session) -> None:
    """The link shows the firm's own profile, ready to change."""
    company, token = submitted(session, name="Prefilled Optics GmbH")
    page = client.get(f"/profile/edit/{token}", follow_redirects=True).get_data(as_text=True)
    assert 'value="Prefilled Optics GmbH"' in page
    assert f'name="version" value="{company.version}"' in page


def test_saving_through_the_link_updates_a_pending_profile(
    client: FlaskClient, session: Session
) -> None:
    """A firm's edit of its profile under review is stored at once and still waits."""
    company, token = submitted(session)
    document = company_document(company) | {"offers": "Now also 120 mm mortar bombs."}
    data = form_data(document, version=str(company.version))
    response = client.post(f"/profile/edit/{token}", data=data)
    assert response.status_code == 302
    assert response.location.endswith("?updated=saved")
    session.expire_all()
    stored = session.get(Company, company.id)
    assert stored.offers == "Now also 120 mm mortar bombs."
    assert stored.status == "pending"
    assert "Your changes are saved" in client.get(response.location).get_data(as_text=True)


def test_a_rejected_firm_sees_why_on_its_edit_page(client: FlaskClient, session: Session) -> None:
    """The reviewer's reason is shown to the firm so it can correct the profile."""
    company, token = submitted(session)
    company.status, company.review_note = "rejected", "Please give your EDRPOU code."
    session.commit()
    page = client.get(f"/profile/edit/{token}", follow_redirects=True).get_data(as_text=True)
    assert "Please give your EDRPOU code." in page


def test_an_expired_link_is_refused(
    client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    """After EDIT_LINK_MAX_AGE_DAYS the link answers 410 and changes nothing."""
    company, token = submitted(session)
    days = app.config["EDIT_LINK_MAX_AGE_DAYS"]
    later = time.time() + days * 86400 + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    response = client.get(f"/profile/edit/{token}")
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    data = form_data(company_document(company) | {"name": "Hijacked"})
    assert client.post(f"/profile/edit/{token}", data=data).status_code == 410


def test_an_altered_link_is_refused(client: FlaskClient, session: Session) -> None:
    """A token edited by hand opens nothing."""
    _, token = submitted(session)
    assert client.get(f"/profile/edit/{token[:-3]}abc").status_code == 404


def test_a_link_edits_only_its_own_firm(client: FlaskClient, session: Session) -> None:
    """Firm B's link changes B only, whatever ids the posted form carries."""
    first, _ = submitted(session, name="First Firm GmbH")
    second, second_token = submitted(session, name="Second Firm GmbH")
    document = company_document(second) | {"name": "Renamed Second GmbH"}
    data = form_data(
        document, version=str(second.version), id=str(first.id), company_id=str(first.id)
    )
    assert client.post(f"/profile/edit/{second_token}", data=data).status_code == 302
    session.expire_all()
    assert session.get(Company, second.id).name == "Renamed Second GmbH"
    assert session.get(Company, first.id).name == "First Firm GmbH"
    assert session.get(Company, first.id).version == first.version


def test_a_stale_edit_is_refused(client: FlaskClient, session: Session) -> None:
    """Two tabs: the second save, based on an old version, is refused with 409."""
    company, token = submitted(session)
    version = str(company.version)
    first = form_data(company_document(company) | {"seeks": "Tab one."}, version=version)
    second = form_data(company_document(company) | {"seeks": "Tab two."}, version=version)
    assert client.post(f"/profile/edit/{token}", data=first).status_code == 302
    response = client.post(f"/profile/edit/{token}", data=second)
    assert response.status_code == 409
    assert "changed in the meantime" in response.get_data(as_text=True)


def test_an_archived_profile_cannot_be_edited(client: FlaskClient, session: Session) -> None:
    """After archiving (or a merge) the firm's link is closed."""
    company, token = submitted(session)
    company.status = "archived"
    session.commit()
    assert client.get(f"/profile/edit/{token}").status_code == 409


def test_pages_with_a_token_are_not_cached_or_referred(
    client: FlaskClient, session: Session
) -> None:
    """The private link never leaves the browser through a Referer header or a cache."""
    _, token = submitted(session)
    for url in (f"/profile/edit/{token}", f"/profile/submitted/{token}"):
        for response in (client.get(url), client.get(url, follow_redirects=True)):
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert response.headers["Cache-Control"] == "no-store"


def test_the_token_leaves_the_url_after_the_first_use(
    client: FlaskClient, session: Session
) -> None:
    """Opening the link redirects to a URL without the token; editing happens there, so
    the token is in one request line at most (access logs, history, proxies)."""
    company, token = submitted(session, name="Tokenless Optics GmbH")
    response = client.get(f"/profile/edit/{token}")
    assert response.status_code == 302
    assert response.location == "/profile/edit"
    page = client.get("/profile/edit").get_data(as_text=True)
    assert 'value="Tokenless Optics GmbH"' in page
    assert token not in page
    document = company_document(company) | {"offers": "Saved without the token."}
    response = client.post("/profile/edit", data=form_data(document, version=str(company.version)))
    assert response.status_code == 302
    assert token not in response.location
    session.expire_all()
    assert session.get(Company, company.id).offers == "Saved without the token."


def test_without_an_opened_link_the_edit_page_is_refused(
    client: FlaskClient, session: Session
) -> None:
    """The tokenless URL opens nothing by itself, and a POST there writes nothing."""
    company, _ = submitted(session)
    response = client.get("/profile/edit")
    assert response.status_code == 403
    assert "open your private edit link again" in response.get_data(as_text=True)
    data = form_data(company_document(company) | {"name": "Hijacked"})
    assert client.post("/profile/edit", data=data).status_code == 403
    session.expire_all()
    assert session.get(Company, company.id).name != "Hijacked"


def test_a_new_link_revokes_the_old_link_and_its_open_sessions(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    """One live link per firm: after an admin issues a new one, the old link and every
    browser that opened it are refused; the new link works."""
    company, old = submitted(session)
    assert client.get(f"/profile/edit/{old}", follow_redirects=True).status_code == 200
    new = edit_links.issue_edit_link(session, company.id, "test-secret-key", actor="admin:x")
    assert client.get("/profile/edit").status_code == 410
    stranger = app.test_client()
    response = stranger.get(f"/profile/edit/{old}")
    assert response.status_code == 410
    assert "replaced by a newer one" in response.get_data(as_text=True)
    assert stranger.get(f"/profile/edit/{new}", follow_redirects=True).status_code == 200


def test_an_idle_editing_session_ends(
    app: Flask, client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session the link opened is short-lived: idle for EDIT_SESSION_MINUTES, it ends."""
    _, token = submitted(session)
    client.get(f"/profile/edit/{token}")
    later = time.time() + app.config["EDIT_SESSION_MINUTES"] * 60 + 5
    monkeypatch.setattr("matchmaker.web.pages.time.time", lambda: later)
    assert client.get("/profile/edit").status_code == 403

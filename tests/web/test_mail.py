"""Outgoing e-mail through a real SMTP server on loopback: the edit link on submit,
"send my edit link again", the admins' digest, the outbox folder, a server that is down."""

from __future__ import annotations

import re
import stat
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.extensions import db
from matchmaker.models import AdminUser, Company, OutgoingMail
from matchmaker.services import edit_links
from matchmaker.services.documents import company_document
from tests.factories import company_payload, edrpou, make_company
from tests.smtp_server import (
    SMTP_PASSWORD,
    SmtpServer,
    closed_smtp_url,
    running_smtp_server,
    smtp_server,
)
from tests.web.form_data import form_data

__all__ = ["smtp_server"]  # the fixture, imported to be used here

PUBLIC_URL = "http://127.0.0.1:5000"
_LINK = re.compile(r"http://127\.0\.0\.1:5000(/profile/edit/\S+)")


def body(message: EmailMessage) -> str:
    return str(message.get_content())


def link_path(message: EmailMessage) -> str:
    match = _LINK.search(body(message))
    assert match, f"no edit link in the message:\n{body(message)}"
    return match.group(1)


def submit(client: FlaskClient, **overrides: object) -> Company:
    payload = company_payload(**overrides)
    response = client.post("/profile/new", data=form_data(payload))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    response.close()
    return Company.query.filter_by(legal_id=payload["legal_id"]).one()


def recover(client: FlaskClient, country: str, legal_id: str, **environ: str) -> str:
    response = client.post(
        "/profile/recover",
        data={"country": country, "legal_id": legal_id},
        environ_base=environ,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:500]
    response.close()  # the lookup and the mail happen once the page is out
    db.session.expire_all()  # they ran in their own session: forget what the test's knew
    return page


# --- on submit -------------------------------------------------------------------------


def test_the_edit_link_is_mailed_to_the_contact_on_submit_and_works(
    app: Flask, client: FlaskClient, smtp_server: SmtpServer
) -> None:
    """The firm's contact gets its private link; opening it opens that firm's edit page."""
    company = submit(client, contact={"name": "Erika", "email": "erika@firm.example"})
    confirmation = client.get("/profile/submitted").get_data(as_text=True)
    assert "We also sent it to erika@firm.example" in confirmation

    [message] = smtp_server.inbox.messages
    assert message["To"] == "erika@firm.example"
    assert smtp_server.inbox.recipients == [["erika@firm.example"]]
    assert message["Subject"] == "Your Matchmaker edit link"
    assert smtp_server.inbox.logins == ["matchmaker"]
    assert company.name in body(message)
    assert "/profile/recover" in body(message)
    assert message.get_content_type() == "text/plain"

    fresh = app.test_client()
    opened = fresh.get(link_path(message), follow_redirects=True)
    assert opened.status_code == 200
    assert f'value="{company.name}"' in opened.get_data(as_text=True)


def test_the_mail_is_in_the_language_the_firm_registered_in(
    client: FlaskClient, smtp_server: SmtpServer
) -> None:
    client.get("/?lang=uk")
    submit(client, country="UA")
    [message] = smtp_server.inbox.messages
    assert message["Subject"] == "Ваше посилання для редагування профілю Matchmaker"
    assert "Дякуємо" in body(message)


def test_links_in_mail_never_take_the_host_from_the_request(
    client: FlaskClient, smtp_server: SmtpServer
) -> None:
    """A forged Host header must not put a firm's valid link on someone else's site."""
    payload = company_payload()
    client.post("/profile/new", data=form_data(payload), headers={"Host": "evil.example"}).close()
    [message] = smtp_server.inbox.messages
    assert "evil.example" not in body(message)
    assert _LINK.search(body(message))


def test_smtp_down_the_submit_still_succeeds_and_flask_mail_retry_sends_it_later(
    app: Flask,
    client: FlaskClient,
    runner: FlaskCliRunner,
    session: Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused connection costs a retry, never the firm's profile; the log holds no link."""
    app.config["SMTP_URL"] = closed_smtp_url()
    try:
        company = submit(client)
        confirmation = client.get("/profile/submitted").get_data(as_text=True)
    finally:
        app.config["SMTP_URL"] = None
    assert session.get(Company, company.id) is not None
    assert "We could not send it" in confirmation
    owed = session.scalars(select(OutgoingMail)).one()
    assert (owed.status, owed.attempts, owed.company_id) == ("failed", 1, company.id)
    assert "/profile/edit/" not in caplog.text
    assert "ConnectionRefusedError" in caplog.text

    with running_smtp_server(app) as server:
        result = runner.invoke(args=["mail", "retry"])
        assert result.exit_code == 0, result.output
        assert "sent: 1; still failing: 0" in result.output
        [message] = server.inbox.messages
        again = runner.invoke(args=["mail", "retry"])
        assert "sent: 0; still failing: 0" in again.output
        assert len(server.inbox.messages) == 1
    assert message["To"] == company.contact_email
    session.refresh(owed)
    assert owed.status == "sent"
    opened = app.test_client().get(link_path(message), follow_redirects=True)
    assert opened.status_code == 200
    # Same link version as the one shown on screen: retrying revoked nothing.
    session.refresh(company)
    assert company.edit_link_version == 1


def test_retry_exits_non_zero_while_the_server_is_still_down(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    app.config["SMTP_URL"] = closed_smtp_url()
    try:
        submit(client)
        result = runner.invoke(args=["mail", "retry"])
    finally:
        app.config["SMTP_URL"] = None
    assert result.exit_code == 1
    assert "still failing: 1" in result.output


def test_without_smtp_url_mail_is_written_to_the_outbox_folder(
    app: Flask, client: FlaskClient
) -> None:
    """Development needs nothing installed: each message is a private .eml file."""
    outbox = app.config["OUTBOX_DIR"]
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    company = submit(client)
    [written] = set(outbox.glob("*.eml")) - before
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["To"] == company.contact_email
    opened = app.test_client().get(link_path(message), follow_redirects=True)
    assert f'value="{company.name}"' in opened.get_data(as_text=True)


def test_a_firm_without_e_mail_is_told_the_link_cannot_be_sent(
    client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    submit(client, contact={"name": "Erika", "email": None})
    page = client.get("/profile/submitted").get_data(as_text=True)
    assert "no contact e-mail address" in page
    assert smtp_server.inbox.messages == []
    assert session.scalars(select(OutgoingMail)).all() == []


# --- send my edit link again ---------------------------------------------------------


def test_recover_sends_a_fresh_link_only_to_the_address_on_file(
    app: Flask, client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    """Typed with spaces and lower case, the legal id still finds the firm; the old
    link stops working, the new one opens the firm's page."""
    company = make_company(session, country="UA", legal_id=edrpou(4242))
    old_token = edit_links.edit_token(company, app.secret_key)
    typed = " ".join(company.legal_id[i : i + 2] for i in range(0, 8, 2)).lower()
    recover(client, "ua", typed)

    [message] = smtp_server.inbox.messages
    assert smtp_server.inbox.recipients == [[company.contact_email]]
    assert message["Subject"] == "Your new Matchmaker edit link"
    assert app.test_client().get(f"/profile/edit/{old_token}").status_code == 410
    opened = app.test_client().get(link_path(message), follow_redirects=True)
    assert f'value="{company.name}"' in opened.get_data(as_text=True)


def test_recover_answers_the_same_whether_or_not_the_firm_exists(
    client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    company = make_company(session)
    known = recover(client, company.country, company.legal_id)
    unknown = recover(client, "DE", "DE999999999")
    strip = re.compile(r'name="csrf_token" value="[^"]*"')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert len(smtp_server.inbox.messages) == 1  # only the real firm got mail


def test_recover_sends_nothing_for_an_archived_firm_or_one_without_e_mail(
    client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    archived = make_company(session, status="archived")
    silent = make_company(session, contact={"name": "X", "email": None})
    recover(client, archived.country, archived.legal_id)
    recover(client, silent.country, silent.legal_id)
    assert smtp_server.inbox.messages == []
    session.refresh(archived)
    assert archived.edit_link_version == 1


def test_recover_in_ukrainian_mails_in_ukrainian(
    client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    company = make_company(session)
    client.get("/?lang=uk")
    page = recover(client, company.country, company.legal_id)
    assert "Перевірте пошту" in page
    [message] = smtp_server.inbox.messages
    assert message["Subject"] == "Ваше нове посилання для редагування профілю Matchmaker"


def test_recover_names_the_missing_fields(client: FlaskClient, smtp_server: SmtpServer) -> None:
    response = client.post("/profile/recover", data={"country": "XX", "legal_id": "  "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the country where your company is registered." in page
    assert "Enter your company&#39;s legal identifier." in page
    assert 'value="  "' in page or 'id="legal_id"' in page


def test_recover_is_rate_limited_per_firm_across_addresses(
    client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    """Nobody can keep revoking a firm's link or flood its inbox, even from many addresses."""
    company = make_company(session)
    for n in range(3):
        recover(client, company.country, company.legal_id, REMOTE_ADDR=f"10.0.0.{n}")
    refused = client.post(
        "/profile/recover",
        data={"country": company.country, "legal_id": company.legal_id},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert refused.status_code == 429
    assert "Too many requests for a new edit link" in refused.get_data(as_text=True)
    refused.close()
    assert len(smtp_server.inbox.messages) == 3
    session.refresh(company)
    assert company.edit_link_version == 4


def test_recover_is_rate_limited_per_address(client: FlaskClient, smtp_server: SmtpServer) -> None:
    for n in range(10):
        recover(client, "DE", f"DE{500_000_000 + n}")
    refused = client.post("/profile/recover", data={"country": "DE", "legal_id": "DE500000099"})
    assert refused.status_code == 429


def test_recover_is_reachable_from_the_form_the_confirmation_and_dead_links(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    assert 'href="/profile/recover"' in client.get("/profile/new").get_data(as_text=True)
    company = make_company(session)
    # "Already registered": the error offers to send the link again, prefilled.
    duplicate = client.post("/profile/new", data=form_data(company_document(company)))
    assert duplicate.status_code == 422
    assert (
        f"/profile/recover?country={company.country}&amp;legal_id={company.legal_id}"
        in duplicate.get_data(as_text=True)
    )
    for dead in ("/profile/edit/not-a-token", "/profile/edit"):
        page = app.test_client().get(dead).get_data(as_text=True)
        assert 'href="/profile/recover"' in page, dead
    fresh = app.test_client()
    submit(fresh)
    assert "/profile/recover?" in fresh.get("/profile/submitted").get_data(as_text=True)


# --- the admins' digest ----------------------------------------------------------------


def admins(session: Session, *emails: str, active: bool = True) -> None:
    for address in emails:
        session.add(AdminUser(email=address, password_hash="x", active=active))
    session.commit()


def test_the_digest_lists_new_and_changed_submissions_once(
    app: Flask,
    client: FlaskClient,
    runner: FlaskCliRunner,
    session: Session,
    smtp_server: SmtpServer,
) -> None:
    admins(session, "ada@admin.example", "bob@admin.example")
    admins(session, "gone@admin.example", active=False)
    first = submit(client)
    second = submit(app.test_client())
    make_company(session)  # written by an admin or import: not a firm submission
    smtp_server.inbox.messages.clear()  # the firms' own edit-link mails
    smtp_server.inbox.recipients.clear()

    result = runner.invoke(args=["mail", "digest"])
    assert "Digest sent with 2 firms." in result.output
    [digest] = smtp_server.inbox.messages
    assert sorted(smtp_server.inbox.recipients[0]) == ["ada@admin.example", "bob@admin.example"]
    assert digest["Subject"] == "Matchmaker: new or changed profiles to review: 2"
    text = body(digest)
    assert f"New: #{first.id} {first.name}" in text
    assert f"New: #{second.id} {second.name}" in text
    assert f"{PUBLIC_URL}/admin/companies/{first.id}" in text

    # Nothing new: nothing sent. Then the firm edits its profile: only that is listed.
    assert "No digest sent" in runner.invoke(args=["mail", "digest"]).output
    document = company_document(first) | {"offers": "Now also 120 mm mortar bombs."}
    saved = client.post("/profile/edit", data=form_data(document, version=str(first.version)))
    assert saved.status_code == 302
    saved.close()
    runner.invoke(args=["mail", "digest"])
    assert len(smtp_server.inbox.messages) == 2
    text = body(smtp_server.inbox.messages[1])
    assert f"Changed: #{first.id} {first.name}" in text
    assert second.name not in text
    assert SMTP_PASSWORD not in text


def test_a_failed_digest_is_listed_again_by_the_next_one(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, session: Session
) -> None:
    app.config["ADMIN_DIGEST_TO"] = ["office@admin.example"]
    try:
        company = submit(client)
        app.config["SMTP_URL"] = closed_smtp_url()
        assert "No digest sent" in runner.invoke(args=["mail", "digest"]).output
        with running_smtp_server(app) as server:
            assert "Digest sent with 1 firms." in runner.invoke(args=["mail", "digest"]).output
            [digest] = server.inbox.messages
    finally:
        app.config["ADMIN_DIGEST_TO"] = []
    assert digest["To"] == "office@admin.example"
    assert f"New: #{company.id}" in body(digest)


def test_immediate_digest_goes_out_after_the_submit(
    app: Flask, client: FlaskClient, session: Session, smtp_server: SmtpServer
) -> None:
    admins(session, "ada@admin.example")
    app.config["ADMIN_DIGEST"] = "immediate"
    try:
        company = submit(client)
    finally:
        app.config["ADMIN_DIGEST"] = "daily"
    subjects = [message["Subject"] for message in smtp_server.inbox.messages]
    assert subjects == [
        "Your Matchmaker edit link",
        "Matchmaker: new or changed profiles to review: 1",
    ]
    assert f"New: #{company.id}" in body(smtp_server.inbox.messages[1])


def test_digest_off_sends_nothing(
    app: Flask,
    client: FlaskClient,
    runner: FlaskCliRunner,
    session: Session,
    smtp_server: SmtpServer,
) -> None:
    admins(session, "ada@admin.example")
    submit(client)
    app.config["ADMIN_DIGEST"] = "off"
    try:
        assert "off" in runner.invoke(args=["mail", "digest"]).output
    finally:
        app.config["ADMIN_DIGEST"] = "daily"
    assert [m["Subject"] for m in smtp_server.inbox.messages] == ["Your Matchmaker edit link"]

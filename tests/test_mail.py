"""The mail transports: what MATCHMAKER_SMTP_URL means, and the password kept out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from matchmaker.mail import (
    MailConfigError,
    MailDeliveryError,
    OutboxTransport,
    SmtpTransport,
    compose,
    transport_from_url,
)
from tests.smtp_server import SMTP_PASSWORD, running_smtp_server

OUTBOX = Path("/tmp/unused-outbox")


def test_no_url_writes_to_the_outbox() -> None:
    assert transport_from_url(None, OUTBOX) == OutboxTransport(OUTBOX)
    assert transport_from_url("", OUTBOX) == OutboxTransport(OUTBOX)


def test_smtp_urls_are_understood() -> None:
    plain = transport_from_url("smtp://mail.example", OUTBOX)
    assert (plain.host, plain.port, plain.username, plain.starttls) == (
        "mail.example",
        25,
        None,
        False,
    )
    submission = transport_from_url(
        "smtp://me%40x.org:p%40ss@mail.example:587?starttls=true", OUTBOX
    )
    assert isinstance(submission, SmtpTransport)
    assert (submission.port, submission.username, submission.password) == (587, "me@x.org", "p@ss")
    assert submission.starttls and not submission.tls
    tls = transport_from_url("smtps://me:pw@mail.example", OUTBOX, timeout=3)
    assert isinstance(tls, SmtpTransport)
    assert (tls.port, tls.tls, tls.timeout) == (465, True, 3)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example", "smtp:// or smtps://"),
        ("smtp://:pw@", "names no host"),
        ("smtp://mail.example:port", "not a number"),
        ("smtps://mail.example?starttls=1", "drop starttls"),
    ],
)
def test_a_bad_url_is_refused_clearly(url: str, says: str) -> None:
    with pytest.raises(MailConfigError, match=says) as error:
        transport_from_url(url, OUTBOX)
    assert "pw" not in str(error.value)


def test_the_password_never_shows() -> None:
    transport = transport_from_url("smtp://me:hunter2-secret@mail.example:587?starttls=1", OUTBOX)
    assert "hunter2-secret" not in repr(transport)
    assert transport.describe() == "smtp://me@mail.example:587?starttls=true"


def test_a_refused_login_fails_without_showing_the_password(app: Flask) -> None:
    with running_smtp_server(app) as server:
        port = server.url.rsplit(":", 1)[1]
        wrong = transport_from_url(
            f"smtp://matchmaker:wrong-{SMTP_PASSWORD}@127.0.0.1:{port}", OUTBOX
        )
        message = compose(sender="a@b.example", to=["c@d.example"], subject="s", body="b")
        with pytest.raises(MailDeliveryError) as error:
            wrong.send(message)
        assert "SMTPAuthenticationError" in str(error.value)
        assert SMTP_PASSWORD not in str(error.value)
        assert server.inbox.messages == []


def test_messages_are_plain_utf8_text_without_tracking() -> None:
    message = compose(
        sender="Matchmaker <noreply@mm.example>",
        to=["x@y.example"],
        subject="Привіт",
        body="Текст\n",
    )
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Message-ID"].endswith("@mm.example>")
    assert "<img" not in message.as_string()

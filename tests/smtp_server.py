"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

SMTP_USER = "matchmaker"
SMTP_PASSWORD = "s3cret-smtp-pass"


@dataclass
class Inbox:
    """What the server accepted: each message, parsed, with its envelope recipients."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword) and (data.login, data.password) == (
            SMTP_USER.encode(),
            SMTP_PASSWORD.encode(),
        ):
            self.logins.append(data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@dataclass
class SmtpServer:
    url: str
    inbox: Inbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def closed_smtp_url() -> str:
    """An SMTP URL where nothing listens: every send is refused at once."""
    return f"smtp://127.0.0.1:{free_port()}"


@contextmanager
def running_smtp_server(app: Flask) -> Iterator[SmtpServer]:
    """A live SMTP server with login; the app sends its mail there while it runs."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,  # loopback only; STARTTLS would need a certificate
    )
    controller.start()
    url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{port}"
    app.config["SMTP_URL"] = url
    try:
        yield SmtpServer(url, inbox)
    finally:
        controller.stop()
        app.config["SMTP_URL"] = None


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SmtpServer]:
    with running_smtp_server(app) as server:
        yield server

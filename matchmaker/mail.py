"""Outgoing e-mail transports: an SMTP server, or `.eml` files in an outbox folder.

Plain Python (no Flask): `transport_from_url` turns `MATCHMAKER_SMTP_URL` into a
transport, and every transport has one method, `send`. Messages are plain text built
with `email.message.EmailMessage`; nothing in them tracks the reader.

`smtp://user:password@host:587?starttls=true` (STARTTLS on a plain connection),
`smtps://user:password@host:465` (TLS from the first byte), `smtp://host:25` (no
login). The password is kept out of every repr, log line and error message: a
transport describes itself as `smtp://user@host:port`.
"""

from __future__ import annotations

import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from matchmaker.instance_files import private_dir, private_file

DEFAULT_TIMEOUT_SECONDS = 10.0
_TRUE = frozenset({"1", "true", "yes", "on"})


class MailConfigError(ValueError):
    """`MATCHMAKER_SMTP_URL` cannot be understood (the message never holds the password)."""


class MailDeliveryError(RuntimeError):
    """The message was not handed over; the caller keeps it for a later attempt."""


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand the message over, or raise MailDeliveryError."""

    def describe(self) -> str:
        """Where messages go, fit for a log line (never a password)."""


@dataclass(frozen=True)
class SmtpTransport:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    tls: bool = False  # smtps://: TLS from the first byte
    starttls: bool = False
    timeout: float = DEFAULT_TIMEOUT_SECONDS

    def describe(self) -> str:
        scheme = "smtps" if self.tls else "smtp"
        user = f"{self.username}@" if self.username else ""
        starttls = "?starttls=true" if self.starttls else ""
        return f"{scheme}://{user}{self.host}:{self.port}{starttls}"

    def send(self, message: EmailMessage) -> None:
        try:
            with self._connect() as server:
                if self.starttls:
                    server.starttls(context=ssl.create_default_context())
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            # The exception's text is the server's answer or the socket error; neither
            # carries the password, but say where it failed without the URL itself.
            raise MailDeliveryError(
                f"{self.describe()}: {type(error).__name__}: {error}"
            ) from error

    def _connect(self) -> smtplib.SMTP:
        if self.tls:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)


@dataclass(frozen=True)
class OutboxTransport:
    """Development: each message becomes a private `.eml` file (it may hold an edit link)."""

    directory: Path

    def describe(self) -> str:
        return f"outbox folder {self.directory}"

    def send(self, message: EmailMessage) -> None:
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        try:
            private_dir(self.directory)
            with private_file(self.directory / name, exclusive=True) as handle:
                handle.write(message.as_bytes())
        except OSError as error:
            raise MailDeliveryError(f"{self.describe()}: {error}") from error


def transport_from_url(
    url: str | None, outbox: Path, *, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> MailTransport:
    """The SMTP transport `url` names, or the outbox folder when no URL is set."""
    if not url:
        return OutboxTransport(outbox)
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError(
            f"MATCHMAKER_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme!r}."
        )
    try:
        port = parts.port
    except ValueError as error:
        raise MailConfigError("MATCHMAKER_SMTP_URL has a port that is not a number.") from error
    if not parts.hostname:
        raise MailConfigError("MATCHMAKER_SMTP_URL names no host (smtp://host:port).")
    tls = parts.scheme == "smtps"
    options = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    starttls = options.get("starttls", "") in _TRUE
    if tls and starttls:
        raise MailConfigError("MATCHMAKER_SMTP_URL: smtps:// is already TLS; drop starttls.")
    return SmtpTransport(
        host=parts.hostname,
        port=port or (465 if tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
        starttls=starttls,
        timeout=timeout,
    )


def compose(*, sender: str, to: list[str], subject: str, body: str) -> EmailMessage:
    """A plain-text message, UTF-8, with its own Message-ID and Date."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message

"""The mail Matchmaker sends: a firm's edit link, and the admins' digest of submissions.

Messages are built here, in the recipient's language (the firm's page language when
the mail was owed; the configured digest language for admins), and handed to the
transport `MATCHMAKER_SMTP_URL` names (matchmaker/mail.py). What is owed is recorded
first (services/outgoing_mail.py), so a failing server costs a retry, never a firm's
submit: the caller's change is committed before any of this runs, and every delivery
error is caught, logged (without the link) and kept for `flask mail retry`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from email.message import EmailMessage

from flask import Flask, current_app
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import select

from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.extensions import db
from matchmaker.mail import MailDeliveryError, MailTransport, compose, transport_from_url
from matchmaker.models import AdminUser, Company, OutgoingMail
from matchmaker.services import outgoing_mail
from matchmaker.services.edit_links import edit_token, issue_edit_link
from matchmaker.services.profiles import find_by_legal_id

log = logging.getLogger(__name__)
RECOVER_ACTOR = "firm:recover"


def transport() -> MailTransport:
    config = current_app.config
    return transport_from_url(
        config["SMTP_URL"], config["OUTBOX_DIR"], timeout=config["SMTP_TIMEOUT_SECONDS"]
    )


def page_language() -> str:
    """The language the person is reading the site in (the default outside a request)."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def public_url(endpoint: str, **values: object) -> str:
    """An absolute link for a message: MATCHMAKER_PUBLIC_URL, never the request's Host."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["PUBLIC_URL"] + path


def send_new_edit_link(company: Company, token: str) -> bool:
    """After a submit: the link just shown on screen also goes to the contact e-mail.

    True when the transport took it; False when the firm gave no e-mail or the send
    failed (then `flask mail retry` sends it later with the same link version).
    """
    if not company.contact_email:
        return False
    try:
        mail = outgoing_mail.owe_edit_link(db.session, company, page_language())
        return deliver_edit_link(mail, token=token)
    except Exception:  # the profile is saved: the firm must see its confirmation, not a 500
        db.session.rollback()
        log.exception("The edit-link mail of company %s could not be recorded", company.id)
        return False


def recover_edit_link(country: str, legal_id: str, language: str) -> None:
    """The "send my edit link again" use case: a fresh link, only to the e-mail on file.

    Silent by design whatever it finds (no firm, archived, no e-mail): the page the
    person sees is the same in every case, and this runs after it was sent.
    """
    company = find_by_legal_id(db.session, country.upper(), normalize_legal_id(legal_id))
    if company is None or company.status == "archived" or not company.contact_email:
        return
    # A new link version: any older link, possibly the one that leaked, stops working.
    token = issue_edit_link(db.session, company.id, current_app.secret_key, actor=RECOVER_ACTOR)
    mail = outgoing_mail.owe_edit_link(db.session, company, language)
    deliver_edit_link(mail, token=token, recovered=True)


def deliver_edit_link(
    mail: OutgoingMail, *, token: str | None = None, recovered: bool = False
) -> bool:
    """Send one owed edit-link mail, rebuilding the link if none is given (a retry)."""
    company = db.session.get(Company, mail.company_id) if mail.company_id else None
    if company is None or company.status == "archived" or not company.contact_email:
        outgoing_mail.drop(db.session, mail, "the firm is gone, closed or has no e-mail on file")
        return False
    if company.edit_link_version != mail.link_version:
        outgoing_mail.drop(db.session, mail, "a newer edit link replaced this one")
        return False
    # The same link version as the one owed: re-minting it revokes nothing.
    link = public_url("web.edit_link", token=token or edit_token(company, current_app.secret_key))
    message = edit_link_message(company, link, mail.language, recovered=recovered)
    return _deliver(mail, message, f"edit link of company {company.id}")


def edit_link_message(
    company: Company, link: str, language: str, *, recovered: bool
) -> EmailMessage:
    """The firm's edit-link mail, in `language`."""
    days = current_app.config["EDIT_LINK_MAX_AGE_DAYS"]
    recover = public_url("web.recover")
    with force_locale(language):
        if recovered:
            subject = gettext("Your new Matchmaker edit link")
            opening = gettext(
                "A new edit link was requested for the profile of %(name)s on Matchmaker. "
                "Earlier links no longer work.",
                name=company.name,
            )
        else:
            subject = gettext("Your Matchmaker edit link")
            opening = gettext(
                "Thank you for registering %(name)s on Matchmaker. An administrator will "
                "review the profile; once approved it is suggested to partners.",
                name=company.name,
            )
        body = "\n\n".join(
            (
                gettext("Hello,"),
                opening,
                gettext("To update your profile, open this private link:"),
                link,
                gettext(
                    "Anyone who has this link can edit your profile, so do not forward this "
                    "message. The link is valid for %(days)s days. If you lose it, ask for a "
                    "new one here: %(recover)s",
                    days=days,
                    recover=recover,
                ),
                gettext(
                    "If you did not register on Matchmaker or ask for a link, you can ignore "
                    "this message."
                ),
                "Matchmaker",
            )
        )
    return compose(
        sender=current_app.config["MAIL_FROM"],
        to=[company.contact_email or ""],
        subject=subject,
        body=body + "\n",
    )


def send_digest() -> int:
    """Tell the admins about firm submissions since the last digest; how many were listed.

    Nothing is sent when there is nothing new or nobody to tell; a failed digest gives
    its items back, so the next one lists them (and nothing already sent).
    """
    recipients = digest_recipients()
    if not recipients:
        log.warning(
            "Admin digest not sent: no active admin user and no MATCHMAKER_ADMIN_DIGEST_TO."
        )
        return 0
    claimed = outgoing_mail.reserve_digest(db.session)
    if claimed is None:
        return 0
    mail, items = claimed
    with force_locale(current_app.config["ADMIN_DIGEST_LANGUAGE"]):
        lines = [
            (gettext("New") if item.new else gettext("Changed"))
            + f": #{item.company_id} {item.name} ({item.country})\n  "
            + public_url("admin.company", company_id=item.company_id)
            for item in items
        ]
        subject = gettext(
            "Matchmaker: new or changed profiles to review: %(count)d", count=len(items)
        )
        body = "\n\n".join(
            (
                gettext("Firms registered or changed their profiles since the last notice:"),
                "\n".join(lines),
                gettext("The review queue: %(url)s", url=public_url("admin.review_queue")),
            )
        )
    message = compose(
        sender=current_app.config["MAIL_FROM"], to=recipients, subject=subject, body=body + "\n"
    )
    return len(items) if _deliver(mail, message, "admin digest") else 0


def digest_recipients() -> list[str]:
    configured: list[str] = current_app.config["ADMIN_DIGEST_TO"]
    if configured:
        return configured
    return list(db.session.scalars(select(AdminUser.email).where(AdminUser.active.is_(True))))


def retry_owed() -> tuple[int, int]:
    """Send the edit-link mails still owed; (sent, still failing)."""
    sent = failed = 0
    for mail in outgoing_mail.owed_edit_links(db.session):
        if deliver_edit_link(mail):
            sent += 1
        elif mail.status == "failed":
            failed += 1
    return sent, failed


def after_firm_change(app: Flask) -> Callable[[], None] | None:
    """With MATCHMAKER_ADMIN_DIGEST=immediate, the digest to send once the page is out."""
    if app.config["ADMIN_DIGEST"] != "immediate":
        return None
    return in_app_context(app, send_digest)


def in_app_context(app: Flask, job: Callable[[], object]) -> Callable[[], None]:
    """`job` to run after the response (Response.call_on_close), never raising."""

    def run() -> None:
        with app.app_context():
            try:
                job()
            except Exception:  # the page is already out; log and keep the worker serving
                log.exception("Mail job after the response failed")
            finally:
                db.session.remove()

    return run


def _deliver(mail: OutgoingMail, message: EmailMessage, what: str) -> bool:
    sender = transport()
    try:
        sender.send(message)
    except MailDeliveryError as error:
        # The error names the server and its answer, never the link or a password.
        log.warning("Mail %s (%s) not sent, kept for a retry: %s", mail.id, what, error)
        outgoing_mail.mark_failed(db.session, mail, str(error))
        return False
    outgoing_mail.mark_sent(db.session, mail)
    log.info("Mail %s (%s) handed to %s", mail.id, what, sender.describe())
    return True

"""Firm-facing pages: the start page, the profile form, its confirmation and the edit link."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from matchmaker import notifications
from matchmaker.domain import taxonomy
from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.errors import CSRF_EXPIRED, MatchmakerError, VersionConflictError, error_page
from matchmaker.extensions import db, limiter
from matchmaker.localizing import localize
from matchmaker.models import Company, ProfileRevision
from matchmaker.services import edit_links, erasure, revisions
from matchmaker.services.documents import company_document, load_company
from matchmaker.serving import embed_without_waiting
from matchmaker.web.i18n import switch_from_form
from matchmaker.web.profile_form import (
    blank_document,
    choices,
    display_rows,
    document_from_form,
    expired_certificate_warnings,
    field_errors,
    in_form_order,
)

bp = Blueprint("web", __name__)
# A public form invites spam; a firm submits once, so a low ceiling per address is enough.
SUBMIT_LIMIT = "20 per hour"
ADD_CERTIFICATE = "add-certificate"
# Session keys: the firm's edit grant, and a new link to show once on the confirmation.
GRANT_KEY = "edit_grant"
NEW_LINK_KEY = "new_edit_link"
# Whether the new link also went by e-mail: "sent", "failed" or "none" (no e-mail given).
LINK_MAILED_KEY = "edit_link_mailed"
# "Send my edit link again": per visitor, and per firm so nobody can keep revoking a
# firm's link (each request replaces it) or flood its inbox.
RECOVER_LIMIT_PER_ADDRESS = "10 per hour"
RECOVER_LIMIT_PER_FIRM = "3 per day"
# Pages whose responses must not be cached or leak a Referer: they show or open a link.
EDIT_OUTCOMES = frozenset({"saved", "unchanged", "waiting", "withdrawn"})
PRIVATE_ENDPOINTS = frozenset(
    {"web.edit", "web.edit_link", "web.submitted", "web.submitted_link", "web.request_erasure"}
)
STALE_EDIT = _l(
    "This profile was changed in the meantime. Reload the page to see the current version, "
    "then apply your changes again."
)


@bp.get("/")
def index() -> str:
    counts = dict(
        db.session.execute(
            select(Company.side, func.count())
            .where(Company.status == "approved")
            .group_by(Company.side)
        ).all()
    )
    return render_template("index.html", counts=counts, areas=taxonomy.CAPABILITY_AREAS.values())


@bp.route("/profile/new", methods=["GET", "POST"])
@limiter.limit(SUBMIT_LIMIT, methods=["POST"])
def submit() -> Any:
    """The public form: a firm describes itself once; an admin reviews it."""
    if request.method == "GET":
        return render_form(blank_document(), mode="new")
    document = document_from_form(request.form)
    if switch_from_form(request.form):
        return render_form(document, mode="new")
    if request.form.get("action") == ADD_CERTIFICATE:
        return render_form(document, mode="new", extra_rows=1)
    try:
        # The form's edge: the profile is loaded once here, the service checks the rest.
        company = edit_links.submit_profile(
            db.session, load_company(document), on_change=embed_without_waiting
        )
    except ValidationError as error:
        return render_form(document, mode="new", errors=field_errors(error.messages)), 422
    token = edit_links.edit_token(company, current_app.secret_key)
    _open_grant(token)
    session[NEW_LINK_KEY] = token
    # The profile is committed: whatever the mail server does now cannot undo it.
    if company.contact_email:
        mailed = notifications.send_new_edit_link(company, token)
        session[LINK_MAILED_KEY] = "sent" if mailed else "failed"
    else:
        session[LINK_MAILED_KEY] = "none"
    return _after_firm_change(redirect(url_for("web.submitted")))


@bp.get("/profile/submitted")
def submitted() -> str:
    """Confirmation: the status, and the firm's private edit link right after submitting.

    The link is shown once (taken out of the session): it must not linger in a cookie.
    """
    company = _granted_company()
    token = session.pop(NEW_LINK_KEY, None)
    return render_template(
        "profile/submitted.html",
        company=company,
        edit_url=url_for("web.edit_link", token=token, _external=True) if token else None,
        mailed=session.pop(LINK_MAILED_KEY, None) if token else None,
        valid_days=current_app.config["EDIT_LINK_MAX_AGE_DAYS"],
        outcome=_edit_outcome(request.args.get("updated")),
        expired=expired_certificate_warnings(company_document(company)["certifications"]),
    )


def _edit_outcome(value: str | None) -> str | None:
    """What the firm's last save did (`FirmEdit.outcome`); "1" from before outcomes existed."""
    if value == "1":
        return "saved"
    return value if value in EDIT_OUTCOMES else None


@bp.get("/profile/submitted/<token>")
def submitted_link(token: str) -> Response:
    """Confirmation URLs that held the token (before it left URLs) still lead there."""
    _open_grant(token)
    return redirect(url_for("web.submitted"))


@bp.route("/profile/edit/<token>", methods=["GET", "POST"])
def edit_link(token: str) -> Any:
    """The private link: trade the token for an editing session and drop it from the URL,
    so it reaches the access log, the history and proxies once at most.

    A POST here (a form opened before tokens left URLs) is still saved.
    """
    _open_grant(token)
    if request.method == "POST":
        return edit()
    return redirect(url_for("web.edit"))


@bp.route("/profile/edit", methods=["GET", "POST"])
def edit() -> Any:
    """The firm's own edit page, in the editing session its private link opened."""
    company = _granted_company()
    # An approved firm edits its waiting change, if it has one; partners see the live profile.
    waiting = (
        revisions.waiting_revision(db.session, company.id)
        if company.status == revisions.LIVE_STATUS
        else None
    )
    shown = {"mode": "edit", "company": company, "revision": waiting}
    if request.method == "GET":
        decided = None if waiting else revisions.last_decided_revision(db.session, company.id)
        document = waiting.document if waiting else company_document(company)
        return render_form(document, decided=decided, **shown)
    document = document_from_form(request.form)
    if switch_from_form(request.form):
        return render_form(document, **shown)
    if request.form.get("action") == ADD_CERTIFICATE:
        return render_form(document, extra_rows=1, **shown)
    try:
        edit = edit_links.update_by_firm(
            db.session,
            company.id,
            document,
            expected_version=request.form.get("version", type=int),
            expected_revision=request.form.get("revision_version", type=int),
            on_change=embed_without_waiting,
        )
    except ValidationError as error:
        return render_form(document, errors=field_errors(error.messages), **shown), 422
    except VersionConflictError:
        return render_form(document, errors={"_schema": [str(STALE_EDIT)]}, **shown), 409
    return _after_firm_change(redirect(url_for("web.submitted", updated=edit.outcome)))


@bp.route("/profile/recover", methods=["GET", "POST"])
@limiter.limit(
    RECOVER_LIMIT_PER_ADDRESS, methods=["POST"], error_message=lambda: _too_many_requests()
)
@limiter.limit(
    RECOVER_LIMIT_PER_FIRM,
    methods=["POST"],
    key_func=lambda: _recovered_firm(),
    error_message=lambda: _too_many_requests(),
)
def recover() -> Any:
    """The "send my edit link again" page: a fresh link goes only to the e-mail on file.

    The answer is the same page whether or not such a firm exists, and the lookup and
    the sending happen after it is sent, so neither its text nor its timing tells.
    """
    form = {
        "country": request.values.get("country", "").strip().upper(),
        "legal_id": request.values.get("legal_id", "").strip(),
    }
    if request.method == "GET":
        return render_template("profile/recover.html", form=form, errors={}, countries=_countries())
    errors: dict[str, list[str]] = {}
    if form["country"] not in taxonomy.COUNTRY_NAMES:
        errors["country"] = [gettext("Choose the country where your company is registered.")]
    if not 1 <= len(normalize_legal_id(form["legal_id"])) <= 40:
        errors["legal_id"] = [gettext("Enter your company's legal identifier.")]
    if errors:
        page = render_template(
            "profile/recover.html", form=form, errors=errors, countries=_countries()
        )
        return page, 422
    language = notifications.page_language()
    response = current_app.make_response(render_template("profile/recover_sent.html"))
    response.call_on_close(
        notifications.in_app_context(
            current_app._get_current_object(),  # type: ignore[attr-defined]
            lambda: notifications.recover_edit_link(form["country"], form["legal_id"], language),
        )
    )
    return response


def _countries() -> list[tuple[str, str]]:
    return sorted(taxonomy.COUNTRY_NAMES.items(), key=lambda item: item[1])


def _recovered_firm() -> str:
    country = request.form.get("country", "").strip().upper()
    return f"recover:{country}:{normalize_legal_id(request.form.get('legal_id', ''))}"


def _too_many_requests() -> str:
    return gettext(
        "Too many requests for a new edit link. Please wait a while and try again; "
        "a link already sent stays valid."
    )


def _after_firm_change(response: Response) -> Response:
    """Admins hear of the submission after the firm's page is out (when configured)."""
    job = notifications.after_firm_change(current_app._get_current_object())  # type: ignore[attr-defined]
    if job is not None:
        response.call_on_close(job)
    return response


@bp.errorhandler(CSRFError)
def form_token_refused(error: CSRFError) -> Any:
    """A profile form sent with an expired or missing token: nothing is saved, and the
    form comes back as the firm filled it (with a fresh token) instead of being lost."""
    errors = {"_schema": [localize(CSRF_EXPIRED)]}
    document = document_from_form(request.form)
    if request.endpoint == "web.submit":
        return render_form(document, mode="new", errors=errors), 400
    if request.endpoint in {"web.edit", "web.edit_link"}:
        company = _granted_company()
        return render_form(document, mode="edit", company=company, errors=errors), 400
    # Any other page of the blueprint (e.g. /profile/recover): the app's own CSRF page.
    return error_page(error)


@bp.get("/privacy")
def privacy() -> str:
    """The privacy notice: what is stored, why, who sees it, for how long, and erasure."""
    return render_template(
        "privacy.html",
        valid_days=current_app.config["EDIT_LINK_MAX_AGE_DAYS"],
        contact=current_app.config["PRIVACY_CONTACT"],
    )


@bp.route("/profile/erase", methods=["GET", "POST"])
def request_erasure() -> str:
    """The firm asks, in its editing session, for its record to be erased: a confirmation
    page first, then the request is recorded for an admin to carry out."""
    company = _granted_company()
    if request.method == "POST":
        company = erasure.request_erasure(
            db.session, company.id, actor=edit_links.firm_actor(company.id)
        )
    return render_template("profile/erase.html", company=company)


@bp.after_request
def keep_links_private(response: Response) -> Response:
    """Pages that show or open a private link never leak it in a Referer or a cache."""
    if request.endpoint in PRIVATE_ENDPOINTS:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def render_form(
    document: dict[str, Any],
    *,
    mode: str,
    company: Company | None = None,
    errors: dict[str, list[str]] | None = None,
    extra_rows: int = 0,
    revision: ProfileRevision | None = None,
    decided: ProfileRevision | None = None,
) -> str:
    """The profile form, shared by the public form, the edit link and the admin editor.

    `revision` is the firm's waiting change shown in the form; `decided` its last reviewed
    one (to tell a rejection)."""
    if request.method == "POST":
        # The version the form was opened with: a newer waiting change is a conflict.
        revision_version = request.form.get("revision_version", type=int)
    else:
        revision_version = revision.version if revision else None
    return render_template(
        "profile/form.html",
        doc=document,
        mode=mode,
        company=company,
        errors=in_form_order(errors or {}),
        rows=display_rows(document, extra_rows),
        expired=expired_certificate_warnings(document.get("certifications") or []),
        choices=choices(),
        version=request.form.get("version", type=int) or (company.version if company else None),
        revision=revision,
        revision_version=revision_version,
        decided=decided,
    )


def _max_age() -> timedelta:
    return timedelta(days=current_app.config["EDIT_LINK_MAX_AGE_DAYS"])


def _open_grant(token: str) -> Company:
    company, grant = edit_links.open_edit_grant(
        db.session, token, current_app.secret_key, _max_age(), now=time.time()
    )
    session[GRANT_KEY] = grant
    return company


def _granted_company() -> Company:
    """The company this browser's editing session opens; EditSessionEnded otherwise."""
    idle = timedelta(minutes=current_app.config["EDIT_SESSION_MINUTES"])
    try:
        company, grant = edit_links.company_for_grant(
            db.session, session.get(GRANT_KEY), idle, now=time.time()
        )
    except MatchmakerError:
        session.pop(GRANT_KEY, None)
        raise
    session[GRANT_KEY] = grant
    return company

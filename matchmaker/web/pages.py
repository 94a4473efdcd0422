"""Firm-facing pages: the start page, the profile form, its confirmation and the edit link."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from matchmaker.domain import taxonomy
from matchmaker.errors import MatchmakerError, VersionConflictError
from matchmaker.extensions import db, limiter, matching
from matchmaker.models import Company, ProfileRevision
from matchmaker.services import edit_links, revisions
from matchmaker.services.documents import company_document, load_company
from matchmaker.web.profile_form import (
    blank_document,
    choices,
    display_rows,
    document_from_form,
    field_errors,
)

bp = Blueprint("web", __name__)
# A public form invites spam; a firm submits once, so a low ceiling per address is enough.
SUBMIT_LIMIT = "20 per hour"
ADD_CERTIFICATE = "add-certificate"
# Session keys: the firm's edit grant, and a new link to show once on the confirmation.
GRANT_KEY = "edit_grant"
NEW_LINK_KEY = "new_edit_link"
# Pages whose responses must not be cached or leak a Referer: they show or open a link.
EDIT_OUTCOMES = frozenset({"saved", "unchanged", "waiting", "withdrawn"})
PRIVATE_ENDPOINTS = frozenset({"web.edit", "web.edit_link", "web.submitted", "web.submitted_link"})
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
    if request.form.get("action") == ADD_CERTIFICATE:
        return render_form(document, mode="new", extra_rows=1)
    try:
        # The form's edge: the profile is loaded once here, the service checks the rest.
        company = edit_links.submit_profile(
            db.session, load_company(document), on_change=matching.service.embed_changes
        )
    except ValidationError as error:
        return render_form(document, mode="new", errors=field_errors(error.messages)), 422
    token = edit_links.edit_token(company, current_app.secret_key)
    _open_grant(token)
    session[NEW_LINK_KEY] = token
    return redirect(url_for("web.submitted"))


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
        valid_days=current_app.config["EDIT_LINK_MAX_AGE_DAYS"],
        outcome=_edit_outcome(request.args.get("updated")),
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
    if request.form.get("action") == ADD_CERTIFICATE:
        return render_form(document, extra_rows=1, **shown)
    try:
        edit = edit_links.update_by_firm(
            db.session,
            company.id,
            document,
            expected_version=request.form.get("version", type=int),
            expected_revision=request.form.get("revision_version", type=int),
            on_change=matching.service.embed_changes,
        )
    except ValidationError as error:
        return render_form(document, errors=field_errors(error.messages), **shown), 422
    except VersionConflictError:
        return render_form(document, errors={"_schema": [str(STALE_EDIT)]}, **shown), 409
    return redirect(url_for("web.submitted", updated=edit.outcome))


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
        errors=errors or {},
        rows=display_rows(document, extra_rows),
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

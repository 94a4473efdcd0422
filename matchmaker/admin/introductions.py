"""Introductions: every one recorded, by office or on these pages, and how far it went.

The explorer refuses a second open introduction of a pair ("update it instead"); this
page is where that update happens, with the API's rules: the same schema loads the
form, the same service checks the outcome only moves forward, refuses a stale version
and writes the audit event.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.helpers import actor, flash_validation, form_version, safe_next
from matchmaker.domain import taxonomy
from matchmaker.errors import VersionConflictError
from matchmaker.extensions import db
from matchmaker.schemas import IntroductionUpdateSchema
from matchmaker.services.introductions import FINAL, STAGES, update_introduction


@bp.get("/introductions")
def introductions() -> str:
    offices = queries.introduction_offices(db.session)
    office = request.args.get("office", "")
    if office != queries.ADMIN_PAGES and not (office.isdecimal() and int(office) in offices):
        office = ""
    outcome = request.args.get("outcome", "")
    filters = queries.IntroductionFilters(
        outcome=outcome if outcome in taxonomy.INTRODUCTION_OUTCOMES else "",
        office=office,
        firm=request.args.get("firm", "")[:200],
    )
    page = queries.introduction_page(db.session, filters, request.args.get("page", 1, type=int))
    return render_template(
        "admin/introductions.html",
        page=page,
        filters=filters,
        offices=offices,
        admin_pages=queries.ADMIN_PAGES,
        next_outcomes=next_outcomes,
    )


@bp.post("/introductions/<id:introduction_id>")
def update_introduction_outcome(introduction_id: int) -> Response:
    """A new outcome and note, as the page's version of the introduction (a newer save by
    someone else is refused, not overwritten)."""
    payload = {
        "outcome": request.form.get("outcome", ""),
        "note": request.form.get("note", "").strip() or None,
    }
    try:
        data = IntroductionUpdateSchema().load(payload)  # the form's edge: loaded once
        update_introduction(
            db.session,
            introduction_id,
            data,
            actor=actor(),
            expected_version=form_version(),
        )
    except ValidationError as error:
        flash_validation(error)
    except VersionConflictError:
        flash(
            _(
                "Introduction #%(id)s was changed by someone else meanwhile; nothing was saved. "
                "Check its new state below and update it again.",
                id=introduction_id,
            ),
            "error",
        )
    else:
        flash(_("Updated introduction #%(id)s.", id=introduction_id), "success")
    return redirect(safe_next(request.form.get("next"), "admin.introductions"))


def next_outcomes(current: str) -> list[str]:
    """The outcomes an introduction may move to: itself, later stages, declined; none once
    closed (the service enforces the same rule)."""
    if current in FINAL:
        return []
    later = list(STAGES[STAGES.index(current) :])
    return [*later, "declined"]

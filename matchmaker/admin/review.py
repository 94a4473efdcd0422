"""The review queue: pending submissions, approved or rejected (with a reason) by an admin."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.forms import RejectForm
from matchmaker.admin.helpers import actor, embed_hook, flash_validation, form_version, safe_next
from matchmaker.errors import VersionConflictError
from matchmaker.extensions import db
from matchmaker.services.profiles import update_company


@bp.get("/review")
def review_queue() -> str:
    return render_template(
        "admin/review.html", items=queries.review_queue(db.session), reject_form=RejectForm()
    )


@bp.post("/companies/<int:company_id>/approve")
def approve(company_id: int) -> Response:
    """Approve: the firm is suggested to partners from the next search on."""
    _set_status(company_id, {"status": "approved"}, _("Approved #%(id)s.", id=company_id))
    return redirect(safe_next(request.form.get("next"), "admin.review_queue"))


@bp.post("/companies/<int:company_id>/reject")
def reject(company_id: int) -> Response:
    form = RejectForm()
    if form.validate():
        changes = {"status": "rejected", "review_note": form.reason.data}
        _set_status(company_id, changes, _("Rejected #%(id)s.", id=company_id))
    else:
        for message in form.reason.errors:
            flash(str(message), "error")
    return redirect(safe_next(request.form.get("next"), "admin.review_queue"))


def _set_status(company_id: int, changes: dict[str, str], done: str) -> None:
    try:
        update_company(
            db.session,
            company_id,
            changes,
            actor=actor(),
            expected_version=form_version(),
            on_change=embed_hook(),
        )
    except VersionConflictError as error:
        flash(error.message, "error")
    except ValidationError as error:
        flash_validation(error)
    else:
        flash(done, "success")

"""The review queue: pending submissions, a page at a time, approved or rejected (with a
reason) by an admin."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.forms import RejectForm
from matchmaker.admin.helpers import flash_validation, safe_next, save_changes
from matchmaker.errors import VersionConflictError
from matchmaker.extensions import db


@bp.get("/review")
def review_queue() -> str | Response:
    """One page of the queue (50 firms, oldest first); the page's actions come back to it."""
    page = queries.review_page(db.session, request.args.get("page", 1, type=int))
    if not page.items and page.page > 1 and page.total:
        # Approving the last firm of the last page leaves that page empty: show the new last.
        return redirect(url_for("admin.review_queue", page=page.pages))
    return render_template("admin/review.html", page=page, reject_form=RejectForm())


@bp.post("/companies/<id:company_id>/approve")
def approve(company_id: int) -> Response:
    """Approve: the firm is suggested to partners from the next search on."""
    _set_status(company_id, {"status": "approved"}, _("Approved #%(id)s.", id=company_id))
    return redirect(safe_next(request.form.get("next"), "admin.review_queue"))


@bp.post("/companies/<id:company_id>/reject")
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
        save_changes(company_id, changes)
    except VersionConflictError as error:
        flash(error.message, "error")
    except ValidationError as error:
        flash_validation(error)
    else:
        flash(done, "success")

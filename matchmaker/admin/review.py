"""The review queue: pending submissions, a page at a time, approved or rejected (with a
reason) by an admin; above them, on the first page, re-reviews: waiting changes of
approved firms, each with what it changes (services.revisions)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.forms import RejectForm
from matchmaker.admin.helpers import (
    actor,
    embed_hook,
    flash_validation,
    form_version,
    safe_next,
    save_changes,
)
from matchmaker.errors import VersionConflictError
from matchmaker.extensions import db
from matchmaker.services import revisions


@bp.get("/review")
def review_queue() -> str | Response:
    """One page of the queue (50 firms, oldest first); the page's actions come back to it."""
    page = queries.review_page(db.session, request.args.get("page", 1, type=int))
    if not page.items and page.page > 1 and page.total:
        # Approving the last firm of the last page leaves that page empty: show the new last.
        return redirect(url_for("admin.review_queue", page=page.pages))
    rereviews, rereview_total = (
        revisions.rereviews(db.session, queries.PAGE_SIZE) if page.page == 1 else ([], 0)
    )
    return render_template(
        "admin/review.html",
        page=page,
        reject_form=RejectForm(),
        rereviews=rereviews,
        rereview_total=rereview_total,
    )


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


@bp.post("/revisions/<id:revision_id>/approve")
def approve_revision(revision_id: int) -> Response:
    """The firm's waiting change becomes its live profile (re-embedded, suggested at once)."""

    def approve() -> None:
        revisions.approve_revision(
            db.session,
            revision_id,
            actor=actor(),
            expected_version=form_version(),
            expected_company_version=form_version("company_version"),
            on_change=embed_hook(),
        )

    done = _("Approved the change of #%(id)s.", id=request.form.get("company_id", type=int))
    _decide(approve, done, revision=True)
    return redirect(safe_next(request.form.get("next"), "admin.review_queue"))


@bp.post("/revisions/<id:revision_id>/reject")
def reject_revision(revision_id: int) -> Response:
    """The live profile stays as it is; the change is kept as rejected, with the reason."""
    form = RejectForm()
    if not form.validate():
        for message in form.reason.errors:
            flash(str(message), "error")
    else:

        def reject() -> None:
            revisions.reject_revision(
                db.session,
                revision_id,
                actor=actor(),
                note=form.reason.data,
                expected_version=form_version(),
            )

        done = _("Rejected the change of #%(id)s.", id=request.form.get("company_id", type=int))
        _decide(reject, done, revision=True)
    return redirect(safe_next(request.form.get("next"), "admin.review_queue"))


def _set_status(company_id: int, changes: dict[str, str], done: str) -> None:
    _decide(lambda: save_changes(company_id, changes), done)


def _decide(action: Callable[[], object], done: str, *, revision: bool = False) -> None:
    """Run a review decision; a conflict or an invalid profile is told, not a 500."""
    try:
        action()
    except ValidationError as error:
        flash_validation(error)
    except (VersionConflictError, revisions.RevisionDecided) as error:
        # A change replaced by the firm, or decided in another tab, since the page loaded.
        stale = _("This change was replaced by the firm or already reviewed: reload the queue.")
        flash(stale if revision else error.message, "error")
    else:
        flash(done, "success")

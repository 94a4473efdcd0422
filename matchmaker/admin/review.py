"""The review queue: pending submissions, searched and filtered, a page at a time, approved
or rejected (with a reason) by an admin, one firm or a page's selection at once; above them,
on the first page, re-reviews: waiting changes of approved firms, each with what it changes
(services.revisions)."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.forms import RejectForm
from matchmaker.admin.helpers import (
    actor,
    choice_arg,
    embed_hook,
    flash_validation,
    form_version,
    iso_day,
    safe_next,
    save_changes,
)
from matchmaker.domain import taxonomy
from matchmaker.errors import NotFoundError, VersionConflictError
from matchmaker.extensions import db
from matchmaker.schemas import MAX_ID
from matchmaker.services import revisions
from matchmaker.services.pagination import MAX_PAGE, Page

# One bulk decision covers at most one page of the queue (what the admin could see).
MAX_BULK = queries.PAGE_SIZE
BULK_DECISIONS = ("approve", "reject")


@bp.get("/review")
def review_queue() -> str | Response:
    """One page of the queue (50 firms, oldest first); the page's actions come back to it."""
    filters = queue_filters()
    page = queries.review_page(db.session, request.args.get("page", 1, type=int), filters)
    if not page.items and page.page > 1 and page.total:
        # Approving the last firm of the last page leaves that page empty: show the new last.
        args = {**request.args.to_dict(), "page": page.pages}
        return redirect(url_for("admin.review_queue", **args))
    # Waiting changes of approved firms head the first page (unless only new firms are
    # asked for); approving one keeps the firm suggested throughout.
    # They have their own pager (`changes`), so none is out of reach however many wait.
    first = page.page == 1 and filters.kind != "new"
    changes_page = min(max(request.args.get("changes", 1, type=int), 1), MAX_PAGE)
    offset = (changes_page - 1) * queries.PAGE_SIZE
    items, total = revisions.rereviews(db.session, queries.PAGE_SIZE, offset) if first else ([], 0)
    rereviews = Page(items, total, changes_page, queries.PAGE_SIZE)
    if not rereviews.items and rereviews.total and changes_page > 1:
        args = {**request.args.to_dict(), "changes": rereviews.pages}
        return redirect(url_for("admin.review_queue", **args))
    return render_template(
        "admin/review.html",
        page=page,
        filters=filters,
        kinds=queries.QUEUE_KINDS,
        countries=taxonomy.COUNTRY_NAMES,
        sizes=taxonomy.SIZES,
        areas=taxonomy.CAPABILITY_AREAS,
        reject_form=RejectForm(),
        rereviews=rereviews,
    )


def queue_filters() -> queries.QueueFilters:
    """The queue's filters from the query string; an unknown choice does not filter."""
    args = request.args
    return queries.QueueFilters(
        q=args.get("q", "").strip(),
        country=args.get("country", "")[:2],
        size=choice_arg("size", tuple(taxonomy.SIZES)),
        area=choice_arg("area", tuple(taxonomy.CAPABILITY_AREAS)),
        since=args.get("since", type=iso_day),
        until=args.get("until", type=iso_day),
        kind=choice_arg("kind", queries.QUEUE_KINDS),
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


@bp.post("/review/bulk")
def bulk_decide() -> Response:
    """Approve or reject the firms ticked on a queue page, each in its own transaction with
    its own audit event and version check: one firm changed meanwhile is reported by name
    and left as it is, the others are decided."""
    back = redirect(safe_next(request.form.get("next"), "admin.review_queue"))
    decision = request.form.get("decision", "")
    if decision not in BULK_DECISIONS:
        abort(400, "decision: must be approve or reject.")
    company_ids = _selected_ids()
    if not company_ids:
        flash(_("Tick at least one firm, then choose the decision again."), "error")
        return back
    if len(company_ids) > MAX_BULK:
        flash(_("Decide at most %(num)s firms at once.", num=MAX_BULK), "error")
        return back
    changes = {"status": "approved"}
    if decision == "reject":
        form = RejectForm()
        if not form.validate():
            for message in form.reason.errors:
                flash(str(message), "error")
            return back
        changes = {"status": "rejected", "review_note": form.reason.data}
    done = [company_id for company_id in company_ids if _decide_one(company_id, changes, decision)]
    if done:
        numbers = ", ".join(f"#{company_id}" for company_id in done)
        if decision == "approve":
            message = ngettext(
                "Approved %(num)s firm: %(ids)s.",
                "Approved %(num)s firms: %(ids)s.",
                len(done),
                ids=numbers,
            )
        else:
            message = ngettext(
                "Rejected %(num)s firm: %(ids)s.",
                "Rejected %(num)s firms: %(ids)s.",
                len(done),
                ids=numbers,
            )
        flash(message, "success")
    return back


def _decide_one(company_id: int, changes: dict[str, str], decision: str) -> bool:
    """One firm of a bulk decision; its failure is flashed with its number, and False."""
    version = request.form.get(f"version-{company_id}", type=int)
    if version is None:
        flash(_("#%(id)s: the page sent no version; reload the queue.", id=company_id), "error")
        return False
    try:
        save_changes(company_id, changes, version=version)
    except NotFoundError:
        flash(_("#%(id)s: no such firm any more.", id=company_id), "error")
    except VersionConflictError:
        flash(
            _(
                "#%(id)s was changed by someone else since the queue was shown, so it was "
                "not decided; reload the queue and decide it again.",
                id=company_id,
            ),
            "error",
        )
    except ValidationError as error:
        flash(_("#%(id)s could not be decided:", id=company_id), "error")
        flash_validation(error)
    else:
        return True
    return False


def _selected_ids() -> list[int]:
    """The ticked firms, each once, in the page's order; a forged id is a 400 naming it."""
    ids: list[int] = []
    for raw in request.form.getlist("ids"):
        if not raw.isdecimal() or not 1 <= int(raw) <= MAX_ID:
            abort(400, f"ids: {raw[:20]!r} is not a record id between 1 and {MAX_ID}.")
        if int(raw) not in ids:
            ids.append(int(raw))
    return ids


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

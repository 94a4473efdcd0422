"""The registry: list with filters and search, one company, edit any field, archive."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.forms import RejectForm
from matchmaker.admin.helpers import actor, choice_arg, flash_validation, form_version, save_changes
from matchmaker.admin.labels import STATUSES as STATUS_LABELS
from matchmaker.domain import taxonomy
from matchmaker.errors import VersionConflictError
from matchmaker.extensions import db
from matchmaker.services import edit_links, revisions
from matchmaker.services.documents import company_document
from matchmaker.services.duplicate_store import candidates_of
from matchmaker.services.profiles import archive_company, get_company, restore_company
from matchmaker.web.pages import ADD_CERTIFICATE, render_form
from matchmaker.web.profile_form import document_from_form, field_errors

SAVE_AND_APPROVE = "save-and-approve"


def company_filters() -> queries.CompanyFilters:
    """The companies list's filters from the query string (its CSV export reads the same)."""
    return queries.CompanyFilters(
        q=request.args.get("q", ""),
        status=choice_arg("status", taxonomy.STATUSES),
        side=choice_arg("side", taxonomy.SIDES),
        country=request.args.get("country", "")[:2],
        capability=choice_arg("area", tuple(taxonomy.CAPABILITY_AREAS)),
    )


@bp.get("/companies")
def companies() -> str:
    filters = company_filters()
    page = queries.company_page(db.session, filters, request.args.get("page", 1, type=int))
    return render_template(
        "admin/companies.html",
        page=page,
        filters=filters,
        countries=taxonomy.COUNTRY_NAMES,
        areas=taxonomy.CAPABILITY_AREAS,
    )


@bp.get("/companies/<id:company_id>")
def company(company_id: int) -> str:
    record = get_company(db.session, company_id)
    return render_template(
        "admin/company.html",
        company=record,
        doc=company_document(record),
        duplicates=candidates_of(db.session, company_id),
        introductions=queries.company_introductions(db.session, company_id),
        reject_form=RejectForm(),
        waiting=revisions.waiting_revision(db.session, company_id),
    )


@bp.route("/companies/<id:company_id>/edit", methods=["GET", "POST"])
def edit_company(company_id: int) -> Any:
    """Edit any field (the same form and rules as the firm's), optionally approving at once."""
    record = get_company(db.session, company_id)
    if request.method == "GET":
        return render_form(company_document(record), mode="admin", company=record)
    document = document_from_form(request.form)
    if request.form.get("action") == ADD_CERTIFICATE:
        return render_form(document, mode="admin", company=record, extra_rows=1)
    changes = {**document, "review_note": request.form.get("review_note", "").strip() or None}
    if request.form.get("action") == SAVE_AND_APPROVE:
        changes["status"] = "approved"
    try:
        save_changes(company_id, changes)
    except ValidationError as error:
        errors = field_errors(error.messages)
        return render_form(document, mode="admin", company=record, errors=errors), 422
    except VersionConflictError as error:
        errors = {"_schema": [error.message]}
        return render_form(document, mode="admin", company=record, errors=errors), 409
    flash(_("Saved #%(id)s.", id=company_id), "success")
    return redirect(url_for("admin.company", company_id=company_id))


@bp.post("/companies/<id:company_id>/archive")
def archive(company_id: int) -> Response:
    """Archive, never delete: the record and its history stay."""
    try:
        archive_company(db.session, company_id, actor=actor(), expected_version=form_version())
    except VersionConflictError as error:
        flash(error.message, "error")
    except ValidationError as error:
        flash_validation(error)
    else:
        flash(_("Archived #%(id)s.", id=company_id), "success")
    return redirect(url_for("admin.company", company_id=company_id))


@bp.post("/companies/<id:company_id>/restore")
def restore(company_id: int) -> Response:
    """Undo an archiving: the firm gets back its status from before (approved: suggested)."""
    try:
        record = restore_company(
            db.session, company_id, actor=actor(), expected_version=form_version()
        )
    except VersionConflictError as error:
        flash(error.message, "error")
    except ValidationError as error:
        flash_validation(error)
    else:
        status = STATUS_LABELS[record.status]
        flash(_("Restored #%(id)s: %(status)s again.", id=company_id, status=status), "success")
    return redirect(url_for("admin.company", company_id=company_id))


@bp.post("/companies/<id:company_id>/edit-link")
def issue_edit_link(company_id: int) -> str:
    """A fresh private edit link to send to the firm (shown once, audited)."""
    token = edit_links.issue_edit_link(
        db.session, company_id, current_app.secret_key, actor=actor()
    )
    days = current_app.config["EDIT_LINK_MAX_AGE_DAYS"]
    return render_template(
        "admin/edit_link.html",
        company=get_company(db.session, company_id),
        edit_url=url_for("web.edit_link", token=token, _external=True),
        valid_days=days,
    )

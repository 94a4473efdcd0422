"""Erasure requests: the firms that asked, and the admin's confirmation that carries it out."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from matchmaker.admin import bp
from matchmaker.admin.helpers import actor, embed_hook
from matchmaker.errors import ConflictError
from matchmaker.extensions import db
from matchmaker.services import erasure


@bp.get("/erasure-requests")
def erasure_requests() -> str:
    return render_template(
        "admin/erasure_requests.html", companies=erasure.erasure_requests(db.session)
    )


@bp.post("/companies/<id:company_id>/erase")
def erase(company_id: int) -> Response:
    """Anonymise and archive the record (audited); its history keeps no personal data."""
    try:
        erasure.erase_company(db.session, company_id, actor=actor(), on_change=embed_hook())
    except ConflictError as error:
        flash(error.message, "error")
    else:
        flash(_("Erased the personal data of #%(id)s and archived it.", id=company_id), "success")
    return redirect(url_for("admin.company", company_id=company_id))

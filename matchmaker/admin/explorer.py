"""The match explorer: a firm's ranked, explained suggestions; record an introduction."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp, queries
from matchmaker.admin.helpers import actor, flash_validation, id_arg
from matchmaker.domain.components import COMPONENTS
from matchmaker.errors import ConflictError
from matchmaker.extensions import db, matching
from matchmaker.schemas import IntroductionSchema
from matchmaker.services.introductions import record_introduction
from matchmaker.services.profiles import get_company
from matchmaker.services.suggestions import PartnerRequest, Viewer, suggest_partners

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


@bp.get("/explorer")
def explorer() -> str:
    text = request.args.get("q", "").strip()
    company_id = id_arg("company")
    limit = min(max(request.args.get("limit", DEFAULT_LIMIT, type=int), 1), MAX_LIMIT)
    same_side = request.args.get("same_side") == "1"
    context: dict[str, object] = {"q": text, "limit": limit, "same_side": same_side}
    context["found"] = queries.search_companies(db.session, text) if text else []
    if company_id is not None:
        context["company"] = get_company(db.session, company_id)
        # Admins see every firm and every pair, declined introductions included.
        wanted = PartnerRequest(limit=limit, same_side=same_side, include_declined=True)
        context["suggestions"] = suggest_partners(
            db.session, matching.service, company_id, wanted, viewer=Viewer(admin=True)
        )
        context["introductions"] = queries.company_introductions(db.session, company_id)
    names = [c.name for c in COMPONENTS]
    return render_template("admin/explorer.html", components=names, **context)


@bp.post("/explorer/<id:company_id>/introductions")
def introduce(company_id: int) -> Response:
    """Record that the office introduced this firm to one of its suggestions."""
    payload = {
        "company_a_id": company_id,
        "company_b_id": id_arg("company_b_id", form=True),
        "score": request.form.get("score", type=float),
        "note": request.form.get("note", "").strip() or None,
    }
    try:
        data = IntroductionSchema().load(payload)  # the admin form's edge: loaded once
        introduction = record_introduction(db.session, data, actor=actor())
    except ValidationError as error:
        flash_validation(error)
    except ConflictError as error:
        # The pair's open introduction is the one to update: go to it on its page.
        open_id = error.details.get("id")
        flash(
            _(
                "These firms already have an open introduction (#%(id)s): update its outcome "
                "here instead of recording another.",
                id=open_id,
            ),
            "error",
        )
        target = url_for(
            "admin.introductions", firm=f"#{company_id}", _anchor=f"introduction-{open_id}"
        )
        return redirect(target)
    else:
        flash(_("Recorded introduction #%(id)s.", id=introduction.id), "success")
    return redirect(url_for("admin.explorer", company=company_id))

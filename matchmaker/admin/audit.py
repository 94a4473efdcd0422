"""The audit log: every change with who, when, and before -> after; filterable."""

from __future__ import annotations

from flask import render_template, request

from matchmaker.admin import bp, queries
from matchmaker.admin.helpers import id_arg, iso_day
from matchmaker.extensions import db


@bp.get("/audit")
def audit_log() -> str:
    filters = queries.AuditFilters(
        actor=request.args.get("actor", "").strip(),
        action=request.args.get("action", ""),
        entity_type=request.args.get("entity_type", ""),
        entity_id=id_arg("entity_id"),
        since=request.args.get("since", type=iso_day),
        until=request.args.get("until", type=iso_day),
    )
    page = queries.audit_page(db.session, filters, request.args.get("page", 1, type=int))
    return render_template(
        "admin/audit.html",
        page=page,
        filters=filters,
        vocabulary=queries.audit_vocabulary(db.session),
        changes={event.id: queries.audit_changes(event) for event in page.items},
    )

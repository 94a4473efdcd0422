"""Scoring versions: every fitted proposal with its figures and source; apply one, revert."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from matchmaker.admin import bp
from matchmaker.admin.helpers import actor
from matchmaker.domain.components import FITTED_ON
from matchmaker.extensions import db, matching
from matchmaker.services.scoring_state import active_version
from matchmaker.services.scoring_versions import apply_version, list_versions, revert


@bp.get("/scoring")
def scoring_versions() -> str:
    service = matching.service
    return render_template(
        "admin/scoring.html",
        versions=list_versions(db.session),
        active=active_version(db.session),
        in_force=service.current_scoring(db.session).weights,
        pinned=sorted(service.pinned_weights),
        fitted_on=FITTED_ON,
    )


@bp.post("/scoring/<int:version_id>/apply")
def apply_scoring_version(version_id: int) -> Response:
    """Unknown or non-proposal versions answer 404 / 409 through the error handler."""
    apply_version(db.session, version_id, actor=actor())
    flash(_("Scoring version %(id)s is active.", id=version_id), "success")
    return redirect(url_for("admin.scoring_versions"))


@bp.post("/scoring/revert")
def revert_scoring_version() -> Response:
    back = revert(db.session, actor=actor())
    if back is None:
        flash(_("Reverted to the shipped default weights."), "success")
    else:
        flash(_("Reverted to scoring version %(id)s.", id=back.id), "success")
    return redirect(url_for("admin.scoring_versions"))

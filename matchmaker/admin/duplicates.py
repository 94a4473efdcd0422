"""Duplicates: candidate pairs in confidence bands; merge two records, or dismiss a pair."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.wrappers import Response

from matchmaker.admin import bp
from matchmaker.admin.helpers import actor, embed_hook, flash_validation, form_version, id_arg
from matchmaker.errors import ConflictError, VersionConflictError
from matchmaker.extensions import db
from matchmaker.models import Company
from matchmaker.services import duplicate_store, duplicates, merge

# Each pair is a card with two excerpts: a page stays small at any registry size.
PAGE_SIZE = 25


@bp.get("/duplicates")
def duplicate_candidates() -> str:
    """One page of the stored candidates (kept current per write), strongest first."""
    band = request.args.get("band", "")
    if band and band not in duplicates.BANDS:
        abort(
            400,
            _(
                "band: unknown band %(band)s; choose one of %(bands)s.",
                band=band,
                bands=", ".join(duplicates.BANDS),
            ),
        )
    counts = duplicate_store.band_counts(db.session)  # the tabs show them; the pager too
    page = duplicate_store.candidates_page(
        db.session, band or None, request.args.get("page", 1, type=int), PAGE_SIZE, counts
    )
    ids = {i for c in page.items for i in (c.first_id, c.second_id)}
    companies = {c.id: c for c in db.session.scalars(select(Company).where(Company.id.in_(ids)))}
    return render_template(
        "admin/duplicates.html",
        candidates=page.items,
        page=page,
        companies=companies,
        band=band,
        counts=counts,
        bands=duplicates.BANDS,
    )


@bp.get("/duplicates/merge")
def merge_preview() -> Any:
    """What merging `merged` into `survivor` would write, before the admin confirms."""
    survivor_id, merged_id = id_arg("survivor"), id_arg("merged")
    if survivor_id is None or merged_id is None:
        abort(400, _("Choose two records to merge."))
    try:
        plan = merge.plan_merge(db.session, survivor_id, merged_id)
    except (ValidationError, ConflictError) as error:
        _flash(error)
        return redirect(url_for("admin.duplicate_candidates"))
    return render_template(
        "admin/merge.html",
        plan=plan,
        survivor=db.session.get(Company, survivor_id),
        merged=db.session.get(Company, merged_id),
        changes=list(merge.document_changes(plan.survivor, plan.result)),
    )


@bp.post("/duplicates/merge")
def merge_records() -> Response:
    survivor_id = id_arg("survivor", form=True) or 0
    merged_id = id_arg("merged", form=True) or 0
    first, second = form_version("survivor_version"), form_version("merged_version")
    try:
        merge.merge_companies(
            db.session,
            survivor_id,
            merged_id,
            actor=actor(),
            expected_versions=(first, second) if first and second else None,
            on_change=embed_hook(),
        )
    except (ValidationError, ConflictError, VersionConflictError) as error:
        _flash(error)
        return redirect(url_for("admin.merge_preview", survivor=survivor_id, merged=merged_id))
    flash(
        _("Merged #%(merged)s into #%(survivor)s.", merged=merged_id, survivor=survivor_id),
        "success",
    )
    return redirect(url_for("admin.company", company_id=survivor_id))


@bp.post("/duplicates/dismiss")
def dismiss() -> Response:
    """Two records are different firms: do not propose the pair again."""
    first = id_arg("first", form=True) or 0
    second = id_arg("second", form=True) or 0
    duplicates.dismiss_pair(db.session, first, second, actor=actor())
    flash(_("Marked #%(a)s and #%(b)s as different firms.", a=first, b=second), "success")
    return redirect(url_for("admin.duplicate_candidates"))


def _flash(error: Exception) -> None:
    if isinstance(error, ValidationError):
        flash_validation(error)
    else:
        flash(getattr(error, "message", str(error)), "error")

"""CSV downloads of the companies list and the introductions, with the list's filters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, stream_with_context

from matchmaker.admin import bp, queries
from matchmaker.admin.companies import company_filters
from matchmaker.admin.helpers import choice_arg, id_arg
from matchmaker.domain import taxonomy
from matchmaker.extensions import db
from matchmaker.services.exports import company_lines, introduction_lines
from matchmaker.services.introductions import introductions_query


@bp.get("/companies/export.csv")
def export_companies() -> Response:
    """Every company the list's filters select (all pages), newest change first."""
    lines = company_lines(db.session, queries.company_list(company_filters()))
    return _download(lines, "companies")


@bp.get("/introductions/export.csv")
def export_introductions() -> Response:
    """Introductions, newest first, narrowed by `outcome` and by firm (`company`)."""
    query = introductions_query(
        company_id=id_arg("company"),
        outcome=choice_arg("outcome", taxonomy.INTRODUCTION_OUTCOMES) or None,
    )
    return _download(introduction_lines(db.session, query), "introductions")


def _download(lines: Iterator[str], name: str) -> Response:
    day = datetime.now(UTC).date().isoformat()
    # Streamed: the rows are read and sent a batch at a time while the request lives.
    response = Response(stream_with_context(lines), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{day}.csv"'
    response.headers["Cache-Control"] = "no-store"  # confidential contact data
    response.charset = "utf-8"
    return response

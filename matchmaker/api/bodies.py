"""Request bodies the smorest decorators cannot load: edits and imports.

Every other body is loaded once by `@blp.arguments`. Two are not, on purpose:
- a PATCH body is a set of changes; only the stored record merged with them is a
  profile, so the profile service validates the merged result (once);
- an import is a JSON array or a CSV file, validated row by row by the import service
  so that each error names its row.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import abort

from matchmaker.services.imports import rows_from_csv


def changes() -> Any:
    """A PATCH body as sent (the service refuses anything but a JSON object)."""
    return request.get_json(silent=True)


def import_rows() -> list[Any]:
    """Rows from a JSON array, a CSV upload (field `file`) or a text/csv body."""
    if upload := request.files.get("file"):
        return rows_from_csv(_decode(upload.read()))
    if request.mimetype == "text/csv":
        return rows_from_csv(_decode(request.get_data()))
    body = request.get_json(silent=True)
    if not isinstance(body, list):
        abort(
            422,
            message="Send a JSON array of companies, or a CSV file.",
            messages={"body": {"_schema": ["Expected a JSON array or a CSV file."]}},
        )
    return body


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        abort(422, message="The CSV file must be UTF-8 encoded.")

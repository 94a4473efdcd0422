"""Optimistic locking over HTTP: a company's `version` is its ETag, If-Match guards edits.

The record's version, not a hash of the response, is the tag: two edits based on the
same read conflict even when the first one left the response unchanged.
"""

from __future__ import annotations

import re

from flask import request
from flask_smorest import abort

from matchmaker.models import Company

IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag from your last GET of this company.",
}
_ETAG = re.compile(r'^(?:W/)?"v(\d{1,9})"$')


def etag_headers(company: Company) -> dict[str, str]:
    return {"ETag": f'"v{company.version}"'}


def expected_version(company: Company) -> int:
    """The version named by If-Match: 428 without one, 412 when it is not current."""
    header = request.headers.get("If-Match")
    if not header:
        abort(428, message="Send If-Match with the ETag of your last GET of this company.")
    if header.strip() == "*":
        return company.version
    match = _ETAG.match(header.strip())
    if not match or int(match.group(1)) != company.version:
        current = f'"v{company.version}"'
        abort(
            412,
            message=f"Company {company.id} changed since you read it (now {current}); "
            "GET it again and re-apply your edit.",
        )
    return int(match.group(1))

"""Domain-level errors raised by services, and how the web layer answers them.

Services raise these; views never build error responses by hand. Under /api every
error is JSON of one stable shape: {"code", "status", "message", "errors"?}.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from werkzeug.exceptions import HTTPException

from matchmaker.database import DOWN, SAVE_UNKNOWN, Unavailable, unavailable
from matchmaker.domain.errors import (
    DomainError,
    EmbeddingModelError,
    IndexFileError,
    InvalidQueryError,
    ModelMismatchError,
    UnknownCompanyError,
)
from matchmaker.domain.messages import N_
from matchmaker.localizing import localize, localize_errors
from matchmaker.lost_connections import commit_unconfirmed, forget_transaction, lost_connection

log = logging.getLogger(__name__)

# What a person reading an error page should do, by status (the API keeps its own texts).
PAGE_MESSAGES = {
    400: N_("The request could not be understood. Go back, reload the page and try again."),
    403: N_("You have no access to this page. If you followed a link, ask whoever sent it."),
    404: N_("This page does not exist. Check the address, or start again from the start page."),
    405: N_("This page cannot be used that way. Start again from the start page."),
    413: N_("What you sent is too large. Shorten the longest texts and send the form again."),
    429: N_(
        "Too many attempts from your connection in a short time. Please wait a while "
        "(at most an hour) and try again."
    ),
    500: N_(
        "Something went wrong on our side and your request was not completed. Please try "
        "again in a few minutes; if it happens again, contact the Matchmaker team."
    ),
    503: N_("The service is unavailable for a moment. Please try again in a few minutes."),
}
CSRF_EXPIRED = N_(
    "This form was open too long (or your browser refused its cookie), so it could not be "
    "sent safely and nothing was saved. Check your entries and send the form again."
)


class MatchmakerError(Exception):
    """Base for errors a user can act on; `status` is the HTTP status to answer with."""

    status = 400

    def __init__(
        self,
        message: str,
        errors: dict[str, Any] | None = None,
        *,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
        # Extra top-level keys of the JSON answer, e.g. the id a conflict is with.
        self.details = details


class NotFoundError(MatchmakerError):
    status = 404


class VersionConflictError(MatchmakerError):
    """The record changed since the caller read it; nothing was written."""

    status = 412


class ConflictError(MatchmakerError):
    status = 409


def _wants_json() -> bool:
    return request.path.startswith("/api") or request.accept_mimetypes.best == "application/json"


def error_response(
    status: int,
    message: str,
    errors: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {**(details or {})}
    body |= {"code": status, "status": _status_name(status), "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response


def _status_name(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(MatchmakerError)
    def _domain_error(error: MatchmakerError) -> Any:
        if _wants_json():
            return error_response(
                error.status, localize(error.message), localize_errors(error.errors), error.details
            )
        return render_template(
            "error.html",
            status=error.status,
            message=localize(error.message),
            offer_recovery=getattr(error, "offer_recovery", False),
        ), error.status

    @app.errorhandler(ValidationError)
    def _validation_error(error: ValidationError) -> Any:
        messages = (
            error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        )
        if _wants_json():
            return error_response(422, "The request has invalid fields.", localize_errors(messages))
        text = " ".join(_all_messages(localize_errors(messages)))
        return render_template("error.html", status=422, message=text), 422

    @app.errorhandler(DomainError)
    def _matching_error(error: DomainError) -> Any:
        status = _DOMAIN_STATUS.get(type(error), 500)
        if _wants_json():
            return error_response(status, str(error))
        return render_template("error.html", status=status, message=str(error)), status

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError) -> Any:
        answer = unavailable(error)
        if answer is None:
            raise error  # a bug: the usual 500, with its traceback in the log
        if answer is DOWN and commit_unconfirmed() and lost_connection(error):
            answer = SAVE_UNKNOWN  # "nothing was written" may be untrue after a COMMIT
        return _unavailable_response(answer)

    @app.errorhandler(PendingRollbackError)
    def _lost_earlier(error: PendingRollbackError) -> Any:
        # SQLAlchemy's "Can't reconnect until invalid transaction is rolled back": an
        # earlier statement of this request lost its connection and someone caught that
        # error. The database is what is wrong, not the request; any other pending
        # rollback (a failed flush carried on with) is a bug and stays a 500.
        if "can't reconnect" not in str(error).lower():
            raise error
        log.warning("A lost database connection was caught and carried on with", exc_info=True)
        return _unavailable_response(SAVE_UNKNOWN if commit_unconfirmed() else DOWN)

    def _unavailable_response(answer: Unavailable) -> Any:
        forget_transaction()
        headers = {"Retry-After": str(answer.retry_after)}
        message = localize(answer.message)
        if _wants_json():
            response = error_response(503, message)
            response.headers.update(headers)
            return response
        try:
            page = render_template("error.html", status=503, message=message)
        except DBAPIError:  # the page itself needs the database (the admin's login)
            page = f"<h1>503</h1><p>{escape(message)}</p>"
        return page, 503, headers

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        status = error.code or 500
        if not _wants_json():
            return error_page(error)
        data = getattr(error, "data", None) or {}
        message = localize(data.get("message") or _default_message(error))
        errors = localize_errors(_flatten_locations(data.get("messages")))
        response = error_response(status, message, errors)
        original = error.get_response()
        for header in ("Retry-After", "Allow", "WWW-Authenticate"):
            if original.headers.get(header):
                response.headers[header] = original.headers[header]
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        return response


_DOMAIN_STATUS: dict[type[DomainError], int] = {
    InvalidQueryError: 422,
    UnknownCompanyError: 404,
    ModelMismatchError: 503,
    EmbeddingModelError: 503,
    IndexFileError: 503,
}


def error_page(error: HTTPException) -> tuple[str, int]:
    """The HTML page for an HTTP error: what to do, in the page's language."""
    status = error.code or 500
    return render_template("error.html", status=status, message=_page_message(error)), status


def _page_message(error: HTTPException) -> str:
    """What an error page tells a person to do, in the page's language."""
    if isinstance(error, CSRFError):
        return localize(CSRF_EXPIRED)
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        return str(error.description)  # the limit's own advice, already in the page's language
    status = error.code or 500
    advice = localize(PAGE_MESSAGES.get(status) or error.description or error.name)
    if error.description and error.description != type(error).description:
        # abort(400, "ids: ...") names the field at fault: keep that after the advice.
        return f"{advice} ({error.description})"
    return advice


def _all_messages(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [text for value in errors.values() for text in _all_messages(value)]
    if isinstance(errors, list):
        return [text for value in errors for text in _all_messages(value)]
    return [str(errors)]


def _default_message(error: HTTPException) -> str:
    if error.code == 422:
        return "The request has invalid fields."
    return error.description or error.name


def _flatten_locations(messages: Any) -> dict[str, Any] | None:
    """webargs keys errors by location ({"json": {...}}); clients want field -> messages."""
    if not isinstance(messages, dict):
        return None
    flat: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat

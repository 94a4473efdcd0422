"""Domain-level errors raised by services, and how the web layer answers them.

Services raise these; views never build error responses by hand. Under /api every
error is JSON of one stable shape: {"code", "status", "message", "errors"?}.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException


class MatchmakerError(Exception):
    """Base for errors a user can act on; `status` is the HTTP status to answer with."""

    status = 400

    def __init__(self, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors


class NotFoundError(MatchmakerError):
    status = 404


class VersionConflictError(MatchmakerError):
    """The record changed since the caller read it; nothing was written."""

    status = 412


class ConflictError(MatchmakerError):
    status = 409


def _wants_json() -> bool:
    return request.path.startswith("/api") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str, errors: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": status, "status": _status_name(status), "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response


def _status_name(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(MatchmakerError)
    def _domain_error(error: MatchmakerError) -> Any:
        if _wants_json():
            return error_response(error.status, error.message, error.errors)
        return render_template(
            "error.html", status=error.status, message=error.message
        ), error.status

    @app.errorhandler(ValidationError)
    def _validation_error(error: ValidationError) -> Any:
        messages = (
            error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        )
        if _wants_json():
            return error_response(422, "The request has invalid fields.", messages)
        return render_template("error.html", status=422, message=str(messages)), 422

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        status = error.code or 500
        if _wants_json():
            response = error_response(status, error.description or error.name)
            for header in ("Retry-After", "Allow", "WWW-Authenticate"):
                if error.get_response().headers.get(header):
                    response.headers[header] = error.get_response().headers[header]
            return response
        return render_template("error.html", status=status, message=error.description), status

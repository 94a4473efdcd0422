"""The JSON API for facilitation offices (flask-smorest, OpenAPI 3 at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from matchmaker.api.auth import rate_limit_key
from matchmaker.extensions import api, csrf, limiter

# Swagger UI's own files, served by the app: the docs page must work offline.
assets = Blueprint("api_docs_assets", __name__)


@assets.get("/api/docs/assets/<path:filename>")
def docs_asset(filename: str) -> Any:
    return send_from_directory(swagger_ui_path, filename, max_age=86400)


def init_api(app: Flask) -> None:
    """Bind flask-smorest, register the resources, exempt them from CSRF, limit per key."""
    from matchmaker.api import companies, consortia, introductions, matches, scoring, taxonomy

    api.init_app(app, spec_kwargs={"info": {"description": __doc__}})
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An API key."}
    )
    for module in (taxonomy, scoring, companies, matches, consortia, introductions):
        limiter.limit(_api_rate_limit, key_func=rate_limit_key)(module.blp)
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
    app.register_blueprint(assets)


def _api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]

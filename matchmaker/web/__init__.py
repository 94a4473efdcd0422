"""Firm-facing pages and the admin area: server-rendered, thin views over the services."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale

from matchmaker.extensions import babel
from matchmaker.web import filters
from matchmaker.web.i18n import language_links, remember_choice, select_locale


def init_web(app: Flask) -> None:
    """Languages, the firm-facing pages and the admin area."""
    from matchmaker.admin import init_admin
    from matchmaker.web.pages import bp

    babel.init_app(app, locale_selector=select_locale)
    app.before_request(remember_choice)
    filters.register(app)
    app.context_processor(_template_globals)
    app.register_blueprint(bp)
    init_admin(app)


def _template_globals() -> dict[str, Any]:
    return {"language_links": language_links, "current_locale": str(get_locale() or "en")}

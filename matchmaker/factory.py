"""The application factory: config, extensions, blueprints, error handlers, CLI.

It never migrates the database: `flask db upgrade` does that.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from flask.typing import ResponseReturnValue
from werkzeug.middleware.proxy_fix import ProxyFix

from matchmaker import cli, observability
from matchmaker.access_log import install_log_filters
from matchmaker.config import Config
from matchmaker.database import init_database
from matchmaker.domain.embedding import Embedder
from matchmaker.errors import register_error_handlers
from matchmaker.extensions import csrf, db, limiter, matching, migrate
from matchmaker.input_guard import init_input_guard
from matchmaker.instance_files import secure_instance
from matchmaker.lost_connections import dispatch_again_if_lost, init_lost_connections
from matchmaker.models import include_in_autogenerate
from matchmaker.security_headers import init_security_headers

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
log = logging.getLogger(__name__)


class MatchmakerApp(Flask):
    def dispatch_request(self) -> ResponseReturnValue:
        # The view alone is run again (not the rate limits, CSRF check or other
        # before-request steps) when it lost its database connection before any COMMIT.
        return dispatch_again_if_lost(super().dispatch_request)


def create_app(config: Config | None = None, *, embedder: Embedder | None = None) -> Flask:
    """Build the app; pass `embedder` to share one loaded model (tests, benchmarks)."""
    config = config or Config()
    app = MatchmakerApp(__name__, instance_path=str(config.INSTANCE_DIR.resolve()))
    app.config.from_object(config)
    secure_instance(config.INSTANCE_DIR, config.INDEX_DIR, config.SQLALCHEMY_DATABASE_URI)
    if config.TRUSTED_PROXIES:
        hops = config.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    init_input_guard(app)  # before any route: they use its `id` converter
    db.init_app(app)
    with app.app_context():
        init_database(app, db.engine)
        init_lost_connections(app, db.engine)
    migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS_DIR),
        render_as_batch=True,
        compare_type=True,
        include_object=include_in_autogenerate,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    matching.init_app(app, embedder=embedder)
    observability.init_app(app)

    from matchmaker.api import init_api
    from matchmaker.health import bp as health_bp
    from matchmaker.web import init_web

    app.register_blueprint(health_bp)
    init_api(app)
    init_web(app)
    register_error_handlers(app)
    init_security_headers(app)
    install_log_filters()  # edit tokens stay out of request logs
    cli.register(app)
    for warning in config.MAIL_SETUP_WARNINGS:
        log.warning(warning)
    return app

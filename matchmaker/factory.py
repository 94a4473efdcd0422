"""The application factory: config, extensions, blueprints, error handlers, CLI.

It never migrates the database: `flask db upgrade` does that.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from matchmaker import cli, observability
from matchmaker.config import Config
from matchmaker.domain.embedding import Embedder
from matchmaker.errors import register_error_handlers
from matchmaker.extensions import csrf, db, limiter, matching, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: Config | None = None, *, embedder: Embedder | None = None) -> Flask:
    """Build the app; pass `embedder` to share one loaded model (tests, benchmarks)."""
    config = config or Config()
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR.resolve()))
    app.config.from_object(config)
    config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    if config.TRUSTED_PROXIES:
        hops = config.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True
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
    cli.register(app)
    return app

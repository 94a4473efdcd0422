"""The application factory: config, extensions, blueprints, error handlers, CLI.

It never migrates the database: `flask db upgrade` does that.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from matchmaker import cli
from matchmaker.config import Config
from matchmaker.errors import register_error_handlers
from matchmaker.extensions import db, migrate

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR.resolve()))
    app.config.from_object(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.SQLALCHEMY_DATABASE_URI
    config.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True
    )

    from matchmaker.web import bp as web_bp

    app.register_blueprint(web_bp)
    register_error_handlers(app)
    cli.register(app)
    return app

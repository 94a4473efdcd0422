"""Unbound extensions; `create_app` binds them to an app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

if TYPE_CHECKING:  # services import the models, which import this module
    from matchmaker.domain.embedding import Embedder
    from matchmaker.services.matching import MatchingService


class Base(DeclarativeBase):
    # Named constraints so Alembic can alter them in SQLite batch mode and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()

# The API answers with its own limits per key; pages are not rate-limited by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
api = Api()


class Matching:
    """The app's one matching service, reached as `matching.service` (the tutorial's `db` idiom).

    The service holds the loaded model and matcher, so it is built once per app by
    `init_app` and every view, command and test reads it here instead of fetching
    `app.extensions["matching"]` by hand.
    """

    def init_app(self, app: Flask, *, embedder: Embedder | None = None) -> None:
        """Build the service from the app's config; `embedder` shares one loaded model."""
        from matchmaker.config import scoring_config
        from matchmaker.domain.embedding import make_embedder, model_name_for
        from matchmaker.domain.query_cache import QueryCachedEmbedder
        from matchmaker.services.matching import MatchingService

        model = app.config["EMBEDDING_MODEL"]
        cache_size = int(app.config.get("EMBEDDING_QUERY_CACHE_SIZE", 0))

        def load_embedder() -> Embedder:
            if embedder is not None:
                return embedder
            built = make_embedder(model, cache_dir=app.config.get("MODEL_CACHE_DIR"))
            # Ad-hoc requests are embedding-bound; repeated needs are served from memory.
            return QueryCachedEmbedder(built, cache_size) if cache_size > 0 else built

        app.extensions["matching"] = MatchingService(
            embedder_factory=load_embedder,
            loaded_embedder=embedder,
            scoring=scoring_config(
                app.config["SCORING_OVERRIDES"],
                embedder.model_name if embedder else model_name_for(model),
            ),
            index_kind=app.config["INDEX_KIND"],
            index_dir=app.config["INDEX_DIR"],
            pinned_weights=frozenset(
                path.removeprefix("weights.")
                for path in app.config["SCORING_OVERRIDES"]
                if path.startswith("weights.")
            ),
        )

    @property
    def service(self) -> MatchingService:
        """The current app's service (needs an app context, as `db.session` does)."""
        return current_app.extensions["matching"]


matching = Matching()

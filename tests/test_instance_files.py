"""Instance files (database, secret key, index snapshots) are private to the service user:
files 0600, directories 0700, whatever the umask, and loose ones are tightened at start."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade

from matchmaker.config import Config
from matchmaker.domain.embedding import Embedder
from matchmaker.extensions import db, matching
from matchmaker.factory import create_app
from matchmaker.instance_files import private_file
from matchmaker.services.profiles import create_company
from tests.factories import loaded_company


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common default umask, under which files come out world-readable."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture
def development_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    instance = tmp_path / "instance"
    for name in ("MATCHMAKER_SECRET_KEY", "MATCHMAKER_DATABASE_URL", "MATCHMAKER_INDEX_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MATCHMAKER_ENV", "development")
    monkeypatch.setenv("MATCHMAKER_INSTANCE_DIR", str(instance))
    return instance


def test_a_fresh_instance_is_private(
    open_umask: None, development_env: Path, embedder: Embedder
) -> None:
    """The reported problem: the SQLite file was created world-readable (0644)."""
    app = create_app(Config(), embedder=embedder)
    instance = development_env
    with app.app_context():
        upgrade()
        create_company(
            db.session,
            loaded_company(status="approved"),
            actor="test",
            on_change=matching.service.embed_changes,
        )
        matching.service.rebuild(db.session)
        db.engine.dispose()
    assert mode(instance) == 0o700
    assert mode(instance / "secret_key") == 0o600
    assert mode(instance / "matchmaker.sqlite") == 0o600
    assert mode(instance / "index") == 0o700
    snapshots = list((instance / "index").iterdir())
    assert snapshots and all(mode(path) == 0o600 for path in snapshots)


def test_loose_permissions_are_tightened_at_start(
    open_umask: None, development_env: Path, embedder: Embedder
) -> None:
    """An instance made before this fix (or copied in by hand) is made private."""
    instance = development_env
    (instance / "index").mkdir(parents=True)
    instance.chmod(0o755)
    (instance / "index").chmod(0o755)
    (instance / "matchmaker.sqlite").write_bytes(b"")
    (instance / "matchmaker.sqlite").chmod(0o644)
    (instance / "secret_key").write_text("k" * 64)
    (instance / "secret_key").chmod(0o644)
    create_app(Config(), embedder=embedder)
    assert mode(instance) == 0o700
    assert mode(instance / "index") == 0o700
    assert mode(instance / "matchmaker.sqlite") == 0o600
    assert mode(instance / "secret_key") == 0o600


def test_private_file_creates_with_0600_from_the_start(open_umask: None, tmp_path: Path) -> None:
    """No window in which the file exists with looser permissions (no write-then-chmod)."""
    path = tmp_path / "new" / "secret"
    with private_file(path) as handle:
        assert mode(path) == 0o600
        handle.write(b"x")
    assert path.read_bytes() == b"x"
    assert mode(path.parent) == 0o700

"""`flask backup create/restore`: real backups of both backends that restore cleanly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.models import Company
from matchmaker.services import backups, profiles
from matchmaker.services.index_state import current_state
from tests.factories import make_matchable_company


def backend(app: Flask) -> str:
    return backups.backend_of(app.config["SQLALCHEMY_DATABASE_URI"])


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Company)) or 0


def test_a_backup_restores_the_rows_and_a_fresh_index(
    app: Flask, session: Session, runner: FlaskCliRunner
) -> None:
    """Create (default file under instance/backups), change rows, restore: the rows are
    the backup's, the database has a new identity, the index holds the restored firms."""
    first = make_matchable_company(session, matching.service, name="Before Backup GmbH")
    session.commit()
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    backup = Path(result.output.strip().removeprefix("Backup written to ").removesuffix("."))
    assert backup.parent == Path(app.instance_path) / "backups" and backup.is_file()
    profiles.update_company(
        session,
        first.id,
        {"name": "Renamed GmbH"},
        actor="t",
        on_change=matching.service.embed_changes,
    )
    make_matchable_company(session, matching.service, name="After Backup GmbH")
    _, identity_before = current_state(session)
    result = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Index rebuilt: 1 firms indexed" in result.output
    assert session.scalars(select(Company.name)).all() == ["Before Backup GmbH"]
    assert current_state(session)[1] not in ("", identity_before)
    assert matching.service.status(session).indexed == 1


def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(
    app: Flask, session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """A torn or foreign file is rejected before anything is overwritten."""
    make_matchable_company(session, matching.service)
    session.commit()
    state = current_state(session)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["backup", "restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert str(junk) in result.output or "pg_restore failed" in result.output
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "missing"), "--yes"])
    assert result.exit_code != 0 and "No backup file at" in result.output
    assert (count(session), current_state(session)) == (1, state)


def test_restore_asks_first_and_no_changes_nothing(
    app: Flask, session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Without --yes the operator confirms; answering no leaves the database alone."""
    backup = tmp_path / "empty.backup"
    assert runner.invoke(args=["backup", "create", "--output", str(backup)]).exit_code == 0
    make_matchable_company(session, matching.service)
    session.commit()
    result = runner.invoke(args=["backup", "restore", str(backup)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert count(session) == 1


def test_an_existing_backup_file_is_never_overwritten(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "taken.backup"
    target.write_text("an older backup")
    result = runner.invoke(args=["backup", "create", "--output", str(target)])
    assert result.exit_code != 0 and "exists" in result.output
    assert target.read_text() == "an older backup"


def test_a_sqlite_backup_of_an_unknown_migration_is_refused(
    app: Flask, session: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """A backup from a newer release would meet a schema this code cannot migrate."""
    if backend(app) != "sqlite":
        pytest.skip("the revision is read from SQLite files; pg_restore archives are opaque")
    backup = tmp_path / "newer.sqlite"
    assert runner.invoke(args=["backup", "create", "--output", str(backup)]).exit_code == 0
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    result = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
    assert result.exit_code != 0 and "0999_from_the_future" in result.output


def test_postgres_commands_name_one_schema_and_hide_the_password() -> None:
    """The documented commands dump the app's schema only; the password travels in
    PGPASSWORD, never on a command line others can read."""
    url = "postgresql+psycopg://mm:s3cret@db:5432/mm?options=-csearch_path%3Dmatchmaker"
    dump = backups.pg_dump_command(url, Path("/b/x.dump"))
    restore = backups.pg_restore_command(url, Path("/b/x.dump"))
    assert "--schema=matchmaker" in dump and "--single-transaction" in restore
    assert not any("s3cret" in part for part in dump + restore)
    assert dump[-1].startswith("postgresql://mm@db:5432/mm?")
    assert backups.pg_environment(url)["PGPASSWORD"] == "s3cret"

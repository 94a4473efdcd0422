"""`flask backup create/restore/mark-restored`: database backups that restore cleanly.

A restore gives the database a new identity and rebuilds the index snapshot, so no
worker or snapshot of the history before the restore is ever caught up onto it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from matchmaker.extensions import db, matching
from matchmaker.services import backups
from matchmaker.services.backups import BackupError
from matchmaker.services.index_state import new_database_id

backup_cli = AppGroup("backup", help="Back up and restore the database.")


def _url() -> str:
    return str(db.engine.url.render_as_string(hide_password=False))


@backup_cli.command("create")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file to write (default: instance/backups/matchmaker-<UTC time>.sqlite|.dump).",
)
def backup_create(output: Path | None) -> None:
    """Copy the live database (writers may go on) to a new file."""
    url = _url()
    try:
        backend = backups.backend_of(url)
        target = output or _default_target(backend)
        if backend == "sqlite":
            backups.backup_sqlite(backups.sqlite_file(url), target)
        else:
            backups.prepare_target(target)
            backups.run_pg_tool(backups.pg_dump_command(url, target), url)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target}.")


@backup_cli.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def backup_restore(backup: Path, yes: bool) -> None:
    """Replace the whole database with BACKUP, then rebuild the index from it."""
    url = _url()
    try:
        backend = backups.backend_of(url)
        if backend == "sqlite":
            _check_revision(backups.check_sqlite_backup(backup))
        else:
            backups.check_pg_backup(backup)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(f"Replace every row of the database with {backup}?", abort=True)
    # Our own pooled connections would hold locks the restore waits for.
    db.session.remove()
    db.engine.dispose()
    try:
        if backend == "sqlite":
            backups.restore_sqlite(backup, backups.sqlite_file(url))
        else:
            backups.run_pg_tool(backups.pg_restore_command(url, backup), url)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    upgrade()  # a backup taken before a later migration is brought to the code's schema
    click.echo(f"Database restored from {backup}.")
    _mark_restored()


@backup_cli.command("mark-restored")
def backup_mark_restored() -> None:
    """After restoring by other means (pg_restore, a copied file): give the database a
    new identity and rebuild the index, so no worker serves the old history."""
    _mark_restored()


def _mark_restored() -> None:
    database_id = new_database_id(db.session)
    db.session.commit()
    click.echo(f"New database identity {database_id}; rebuilding the index...")
    service = matching.service
    service.reset()
    status = service.rebuild(db.session)
    click.echo(f"Index rebuilt: {status.indexed} firms indexed, generation {status.generation}.")


def _check_revision(revision: str) -> None:
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        known = script.get_revision(revision) is not None
    except AlembicError:
        known = False
    if not known:
        raise BackupError(
            f"The backup is at migration {revision!r}, which this code does not know "
            "(a newer release's backup?)."
        )


def _default_target(backend: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = "sqlite" if backend == "sqlite" else "dump"
    return Path(current_app.instance_path) / "backups" / f"matchmaker-{stamp}.{suffix}"

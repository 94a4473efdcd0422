"""Flask commands: seed the demo registry, manage the vector index, evaluate quality."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from marshmallow import ValidationError

from matchmaker import notifications
from matchmaker.backup_cli import backup_cli
from matchmaker.domain.errors import DomainError
from matchmaker.errors import NotFoundError
from matchmaker.extensions import db, matching
from matchmaker.services.admins import create_admin_user, deactivate_admin, set_admin_password
from matchmaker.services.api_keys import (
    ROLES,
    create_api_client,
    find_api_client,
    list_api_clients,
    revoke_api_client,
)
from matchmaker.services.duplicate_store import rebuild_candidates
from matchmaker.services.embeddings import stale_vector_count
from matchmaker.services.evaluation import (
    EvaluationError,
    evaluate,
    load_pairs_file,
    successful_introductions,
)
from matchmaker.services.glossary import registry_gaps
from matchmaker.services.seeding import load_seeds, read_seed_file

index_cli = AppGroup("index", help="Build and inspect the vector index.")
apikey_cli = AppGroup("apikey", help="Create, list and revoke API keys.")
admin_cli = AppGroup("admin", help="Manage admin accounts.")
duplicates_cli = AppGroup("duplicates", help="Maintain the stored duplicate candidates.")
mail_cli = AppGroup("mail", help="Send the mail Matchmaker owes (cron-able).")
glossary_cli = AppGroup("glossary", help="Inspect the Ukrainian -> English glossary.")
CLI_ACTOR = "cli"


@click.command("seed")
@click.option("--file", "seed_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def seed_command(seed_file: Path | None) -> None:
    """Load the demo firms (embedding them); firms already present are left as they are."""
    service = matching.service
    path = seed_file or current_app.config["SEED_FILE"]
    click.echo("Loading the embedding model...")
    service.embedder  # noqa: B018 - load before the transaction starts, not inside it
    embed = partial(service.embed_changes, show_progress=True)
    report = load_seeds(db.session, read_seed_file(path), on_change=embed)
    click.echo(f"Seeded {report.created} new firms; {report.already_present} were already present.")
    status = service.rebuild(db.session, show_progress=True)
    click.echo(f"Index ready: {status.indexed} firms indexed, generation {status.generation}.")


@index_cli.command("rebuild")
def index_rebuild() -> None:
    """Embed missing or stale texts (with a progress bar), rebuild and persist the index."""
    status = matching.service.rebuild(db.session, show_progress=True)
    click.echo(
        f"Index rebuilt: {status.indexed} firms indexed with {status.model}, "
        f"generation {status.generation}; {status.unindexed} approved firms lack vectors."
    )


@index_cli.command("status")
def index_status() -> None:
    """Show what the index holds and whether it is up to date."""
    status = matching.service.status(db.session)
    stale = stale_vector_count(db.session, matching.service.embedder)
    click.echo(
        f"model {status.model}; generation {status.generation}; "
        f"{status.indexed} indexed; {status.unindexed} approved firms without vectors; "
        f"{stale} firms with vectors of older text"
        + (" (flask index rebuild re-embeds them)" if stale else "")
    )


@glossary_cli.command("gaps")
@click.option("--top", default=30, show_default=True, type=click.IntRange(1, 1000))
def glossary_gaps_command(top: int) -> None:
    """Ukrainian words of approved and pending firms the glossary does not know, most
    widespread first: where to extend matchmaker/domain/glossary_uk_en.tsv."""
    gaps = registry_gaps(db.session, top)
    if not gaps:
        click.echo("The glossary knows every Ukrainian word of the registry.")
        return
    click.echo(f"{'stem':<20} {'most frequent form':<24} {'firms':>6} {'occurrences':>12}")
    for gap in gaps:
        click.echo(f"{gap.stem:<20} {gap.written:<24} {gap.texts:>6} {gap.occurrences:>12}")


@click.command("evaluate")
@click.option(
    "--pairs",
    "pairs_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON file of known good pairs (default: seeds/evaluation_pairs.json).",
)
@click.option("--no-introductions", is_flag=True, help="Ignore recorded MoU / JV introductions.")
def evaluate_command(pairs_file: Path | None, no_introductions: bool) -> None:
    """Recall@5, Recall@10 and MRR of the engine against BM25, embedding and random baselines."""
    path = pairs_file or current_app.config["SEED_FILE"].parent / "evaluation_pairs.json"
    try:
        pairs = load_pairs_file(db.session, path)
        if not no_introductions:
            pairs += successful_introductions(db.session)
        report = evaluate(db.session, matching.service, pairs)
    except (EvaluationError, DomainError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(report.table())


@apikey_cli.command("create")
@click.option("--name", required=True, help="Who uses the key, e.g. 'Berlin export office'.")
@click.option("--role", type=click.Choice(ROLES), default="office", show_default=True)
def apikey_create(name: str, role: str) -> None:
    """Create a key; it is printed once and stored only as a hash."""
    try:
        client, key = create_api_client(db.session, name, role, actor=CLI_ACTOR)
    except ValidationError as error:
        raise click.ClickException(_messages(error)) from error
    click.echo(f"Created API client {client.id} ({client.name}, role {client.role}).")
    click.echo("Key (shown once; store it now):")
    click.echo(key)


@apikey_cli.command("revoke")
@click.argument("name_or_id")
def apikey_revoke(name_or_id: str) -> None:
    """Revoke a key by client name or id; it stops working at once."""
    try:
        client = find_api_client(db.session, name_or_id)
    except NotFoundError as error:
        raise click.ClickException(error.message) from error
    revoke_api_client(db.session, client.id, actor=CLI_ACTOR)
    click.echo(f"Revoked API client {client.id} ({client.name}).")


@apikey_cli.command("list")
def apikey_list() -> None:
    """List API clients (never their keys)."""
    for client in list_api_clients(db.session):
        state = f"revoked {client.revoked_at:%Y-%m-%d}" if client.revoked_at else "active"
        line = f"{client.id:>4}  {client.name:<40} {client.role:<7} {client.key_prefix}…"
        click.echo(f"{line}  {state}")


@admin_cli.command("create-user")
@click.option("--email", required=True)
@click.password_option(help="At least 12 characters; asked for when not given.")
def admin_create_user(email: str, password: str) -> None:
    """Create an admin who can log in to the curation pages."""
    try:
        user = create_admin_user(db.session, email, password, actor=CLI_ACTOR)
    except ValidationError as error:
        raise click.ClickException(_messages(error)) from error
    click.echo(f"Created admin {user.email}.")


@admin_cli.command("set-password")
@click.option("--email", required=True)
@click.password_option(help="At least 12 characters; asked for when not given.")
def admin_set_password(email: str, password: str) -> None:
    """Change an admin's password; every open session of that admin ends."""
    try:
        user = set_admin_password(db.session, email, password, actor=CLI_ACTOR)
    except ValidationError as error:
        raise click.ClickException(_messages(error)) from error
    click.echo(f"Changed the password of {user.email}; their open sessions are ended.")


@admin_cli.command("deactivate")
@click.option("--email", required=True)
def admin_deactivate(email: str) -> None:
    """Refuse an admin's logins and end every open session of that admin."""
    try:
        user = deactivate_admin(db.session, email, actor=CLI_ACTOR)
    except ValidationError as error:
        raise click.ClickException(_messages(error)) from error
    click.echo(f"Deactivated {user.email}; their open sessions are ended.")


def _messages(error: ValidationError) -> str:
    messages = error.messages if isinstance(error.messages, dict) else {"": error.messages}
    return "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in messages.items())


@duplicates_cli.command("rebuild")
def duplicates_rebuild() -> None:
    """Recompute every duplicate candidate (after the migration or a change of model);
    writes keep them current afterwards."""
    count = rebuild_candidates(db.session)
    click.echo(f"Duplicate candidates rebuilt: {count} pairs.")


@mail_cli.command("digest")
def mail_digest() -> None:
    """E-mail the admins the firm submissions since the last digest (none: nothing sent)."""
    if current_app.config["ADMIN_DIGEST"] == "off":
        click.echo("The admin digest is off (MATCHMAKER_ADMIN_DIGEST=off): nothing sent.")
        return
    listed = notifications.send_digest()
    click.echo(f"Digest sent with {listed} firms." if listed else "No digest sent (see the log).")


@mail_cli.command("retry")
def mail_retry() -> None:
    """Send again the edit-link mails an earlier attempt could not deliver."""
    sent, failed = notifications.retry_owed()
    click.echo(f"Edit-link mails sent: {sent}; still failing: {failed}.")
    if failed:
        raise SystemExit(1)


def register(app: Flask) -> None:
    from matchmaker.scoring_cli import scoring_cli

    app.cli.add_command(scoring_cli)
    app.cli.add_command(duplicates_cli)
    app.cli.add_command(apikey_cli)
    app.cli.add_command(admin_cli)
    app.cli.add_command(seed_command)
    app.cli.add_command(index_cli)
    app.cli.add_command(evaluate_command)
    app.cli.add_command(backup_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(glossary_cli)

"""Flask commands: seed the demo registry (more commands join as the product grows)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from matchmaker.extensions import db
from matchmaker.services.seeding import load_seeds, read_seed_file


@click.command("seed")
@click.option("--file", "seed_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def seed_command(seed_file: Path | None) -> None:
    """Load the demo firms; firms already present are left as they are."""
    path = seed_file or current_app.config["SEED_FILE"]
    report = load_seeds(db.session, read_seed_file(path))
    click.echo(f"Seeded {report.created} new firms; {report.already_present} were already present.")


def register(app: Flask) -> None:
    app.cli.add_command(seed_command)

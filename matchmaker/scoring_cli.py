"""`flask scoring`: fit weights from outcomes, list versions, apply one, revert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from matchmaker.domain.errors import DomainError
from matchmaker.errors import MatchmakerError
from matchmaker.extensions import db, matching
from matchmaker.models import ScoringVersion
from matchmaker.services.evaluation import EvaluationError
from matchmaker.services.scoring_versions import (
    FOLDS,
    apply_version,
    list_versions,
    propose,
    revert,
)

scoring_cli = AppGroup("scoring", help="Fit, apply and revert the score components' weights.")
CLI_ACTOR = "cli"


@scoring_cli.command("fit")
@click.option(
    "--pairs",
    "pair_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A labelled pairs file (eval/real/pairs.json format); repeatable.",
)
@click.option("--folds", default=FOLDS, show_default=True, type=click.IntRange(2, 20))
def scoring_fit(pair_files: tuple[Path, ...], folds: int) -> None:
    """Propose weights fitted on MoU/JV introductions (declined ones as negatives) and the
    given pair files; print every fold's held-out figures of proposed vs current weights."""
    try:
        version = propose(db.session, matching.service, pair_files, actor=CLI_ACTOR, folds=folds)
    except (MatchmakerError, EvaluationError, DomainError) as error:
        raise click.ClickException(getattr(error, "message", None) or str(error)) from error
    click.echo(_source_line(version.source))
    click.echo(f"{'fold':<6}{'queries':>8}{'MRR':>16}{'Recall@10':>20}   (proposed / current)")
    for fold in version.figures["folds"]:
        click.echo(_figures_row(str(fold["fold"]), fold["held_out_queries"], fold))
    click.echo(_figures_row("mean", version.source["queries"], version.figures))
    click.echo(f"current weights:  {_weights(version.figures['current_weights'])}")
    click.echo(f"proposed weights: {_weights(version.weights)}")
    pinned = sorted(matching.service.pinned_weights)
    if pinned:
        click.echo(f"Note: MATCHMAKER_SCORING pins {', '.join(pinned)}; those stay as configured.")
    click.echo(f"Proposal {version.id} stored; apply it with `flask scoring apply {version.id}`.")


@scoring_cli.command("list")
def scoring_list() -> None:
    """Every version, newest first, with its held-out MRR (proposed / current when fitted)."""
    versions = list_versions(db.session)
    if not versions:
        click.echo("No scoring versions; the shipped defaults are in use.")
    for v in versions:
        f = v.figures
        applied = (
            f"  applied {v.applied_at:%Y-%m-%d %H:%M} by {v.applied_by}" if v.applied_at else ""
        )
        click.echo(
            f"{v.id:>4}  {v.status:<9} {v.created_at:%Y-%m-%d %H:%M}  "
            f"MRR {f['proposed']['mrr']:.3f} / {f['current']['mrr']:.3f}  "
            f"{_weights(v.weights)}{applied}"
        )


@scoring_cli.command("apply")
@click.argument("version_id", type=int)
def scoring_apply(version_id: int) -> None:
    """Make proposal VERSION_ID the weights every worker matches with."""
    try:
        version = apply_version(db.session, version_id, actor=CLI_ACTOR)
    except MatchmakerError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Scoring version {version.id} is active: {_weights(version.weights)}")


@scoring_cli.command("revert")
def scoring_revert() -> None:
    """Go back to the version the active one replaced, or to the shipped defaults."""
    try:
        back: ScoringVersion | None = revert(db.session, actor=CLI_ACTOR)
    except MatchmakerError as error:
        raise click.ClickException(error.message) from error
    if back is None:
        click.echo("Reverted: the shipped default weights are in use.")
    else:
        click.echo(f"Reverted: scoring version {back.id} is active again.")


def _source_line(source: dict[str, Any]) -> str:
    intros = source["introductions"]
    sets = ", ".join(f"{s['file']} ({s['pairs']} pairs)" for s in source["sets"]) or "no sets"
    return (
        f"Fitted on {source['pairs']} known good pairs, {source['queries']} queries: "
        f"introductions {intros['mou']} MoU, {intros['jv']} JV, {intros['declined']} declined "
        f"({source['declined_terms']} declined terms used); {sets}; "
        f"{source['skipped_queries']} queries skipped (firms not indexed)."
    )


def _figures_row(label: str, queries: int, figures: dict[str, Any]) -> str:
    p, c = figures["proposed"], figures["current"]
    return (
        f"{label:<6}{queries:>8}{p['mrr']:>9.3f} / {c['mrr']:.3f}"
        f"{p['recall_at_10']:>13.3f} / {c['recall_at_10']:.3f}"
    )


def _weights(weights: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.3f}" for name, value in weights.items())

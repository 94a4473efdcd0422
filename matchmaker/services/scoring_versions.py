"""Scoring versions: weights fitted from outcomes, proposed, applied, reverted.

`propose` fits the component weights on the training set (`scoring_training`),
cross-validated by pair, and stores them with every fold's figures of the proposed and
the current weights; nothing changes for matching until an admin applies it. `apply`
makes a proposal the active version; `revert` goes back to what the active version
replaced (another version, or the shipped defaults). Both are audited and bump the
index generation, which is how every worker notices (`MatchingService.sync`). Applied
and reverted versions become retired and stay as the record; they are not re-applied
(fit again for a new proposal).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.components import COMPONENTS
from matchmaker.domain.weight_fit import CrossValidation, cross_validate, fit
from matchmaker.errors import ConflictError, MatchmakerError, NotFoundError
from matchmaker.models import ScoringVersion, utcnow
from matchmaker.services.audit import record_audit
from matchmaker.services.index_state import bump_generation
from matchmaker.services.matching import MatchingService
from matchmaker.services.scoring_state import active_version
from matchmaker.services.scoring_training import training_set

FOLDS = 5


def propose(
    session: Session,
    service: MatchingService,
    pair_files: Sequence[Path] = (),
    *,
    actor: str,
    folds: int = FOLDS,
) -> ScoringVersion:
    """Fit weights on the recorded outcomes and `pair_files` and store them as a proposal."""
    training = training_set(session, service, pair_files)
    in_force = service.sync(session).config.weights
    current = np.array([in_force[n] for n in training.names])
    try:
        validation = cross_validate(training.queries, current, folds)
    except ValueError as error:  # too few pairs to hold any out
        raise MatchmakerError(str(error)) from error
    weights = fit(training.queries, len(training.names))
    version = ScoringVersion(
        weights=_named(training.names, weights),
        figures=_figures(training.names, validation, in_force),
        source=training.source,
        status="proposed",
        created_by=actor,
    )
    session.add(version)
    session.flush()
    record_audit(
        session, actor, "scoring.propose", "scoring_version", version.id, None, _doc(version)
    )
    session.commit()
    return version


def list_versions(session: Session) -> list[ScoringVersion]:
    """Every version, newest first."""
    return list(session.scalars(select(ScoringVersion).order_by(ScoringVersion.id.desc())))


def get_version(session: Session, version_id: int) -> ScoringVersion:
    version = session.get(ScoringVersion, version_id)
    if version is None:
        raise NotFoundError(f"No scoring version {version_id}.")
    return version


def apply_version(session: Session, version_id: int, *, actor: str) -> ScoringVersion:
    """Make a proposal the active version (the one active until now is retired)."""
    bump_generation(session)  # first: its row lock serialises concurrent applies
    try:
        version = _applicable(session, version_id)
    except MatchmakerError:
        session.rollback()
        raise
    previous = active_version(session)
    if previous is not None:
        previous.status = "retired"
    version.status, version.applied_at, version.applied_by = "active", utcnow(), actor
    version.replaced_id = previous.id if previous is not None else None
    record_audit(
        session,
        actor,
        "scoring.apply",
        "scoring_version",
        version.id,
        _state(previous),
        _state(version),
    )
    session.commit()
    return version


def revert(session: Session, *, actor: str) -> ScoringVersion | None:
    """Retire the active version and re-activate the one it replaced; None: the shipped
    defaults are back."""
    bump_generation(session)  # first, as in apply
    current = active_version(session)
    if current is None:
        session.rollback()
        raise ConflictError("No scoring version is active: the shipped defaults are in use.")
    current.status = "retired"
    back = session.get(ScoringVersion, current.replaced_id) if current.replaced_id else None
    if back is not None:
        back.status = "active"
    session.flush()
    record_audit(
        session,
        actor,
        "scoring.revert",
        "scoring_version",
        current.id,
        _state(current),
        _state(back),
    )
    session.commit()
    return back


def _applicable(session: Session, version_id: int) -> ScoringVersion:
    version = get_version(session, version_id)
    if version.status != "proposed":
        raise ConflictError(
            f"Scoring version {version_id} is {version.status}; only a proposal can be "
            "applied (`flask scoring fit` makes a new one, `flask scoring revert` goes back)."
        )
    unknown = sorted(set(version.weights) - {c.name for c in COMPONENTS})
    if unknown:
        raise MatchmakerError(
            f"Scoring version {version_id} weighs unknown components ({', '.join(unknown)}); "
            "fit a new proposal."
        )
    return version


def _named(names: list[str], weights: np.ndarray) -> dict[str, float]:
    return {n: round(float(w), 4) for n, w in zip(names, weights, strict=True)}


def _figures(names: list[str], validation: CrossValidation, in_force: Any) -> dict[str, Any]:
    return {
        "folds": [
            {
                "fold": f.number + 1,
                "held_out_queries": f.held_out,
                "weights": _named(names, f.weights),
                "proposed": f.proposed.as_dict(),
                "current": f.current.as_dict(),
            }
            for f in validation.folds
        ],
        "proposed": validation.proposed.as_dict(),
        "current": validation.current.as_dict(),
        "current_weights": {n: round(float(in_force[n]), 4) for n in names},
    }


def _doc(version: ScoringVersion) -> dict[str, Any]:
    return {
        "status": version.status,
        "weights": version.weights,
        "proposed": version.figures.get("proposed"),
        "current": version.figures.get("current"),
        "source": version.source,
    }


def _state(version: ScoringVersion | None) -> dict[str, Any]:
    """What matching used: a version's weights, or the shipped defaults."""
    if version is None:
        return {"active": None, "weights": "shipped defaults"}
    return {"active": version.id, "weights": version.weights}

"""Introductions: which firms an office put in touch, and how far it went.

Outcomes move forward (proposed -> contacted -> meeting -> mou -> jv) or end in
`declined`; a declined pair is not suggested to that office again unless asked.
MoU and JV outcomes are the ground truth `flask evaluate` learns from.

Both use cases take data their door already loaded once (`IntroductionSchema`,
`IntroductionUpdateSchema`); what needs the database (the firms exist, the pair has no
open introduction, the outcome moves forward) is checked here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from matchmaker.domain.messages import N_, Message
from matchmaker.domain.taxonomy import INTRODUCTION_OUTCOMES
from matchmaker.errors import ConflictError, NotFoundError, VersionConflictError
from matchmaker.models import Company, Introduction
from matchmaker.services.audit import record_audit

STAGES = ("proposed", "contacted", "meeting", "mou", "jv")
MAX_NOTE = 2000
FINAL = frozenset({"jv", "declined"})


def record_introduction(
    session: Session,
    data: dict[str, Any],
    *,
    actor: str,
    api_client_id: int | None = None,
    office: bool = False,
) -> Introduction:
    """Record that two firms were introduced; the same open pair twice is a conflict
    (409 naming the open one). An `office` may introduce only firms it can see."""
    a, b = data["company_a_id"], data["company_b_id"]
    _ensure_companies_visible(session, (a, b), office=office)
    if (existing := open_introduction(session, a, b, api_client_id)) is not None:
        raise _already_open(existing.id)
    try:
        introduction = _add_introduction(session, data, actor, api_client_id)
        session.commit()
    except IntegrityError as error:
        # A concurrent request recorded the pair between the check and the insert; the
        # unique index (uq_introduction_open_pair) refused this copy.
        session.rollback()
        if (existing := open_introduction(session, a, b, api_client_id)) is None:
            raise
        raise _already_open(existing.id) from error
    return introduction


def _add_introduction(
    session: Session, data: dict[str, Any], actor: str, api_client_id: int | None
) -> Introduction:
    """Insert and audit one introduction in the caller's transaction."""
    introduction = Introduction(**data, recorded_by=actor, api_client_id=api_client_id)
    session.add(introduction)
    session.flush()
    record_audit(
        session,
        actor,
        "introduction.create",
        "introduction",
        introduction.id,
        None,
        _doc(introduction),
    )
    return introduction


@dataclass(frozen=True)
class ConsortiumIntroductions:
    """What recording a consortium did: the introductions it created, and the pairs that
    already had an open one (left as they are, by that introduction's id)."""

    created: tuple[Introduction, ...]
    already_open: tuple[int, ...]


def record_consortium(
    session: Session,
    company_ids: Sequence[int],
    *,
    actor: str,
    note: str | None = None,
    score: float | None = None,
    api_client_id: int | None = None,
) -> ConsortiumIntroductions:
    """Record a proposed consortium as an introduction between every two of its members,
    in one transaction (all pairs or none). A pair with an open introduction keeps it;
    the others are created, each audited like any introduction."""
    ids = list(dict.fromkeys(company_ids))
    if len(ids) < 2:
        raise ValidationError({"company_ids": [N_("A consortium needs at least two firms.")]})
    # The checks IntroductionSchema makes of one introduction's note and score.
    if note is not None and len(note) > MAX_NOTE:
        raise ValidationError({"note": [Message(N_("At most %(max)d characters."), max=MAX_NOTE)]})
    if score is not None and not 0 <= score <= 1:  # NaN is refused here too
        raise ValidationError({"score": [N_("Must be between 0 and 1.")]})
    found = set(session.scalars(select(Company.id).where(Company.id.in_(ids))))
    if missing := [i for i in ids if i not in found]:
        raise ValidationError({"company_ids": [f"No company with id {i}." for i in missing]})
    created: list[Introduction] = []
    already_open: list[int] = []
    try:
        for a, b in combinations(ids, 2):
            if (existing := open_introduction(session, a, b, api_client_id)) is not None:
                already_open.append(existing.id)
                continue
            data = {"company_a_id": a, "company_b_id": b, "note": note, "score": score}
            created.append(_add_introduction(session, data, actor, api_client_id))
        session.commit()
    except IntegrityError as error:
        # A pair was recorded concurrently: nothing of this consortium was written.
        session.rollback()
        raise ConflictError(
            N_(
                "Some of these firms were introduced meanwhile; nothing was recorded. "
                "Reload and record the consortium again."
            )
        ) from error
    return ConsortiumIntroductions(tuple(created), tuple(already_open))


def _already_open(introduction_id: int) -> ConflictError:
    return ConflictError(
        f"These firms already have an open introduction (id {introduction_id}); update it instead.",
        details={"id": introduction_id},
    )


def update_introduction(
    session: Session,
    introduction_id: int,
    data: dict[str, Any],
    *,
    actor: str,
    api_client_id: int | None = None,
    expected_version: int | None = None,
) -> Introduction:
    """Move an introduction forward (or to declined) and note why."""
    introduction = get_introduction(session, introduction_id, api_client_id=api_client_id)
    if expected_version is not None and introduction.version != expected_version:
        raise VersionConflictError(
            f"Introduction {introduction_id} changed since you read it; reload and try again."
        )
    if "outcome" in data:
        _check_transition(introduction.outcome, data["outcome"])
    before = _doc(introduction)
    for name, value in data.items():
        setattr(introduction, name, value)
    record_audit(
        session,
        actor,
        "introduction.update",
        "introduction",
        introduction.id,
        before,
        _doc(introduction),
    )
    try:
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise VersionConflictError("Someone else updated this introduction; reload it.") from error
    return introduction


def get_introduction(
    session: Session, introduction_id: int, *, api_client_id: int | None = None
) -> Introduction:
    """One introduction; an office sees only the ones it recorded."""
    introduction = session.get(Introduction, introduction_id)
    if introduction is None or (
        api_client_id is not None and introduction.api_client_id != api_client_id
    ):
        raise NotFoundError(f"No introduction with id {introduction_id}.")
    return introduction


def introductions_query(
    *, company_id: int | None = None, outcome: str | None = None, api_client_id: int | None = None
) -> Select[Introduction]:
    """Introductions, newest first, narrowed by firm, outcome and recording office."""
    query = select(Introduction).order_by(Introduction.created_at.desc(), Introduction.id.desc())
    if company_id is not None:
        query = query.where(
            or_(Introduction.company_a_id == company_id, Introduction.company_b_id == company_id)
        )
    if outcome is not None:
        query = query.where(Introduction.outcome == outcome)
    if api_client_id is not None:
        query = query.where(Introduction.api_client_id == api_client_id)
    return query


def declined_partners(
    session: Session, company_id: int, *, api_client_id: int | None = None
) -> frozenset[int]:
    """Firms whose introduction to `company_id` was declined (for this office, if given)."""
    query = introductions_query(
        company_id=company_id, outcome="declined", api_client_id=api_client_id
    )
    pairs = session.execute(
        query.with_only_columns(Introduction.company_a_id, Introduction.company_b_id)
    )
    return frozenset(b if a == company_id else a for a, b in pairs)


def outcome_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Introduction.outcome, func.count()).group_by(Introduction.outcome)
    )
    counts = dict.fromkeys(INTRODUCTION_OUTCOMES, 0)
    counts.update({outcome: count for outcome, count in rows})
    return counts


def _check_transition(current: str, wanted: str) -> None:
    if wanted == current:
        return
    if current in FINAL:
        raise ValidationError(
            {"outcome": [f"The introduction is closed ({current}); record a new one."]}
        )
    if wanted != "declined" and STAGES.index(wanted) < STAGES.index(current):
        raise ValidationError({"outcome": [f"Cannot go back from {current} to {wanted}."]})


def _ensure_companies_visible(session: Session, ids: tuple[int, int], *, office: bool) -> None:
    """Offices see approved, unsanctioned firms only (those the matcher suggests); any other
    id gets the same answer as one that does not exist, so ids reveal nothing."""
    query = select(Company.id).where(Company.id.in_(ids))
    if office:
        query = query.where(Company.status == "approved", Company.sanctioned.is_(False))
    found = set(session.scalars(query))
    errors = {
        field: [f"No company with id {company_id}."]
        for field, company_id in zip(("company_a_id", "company_b_id"), ids, strict=True)
        if company_id not in found
    }
    if errors:
        raise ValidationError(errors)


def open_introduction(
    session: Session, a: int, b: int, api_client_id: int | None
) -> Introduction | None:
    """The pair's open (not declined) introduction by this office, in either order."""
    pair = or_(
        (Introduction.company_a_id == a) & (Introduction.company_b_id == b),
        (Introduction.company_a_id == b) & (Introduction.company_b_id == a),
    )
    query = select(Introduction).where(pair, Introduction.outcome != "declined")
    query = query.where(
        Introduction.api_client_id.is_(api_client_id)
        if api_client_id is None
        else Introduction.api_client_id == api_client_id
    )
    return session.scalars(query.limit(1)).first()


def _doc(introduction: Introduction) -> dict[str, Any]:
    return {
        "company_a_id": introduction.company_a_id,
        "company_b_id": introduction.company_b_id,
        "outcome": introduction.outcome,
        "note": introduction.note,
    }

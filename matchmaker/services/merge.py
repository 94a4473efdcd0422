"""Merge two records of one firm: the survivor keeps the richer fields and all history.

`merge_companies(session, survivor_id, merged_id)` writes, in one transaction:
- the survivor, with its own identity (name, legal id, country, size, status) and,
  field by field, the richer value of the two (`MERGE_POLICY` names the rule of each field);
- the merged record, archived (never deleted) with the review note "Merged into #A.",
  so its audit trail stays readable;
- every introduction of the merged record re-pointed at the survivor (one between
  the two records themselves stays where it is: a firm cannot meet itself);
- an audit event on each record, and a new index generation stamped on both, so
  every matcher drops the archived record and re-reads the survivor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from matchmaker.domain.taxonomy import SECURITY_CLEARANCE_LEVELS
from matchmaker.errors import ConflictError, VersionConflictError
from matchmaker.models import Company, Introduction
from matchmaker.services.audit import record_audit
from matchmaker.services.documents import apply_document, company_document, load_company
from matchmaker.services.index_state import bump_generation
from matchmaker.services.introductions import open_introduction

# The profile service's own transaction and change hook, so a merge writes exactly as an edit.
from matchmaker.services.profiles import ChangeHook, after_change, get_company, write_transaction

Rule = Callable[[Any, Any], Any]  # (survivor's value, other's value) -> merged value


def keep_survivor(survivor: Any, other: Any) -> Any:
    """Who the firm is and where it stands stay the survivor's, whatever the other says."""
    return survivor


def first_present(survivor: Any, other: Any) -> Any:
    """A fact missing on the survivor is filled in from the other record."""
    return survivor or other


def richer_text(survivor: str | None, other: str | None) -> str:
    """The longer text wins: it is the one a firm took more care over."""
    first, second = (survivor or "").strip(), (other or "").strip()
    return second if len(second) > len(first) else first


def union(survivor: list[str], other: list[str]) -> list[str]:
    return sorted(set(survivor) | set(other))


def any_true(survivor: bool, other: bool) -> bool:
    """Restrictions add up: one record saying "sanctioned" is enough (conservative)."""
    return bool(survivor or other)


def both_true(survivor: bool, other: bool) -> bool:
    """Consent holds only if both firms gave it: the merged contact may be either one's."""
    return bool(survivor and other)


def largest(survivor: float | None, other: float | None) -> float | None:
    """The larger non-eligible share, the conservative figure; unknown only if both are."""
    shares = [share for share in (survivor, other) if share is not None]
    return max(shares) if shares else None


def clearance_held(survivor: str, other: str) -> str:
    """The survivor's clearance, unless it holds none and the other record one."""
    return survivor if survivor != "none" else other


def strictest(survivor: str, other: str) -> str:
    """The stricter clearance a partner must hold."""
    return max(survivor, other, key=SECURITY_CLEARANCE_LEVELS.index)


def union_certifications(
    survivor: list[dict[str, Any]], other: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per (scheme, identifier); on a clash the later validity wins."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for cert in [*survivor, *other]:
        key = (cert["scheme"], (cert.get("identifier") or "").strip().casefold())
        current = rows.get(key)
        if current is None or _later(cert.get("valid_until"), current.get("valid_until")):
            rows[key] = cert
    return list(rows.values())


def nested(policy: Mapping[str, Rule]) -> Rule:
    """Merge a nested document (compliance, contact) field by field with its own table."""

    def merge(survivor: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
        return merge_fields(policy, survivor, other)

    return merge


# One rule per field of each schema, so a merge never resets a field to its default:
# tests/services/test_merge.py fails when a schema gains a field these tables lack.
COMPLIANCE_POLICY: Mapping[str, Rule] = {
    "controlling_country": first_present,
    "sanctioned": any_true,
    "export_control": union,
    "itar_controlled": any_true,
    "non_eligible_component_share": largest,
    "security_clearance": clearance_held,
    "required_clearance": strictest,
}
CONTACT_POLICY: Mapping[str, Rule] = {
    "name": first_present,
    "email": first_present,
    "phone": first_present,
}
MERGE_POLICY: Mapping[str, Rule] = {
    "name": keep_survivor,
    "legal_id": keep_survivor,
    "country": keep_survivor,
    "size": keep_survivor,
    "status": keep_survivor,
    "review_note": keep_survivor,
    "website": first_present,
    "description": richer_text,
    "offers": richer_text,
    "seeks": richer_text,
    "capabilities": union,
    "seeking_capabilities": union,
    "partner_certifications": union,
    "pathways": union,
    "certifications": union_certifications,
    "compliance": nested(COMPLIANCE_POLICY),
    "contact": nested(CONTACT_POLICY),
    "contact_consent": both_true,
}


@dataclass(frozen=True)
class MergePlan:
    """What a merge would write, for an admin to check before confirming."""

    survivor: dict[str, Any]
    merged: dict[str, Any]
    result: dict[str, Any]
    taken_from_merged: tuple[str, ...]  # dotted field paths whose value comes from the other


def merged_document(survivor: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The survivor's document enriched from `other` (both in `company_document` shape)."""
    return merge_fields(MERGE_POLICY, survivor, other)


def merge_fields(
    policy: Mapping[str, Rule], survivor: dict[str, Any], other: dict[str, Any]
) -> dict[str, Any]:
    return {name: rule(survivor[name], other[name]) for name, rule in policy.items()}


def plan_merge(session: Session, survivor_id: int, merged_id: int) -> MergePlan:
    """Preview a merge without writing anything."""
    survivor, merged = _pair(session, survivor_id, merged_id)
    before, other = company_document(survivor), company_document(merged)
    result = merged_document(before, other)
    changed = tuple(path for path, _, _ in document_changes(before, result))
    return MergePlan(before, other, result, changed)


def merge_companies(
    session: Session,
    survivor_id: int,
    merged_id: int,
    *,
    actor: str,
    expected_versions: tuple[int, int] | None = None,
    on_change: ChangeHook,
) -> Company:
    """Merge `merged_id` into `survivor_id` in one transaction; returns the survivor."""
    with write_transaction(session):
        survivor, merged = _pair(session, survivor_id, merged_id)
        if expected_versions is not None and expected_versions != (
            survivor.version,
            merged.version,
        ):
            raise VersionConflictError(
                "One of the two records changed since you looked at it; review the merge again."
            )
        before, other = company_document(survivor), company_document(merged)
        data = load_company(merged_document(before, other))
        generation = bump_generation(session)
        survivor.index_generation = merged.index_generation = generation
        apply_document(survivor, data)
        merged.status = "archived"
        merged.review_note = f"Merged into #{survivor.id}."
        moved = _repoint_introductions(session, merged.id, survivor.id)
        record_audit(
            session,
            actor,
            "company.merge",
            "company",
            survivor.id,
            before,
            company_document(survivor) | {"merged_from": merged.id, "introductions_moved": moved},
        )
        record_audit(
            session,
            actor,
            "company.merged_into",
            "company",
            merged.id,
            other,
            company_document(merged) | {"merged_into": survivor.id},
        )
        after_change(session, [survivor], on_change)
    return survivor


def _pair(session: Session, survivor_id: int, merged_id: int) -> tuple[Company, Company]:
    if survivor_id == merged_id:
        raise ValidationError({"merged_id": ["A record cannot be merged into itself."]})
    survivor, merged = get_company(session, survivor_id), get_company(session, merged_id)
    for company in (survivor, merged):
        if company.status == "archived":
            raise ConflictError(
                f"Company {company.id} is archived; it cannot take part in a merge."
            )
    return survivor, merged


def _later(candidate: str | None, current: str | None) -> bool:
    # ISO dates compare as strings; no date means "does not expire", the latest of all.
    if current is None:
        return False
    return candidate is None or candidate > current


def _repoint_introductions(session: Session, from_id: int, to_id: int) -> list[int]:
    query = select(Introduction).where(
        or_(Introduction.company_a_id == from_id, Introduction.company_b_id == from_id)
    )
    moved = []
    for introduction in session.scalars(query.order_by(Introduction.id)):
        if {introduction.company_a_id, introduction.company_b_id} == {from_id, to_id}:
            continue
        _refuse_a_second_open_introduction(session, introduction, from_id, to_id)
        if introduction.company_a_id == from_id:
            introduction.company_a_id = to_id
        else:
            introduction.company_b_id = to_id
        moved.append(introduction.id)
    return moved


def _refuse_a_second_open_introduction(
    session: Session, introduction: Introduction, from_id: int, to_id: int
) -> None:
    """Both records open with the same partner and office: one pair may have one open
    introduction (uq_introduction_open_pair), so the admin decides which one goes on."""
    if introduction.outcome == "declined":
        return
    partner = (
        introduction.company_b_id
        if introduction.company_a_id == from_id
        else (introduction.company_a_id)
    )
    clash = open_introduction(session, to_id, partner, introduction.api_client_id)
    if clash is not None:
        raise ConflictError(
            f"Introductions {clash.id} and {introduction.id} would both be open between "
            f"#{to_id} and #{partner}; decline one of them, then merge."
        )


def document_changes(
    before: dict[str, Any], after: dict[str, Any], prefix: str = ""
) -> Iterator[tuple[str, Any, Any]]:
    """(dotted path, before, after) for every field that differs, nested dicts flattened."""
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            yield from document_changes(old, new, f"{prefix}{key}.")
        elif old != new:
            yield f"{prefix}{key}", old, new

"""Merge two records of one firm: the survivor keeps the richer fields and all history.

`merge_companies(session, survivor_id, merged_id)` writes, in one transaction:
- the survivor, with its own identity (name, legal id, country, size, status) and,
  field by field, the richer value of the two (`merged_document` says which);
- the merged record, archived (never deleted) with the review note "Merged into #A.",
  so its audit trail stays readable;
- every introduction of the merged record re-pointed at the survivor (one between
  the two records themselves stays where it is: a firm cannot meet itself);
- an audit event on each record, and a new index generation stamped on both, so
  every matcher drops the archived record and re-reads the survivor.
"""

from __future__ import annotations

from collections.abc import Iterator
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

# The profile service's own transaction and change hook, so a merge writes exactly as an edit.
from matchmaker.services.profiles import ChangeHook, after_change, get_company, write_transaction

# Kept from the survivor whatever the other record says: who the firm is and where it stands.
IDENTITY_FIELDS = ("name", "legal_id", "country", "size", "status", "review_note")
LONGER_TEXT_FIELDS = ("description", "offers", "seeks")
UNION_FIELDS = ("capabilities", "seeking_capabilities", "partner_certifications", "pathways")


@dataclass(frozen=True)
class MergePlan:
    """What a merge would write, for an admin to check before confirming."""

    survivor: dict[str, Any]
    merged: dict[str, Any]
    result: dict[str, Any]
    taken_from_merged: tuple[str, ...]  # dotted field paths whose value comes from the other


def merged_document(survivor: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """The survivor's document enriched from `other` (both in `company_document` shape)."""
    result = {name: survivor[name] for name in IDENTITY_FIELDS}
    result["website"] = survivor["website"] or other["website"]
    for name in LONGER_TEXT_FIELDS:
        result[name] = _richer_text(survivor[name], other[name])
    for name in UNION_FIELDS:
        result[name] = sorted(set(survivor[name]) | set(other[name]))
    result["certifications"] = _union_certifications(
        survivor["certifications"], other["certifications"]
    )
    result["compliance"] = _merged_compliance(survivor["compliance"], other["compliance"])
    result["contact"] = {
        key: survivor["contact"][key] or other["contact"][key] for key in survivor["contact"]
    }
    return result


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


def _richer_text(first: str | None, second: str | None) -> str:
    first, second = (first or "").strip(), (second or "").strip()
    return second if len(second) > len(first) else first


def _union_certifications(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """One row per (scheme, identifier); on a clash the later validity wins."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for cert in [*first, *second]:
        key = (cert["scheme"], (cert.get("identifier") or "").strip().casefold())
        current = rows.get(key)
        if current is None or _later(cert.get("valid_until"), current.get("valid_until")):
            rows[key] = cert
    return list(rows.values())


def _later(candidate: str | None, current: str | None) -> bool:
    # ISO dates compare as strings; no date means "does not expire", the latest of all.
    if current is None:
        return False
    return candidate is None or candidate > current


def _merged_compliance(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    """Restrictions add up (conservative); facts missing on the survivor are filled in."""
    shares = [
        s
        for s in (first["non_eligible_component_share"], second["non_eligible_component_share"])
        if s is not None
    ]
    return {
        "controlling_country": first["controlling_country"] or second["controlling_country"],
        "sanctioned": bool(first["sanctioned"] or second["sanctioned"]),
        "export_control": sorted(set(first["export_control"]) | set(second["export_control"])),
        "itar_controlled": bool(first["itar_controlled"] or second["itar_controlled"]),
        "non_eligible_component_share": max(shares) if shares else None,
        "security_clearance": first["security_clearance"]
        if first["security_clearance"] != "none"
        else second["security_clearance"],
        "required_clearance": max(
            first["required_clearance"],
            second["required_clearance"],
            key=SECURITY_CLEARANCE_LEVELS.index,
        ),
    }


def _repoint_introductions(session: Session, from_id: int, to_id: int) -> list[int]:
    query = select(Introduction).where(
        or_(Introduction.company_a_id == from_id, Introduction.company_b_id == from_id)
    )
    moved = []
    for introduction in session.scalars(query.order_by(Introduction.id)):
        if {introduction.company_a_id, introduction.company_b_id} == {from_id, to_id}:
            continue
        if introduction.company_a_id == from_id:
            introduction.company_a_id = to_id
        else:
            introduction.company_b_id = to_id
        moved.append(introduction.id)
    return moved


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

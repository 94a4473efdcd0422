"""Load the demo registry from a seed file, idempotently.

A firm already present (same country and legal identifier) is left untouched, so
running the loader twice, or after an admin edited a seeded firm, changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.identifiers import normalize_legal_id
from matchmaker.models import Company
from matchmaker.services.documents import load_companies
from matchmaker.services.profiles import ChangeHook, create_companies

SEED_ACTOR = "system:seed"


@dataclass(frozen=True)
class SeedReport:
    created: int
    already_present: int


def read_seed_file(path: Path) -> list[dict[str, Any]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise ValueError(f"{path} must hold a JSON array of companies.")
    return rows


def load_seeds(
    session: Session, rows: list[dict[str, Any]], *, on_change: ChangeHook
) -> SeedReport:
    """Validate and create every seed firm not yet in the registry, in one transaction
    (a ValidationError keyed by row index among the missing firms writes nothing)."""
    present = {
        (row.country, row.legal_id)
        for row in session.execute(select(Company.country, Company.legal_id))
    }
    missing = [row for row in rows if _key(row) not in present]
    if missing:
        documents = load_companies(missing)
        create_companies(session, documents, actor=SEED_ACTOR, on_change=on_change)
    return SeedReport(created=len(missing), already_present=len(rows) - len(missing))


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return str(row.get("country", "")).upper(), normalize_legal_id(str(row.get("legal_id", "")))

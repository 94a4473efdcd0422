"""Factories for valid test data; tests override only what they are about."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from sqlalchemy.orm import Session

from matchmaker.domain.identifiers import edrpou_check_digit
from matchmaker.models import Company
from matchmaker.schemas import CompanyDocument
from matchmaker.services.documents import load_company
from matchmaker.services.profiles import create_company

_serial = itertools.count(1)


def no_embedding(session: Session, companies: list[Company]) -> None:
    """The write hook of tests that never match: store the profile, embed nothing.

    Every write use case requires a hook; passing this one says so on purpose.
    """


def edrpou(number: int) -> str:
    """A valid 8-digit EDRPOU code built from a 7-digit number."""
    stem = f"{number:07d}"
    return stem + str(edrpou_check_digit(stem + "0"))


def company_payload(**overrides: Any) -> dict[str, Any]:
    """A valid European company profile; pass `country="UA"` for a Ukrainian one."""
    n = next(_serial)
    country = overrides.get("country", "DE")
    base: dict[str, Any] = {
        "name": f"Testwerk {n} GmbH" if country != "UA" else f"Test Dnipro {n} LLC",
        "legal_id": edrpou(1_000_000 + n) if country == "UA" else f"DE{100_000_000 + n}",
        "country": country,
        "size": "sme",
        "website": "https://testwerk.example",
        "description": "Makes precision parts for artillery and ammunition.",
        "offers": "155 mm shell bodies machined to NATO standards.",
        "seeks": "A partner with propellant and energetics production.",
        "capabilities": ["ammunition_missiles.shells"],
        "seeking_capabilities": ["ammunition_missiles.propellants"],
        "certifications": [
            {
                "scheme": "iso_9001",
                "identifier": "Q-1",
                "issuer": "TÜV",
                "valid_until": "2030-01-31",
            }
        ],
        "partner_certifications": [],
        "pathways": ["jv_eu"],
        "compliance": {"controlling_country": country, "export_control": ["ML3"]},
        "contact": {
            "name": "Erika Muster",
            "email": "erika@testwerk.example",
            "phone": "+49 30 1234567",
        },
        "status": "approved",
    }
    base.update(copy.deepcopy(overrides))
    return base


def loaded_company(**overrides: Any) -> CompanyDocument:
    """`company_payload` loaded as a door loads it: what the create use cases take."""
    return load_company(company_payload(**overrides))


def make_company(session: Session, **overrides: Any) -> Company:
    """Store a valid company through the real service (validation, audit, generation)."""
    return create_company(
        session, loaded_company(**overrides), actor="test", on_change=no_embedding
    )


def make_matchable_company(session: Session, matching: Any, **overrides: Any) -> Company:
    """Store a company with its vectors, as the API and the web form do."""
    return create_company(
        session, loaded_company(**overrides), actor="test", on_change=matching.embed_changes
    )

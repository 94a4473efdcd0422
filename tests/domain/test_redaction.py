"""Offices read the consequence of a compliance fact, never the fact itself."""

from __future__ import annotations

from matchmaker.domain.explanations import CODES, explain
from matchmaker.domain.redaction import OFFICE_REDACTIONS, for_office


def test_confidential_codes_become_their_consequence() -> None:
    """Categories, ITAR, controlling country and clearance level leave the parameters."""
    warnings = [
        explain("export_licence", firm="Bravo", categories=["ML4", "ML8"]),
        explain("itar_content", firm="Bravo"),
        explain("safe_foreign_control", firm="Bravo", country="US"),
        explain("safe_conditional", firm="Bravo", country="GB"),
        explain("clearance_gap", holder="Acme", needer="Bravo", level="nato_secret"),
    ]
    assert for_office(warnings) == (
        explain("licence_needed", firm="Bravo"),
        explain("safe_not_eligible", firm="Bravo"),
        explain("safe_partner_conditions", firm="Bravo"),
        explain("clearance_needed", holder="Acme", needer="Bravo"),
    )


def test_explanations_without_confidential_detail_pass_unchanged() -> None:
    reasons = [
        explain("pathway_shared", pathway="jv_eu"),
        explain("safe_not_established", firm="Bravo", country="TR"),
    ]
    assert for_office(reasons) == tuple(reasons)


def test_every_redaction_maps_a_known_code_to_one_without_its_detail() -> None:
    confidential = {"categories", "country", "level"}
    for code in OFFICE_REDACTIONS:
        assert code in CODES
        params = {name: "Bravo" if name != "categories" else ["ML1"] for name in CODES[code]}
        redacted = OFFICE_REDACTIONS[code](params)
        assert not confidential & set(redacted.params), code
        assert redacted.code not in OFFICE_REDACTIONS

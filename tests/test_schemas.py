"""Profile validation: every rule names the field it concerns."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from matchmaker.schemas import CompanySchema, PublicCompanySchema
from tests.factories import company_payload


def errors_for(**overrides: Any) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        CompanySchema().load(company_payload(**overrides))
    return caught.value.messages


def test_a_valid_profile_loads_with_its_side_derived() -> None:
    """A European profile loads and is placed on the EU side; a Ukrainian one on UA."""
    assert CompanySchema().load(company_payload())["side"] == "EU"
    assert CompanySchema().load(company_payload(country="UA"))["side"] == "UA"


def test_unknown_country_is_rejected() -> None:
    """A code that is no country gets 'unknown'."""
    assert "Unknown country code" in errors_for(country="XX")["country"][0]


def test_non_european_country_is_not_eligible() -> None:
    """A real but non-participating country gets 'not eligible'."""
    assert "not eligible" in errors_for(country="US", legal_id="123456")["country"][0]


def test_bad_edrpou_check_digit_is_rejected() -> None:
    """A Ukrainian firm with a wrong check digit is told so on legal_id."""
    assert "check digit" in errors_for(country="UA", legal_id="14360571")["legal_id"][0]


def test_unknown_taxonomy_code_is_rejected_with_its_position() -> None:
    """An unknown capability code is reported at its list index."""
    messages = errors_for(capabilities=["artillery", "laser_swords"])
    assert messages["capabilities"] == {
        1: ["Unknown capability code 'laser_swords': choose capabilities from the list."]
    }


def test_unknown_pathway_and_scheme_are_rejected() -> None:
    """Pathways and partner certification schemes come from the taxonomy too."""
    messages = errors_for(pathways=["barter"], partner_certifications=["iso_0"])
    assert set(messages) == {"pathways", "partner_certifications"}


def test_certification_with_an_invalid_date_is_rejected() -> None:
    """A malformed valid-until date is reported inside its certification row."""
    messages = errors_for(certifications=[{"scheme": "iso_9001", "valid_until": "2027-02-30"}])
    assert messages["certifications"] == {
        0: {"valid_until": ["Enter the valid-until date as year-month-day, e.g. 2027-06-30."]}
    }


def test_expiring_scheme_needs_a_valid_until_date() -> None:
    """ISO 9001 expires, so a certificate without an end date is incomplete."""
    messages = errors_for(certifications=[{"scheme": "iso_9001"}])
    assert "valid-until" in messages["certifications"][0]["valid_until"][0]


def test_non_expiring_scheme_needs_no_date() -> None:
    """An NCAGE code has no end date and loads without one."""
    data = CompanySchema().load(
        company_payload(certifications=[{"scheme": "ncage", "identifier": "C1234"}])
    )
    assert data["certifications"][0]["valid_until"] is None


def test_over_long_text_is_rejected() -> None:
    """Texts have documented maximum lengths."""
    messages = errors_for(name="N" * 201, description="d" * 5001, offers="o" * 2001)
    assert set(messages) == {"name", "description", "offers"}


def test_component_share_must_be_a_percentage() -> None:
    """The non-EU/EEA/UA component share is between 0 and 100."""
    messages = errors_for(compliance={"non_eligible_component_share": 135})
    assert "non_eligible_component_share" in messages["compliance"]


def test_unknown_fields_are_rejected_by_name() -> None:
    """A misspelt field is not silently ignored."""
    assert errors_for(pathway=["jv_eu"])["pathway"] == ["Unknown field."]


def test_a_profile_must_say_what_it_offers_and_seeks() -> None:
    """Without offer or seek information a firm cannot be matched."""
    messages = errors_for(offers="", capabilities=[], seeks="", seeking_capabilities=[])
    assert set(messages) == {"offers", "seeks"}


def test_codes_are_deduplicated_and_sorted() -> None:
    """Ticking the same capability twice stores it once."""
    data = CompanySchema().load(company_payload(pathways=["rnd", "jv_eu", "rnd"]))
    assert data["pathways"] == ["jv_eu", "rnd"]


def test_public_schema_hides_confidential_fields() -> None:
    """Compliance never appears in the offices' view; the contact is only ever written by
    the server (filled where the office may see it, services/contact_access.py)."""
    fields = PublicCompanySchema().fields
    assert "compliance" not in fields and "review_note" not in fields
    assert fields["contact"].dump_only and fields["contact"].allow_none


def test_every_problem_is_reported_at_once() -> None:
    """A firm sees the legal-id problem even when another field is also wrong."""
    messages = errors_for(country="UA", legal_id="14360571", size="giant")
    assert set(messages) == {"legal_id", "size"}

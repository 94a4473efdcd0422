"""Legal identifiers: EDRPOU check digits and VAT / register id formats."""

import pytest

from matchmaker.domain.identifiers import edrpou_error, legal_id_error, normalize_legal_id


@pytest.mark.parametrize("code", ["14360570", "00032945", "32855961"])
def test_known_valid_edrpou_codes_pass(code: str) -> None:
    """Real published EDRPOU codes (both weight schemes) pass the check."""
    assert edrpou_error(code) is None


def test_edrpou_with_a_wrong_check_digit_is_rejected() -> None:
    """Changing the last digit of a valid code makes it invalid."""
    assert "check digit" in edrpou_error("14360571")


@pytest.mark.parametrize("code", ["1436057", "143605701", "1436057A"])
def test_edrpou_must_be_eight_digits(code: str) -> None:
    """Wrong length or letters are rejected with the format explained."""
    assert "8 digits" in edrpou_error(code)


def test_normalization_drops_separators_and_upper_cases() -> None:
    """However a firm types its id, one spelling is stored."""
    assert normalize_legal_id(" de 123.456-789 ") == "DE123456789"


@pytest.mark.parametrize(
    ("country", "legal_id"),
    [("DE", "DE123456789"), ("GR", "EL123456789"), ("NL", "NL123456789B01"), ("DE", "HRB12345")],
)
def test_valid_european_identifiers_pass(country: str, legal_id: str) -> None:
    """VAT numbers in the country's format, or a national register id, are accepted."""
    assert legal_id_error(country, legal_id) is None


@pytest.mark.parametrize(("country", "legal_id"), [("DE", "DE12345"), ("FR", "FR1"), ("PL", "X")])
def test_malformed_european_identifiers_are_rejected(country: str, legal_id: str) -> None:
    """A VAT number with the country prefix but the wrong shape, or a too-short id, fails."""
    assert legal_id_error(country, legal_id) is not None


def test_ukraine_requires_edrpou() -> None:
    """A Ukrainian firm cannot register with a VAT-style id."""
    assert legal_id_error("UA", "DE123456789") is not None

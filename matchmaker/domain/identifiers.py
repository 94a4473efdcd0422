"""Legal identifiers: Ukrainian EDRPOU codes and European VAT / register numbers.

Each check returns an error message (for the user) or None; `normalize_legal_id`
gives the one spelling we store, so duplicates are found however a firm typed it.
"""

from __future__ import annotations

import re

from matchmaker.domain.messages import N_, Message

# VAT number shapes per country, after normalization (prefix included). Greece
# uses EL, not GR. Countries without an entry accept only national register ids.
VAT_PATTERNS: dict[str, re.Pattern[str]] = {
    country: re.compile(pattern)
    for country, pattern in {
        "AT": r"ATU\d{8}",
        "BE": r"BE[01]\d{9}",
        "BG": r"BG\d{9,10}",
        "HR": r"HR\d{11}",
        "CY": r"CY\d{8}[A-Z]",
        "CZ": r"CZ\d{8,10}",
        "DK": r"DK\d{8}",
        "EE": r"EE\d{9}",
        "FI": r"FI\d{8}",
        "FR": r"FR[0-9A-Z]{2}\d{9}",
        "DE": r"DE\d{9}",
        "GR": r"EL\d{9}",
        "HU": r"HU\d{8}",
        "IE": r"IE(\d{7}[A-Z]{1,2}|\d[A-Z+*]\d{5}[A-Z])",
        "IT": r"IT\d{11}",
        "LV": r"LV\d{11}",
        "LT": r"LT(\d{9}|\d{12})",
        "LU": r"LU\d{8}",
        "MT": r"MT\d{8}",
        "NL": r"NL\d{9}B\d{2}",
        "PL": r"PL\d{10}",
        "PT": r"PT\d{9}",
        "RO": r"RO\d{2,10}",
        "SK": r"SK\d{10}",
        "SI": r"SI\d{8}",
        "ES": r"ES[0-9A-Z]\d{7}[0-9A-Z]",
        "SE": r"SE\d{12}",
        "NO": r"NO\d{9}MVA",
        "GB": r"GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})",
        "AL": r"AL[JKL]\d{8}[A-Z]",
        "ME": r"ME\d{8}",
        "MK": r"MK\d{13}",
        "TR": r"TR\d{10}",
    }.items()
}
VAT_PREFIXES = {country: ("EL" if country == "GR" else country) for country in VAT_PATTERNS}

_SEPARATORS = re.compile(r"[\s.\-/]")
_REGISTER_ID = re.compile(r"[A-Z0-9]{4,20}")
_EDRPOU = re.compile(r"\d{8}")


def normalize_legal_id(raw: str) -> str:
    """Upper-case and drop spaces, dots, dashes and slashes."""
    return _SEPARATORS.sub("", raw).upper()


def edrpou_check_digit(code: str) -> int:
    """The check digit the EDRPOU algorithm expects for an 8-digit code."""
    digits = [int(c) for c in code[:7]]
    value = int(code)
    weights = (
        list(range(1, 8)) if value < 30_000_000 or value > 60_000_000 else [7, 1, 2, 3, 4, 5, 6]
    )
    remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 10:
        remainder = sum(d * (w + 2) for d, w in zip(digits, weights, strict=True)) % 11
    return 0 if remainder == 10 else remainder


def edrpou_error(code: str) -> str | None:
    if not _EDRPOU.fullmatch(code):
        return N_("A Ukrainian EDRPOU code has exactly 8 digits: enter all 8 digits of yours.")
    if int(code[7]) != edrpou_check_digit(code):
        return N_(
            "This EDRPOU code's check digit is wrong: check the number against your "
            "registration extract."
        )
    return None


def legal_id_error(country: str, normalized: str) -> str | None:
    """Why `normalized` is not a valid legal identifier for `country`, or None."""
    if country == "UA":
        return edrpou_error(normalized)
    prefix = VAT_PREFIXES.get(country)
    if prefix and normalized.startswith(prefix):
        if not VAT_PATTERNS[country].fullmatch(normalized):
            return Message(
                N_(
                    "Not a valid %(country)s VAT number: check it against your VAT "
                    "registration (the format of %(prefix)s VAT numbers is expected)."
                ),
                country=country,
                prefix=prefix,
            )
        return None
    if not _REGISTER_ID.fullmatch(normalized):
        return N_(
            "Give a VAT number with its country prefix or a national register id "
            "(4-20 letters and digits)."
        )
    return None

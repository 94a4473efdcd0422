"""Countries that may take part, their groups, and the two sides of a partnership.

EU member states, EEA-EFTA and other European NATO allies are one side; Ukraine is the
other. SAFE (Council Regulation (EU) 2025/1106) opens procurements to the EU, EEA-EFTA
and Ukraine, and to partner countries under further conditions; firms controlled from
Russia or Belarus are never suggested (Regulations 833/2014, 269/2014).
"""

from __future__ import annotations

SIDE_EU = "EU"
SIDE_UA = "UA"

EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)
EEA_EFTA_STATES = frozenset({"NO", "IS", "LI"})
# European NATO allies outside the EU and EEA-EFTA.
OTHER_EUROPEAN_NATO_ALLIES = frozenset({"GB", "AL", "ME", "MK", "TR"})
UKRAINE = "UA"
# Where SAFE/EDIP contractors may be established and controlled from.
SAFE_ELIGIBLE_COUNTRIES = EU_MEMBER_STATES | EEA_EFTA_STATES | {UKRAINE}
# Countries with a security and defence partnership with the EU that may join
# SAFE procurements under further conditions.
SAFE_PARTNER_COUNTRIES = frozenset({"GB", "AL", "MK"})

COUNTRY_NAMES: dict[str, str] = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "HR": "Croatia",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DK": "Denmark",
    "EE": "Estonia",
    "FI": "Finland",
    "FR": "France",
    "DE": "Germany",
    "GR": "Greece",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LV": "Latvia",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SK": "Slovakia",
    "SI": "Slovenia",
    "ES": "Spain",
    "SE": "Sweden",
    "NO": "Norway",
    "IS": "Iceland",
    "LI": "Liechtenstein",
    "GB": "United Kingdom",
    "AL": "Albania",
    "ME": "Montenegro",
    "MK": "North Macedonia",
    "TR": "Türkiye",
    "UA": "Ukraine",
}

# A few well-known non-partner countries, so that errors can say "not eligible"
# rather than "unknown", and ownership can name them.
OTHER_KNOWN_COUNTRIES: dict[str, str] = {
    "US": "United States",
    "CA": "Canada",
    "CH": "Switzerland",
    "RS": "Serbia",
    "RU": "Russia",
    "BY": "Belarus",
    "CN": "China",
    "IR": "Iran",
    "KP": "North Korea",
    "IL": "Israel",
    "JP": "Japan",
    "KR": "South Korea",
    "AU": "Australia",
    "IN": "India",
    "AE": "United Arab Emirates",
    "SA": "Saudi Arabia",
    "GE": "Georgia",
    "MD": "Moldova",
    "BA": "Bosnia and Herzegovina",
    "XK": "Kosovo",
    "SG": "Singapore",
    "BR": "Brazil",
}

# Countries under EU restrictive measures relevant here (Regulations 833/2014, 269/2014
# and the Belarus regime): a firm controlled from one of them is never suggested.
SANCTIONED_CONTROL_COUNTRIES = frozenset({"RU", "BY"})


def side_of_country(country: str) -> str | None:
    """Return the side a country belongs to, or None when it may not take part."""
    if country == UKRAINE:
        return SIDE_UA
    if (
        country in EU_MEMBER_STATES
        or country in EEA_EFTA_STATES
        or country in OTHER_EUROPEAN_NATO_ALLIES
    ):
        return SIDE_EU
    return None


def country_group(country: str) -> str | None:
    """Name the group a participating country belongs to (for explanations and the API)."""
    if country == UKRAINE:
        return "ukraine"
    if country in EU_MEMBER_STATES:
        return "eu"
    if country in EEA_EFTA_STATES:
        return "eea_efta"
    if country in OTHER_EUROPEAN_NATO_ALLIES:
        return "european_nato_ally"
    return None


def participating_countries() -> dict[str, str]:
    """ISO code -> side for every country that may register."""
    return {code: side for code in COUNTRY_NAMES if (side := side_of_country(code))}

"""The company profile form: HTML form fields <-> the profile document the services load.

No validation rule lives here. The form's inputs are named after the document's
paths (`compliance-controlling_country`, `certifications-0-valid_until`), turned
into the document `CompanySchema` loads, and the schema's errors (keyed by the
same paths) are flattened back onto those names, so each message appears next to
its field and the firm's input is shown again as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import format_date, gettext
from werkzeug.datastructures import MultiDict

from matchmaker.domain import taxonomy
from matchmaker.domain.profile import Certificate, lapsed_certificates
from matchmaker.localizing import localize

SEP = "-"
LIST_FIELDS = (
    "capabilities",
    "seeking_capabilities",
    "partner_certifications",
    "pathways",
)
TEXT_FIELDS = ("name", "legal_id", "country", "size", "website", "description", "offers", "seeks")
CERTIFICATE_FIELDS = ("scheme", "identifier", "issuer", "valid_until")
CONTACT_FIELDS = ("name", "email", "phone")
_CERTIFICATE_INPUT = re.compile(r"^certifications-(\d{1,3})-(\w+)$")
# How many empty certificate rows a form offers for new entries.
BLANK_CERTIFICATE_ROWS = 1


def blank_document() -> dict[str, Any]:
    """What an empty form shows: the document of a firm that has told us nothing yet."""
    return {
        **dict.fromkeys(TEXT_FIELDS, ""),
        **{name: [] for name in LIST_FIELDS},
        "certifications": [],
        "compliance": {
            "controlling_country": "",
            "sanctioned": False,
            "export_control": [],
            "itar_controlled": False,
            "non_eligible_component_share": "",
            "security_clearance": "none",
            "required_clearance": "none",
        },
        "contact": dict.fromkeys(CONTACT_FIELDS, ""),
        "contact_consent": False,
    }


def document_from_form(form: MultiDict[str, str]) -> dict[str, Any]:
    """The profile document a submitted form describes (unvalidated, input kept as typed)."""
    document: dict[str, Any] = {name: form.get(name, "").strip() for name in TEXT_FIELDS}
    document.update({name: form.getlist(name) for name in LIST_FIELDS})
    document["country"] = document["country"].upper()
    document["website"] = document["website"] or None
    document["certifications"] = _certificates(form)
    document["compliance"] = {
        "controlling_country": form.get("compliance-controlling_country", "").strip() or None,
        "sanctioned": "compliance-sanctioned" in form,
        "export_control": form.getlist("compliance-export_control"),
        "itar_controlled": "compliance-itar_controlled" in form,
        "non_eligible_component_share": _optional(form, "compliance-non_eligible_component_share"),
        "security_clearance": form.get("compliance-security_clearance", "none"),
        "required_clearance": form.get("compliance-required_clearance", "none"),
    }
    document["contact"] = {name: _optional(form, f"contact-{name}") for name in CONTACT_FIELDS}
    document["contact_consent"] = "contact_consent" in form
    return document


def field_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Schema errors keyed by form input name, in the page's language.

    {"certifications": {0: {"valid_until": [...]}}} -> {"certifications-0-valid_until": [...]};
    errors on one item of a code list ({"pathways": {2: [...]}}) belong to the whole list.
    """
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if isinstance(key, int) and prefix.rstrip(SEP) in _CODE_LISTS:
                name = prefix.rstrip(SEP)
                for field, errors in field_errors(value, f"{name}{SEP}").items():
                    flat.setdefault(field.rstrip(SEP), []).extend(errors)
            else:
                flat.update(field_errors(value, f"{prefix}{key}{SEP}"))
    elif isinstance(messages, list):
        flat[prefix.rstrip(SEP) or "_schema"] = [localize(m) for m in messages]
    else:
        flat[prefix.rstrip(SEP) or "_schema"] = [localize(messages)]
    return flat


def expired_certificate_warnings(
    certifications: Iterable[Mapping[str, Any]], today: date | None = None
) -> list[str]:
    """A warning per expired certificate that partners' scoring will not count (the
    domain's rule), in the viewer's language; the profile is accepted all the same.

    Rows whose scheme or date does not parse are left to the schema's errors.
    """
    certificates = []
    for row in certifications:
        scheme = taxonomy.CERTIFICATION_SCHEMES.get(row.get("scheme") or "")
        until = _date_or_none(row.get("valid_until"))
        if scheme is not None and until is not None:
            certificates.append(Certificate(scheme.code, valid_until=until))
    return [
        gettext(
            "Your certificate “%(scheme)s” expired on %(date)s: partners will not count it. "
            "If you have renewed it, enter the new valid-until date.",
            scheme=gettext(taxonomy.CERTIFICATION_SCHEMES[c.scheme].label),
            date=format_date(c.valid_until, "long"),
        )
        for c in lapsed_certificates(certificates, today or date.today())
        if c.valid_until is not None
    ]


def _date_or_none(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# The inputs in the order the form shows them, so the error summary reads top to bottom.
FORM_ORDER = (
    "_schema",
    "name",
    "country",
    "legal_id",
    "size",
    "website",
    "description",
    "offers",
    "capabilities",
    "seeks",
    "seeking_capabilities",
    "pathways",
    "partner_certifications",
    "certifications",
    *(f"certifications-{field}" for field in CERTIFICATE_FIELDS),
    "compliance-controlling_country",
    "compliance-sanctioned",
    "compliance-itar_controlled",
    "compliance-non_eligible_component_share",
    "compliance-export_control",
    "compliance-security_clearance",
    "compliance-required_clearance",
    *(f"contact-{field}" for field in CONTACT_FIELDS),
    "review_note",
)
_FORM_POSITION = {name: position for position, name in enumerate(FORM_ORDER)}


def in_form_order(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The errors ordered as their fields appear in the form (certificate rows by row,
    then column); a name the form does not know goes last."""

    def position(name: str) -> tuple[int, int, int]:
        if match := _CERTIFICATE_INPUT.match(name):
            row, field = int(match.group(1)), f"certifications-{match.group(2)}"
            first_column = _FORM_POSITION["certifications-scheme"]
            return first_column, row, _FORM_POSITION.get(field, len(FORM_ORDER))
        return _FORM_POSITION.get(name, len(FORM_ORDER)), 0, 0

    return {name: errors[name] for name in sorted(errors, key=position)}


def display_rows(document: Mapping[str, Any], extra: int = 0) -> list[dict[str, Any]]:
    """The certificate rows a form shows: the firm's own, then blank ones to fill in."""
    rows = list(document.get("certifications") or [])
    blank = dict.fromkeys(CERTIFICATE_FIELDS, "")
    return rows + [dict(blank) for _ in range(BLANK_CERTIFICATE_ROWS + extra)]


_CODE_LISTS = frozenset((*LIST_FIELDS, "compliance-export_control"))


def _certificates(form: MultiDict[str, str]) -> list[dict[str, Any]]:
    """Certificate rows in index order; a row left entirely blank is not a certificate."""
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        if match := _CERTIFICATE_INPUT.match(key):
            index, field = int(match.group(1)), match.group(2)
            if field in CERTIFICATE_FIELDS:
                rows.setdefault(index, {})[field] = form.get(key, "").strip()
    certificates = []
    for _, row in sorted(rows.items()):
        if any(row.values()):
            cert: dict[str, Any] = {name: row.get(name, "") for name in CERTIFICATE_FIELDS}
            cert["valid_until"] = cert["valid_until"] or None
            certificates.append(cert)
    return certificates


def _optional(form: MultiDict[str, str], name: str) -> str | None:
    value = form.get(name, "").strip()
    return value or None


def choices() -> dict[str, Any]:
    """Everything the form offers to pick from, in display order (labels untranslated)."""
    groups = {"ukraine": [], "eu": [], "eea_efta": [], "european_nato_ally": []}
    for code, name in sorted(taxonomy.COUNTRY_NAMES.items(), key=lambda item: item[1]):
        if group := taxonomy.country_group(code):
            groups[group].append((code, name))
    owners = sorted(
        {**taxonomy.COUNTRY_NAMES, **taxonomy.OTHER_KNOWN_COUNTRIES}.items(),
        key=lambda item: item[1],
    )
    return {
        "country_groups": groups,
        "owner_countries": owners,
        "sizes": taxonomy.SIZES,
        "areas": [
            {
                "code": area.code,
                "label": area.label,
                "options": [(area.code, area.label)]
                + [(f"{area.code}.{sub}", label) for sub, label in area.subcapabilities.items()],
            }
            for area in taxonomy.CAPABILITY_AREAS.values()
        ],
        "pathways": taxonomy.PATHWAYS,
        "schemes": taxonomy.CERTIFICATION_SCHEMES,
        "scheme_options": [(c, s.label) for c, s in taxonomy.CERTIFICATION_SCHEMES.items()],
        "clearances": taxonomy.SECURITY_CLEARANCE_LEVELS,
        "export_control": taxonomy.EXPORT_CONTROL_CATEGORIES,
    }

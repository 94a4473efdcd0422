"""Words for codes the admin pages show (outcomes, score components, sides), translatable."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from matchmaker.domain import taxonomy
from matchmaker.domain.components import COMPONENTS as SCORE_COMPONENTS
from matchmaker.web.filters import (
    capability_label,
    country_name,
    pathway_label,
    scheme_label,
    size_label,
)

OUTCOMES = {
    "proposed": _l("Proposed"),
    "contacted": _l("Contacted"),
    "meeting": _l("Meeting held"),
    "mou": _l("MoU signed"),
    "jv": _l("Joint venture"),
    "declined": _l("Declined"),
}
# Each registered score component's label (marked for translation where it is declared).
COMPONENTS = {component.name: _l(component.label) for component in SCORE_COMPONENTS}
SIDES = {"EU": _l("European"), "UA": _l("Ukrainian")}
BANDS = {"certain": _l("Certain"), "likely": _l("Likely"), "possible": _l("Possible")}
# A profile document's fields (dotted for nested ones), as a change of them is shown.
FIELDS = {
    "name": _l("Company name"),
    "legal_id": _l("Legal identifier"),
    "country": _l("Country"),
    "size": _l("Company size"),
    "website": _l("Website"),
    "description": _l("About the company"),
    "offers": _l("What you offer"),
    "seeks": _l("What you are looking for"),
    "capabilities": _l("Capabilities you offer"),
    "seeking_capabilities": _l("Capabilities you are looking for"),
    "pathways": _l("Kinds of partnership you want"),
    "certifications": _l("Certificates"),
    "partner_certifications": _l("Certificates a partner must hold"),
    "compliance.controlling_country": _l("Controlling country"),
    "compliance.sanctioned": _l("Under EU sanctions"),
    "compliance.itar_controlled": _l("US ITAR-controlled parts"),
    "compliance.non_eligible_component_share": _l("Non-eligible component share (%)"),
    "compliance.export_control": _l("Export-control categories"),
    "compliance.security_clearance": _l("Security clearance held"),
    "compliance.required_clearance": _l("Clearance a partner needs"),
    "contact.name": _l("Contact name"),
    "contact.email": _l("Contact e-mail"),
    "contact.phone": _l("Contact phone"),
}
CLEARANCES = {"none": _l("None")} | {
    code: code.replace("_", " ").upper() for code in taxonomy.SECURITY_CLEARANCE_LEVELS[1:]
}
_CODE_LISTS = {
    "capabilities": capability_label,
    "seeking_capabilities": capability_label,
    "pathways": pathway_label,
    "partner_certifications": scheme_label,
    "compliance.export_control": str,
}
_CODES = {
    "country": country_name,
    "compliance.controlling_country": country_name,
    "size": size_label,
    "compliance.security_clearance": lambda code: str(CLEARANCES.get(code, code)),
    "compliance.required_clearance": lambda code: str(CLEARANCES.get(code, code)),
}
EMPTY = "—"


def field_label(field: str) -> str:
    """A document field's name for people; an unknown field shows as it is stored."""
    return str(FIELDS[field]) if field in FIELDS else field


def field_value(field: str, value: Any) -> str:
    """A stored value of `field` in words: labels for codes, never raw codes or JSON."""
    if value is None or value == "" or value == []:
        return EMPTY
    if field in _CODE_LISTS:
        return ", ".join(_CODE_LISTS[field](code) for code in value)
    if field in _CODES:
        return _CODES[field](value)
    if field == "certifications":
        return "; ".join(_certificate(c) for c in value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def _certificate(certificate: dict[str, Any]) -> str:
    details = [certificate.get("identifier"), certificate.get("issuer")]
    if certificate.get("valid_until"):
        details.append(gettext("valid until %(date)s", date=certificate["valid_until"]))
    named = ", ".join(d for d in details if d)
    label = scheme_label(certificate.get("scheme") or "")
    return f"{label} ({named})" if named else label


def template_globals() -> dict[str, object]:
    return {
        "outcome_labels": OUTCOMES,
        "component_labels": COMPONENTS,
        "side_labels": SIDES,
        "band_labels": BANDS,
        "field_label": field_label,
        "field_value": field_value,
    }

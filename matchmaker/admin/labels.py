"""Words for codes the admin pages show (outcomes, score components, sides, statuses, the
fields of a profile and their values), translatable. An audit payload or a merge preview is
shown field by field through `field_label` and `field_value`, never as raw codes or JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from matchmaker.consortium_wording import programme_label
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
STATUSES = {
    "pending": _l("pending"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "archived": _l("archived"),
}
CLEARANCES = {
    "none": _l("None"),
    "nato_restricted": "NATO RESTRICTED",
    "nato_confidential": "NATO CONFIDENTIAL",
    "nato_secret": "NATO SECRET",
}
ACTIONS = {
    "company.create": _l("Company registered"),
    "company.update": _l("Company changed"),
    "company.edit_link": _l("Edit link issued"),
    "company.merge": _l("Records merged"),
    "company.merged_into": _l("Merged into another record"),
    "introduction.create": _l("Introduction recorded"),
    "introduction.update": _l("Introduction updated"),
    "admin_user.create": _l("Admin account created"),
    "admin_user.password": _l("Admin password changed"),
    "api_client.create": _l("API key issued"),
    "api_client.revoke": _l("API key revoked"),
    "scoring.propose": _l("Scoring weights proposed"),
    "scoring.apply": _l("Scoring weights applied"),
    "scoring.revert": _l("Scoring weights reverted"),
}
# A consortium check's status, and the consortium form's fields (programme names are in
# `consortium_wording`, shared with the API).
CHECK_STATUSES = {"passed": _l("passed"), "failed": _l("failed"), "warning": _l("warning")}
CONSORTIUM_FIELDS = {
    "seeks": _l("The call's need"),
    "capabilities": _l("Capabilities the team must cover"),
    "programme": _l("Programme"),
    "lead_company_id": _l("Lead firm (id)"),
    "countries": _l("Members may come from"),
    "exclude_countries": _l("Not from"),
    "min_size": _l("Fewest members"),
    "max_size": _l("Most members"),
    "limit": _l("How many teams"),
    "classification": _l("Classification of the work"),
}
# The profile document's fields by dotted path (services.documents.company_document), and
# the fields of the other audited records.
FIELDS = {
    "name": _l("Name"),
    "legal_id": _l("Legal identifier"),
    "country": _l("Country"),
    "size": _l("Size"),
    "website": _l("Website"),
    "description": _l("About"),
    "offers": _l("Offers"),
    "seeks": _l("Seeks"),
    "capabilities": _l("Capabilities offered"),
    "seeking_capabilities": _l("Capabilities sought"),
    "certifications": _l("Certificates"),
    "partner_certifications": _l("Partner must hold"),
    "pathways": _l("Pathways"),
    "compliance.controlling_country": _l("Controlling country"),
    "compliance.sanctioned": _l("Under sanctions"),
    "compliance.export_control": _l("Export-control categories"),
    "compliance.itar_controlled": _l("ITAR-controlled"),
    "compliance.non_eligible_component_share": _l("Share of non-eligible components"),
    "compliance.security_clearance": _l("Security clearance held"),
    "compliance.required_clearance": _l("Clearance a partner must hold"),
    "contact.name": _l("Contact person"),
    "contact.email": _l("Contact e-mail"),
    "contact.phone": _l("Contact phone"),
    "status": _l("Status"),
    "review_note": _l("Review note"),
    "company_a_id": _l("First firm"),
    "company_b_id": _l("Second firm"),
    "outcome": _l("Outcome"),
    "note": _l("Note"),
    "role": _l("Role"),
    "key_prefix": _l("Key prefix"),
    "revoked_at": _l("Revoked at"),
}


def field_label(path: str) -> str:
    """The admin's word for a document field; an unknown field keeps its name."""
    label = FIELDS.get(path)
    return str(label) if label is not None else path


def field_value(path: str, value: Any) -> str:
    """One field's value in words: codes as their labels, lists one item after another,
    certificates as sentences, yes / no for flags, a dash for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if path == "certifications" and isinstance(value, list):
        return "; ".join(_certificate(item) for item in value)
    words = _VALUE_WORDS.get(path)
    if isinstance(value, list):
        return "; ".join(words(str(item)) if words else _plain(item) for item in value)
    if words is not None:
        return words(str(value))
    return _plain(value)


def _certificate(item: Any) -> str:
    if not isinstance(item, dict):
        return _plain(item)
    text = scheme_label(str(item.get("scheme", "")))
    details = [str(item[key]) for key in ("identifier", "issuer") if item.get(key)]
    if details:
        text += f" ({', '.join(details)})"
    if item.get("valid_until"):
        text += " — " + gettext("until %(date)s", date=item["valid_until"])
    return text


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(key)}: {field_value(key, item)}" for key, item in value.items()
        )
    return str(value)


def _label_of(labels: dict[str, Any]) -> Callable[[str], str]:
    return lambda code: str(labels.get(code, code))


_VALUE_WORDS: dict[str, Callable[[str], str]] = {
    "country": country_name,
    "compliance.controlling_country": country_name,
    "size": size_label,
    "status": _label_of(STATUSES),
    "capabilities": capability_label,
    "seeking_capabilities": capability_label,
    "partner_certifications": scheme_label,
    "pathways": pathway_label,
    "compliance.security_clearance": _label_of(CLEARANCES),
    "compliance.required_clearance": _label_of(CLEARANCES),
    "outcome": _label_of(OUTCOMES),
}


def template_globals() -> dict[str, object]:
    return {
        "outcome_labels": OUTCOMES,
        "component_labels": COMPONENTS,
        "side_labels": SIDES,
        "band_labels": BANDS,
        "status_labels": STATUSES,
        "action_labels": ACTIONS,
        "field_label": field_label,
        "field_value": field_value,
        "check_labels": CHECK_STATUSES,
        "programme_label": programme_label,
        "consortium_field_labels": CONSORTIUM_FIELDS,
    }

"""Words for codes the admin pages show (outcomes, score components, sides), translatable."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OUTCOMES = {
    "proposed": _l("Proposed"),
    "contacted": _l("Contacted"),
    "meeting": _l("Meeting held"),
    "mou": _l("MoU signed"),
    "jv": _l("Joint venture"),
    "declined": _l("Declined"),
}
COMPONENTS = {
    "semantic": _l("Text fit"),
    "capability": _l("Capabilities"),
    "certification": _l("Certificates"),
    "regulatory": _l("Regulatory fit"),
}
SIDES = {"EU": _l("European"), "UA": _l("Ukrainian")}
BANDS = {"certain": _l("Certain"), "likely": _l("Likely"), "possible": _l("Possible")}


def template_globals() -> dict[str, object]:
    return {
        "outcome_labels": OUTCOMES,
        "component_labels": COMPONENTS,
        "side_labels": SIDES,
        "band_labels": BANDS,
    }

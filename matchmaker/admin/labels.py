"""Words for codes the admin pages show (outcomes, score components, sides), translatable."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.domain.components import COMPONENTS as SCORE_COMPONENTS

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


def template_globals() -> dict[str, object]:
    return {
        "outcome_labels": OUTCOMES,
        "component_labels": COMPONENTS,
        "side_labels": SIDES,
        "band_labels": BANDS,
    }

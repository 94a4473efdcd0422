"""What a facilitation office may read in a reason or warning.

A firm's compliance facts (export-control categories, ITAR content, controlling
country, clearance held and required) are confidential: offices never receive the
`compliance` field. The regulatory component still words them into warnings, for
admins. For offices each such explanation is swapped here for one that states only
the consequence (a licence is needed, the firm is not SAFE/EDIP-eligible, a clearance
is missing), so neither its parameters nor the sentence rendered from them carry a
detail. Codes not listed carry nothing confidential (names, public fields, rule
constants) and pass unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from matchmaker.domain.explanations import Explanation, explain

Redaction = Callable[[Mapping[str, Any]], Explanation]


def _licence(params: Mapping[str, Any]) -> Explanation:
    # ITAR content and listed categories both mean "export needs a licence"; one code
    # for both, so that an office cannot tell which applies.
    return explain("licence_needed", firm=params["firm"])


def _not_eligible(params: Mapping[str, Any]) -> Explanation:
    return explain("safe_not_eligible", firm=params["firm"])


def _partner_conditions(params: Mapping[str, Any]) -> Explanation:
    # The country may be the controlling one, which an office must not learn.
    return explain("safe_partner_conditions", firm=params["firm"])


def _clearance(params: Mapping[str, Any]) -> Explanation:
    return explain("clearance_needed", holder=params["holder"], needer=params["needer"])


OFFICE_REDACTIONS: Mapping[str, Redaction] = MappingProxyType(
    {
        "export_licence": _licence,
        "itar_content": _licence,
        "safe_foreign_control": _not_eligible,
        "safe_component_share": _not_eligible,
        "safe_conditional": _partner_conditions,
        "clearance_gap": _clearance,
    }
)


def for_office(explanations: Iterable[Explanation]) -> tuple[Explanation, ...]:
    """The explanations an office may read, in order, without repeating one."""
    shown: list[Explanation] = []
    for explanation in explanations:
        redact = OFFICE_REDACTIONS.get(explanation.code)
        safe = redact(explanation.params) if redact else explanation
        if safe not in shown:
            shown.append(safe)
    return tuple(shown)

"""Why a consortium request cannot be met, and what would relax it.

Each check raises InfeasibleRequest with the rule that fails, its figures and the
relaxations (codes + parameters) that would make the request feasible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from matchmaker.domain.consortium import ConsortiumRequest, InfeasibleRequest, Relaxation
from matchmaker.domain.consortium_candidates import Asking, first_failed_rule
from matchmaker.domain.consortium_request import Bounds
from matchmaker.domain.consortium_search import ConsortiumConfig
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.programmes import Programme, programmes
from matchmaker.domain.side import suggestible
from matchmaker.domain.taxonomy import SIDE_EU, SIDE_UA, UKRAINE


def checked_lead(
    matcher: Matcher, programme: Programme, request: ConsortiumRequest, allowed: frozenset[str]
) -> CompanyProfile | None:
    if request.lead_company_id is None:
        return None
    company_id = request.lead_company_id
    if company_id not in matcher:
        raise InfeasibleRequest(
            "lead_not_eligible",
            {"company_id": company_id, "reason": "unknown"},
            (Relaxation("other_lead"),),
        )
    lead = matcher.profile(company_id)
    failed = first_failed_rule(programme, lead, request.classification)
    if failed is None and lead.country not in allowed:
        failed = "excluded_country"
    if failed is None:
        return lead
    relax = [Relaxation("other_lead")]
    if failed == "clearance":
        relax.append(
            Relaxation("lower_classification", {"level": lead.compliance.security_clearance})
        )
    if failed == "excluded_country" and lead.country in programme.open_countries:
        relax.append(Relaxation("allow_countries", {"countries": [lead.country]}))
    if suggestible(lead):
        others = [
            code
            for code, p in programmes().programmes.items()
            if code != programme.code and first_failed_rule(p, lead, request.classification) is None
        ]
        if others:
            relax.append(Relaxation("other_programme", {"programmes": others}))
    raise InfeasibleRequest(
        "lead_not_eligible", {"company_id": company_id, "reason": failed}, tuple(relax)
    )


def explain_gaps(
    asking: Asking,
    programme: Programme,
    allowed: frozenset[str],
    members: Sequence[CompanyProfile],
    fit: np.ndarray,
    config: ConsortiumConfig,
) -> None:
    """InfeasibleRequest for the first rule the candidates cannot meet, if any."""
    request = asking.request
    for k, capability in enumerate(request.capabilities):
        if not fit[:, k].any():
            elsewhere = _offered_anywhere(asking, [capability], config)
            raise InfeasibleRequest(
                "capability_not_offered",
                {"capability": capability, "countries": sorted(allowed)},
                (
                    Relaxation("drop_capability", {"capability": capability}),
                    *_country_relaxations(programme, request, allowed, elsewhere),
                ),
            )
    covering = [m for m, row in zip(members, fit, strict=True) if row.any()]
    found = sorted({m.country for m in covering})
    if len(found) < programme.min_countries:
        elsewhere = _offered_anywhere(asking, request.capabilities, config)
        lower = [
            code
            for code, p in programmes().programmes.items()
            if p.min_countries <= len(found) and code != programme.code
        ]
        relax = _country_relaxations(programme, request, allowed, elsewhere - set(found))
        if lower:
            relax.append(Relaxation("other_programme", {"programmes": lower}))
        raise InfeasibleRequest(
            "min_countries",
            {"required": programme.min_countries, "available": len(found), "countries": found},
            tuple(relax),
        )
    for rule, ukrainian in (("ukrainian_member", True), ("european_member", False)):
        wanted = programme.ukrainian_member if ukrainian else programme.european_member
        if wanted == "required" and not any((m.country == UKRAINE) == ukrainian for m in covering):
            elsewhere = _offered_anywhere(asking, request.capabilities, config)
            side = {c for c in elsewhere if (c == UKRAINE) == ukrainian}
            raise InfeasibleRequest(
                rule,
                {"rule_value": wanted},
                tuple(_country_relaxations(programme, request, allowed, side))
                + (Relaxation("other_programme", {"programmes": _without(rule)}),),
            )


def _without(rule: str) -> list[str]:
    return [code for code, p in programmes().programmes.items() if getattr(p, rule) != "required"]


def _offered_anywhere(
    asking: Asking, capabilities: Iterable[str], config: ConsortiumConfig
) -> set[str]:
    """Countries where some suggestible firm offers one of `capabilities`."""
    found: set[str] = set()
    for capability in capabilities:
        for side in (SIDE_EU, SIDE_UA):
            found |= {p.country for p, _ in asking.query(side, capability, (), config.probe_limit)}
    return found


def _country_relaxations(
    programme: Programme, request: ConsortiumRequest, allowed: frozenset[str], offered: set[str]
) -> list[Relaxation]:
    """Allow countries the request shut out; name programmes open to where firms are;
    unclassified work, if the request's classification filtered firms out."""
    relax = []
    if request.classification != programme.required_clearance:
        relax.append(Relaxation("lower_classification", {"level": programme.required_clearance}))
    shut_out = sorted((offered & programme.open_countries) - allowed)
    if shut_out:
        relax.append(Relaxation("allow_countries", {"countries": shut_out}))
    outside = offered - programme.open_countries
    others = [
        code
        for code, p in programmes().programmes.items()
        if code != programme.code and outside & p.open_countries
    ]
    if others:
        relax.append(Relaxation("other_programme", {"programmes": others}))
    return relax


def no_team(
    programme: Programme, request: ConsortiumRequest, bounds: Bounds, fit: np.ndarray
) -> InfeasibleRequest:
    relax = []
    if bounds.max_size < programme.max_members:
        relax.append(Relaxation("raise_max_size", {"max_size": programme.max_members}))
    coverers = (fit > 0).sum(axis=0)
    scarcest = request.capabilities[int(np.argmin(coverers))]
    relax.append(Relaxation("drop_capability", {"capability": scarcest}))
    params: dict[str, Any] = {
        "min_size": bounds.min_size,
        "max_size": bounds.max_size,
        "coverers": dict(zip(request.capabilities, coverers.tolist(), strict=True)),
    }
    return InfeasibleRequest("no_team", params, tuple(relax))

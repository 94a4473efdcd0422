"""What stands between two members of a team, as data (the regulatory component's
warnings, read pair by pair, plus pathways that do not fit)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from matchmaker.domain.components.regulatory import (
    RegulatoryConfig,
    clearance_rank,
    compatible_pairs,
)
from matchmaker.domain.consortium import Friction
from matchmaker.domain.profile import CompanyProfile


def frictions(members: Sequence[CompanyProfile], cfg: RegulatoryConfig) -> tuple[Friction, ...]:
    """Every friction inside the team, pair by pair in member order."""
    found: list[Friction] = []
    for a, b in itertools.combinations(members, 2):
        found += pair_frictions(a, b, cfg)
    return tuple(found)


def pair_frictions(a: CompanyProfile, b: CompanyProfile, cfg: RegulatoryConfig) -> list[Friction]:
    found = []
    for holder, other in ((a, b), (b, a)):
        compliance = holder.compliance
        # Listed items crossing a border need an export licence (intra-EU transfers too,
        # under Directive 2009/43/EC, if often under a general licence).
        if compliance.export_control and holder.country != other.country:
            categories = sorted(compliance.export_control)
            found.append(
                Friction("export_licence", (holder.id, other.id), {"categories": categories})
            )
        if compliance.itar_controlled:
            found.append(Friction("itar", (holder.id, other.id)))
        required = other.compliance.required_clearance
        if clearance_rank(compliance.security_clearance) < clearance_rank(required):
            found.append(Friction("clearance_gap", (holder.id, other.id), {"level": required}))
    if a.pathways and b.pathways and not a.pathways & b.pathways:
        known = compatible_pairs(cfg)
        if not any((x, y) in known for x in a.pathways for y in b.pathways):
            params = {"pathways": sorted(a.pathways), "other_pathways": sorted(b.pathways)}
            found.append(Friction("pathway_mismatch", (a.id, b.id), params))
    return found

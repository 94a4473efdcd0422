"""Consortia: complete, eligible teams of 3-6 firms for a programme call.

Interface of the consortium builder (issue "Consortium builder"). The request, the
answer and the one entry point `build_consortia` are fixed here so that the search
(this module), the programme rules (`programmes.py`) and the web/API layers can be
built side by side. Everything is plain data: codes, ids and numbers, never sentences
(the web/API layers word checks and reasons in the viewer's language, as for
`explanations.Explanation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matchmaker.domain.consortium_search import ConsortiumConfig
    from matchmaker.domain.matcher import Matcher


class InfeasibleRequest(ValueError):
    """No team can satisfy the request: `rule` names the rule that cannot be met,
    `params` its figures, `relax` what would make the request feasible (codes + params)."""

    def __init__(self, rule: str, params: Mapping[str, Any], relax: tuple[Relaxation, ...]):
        super().__init__(rule)
        self.rule, self.params, self.relax = rule, dict(params), relax


@dataclass(frozen=True)
class Relaxation:
    """One change that would make an infeasible request feasible ("allow_countries",
    "lower_min_size", "drop_capability", "other_lead", ...) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsortiumRequest:
    """What an office asks for. `capabilities` are the work packages the team must
    cover (capability codes, at least one); `programme` a code of `programmes.py`
    ("none" for no programme rules); `lead_company_id` a firm that must be in every
    team; `countries` where members may come from (empty: anywhere the programme
    allows); `exclude_countries` where they may not; size bounds within the
    programme's; `pathways` the pathways the members should share; `limit` teams;
    `classification` the clearance level the work needs ("none": unclassified; else a
    level of taxonomy.SECURITY_CLEARANCE_LEVELS every member must hold)."""

    seeks: str = ""
    capabilities: tuple[str, ...] = ()
    programme: str = "none"
    lead_company_id: int | None = None
    countries: frozenset[str] = frozenset()
    exclude_countries: frozenset[str] = frozenset()
    min_size: int | None = None  # None: the programme's minimum
    max_size: int | None = None  # None: the programme's maximum
    pathways: frozenset[str] = frozenset()
    limit: int = 5
    classification: str = "none"

    def __post_init__(self) -> None:
        # Callers pass lists from JSON: store tuples and frozensets so requests hash.
        object.__setattr__(self, "capabilities", tuple(self.capabilities))
        for name in ("countries", "exclude_countries", "pathways"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))


@dataclass(frozen=True)
class Coverage:
    """Who covers one required capability and how well (the capability component's
    grading of the member's offer against the code, 0..1)."""

    capability: str
    company_id: int | None  # None: nobody in the team covers it
    fit: float


@dataclass(frozen=True)
class Member:
    company_id: int
    name: str
    country: str
    side: str
    roles: tuple[str, ...]  # the required capability codes this member covers
    is_lead: bool = False


@dataclass(frozen=True)
class Check:
    """One programme rule applied to a team: status "passed" | "failed" | "warning",
    `rule` a code of `programmes.py` ("min_members", "min_countries", ...) and the
    figures behind the verdict."""

    rule: str
    status: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Friction:
    """Something that stands between two members: `code` ("export_licence", "itar",
    "clearance_gap", "pathway_mismatch", ...), the two firm ids and figures."""

    code: str
    company_ids: tuple[int, int]
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TeamScore:
    """score = the configured blend of coverage, cohesion and eligibility (each 0..1)."""

    score: float
    coverage: float
    cohesion: float
    eligibility: float


@dataclass(frozen=True)
class Team:
    members: tuple[Member, ...]
    coverage: tuple[Coverage, ...]  # one per required capability, in request order
    checks: tuple[Check, ...]
    frictions: tuple[Friction, ...]
    score: TeamScore


@dataclass(frozen=True)
class ConsortiumAnswer:
    request: ConsortiumRequest
    programme: str
    teams: tuple[Team, ...]


def build_consortia(
    matcher: Matcher,
    request: ConsortiumRequest,
    *,
    today: date | None = None,
    config: ConsortiumConfig | None = None,
) -> ConsortiumAnswer:
    """Up to `request.limit` ranked, mutually different teams for the request.

    Raises InvalidQueryError (an `InvalidConsortiumRequest` naming the field) for
    unknown codes or bad values, InfeasibleRequest when no eligible team exists."""
    # Imported here: the search works on the types above.
    from matchmaker.domain.consortium_build import build

    return build(matcher, request, today=today, config=config)

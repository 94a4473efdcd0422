"""Consortium checks, frictions and infeasibility in the viewer's language.

The consortium builder (`matchmaker.domain.consortium`) answers in codes and figures;
this module words them with gettext, one translatable template per code, for the API
and the admin page alike (as `explaining` does for match reasons). Parameters become
words by their name: capability, country, pathway and programme codes their labels,
firm ids the member's name, fits a percentage, lists one item after another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask_babel import gettext

from matchmaker.domain.consortium import Relaxation, Team
from matchmaker.domain.taxonomy import SECURITY_CLEARANCE_LEVELS
from matchmaker.explaining import N_, json_safe
from matchmaker.web.filters import capability_label, country_name, pathway_label

# Programme rules applied to a team (Check.rule, see `domain.programmes`) and the rules an
# infeasible request cannot meet (InfeasibleRequest.rule, see `domain.consortium_build`):
# sentences true whatever the status (the status is shown beside them). "code:value" is
# the wording for one value of the rule (its `rule_value`, or the clearance `required`);
# a tuple holds wordings for different parameters, the first the parameters fill is used.
Templates = Mapping[str, str | tuple[str, ...]]
RULES: Templates = {
    "suggestible": N_(
        "Every member may be proposed: approved, not sanctioned, not controlled from "
        "Russia or Belarus"
    ),
    "min_members": N_("At least %(required)s members (the team has %(found)s)"),
    "max_members": N_("At most %(allowed)s members (the team has %(found)s)"),
    "min_countries": (
        N_(
            "Countries of establishment the programme accepts: at least %(required)s "
            "(here: %(countries)s)"
        ),
        N_(
            "Countries of establishment the programme accepts: at least %(required)s, more "
            "than a team of at most %(max_size)s can have"
        ),
    ),
    "establishment": N_("Every member established in an eligible country"),
    "control": N_("Every member controlled from an eligible country"),
    "ukrainian_member:required": N_("At least one Ukrainian member"),
    "ukrainian_member:not_allowed": N_("No Ukrainian member: the programme does not fund them"),
    "european_member:required": N_("At least one European member"),
    "european_member:not_allowed": N_("No European member"),
    "component_share": N_(
        "Every member at most %(limit)s %% of component cost from outside the eligible area"
    ),
    "clearance": N_("Every member holds the %(required)s facility security clearance"),
    "clearance:none": N_("No security clearance needed"),
    # Only ever infeasible (the request, not a team, fails them).
    "lead_not_eligible": N_("The lead firm %(company_id)s cannot take part: %(reason)s"),
    "capability_not_offered": N_("No firm the request allows offers %(capability)s"),
    "no_team": N_("No team of %(min_size)s to %(max_size)s members covers every capability"),
    "size_bounds": N_(
        "The programme allows %(programme_min)s to %(programme_max)s members; the request "
        "asks for %(min_size)s to %(max_size)s"
    ),
}
# Why a lead firm cannot take part (`reason` of lead_not_eligible): a rule code or these.
LEAD_REASONS: Mapping[str, str] = {
    "unknown": N_("it is not among the approved firms the builder can propose"),
    "suggestible": N_(
        "it may not be proposed (sanctioned, not approved or controlled from Russia or Belarus)"
    ),
    "establishment": N_("it is not established in a country the programme accepts"),
    "control": N_("it is controlled from outside the countries the programme accepts"),
    "component_share": N_("too much of its component cost comes from outside the eligible area"),
    "clearance": N_("it lacks the security clearance the work needs"),
    "excluded_country": N_("its country is excluded by the request"),
}
# Added to a per-member rule's sentence: who fails it, who needs a closer look.
FAILED_BY = N_("not met by %(firms)s")
WARNED_FOR = N_("to confirm for %(firms)s")
# `firm` is the first firm of the friction's pair, `other` the second. Offices get
# "licence_needed" and "clearance_needed" without categories or levels (services.consortia).
FRICTIONS: Templates = {
    "export_licence": N_(
        "Export licence needed for %(firm)s's items to %(other)s (%(categories)s)"
    ),
    "licence_needed": N_("Export licence needed for %(firm)s's items to %(other)s"),
    "itar": N_(
        "%(firm)s's products contain US ITAR-controlled content, which restricts re-export "
        "to %(other)s"
    ),
    "clearance_gap": N_("%(firm)s does not hold the %(level)s clearance %(other)s requires"),
    "clearance_needed": N_("%(firm)s does not hold the clearance %(other)s requires"),
    "pathway_mismatch": N_(
        "No cooperation pathway in common: %(firm)s wants %(pathways)s, "
        "%(other)s wants %(other_pathways)s"
    ),
}
RELAXATIONS: Templates = {
    "other_lead": N_("Choose another lead firm"),
    "lower_classification": N_("Ask for work classified at most %(level)s"),
    "allow_countries": N_("Also allow members from %(countries)s"),
    "other_programme": N_("Choose another programme: %(programmes)s"),
    "drop_capability": N_("Leave out the capability %(capability)s"),
    "raise_max_size": N_("Allow teams of up to %(max_size)s members"),
    "use_programme_size": N_(
        "Ask for %(min_size)s to %(max_size)s members, as the programme allows"
    ),
}
# The programmes' names (codes of domain/programmes.json), translatable.
PROGRAMME_LABELS: Mapping[str, str] = {
    "edf": N_("European Defence Fund: research or development action"),
    "edip": N_("European Defence Industry Programme (EDIP)"),
    "edip_usi": N_("EDIP Ukraine Support Instrument"),
    "safe": N_("SAFE common procurement"),
    "build_with_ukraine": N_("National 'Build with Ukraine' scheme"),
    "none": N_("No programme"),
}
# Said of a code or parameters this catalogue does not know (added to the domain first).
UNWORDED = N_("Rule %(code)s (%(params)s)")
# Parameters that hold firm ids (one or a list), shown as the firms' names.
FIRM_PARAMS = frozenset({"firm", "other", "lead", "failed", "warned", "members", "company_id"})


def programme_label(code: str) -> str:
    return gettext(PROGRAMME_LABELS[code]) if code in PROGRAMME_LABELS else code


def _reason(code: str) -> str:
    return gettext(LEAD_REASONS[code]) if code in LEAD_REASONS else code


def _fit(value: float) -> str:
    return f"{value:.0%}"


def _list(word: Callable[[str], str]) -> Callable[[Any], str]:
    return lambda codes: ", ".join(word(str(code)) for code in codes)


_WORDS: Mapping[str, Callable[[Any], str]] = {
    "capability": capability_label,
    "capabilities": _list(capability_label),
    "country": country_name,
    "countries": _list(country_name),
    "pathway": pathway_label,
    "pathways": _list(pathway_label),
    "other_pathways": _list(pathway_label),
    "programmes": _list(programme_label),
    "categories": lambda codes: ", ".join(codes),  # legal identifiers (ML8), as they are
    "reason": _reason,
    "fit": _fit,
}


class Wording:
    """Words for one answer: firm ids become the names the answer gives them."""

    def __init__(self, names: Mapping[int, str] | None = None) -> None:
        self.names = dict(names or {})

    def word(self, name: str, value: Any) -> str:
        if name in FIRM_PARAMS or name.endswith("company_id"):
            ids = value if isinstance(value, list | tuple) else [value]
            return ", ".join(
                self.names.get(i, f"#{i}") if isinstance(i, int) else str(i) for i in ids
            )
        if name in _WORDS:
            return _WORDS[name](value)
        if isinstance(value, str) and value in SECURITY_CLEARANCE_LEVELS:
            return value.replace("_", " ").upper()  # NATO markings, as in `explaining`
        if isinstance(value, list | tuple | set | frozenset):
            return ", ".join(str(item) for item in sorted(value, key=str))
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def sentence(self, templates: Templates, code: str, params: Mapping[str, Any]) -> str:
        variants = [f"{code}:{v}" for v in (params.get("rule_value"), params.get("required"))]
        key = next((k for k in variants if k in templates), code)
        words = {name: self.word(name, value) for name, value in params.items()}
        wordings = templates.get(key, ())
        for template in (wordings,) if isinstance(wordings, str) else wordings:
            try:
                return gettext(template) % words
            except KeyError:  # wants a parameter this one does not carry: try the next
                continue
        shown = "; ".join(f"{name} {text}" for name, text in words.items())
        return gettext(UNWORDED, code=code, params=shown)

    def rule(self, code: str, params: Mapping[str, Any]) -> str:
        text = self.sentence(RULES, code, params)
        for name, template in (("failed", FAILED_BY), ("warned", WARNED_FOR)):
            if params.get(name):
                text += "; " + gettext(template, firms=self.word(name, params[name]))
        return text

    def friction(self, code: str, params: Mapping[str, Any]) -> str:
        return self.sentence(FRICTIONS, code, params)

    def relaxation(self, relaxation: Relaxation) -> str:
        return self.sentence(RELAXATIONS, relaxation.code, relaxation.params)


def team_view(team: Team) -> dict[str, Any]:
    """One team as the API answers it and the admin page shows it: the domain's data,
    every check and friction with its sentence in the current locale."""
    names = {m.company_id: m.name for m in team.members}
    wording = Wording(names)
    return {
        "members": [
            {
                "id": m.company_id,
                "name": m.name,
                "country": m.country,
                "side": m.side,
                "roles": list(m.roles),
                "is_lead": m.is_lead,
            }
            for m in team.members
        ],
        "coverage": [
            {"capability": c.capability, "company_id": c.company_id, "fit": c.fit}
            for c in team.coverage
        ],
        "checks": [
            {
                "rule": c.rule,
                "status": c.status,
                "params": json_safe(dict(c.params)),
                "text": wording.rule(c.rule, c.params),
            }
            for c in team.checks
        ],
        "frictions": [
            {
                "code": f.code,
                "company_ids": list(f.company_ids),
                "params": json_safe(dict(f.params)),
                "text": wording.friction(
                    f.code, {"firm": f.company_ids[0], "other": f.company_ids[1], **f.params}
                ),
            }
            for f in team.frictions
        ],
        "score": {
            "score": team.score.score,
            "coverage": team.score.coverage,
            "cohesion": team.score.cohesion,
            "eligibility": team.score.eligibility,
        },
    }


def relaxations_view(
    relax: Iterable[Relaxation], names: Mapping[int, str] | None = None
) -> list[dict[str, Any]]:
    """Each relaxation once (the same advice twice helps nobody), worded."""
    wording = Wording(names)
    seen: list[Relaxation] = []
    for relaxation in relax:
        if relaxation not in seen:
            seen.append(relaxation)
    return [
        {"code": r.code, "params": json_safe(dict(r.params)), "text": wording.relaxation(r)}
        for r in seen
    ]

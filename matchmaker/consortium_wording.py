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
from matchmaker.explaining import N_, _json_safe
from matchmaker.web.filters import capability_label, country_name, pathway_label

# Programme rules applied to a team (Check.rule, see `domain.programmes`) and the rules an
# infeasible request cannot meet (InfeasibleRequest.rule): one sentence per code, true
# whatever the status (the status is shown beside it). "code:value" is the wording for
# one value of the rule (its `rule_value`, or the clearance `required`).
RULES: Mapping[str, str] = {
    "suggestible": N_(
        "Every member may be proposed: approved, not sanctioned, not controlled from "
        "Russia or Belarus"
    ),
    "min_members": N_("At least %(required)s members (the team has %(found)s)"),
    "max_members": N_("At most %(allowed)s members (the team has %(found)s)"),
    "min_countries": N_(
        "Members established in at least %(required)s eligible countries (here: %(countries)s)"
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
}
# Added to a per-member rule's sentence: who fails it, who needs a closer look.
FAILED_BY = N_("not met by %(firms)s")
WARNED_FOR = N_("to confirm for %(firms)s")
FRICTIONS: Mapping[str, str] = {
    "export_licence": N_("Export licence needed between %(firm)s and %(other)s"),
    "licence_needed": N_("Export licence needed between %(firm)s and %(other)s"),
    "itar": N_("%(firm)s's ITAR-controlled content restricts work with %(other)s"),
    "clearance_gap": N_("Security clearance gap between %(firm)s and %(other)s"),
    "pathway_mismatch": N_("%(firm)s and %(other)s want no cooperation pathway in common"),
}
RELAXATIONS: Mapping[str, str] = {
    "allow_countries": N_("Also allow members from %(countries)s"),
    "lower_min_size": N_("Lower the minimum size to %(min_size)s"),
    "drop_capability": N_("Drop the capability %(capability)s"),
    "other_lead": N_("Choose another lead firm"),
}
# Said of a code this catalogue does not know yet (a rule added to the domain first).
UNWORDED = N_("Rule %(code)s (%(params)s)")
# Parameters that hold firm ids (one or a list), shown as the firms' names.
FIRM_PARAMS = frozenset({"firm", "other", "lead", "failed", "warned", "members", "company_id"})


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

    def sentence(self, templates: Mapping[str, str], code: str, params: Mapping[str, Any]) -> str:
        variants = [f"{code}:{v}" for v in (params.get("rule_value"), params.get("required"))]
        key = next((k for k in variants if k in templates), code)
        words = {name: self.word(name, value) for name, value in params.items()}
        try:
            return gettext(templates[key]) % words
        except KeyError:  # a code or parameter this catalogue does not know yet
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
                "params": _json_safe(dict(c.params)),
                "text": wording.rule(c.rule, c.params),
            }
            for c in team.checks
        ],
        "frictions": [
            {
                "code": f.code,
                "company_ids": list(f.company_ids),
                "params": _json_safe(dict(f.params)),
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
    wording = Wording(names)
    return [
        {"code": r.code, "params": _json_safe(dict(r.params)), "text": wording.relaxation(r)}
        for r in relax
    ]

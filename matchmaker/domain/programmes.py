"""Funding programmes as data, and the checks a consortium must pass under each.

The rules (sizes, countries, Ukrainian member, control, component share, clearance)
live in `programmes.json`, versioned, each programme with its legal source and notes
on what is uncertain; this module loads and validates them once and applies them to a
team. One Check per rule the programme has, plus `suggestible`, which always holds:
no sanctioned, unapproved or Russian/Belarusian-controlled firm is ever in a team.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from matchmaker.domain import countries
from matchmaker.domain.components.regulatory import clearance_rank
from matchmaker.domain.consortium import Check
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.side import suggestible
from matchmaker.domain.taxonomy import SECURITY_CLEARANCE_LEVELS

DATA_FILE = Path(__file__).with_name("programmes.json")
MEMBER_RULES = ("required", "allowed", "not_allowed")
CONTROL_RULES = ("eligible_countries", "any")
PASSED, FAILED, WARNING = "passed", "failed", "warning"
# Rules that judge each member alone (the rest judge the team as a whole).
PER_MEMBER_RULES = ("suggestible", "establishment", "control", "component_share", "clearance")


class UnknownProgrammeError(LookupError):
    """A programme code that `programmes.json` does not define."""


@dataclass(frozen=True)
class Programme:
    code: str
    label: str
    legal_source: str
    min_members: int
    max_members: int
    min_countries: int
    eligible_countries: frozenset[str]
    conditional_countries: frozenset[str]  # take part with a warning (e.g. SAFE partners)
    ukrainian_member: str  # MEMBER_RULES
    european_member: str  # MEMBER_RULES
    control: str  # CONTROL_RULES
    max_non_eligible_component_share: float | None
    required_clearance: str
    notes: tuple[str, ...] = ()

    @property
    def open_countries(self) -> frozenset[str]:
        """Where members may be established (eligible or conditionally)."""
        return self.eligible_countries | self.conditional_countries

    def rules(self) -> tuple[str, ...]:
        """The rule codes this programme checks, in the order of `check_team`."""
        rules = ["suggestible", "min_members", "max_members", "min_countries", "establishment"]
        if self.control != "any":
            rules.append("control")
        if self.ukrainian_member != "allowed":
            rules.append("ukrainian_member")
        if self.european_member != "allowed":
            rules.append("european_member")
        if self.max_non_eligible_component_share is not None:
            rules.append("component_share")
        rules.append("clearance")
        return tuple(rules)


@dataclass(frozen=True)
class ProgrammeBook:
    version: str
    programmes: Mapping[str, Programme]

    def get(self, code: str) -> Programme:
        try:
            return self.programmes[code]
        except KeyError:
            known = ", ".join(sorted(self.programmes))
            raise UnknownProgrammeError(
                f"Unknown programme {code!r}; use one of {known}."
            ) from None


def _group(name: str) -> frozenset[str]:
    value = getattr(countries, name, None) if name.isupper() else None
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, frozenset):
        return value
    raise ValueError(f"programmes.json names an unknown country group {name!r}.")


def _programme(code: str, raw: Mapping[str, Any]) -> Programme:
    def choice(key: str, allowed: Sequence[str]) -> str:
        if raw[key] not in allowed:
            raise ValueError(f"programmes.json: {code}.{key} must be one of {', '.join(allowed)}.")
        return str(raw[key])

    share = raw["max_non_eligible_component_share"]
    programme = Programme(
        code=code,
        label=str(raw["label"]),
        legal_source=str(raw["legal_source"]),
        min_members=int(raw["min_members"]),
        max_members=int(raw["max_members"]),
        min_countries=int(raw["min_countries"]),
        eligible_countries=frozenset().union(*map(_group, raw["eligible_countries"])),
        conditional_countries=frozenset().union(*map(_group, raw["conditional_countries"])),
        ukrainian_member=choice("ukrainian_member", MEMBER_RULES),
        european_member=choice("european_member", MEMBER_RULES),
        control=choice("control", CONTROL_RULES),
        max_non_eligible_component_share=None if share is None else float(share),
        required_clearance=choice("required_clearance", SECURITY_CLEARANCE_LEVELS),
        notes=tuple(raw.get("notes", ())),
    )
    if not 1 <= programme.min_members <= programme.max_members:
        raise ValueError(f"programmes.json: {code} needs 1 <= min_members <= max_members.")
    if not 1 <= programme.min_countries <= programme.max_members:
        raise ValueError(f"programmes.json: {code} needs 1 <= min_countries <= max_members.")
    if not programme.eligible_countries:
        raise ValueError(f"programmes.json: {code} has no eligible country.")
    return programme


def load_programmes(path: Path = DATA_FILE) -> ProgrammeBook:
    """Read and validate a programme file (ValueError naming the bad entry)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    book = ProgrammeBook(
        str(raw["version"]), {code: _programme(code, p) for code, p in raw["programmes"].items()}
    )
    if "none" not in book.programmes:
        raise ValueError("programmes.json must define the programme 'none'.")
    return book


@lru_cache(maxsize=1)
def programmes() -> ProgrammeBook:
    """The bundled programmes, loaded once."""
    return load_programmes()


def get_programme(code: str) -> Programme:
    """A bundled programme by code, or UnknownProgrammeError."""
    return programmes().get(code)


def check_team(
    programme: Programme, members: Sequence[CompanyProfile], *, classification: str = "none"
) -> tuple[Check, ...]:
    """Apply every rule of `programme` to a team (one Check each, in `rules()` order).
    `classification`: the clearance level the work needs (classified work)."""
    return tuple(
        _member_check(programme, rule, members, classification)
        if rule in PER_MEMBER_RULES
        else _team_check(programme, rule, members)
        for rule in programme.rules()
    )


def required_clearance(programme: Programme, classification: str) -> str:
    """The higher of the programme's clearance and the work's classification."""
    return max(programme.required_clearance, classification, key=clearance_rank)


def member_verdict(
    programme: Programme, rule: str, member: CompanyProfile, classification: str = "none"
) -> str:
    """One member's verdict under a per-member rule (PER_MEMBER_RULES)."""
    compliance = member.compliance
    if rule == "suggestible":
        return PASSED if suggestible(member) else FAILED
    if rule in ("establishment", "control"):
        country = member.country if rule == "establishment" else _controller(member)
        if country in programme.eligible_countries:
            return PASSED
        return WARNING if country in programme.conditional_countries else FAILED
    if rule == "component_share":
        share, limit = (
            compliance.non_eligible_component_share,
            programme.max_non_eligible_component_share,
        )
        if share is None or limit is None:
            return WARNING if limit is not None else PASSED
        return PASSED if share <= limit else FAILED
    if rule == "clearance":
        needed = clearance_rank(required_clearance(programme, classification))
        return PASSED if clearance_rank(compliance.security_clearance) >= needed else FAILED
    raise ValueError(f"{rule!r} is not a per-member rule.")


def _controller(member: CompanyProfile) -> str:
    return member.compliance.controlling_country or member.country


def _member_check(
    programme: Programme, rule: str, members: Sequence[CompanyProfile], classification: str
) -> Check:
    verdicts = {m.id: member_verdict(programme, rule, m, classification) for m in members}
    failed = sorted(i for i, v in verdicts.items() if v == FAILED)
    warned = sorted(i for i, v in verdicts.items() if v == WARNING)
    params: dict[str, Any] = {"failed": failed, "warned": warned}
    if rule == "component_share":
        params["limit"] = programme.max_non_eligible_component_share
    if rule == "clearance":
        params["required"] = required_clearance(programme, classification)
    status = FAILED if failed else WARNING if warned else PASSED
    return Check(rule, status, params)


def _team_check(programme: Programme, rule: str, members: Sequence[CompanyProfile]) -> Check:
    size = len(members)
    if rule == "min_members":
        return _threshold(
            rule, size >= programme.min_members, required=programme.min_members, found=size
        )
    if rule == "max_members":
        return _threshold(
            rule, size <= programme.max_members, allowed=programme.max_members, found=size
        )
    if rule == "min_countries":
        found = sorted({m.country for m in members if m.country in programme.open_countries})
        return _threshold(
            rule,
            len(found) >= programme.min_countries,
            required=programme.min_countries,
            countries=found,
        )
    if rule in ("ukrainian_member", "european_member"):
        wanted = (
            programme.ukrainian_member if rule == "ukrainian_member" else programme.european_member
        )
        ukrainian = rule == "ukrainian_member"
        found_ids = sorted(m.id for m in members if (m.country == countries.UKRAINE) == ukrainian)
        ok = bool(found_ids) if wanted == "required" else not found_ids
        return _threshold(rule, ok, rule_value=wanted, members=found_ids)
    raise ValueError(f"{rule!r} is not a team rule.")


def _threshold(rule: str, ok: bool, **params: Any) -> Check:
    return Check(rule, PASSED if ok else FAILED, params)


def eligibility(checks: Sequence[Check], warning_value: float) -> float:
    """Share of the rules passed, a warning counting `warning_value`; 0 if any failed."""
    if not checks or any(c.status == FAILED for c in checks):
        return 0.0
    warned = sum(c.status == WARNING for c in checks)
    return (len(checks) - warned * (1 - warning_value)) / len(checks)

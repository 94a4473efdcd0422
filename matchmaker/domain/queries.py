"""What a match request may ask for, and what it gets back (plain data)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from matchmaker.domain.errors import InvalidQueryError
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import CAPABILITY_CODES, CERTIFICATION_SCHEMES, PATHWAYS, SIDES


def _frozen(obj: object, *names: str) -> None:
    """Store frozensets whatever set (or, at run time, list) was given, so requests hash."""
    for name in names:
        object.__setattr__(obj, name, frozenset(getattr(obj, name)))


def _check_codes(kind: str, given: Iterable[str], known: Iterable[str]) -> None:
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InvalidQueryError(
            f"Unknown {kind}: {', '.join(unknown)}. Valid codes are listed by GET /taxonomy."
        )


@dataclass(frozen=True)
class MatchFilters:
    """Narrow a company match. `same_side`: also suggest firms of A's own side."""

    countries: AbstractSet[str] = frozenset()
    capabilities: AbstractSet[str] = frozenset()
    pathways: AbstractSet[str] = frozenset()
    same_side: bool = False
    exclude_ids: AbstractSet[int] = frozenset()

    def __post_init__(self) -> None:
        _frozen(self, "countries", "capabilities", "pathways", "exclude_ids")
        _check_codes("capability codes", self.capabilities, CAPABILITY_CODES)
        _check_codes("pathways", self.pathways, PATHWAYS)

    @property
    def narrows(self) -> bool:
        return bool(self.countries or self.capabilities or self.pathways)


@dataclass(frozen=True)
class AdHocQuery:
    """A request not tied to a registered firm: "find `side` firms offering this".

    `side` is the side whose firms are searched. `seeks` is free text; the other
    fields are structured criteria: countries, capabilities and pathways always
    narrow the candidates, certifications are what a partner should hold (they
    also narrow when there is no text). The request acts as a pseudo-company A
    that seeks these capabilities and certificates and offers nothing.
    """

    side: str
    seeks: str = ""
    capabilities: AbstractSet[str] = frozenset()
    certifications: AbstractSet[str] = frozenset()
    pathways: AbstractSet[str] = frozenset()
    countries: AbstractSet[str] = frozenset()
    name: str = field(default="the request", compare=False)

    def __post_init__(self) -> None:
        _frozen(self, "capabilities", "certifications", "pathways", "countries")
        if self.side not in SIDES:
            raise InvalidQueryError(f"Unknown side {self.side!r}; use one of {', '.join(SIDES)}.")
        _check_codes("capability codes", self.capabilities, CAPABILITY_CODES)
        _check_codes("certification schemes", self.certifications, CERTIFICATION_SCHEMES)
        _check_codes("pathways", self.pathways, PATHWAYS)
        if not self.seeks.strip() and not (
            self.capabilities or self.certifications or self.pathways or self.countries
        ):
            raise InvalidQueryError(
                "Empty request: give a text of what you seek, or at least one capability, "
                "certification, pathway or country."
            )


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner with its blended score and the explanation of it."""

    company: CompanyProfile
    score: float
    components: dict[str, float]
    reasons: list[str]
    warnings: list[str]

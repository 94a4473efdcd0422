"""What a match request may ask for, and what it gets back (plain data)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from matchmaker.domain.errors import InvalidQueryError
from matchmaker.domain.explanations import REQUEST_NAME, Explanation
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
    PATHWAYS,
    SIDES,
    other_side,
)


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


@dataclass(frozen=True)
class MatchRequest:
    """How many suggestions, from what score, on which day, never which firms."""

    limit: int = 10
    min_score: float = 0.0
    day: date | None = None  # None: today
    exclude: AbstractSet[int] = frozenset()  # company ids never to suggest (declined pairs)

    def __post_init__(self) -> None:
        _frozen(self, "exclude")
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1:
            raise InvalidQueryError("limit must be a whole number of at least 1.")
        if not 0.0 <= self.min_score <= 1.0:
            raise InvalidQueryError("min_score must be between 0 and 1.")

    def checked(self, max_limit: int) -> MatchRequest:
        """Itself, once its limit is within the configured maximum."""
        if self.limit > max_limit:
            raise InvalidQueryError(f"limit must be between 1 and {max_limit}.")
        return self


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
    name: str = field(default=REQUEST_NAME, compare=False)

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

    def as_asker(self) -> CompanyProfile:
        """The request as a company A on the other side: it seeks, it offers nothing."""
        return CompanyProfile(
            id=-1,
            name=self.name,
            country="",
            side=other_side(self.side),
            size="",
            seeks=self.seeks,
            seeking_capabilities=frozenset(self.capabilities),
            partner_certifications=frozenset(self.certifications),
            pathways=frozenset(self.pathways),
        )


@dataclass(frozen=True)
class Suggestion:
    """One suggested partner with its blended score and the explanation of it."""

    company: CompanyProfile
    score: float
    components: dict[str, float | None]  # None: the component does not apply to the pair
    reasons: tuple[Explanation, ...]
    warnings: tuple[Explanation, ...]
    # The partner's contact person (name, email, phone), where the viewer may see it: the
    # matcher never fills it in, the service that knows the viewer does.
    contact: Mapping[str, str | None] | None = None

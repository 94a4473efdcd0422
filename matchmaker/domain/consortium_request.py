"""Validating a consortium request against the vocabularies and its programme.

Unknown codes and malformed numbers are the caller's mistake: InvalidConsortiumRequest
(an InvalidQueryError naming the field). A request that is well formed but asks for
size bounds the programme does not allow is infeasible: InfeasibleRequest.
"""

from __future__ import annotations

from dataclasses import dataclass

from matchmaker.domain.consortium import ConsortiumRequest, InfeasibleRequest, Relaxation
from matchmaker.domain.errors import InvalidQueryError
from matchmaker.domain.programmes import Programme, UnknownProgrammeError, get_programme
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    COUNTRY_NAMES,
    OTHER_KNOWN_COUNTRIES,
    PATHWAYS,
    SECURITY_CLEARANCE_LEVELS,
)


class InvalidConsortiumRequest(InvalidQueryError):
    """A consortium request field holds an unknown code or a bad value; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Bounds:
    min_size: int
    max_size: int


def _unknown(field: str, given: object, known: object, kind: str) -> None:
    values = list(given) if not isinstance(given, str) else [given]  # type: ignore[call-overload]
    missing = sorted(v for v in values if v not in known)  # type: ignore[operator]
    if missing:
        raise InvalidConsortiumRequest(field, f"unknown {kind} {', '.join(map(str, missing))}.")


def validated(request: ConsortiumRequest, max_limit: int) -> tuple[Programme, Bounds]:
    """The request's programme and size bounds, once every field is valid."""
    try:
        programme = get_programme(request.programme)
    except UnknownProgrammeError as error:
        raise InvalidConsortiumRequest("programme", str(error)) from None
    if not request.capabilities:
        raise InvalidConsortiumRequest("capabilities", "give at least one capability code.")
    if len(set(request.capabilities)) != len(request.capabilities):
        raise InvalidConsortiumRequest("capabilities", "a capability code is given twice.")
    _unknown("capabilities", request.capabilities, CAPABILITY_CODES, "capability code")
    countries = COUNTRY_NAMES.keys() | OTHER_KNOWN_COUNTRIES.keys()
    _unknown("countries", request.countries, countries, "country code")
    _unknown("exclude_countries", request.exclude_countries, countries, "country code")
    _unknown("pathways", request.pathways, PATHWAYS, "pathway")
    _unknown("classification", request.classification, SECURITY_CLEARANCE_LEVELS, "level")
    for name in ("limit", "min_size", "max_size", "lead_company_id"):
        value = getattr(request, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise InvalidConsortiumRequest(name, "must be a whole number.")
    if not 1 <= request.limit <= max_limit:
        raise InvalidConsortiumRequest("limit", f"must be between 1 and {max_limit}.")
    return programme, _bounds(request, programme)


def _bounds(request: ConsortiumRequest, programme: Programme) -> Bounds:
    low = programme.min_members if request.min_size is None else request.min_size
    high = programme.max_members if request.max_size is None else request.max_size
    if low < 1:
        raise InvalidConsortiumRequest("min_size", "must be at least 1.")
    if high < low:
        raise InvalidConsortiumRequest("max_size", "must not be below min_size.")
    if low < programme.min_members or high > programme.max_members:
        raise InfeasibleRequest(
            "size_bounds",
            {
                "min_size": low,
                "max_size": high,
                "programme_min": programme.min_members,
                "programme_max": programme.max_members,
            },
            (
                Relaxation(
                    "use_programme_size",
                    {
                        "min_size": min(max(low, programme.min_members), programme.max_members),
                        "max_size": max(min(high, programme.max_members), programme.min_members),
                    },
                ),
            ),
        )
    if high < programme.min_countries:
        raise InfeasibleRequest(
            "min_countries",
            {"required": programme.min_countries, "max_size": high},
            (Relaxation("raise_max_size", {"max_size": programme.min_countries}),),
        )
    return Bounds(low, high)

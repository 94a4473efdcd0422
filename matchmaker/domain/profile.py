"""The plain-data view of a company that the matching domain works on.

Services build these from database rows; the domain never sees an ORM object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Certificate:
    scheme: str  # a code from taxonomy.CERTIFICATION_SCHEMES
    identifier: str = ""
    issuer: str = ""
    valid_until: date | None = None  # None: the scheme does not expire

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day


def lapsed_certificates(certificates: Iterable[Certificate], day: date) -> list[Certificate]:
    """The expired certificates that cost the firm a scheme on `day`: scoring counts a
    scheme as held only while one of its certificates is valid, so an expired certificate
    beside a renewed one of the same scheme loses nothing."""
    certificates = list(certificates)
    held = {c.scheme for c in certificates if c.is_valid_on(day)}
    return [c for c in certificates if not c.is_valid_on(day) and c.scheme not in held]


@dataclass(frozen=True)
class Compliance:
    controlling_country: str | None = None  # ISO code of who owns/controls it (>50 %)
    sanctioned: bool = False  # owned or controlled by a listed person or entity
    export_control: frozenset[str] = frozenset()  # ML1..ML22, DU0..DU9
    itar_controlled: bool = False  # contains US-origin ITAR-controlled content
    non_eligible_component_share: float | None = (
        None  # percent of component cost from outside EU/EEA/UA
    )
    security_clearance: str = "none"  # taxonomy.SECURITY_CLEARANCE_LEVELS
    required_clearance: str = "none"  # what it needs a partner to hold


@dataclass(frozen=True)
class CompanyProfile:
    id: int
    name: str
    country: str
    side: str
    size: str
    status: str = "approved"
    description: str = ""
    offers: str = ""
    seeks: str = ""
    capabilities: frozenset[str] = frozenset()  # taxonomy codes it offers
    seeking_capabilities: frozenset[str] = frozenset()  # taxonomy codes it wants from a partner
    certifications: tuple[Certificate, ...] = ()
    partner_certifications: frozenset[str] = frozenset()  # schemes it wants a partner to hold
    pathways: frozenset[str] = frozenset()
    compliance: Compliance = field(default_factory=Compliance)

"""Turn database rows into the plain `CompanyProfile` the matching domain works on."""

from __future__ import annotations

from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance
from matchmaker.models import Company


def to_profile(company: Company) -> CompanyProfile:
    """A frozen snapshot of `company`; the domain never sees an ORM object."""
    return CompanyProfile(
        id=company.id,
        name=company.name,
        country=company.country,
        side=company.side,
        size=company.size,
        status=company.status,
        description=company.description or "",
        offers=company.offers or "",
        seeks=company.seeks or "",
        capabilities=frozenset(company.codes("offer")),
        seeking_capabilities=frozenset(company.codes("seek")),
        certifications=tuple(
            Certificate(c.scheme, c.identifier, c.issuer, c.valid_until)
            for c in company.certifications
        ),
        partner_certifications=frozenset(company.partner_certifications or ()),
        pathways=frozenset(p.code for p in company.pathways),
        compliance=Compliance(
            controlling_country=company.controlling_country,
            sanctioned=company.sanctioned,
            export_control=frozenset(company.export_control or ()),
            itar_controlled=company.itar_controlled,
            non_eligible_component_share=company.non_eligible_component_share,
            security_clearance=company.security_clearance,
            required_clearance=company.required_clearance,
        ),
    )

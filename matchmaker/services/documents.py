"""A company profile as a document: the dict `CompanySchema` loads, and back onto a row.

The document is the one shape every door speaks (API bodies, the web form, imports,
seeds, audit before/after); the profile service stores it through `apply_document`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError

from matchmaker.models import Certification, Company, CompanyCapability, CompanyPathway
from matchmaker.schemas import CompanyDocument, CompanySchema

_COMPLIANCE_FIELDS = (
    "controlling_country",
    "sanctioned",
    "export_control",
    "itar_controlled",
    "non_eligible_component_share",
    "security_clearance",
    "required_clearance",
)
_SCALAR_FIELDS = (
    "name",
    "legal_id",
    "country",
    "side",
    "size",
    "website",
    "description",
    "offers",
    "seeks",
    "partner_certifications",
    "status",
    "review_note",
)


def company_document(company: Company) -> dict[str, Any]:
    """The company in the shape `CompanySchema` loads: JSON-safe, confidential fields included."""
    return {
        "name": company.name,
        "legal_id": company.legal_id,
        "country": company.country,
        "size": company.size,
        "website": company.website,
        "description": company.description,
        "offers": company.offers,
        "seeks": company.seeks,
        "capabilities": company.codes("offer"),
        "seeking_capabilities": company.codes("seek"),
        "certifications": [
            {
                "scheme": c.scheme,
                "identifier": c.identifier,
                "issuer": c.issuer,
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
            }
            for c in company.certifications
        ],
        "partner_certifications": sorted(company.partner_certifications or []),
        "pathways": sorted(p.code for p in company.pathways),
        "compliance": {name: getattr(company, name) for name in _COMPLIANCE_FIELDS}
        | {"export_control": sorted(company.export_control or [])},
        "contact": company.contact,
        "contact_consent": bool(company.contact_consent),
        "status": company.status,
        "review_note": company.review_note,
    }


def stored_form(data: dict[str, Any]) -> dict[str, Any]:
    """The document a company would have after storing the loaded `data`: so an edit can
    be compared with the stored record (`company_document`) field by field."""
    probe = Company()  # transient: never added to a session, so nothing is written
    apply_document(probe, data)
    return company_document(probe)


def same_profile(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two documents describe the same profile (certificate order does not count)."""
    return _canonical(first) == _canonical(second)


def _canonical(document: dict[str, Any]) -> dict[str, Any]:
    certificates = sorted(
        document.get("certifications") or [],
        key=lambda c: sorted((k, str(v)) for k, v in c.items()),
    )
    return document | {"certifications": certificates}


def load_company(payload: Any) -> CompanyDocument:
    """Validate a full profile; raises ValidationError keyed by field."""
    if not isinstance(payload, dict):
        raise ValidationError({"_schema": ["A company must be a JSON object."]})
    document: CompanyDocument = CompanySchema().load(payload)
    return document


def load_companies(payloads: list[Any]) -> list[CompanyDocument]:
    """Validate every profile of a batch; one ValidationError keyed by 0-based row index."""
    documents: list[CompanyDocument] = []
    errors: dict[int, Any] = {}
    for row, payload in enumerate(payloads):
        try:
            documents.append(load_company(payload))
        except ValidationError as error:
            errors[row] = error.messages
    if errors:
        raise ValidationError(errors)
    return documents


def require_loaded(document: Any) -> CompanyDocument:
    """`document` itself, if `CompanySchema` loaded it; a TypeError names the missed step."""
    if not isinstance(document, CompanyDocument):
        raise TypeError(
            "Store a new company from a document loaded by CompanySchema "
            f"(load_company at the door it came through), not a {type(document).__name__}."
        )
    return document


def merge_changes(document: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(changes, dict):
        raise ValidationError({"_schema": ["Changes must be a JSON object."]})
    merged = {**document, **changes}
    for nested in ("compliance", "contact"):
        if isinstance(changes.get(nested), dict):
            merged[nested] = {**document[nested], **changes[nested]}
    return merged


def apply_document(company: Company, data: dict[str, Any]) -> None:
    for name in _SCALAR_FIELDS:
        setattr(company, name, data[name])
    for name in _COMPLIANCE_FIELDS:
        setattr(company, name, data["compliance"][name])
    company.contact_name = data["contact"]["name"]
    company.contact_email = data["contact"]["email"]
    company.contact_phone = data["contact"]["phone"]
    _record_consent(company, data["contact_consent"])
    _sync_capabilities(
        company,
        {("offer", c) for c in data["capabilities"]}
        | {("seek", c) for c in data["seeking_capabilities"]},
    )
    _sync_pathways(company, set(data["pathways"]))
    company.certifications = [Certification(**c) for c in data["certifications"]]


def _record_consent(company: Company, consent: bool) -> None:
    """Consent and the moment it was given: kept while it stands, cleared when withdrawn."""
    if consent and not company.contact_consent:
        company.contact_consent_at = datetime.now(UTC)
    elif not consent:
        company.contact_consent_at = None
    company.contact_consent = consent


def _sync_capabilities(company: Company, wanted: set[tuple[str, str]]) -> None:
    # Keep unchanged rows: replacing them would insert before deleting and hit the unique key.
    company.capabilities = [c for c in company.capabilities if (c.kind, c.code) in wanted]
    present = {(c.kind, c.code) for c in company.capabilities}
    company.capabilities.extend(
        CompanyCapability(kind=kind, code=code) for kind, code in sorted(wanted - present)
    )


def _sync_pathways(company: Company, wanted: set[str]) -> None:
    company.pathways = [p for p in company.pathways if p.code in wanted]
    present = {p.code for p in company.pathways}
    company.pathways.extend(CompanyPathway(code=code) for code in sorted(wanted - present))

"""Marshmallow schemas: the one place where profile validation rules live.

The web form, the JSON API, bulk import and the seed loader all load through
`CompanySchema`, so a firm gets the same answer whichever door it uses. Every
error is keyed by the field it concerns.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_dump,
    pre_load,
    validate,
    validates_schema,
)

from matchmaker.domain import taxonomy
from matchmaker.domain.identifiers import legal_id_error, normalize_legal_id

MAX_NAME = 200
MAX_DESCRIPTION = 5000
MAX_OFFERS_SEEKS = 2000
MAX_LIST = 40
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL

KNOWN_COUNTRIES = {**taxonomy.COUNTRY_NAMES, **taxonomy.OTHER_KNOWN_COUNTRIES}
# Shown to admins only: offices get `PublicCompanySchema`, which leaves them out. The
# contact is confidential too, but shown to an office where services.contact_access allows.
CONFIDENTIAL_FIELDS = ("compliance", "review_note")
OFFICE_CONTACT = (
    "The contact person, for offices only where the firm consented to share it "
    "(`contact_consent`) or the office recorded an introduction of the firm; else null."
)


class CompanyDocument(dict[str, Any]):
    """A profile that `CompanySchema` loaded: validated, normalised, defaults filled in.

    Each door validates once at its edge (the API's decorator, the form, the seed file,
    each import row) and hands this to the service that stores a new firm; a plain dict
    there is a TypeError, so a door that forgot to validate fails loudly instead of
    storing whatever it was sent.
    """


def _strip_strings(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    return data


def code_list(choices: Any, what: str) -> fields.List:
    """A de-duplicated list of taxonomy codes."""
    return fields.List(
        fields.String(
            validate=validate.OneOf(sorted(choices), error=f"Unknown {what}: {{input}}.")
        ),
        load_default=list,
        validate=validate.Length(max=MAX_LIST, error=f"At most {MAX_LIST} {what}s."),
    )


def participating_country_error(code: str) -> str | None:
    """Why `code` may not register, or None when it may."""
    if taxonomy.side_of_country(code):
        return None
    if code in KNOWN_COUNTRIES:
        return (
            f"{KNOWN_COUNTRIES[code]} is not eligible: Matchmaker is for firms in Ukraine, "
            "the EU, EEA-EFTA and European NATO countries."
        )
    return f"Unknown country code {code!r}: use an ISO 3166-1 alpha-2 code such as DE or UA."


def _check_participating(code: str) -> None:
    if error := participating_country_error(code):
        raise ValidationError(error)


class CertificationSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    scheme = fields.String(
        required=True,
        validate=validate.OneOf(
            sorted(taxonomy.CERTIFICATION_SCHEMES), error="Unknown certification scheme: {input}."
        ),
    )
    identifier = fields.String(load_default="", validate=validate.Length(max=120))
    issuer = fields.String(load_default="", validate=validate.Length(max=120))
    valid_until = fields.Date(load_default=None, allow_none=True)

    @pre_load
    def _strip(self, data: Any, **kwargs: Any) -> Any:
        return _strip_strings(data)

    @validates_schema
    def _expiring_schemes_need_a_date(self, data: dict[str, Any], **kwargs: Any) -> None:
        scheme = taxonomy.CERTIFICATION_SCHEMES.get(data.get("scheme", ""))
        if scheme and scheme.expires and data.get("valid_until") is None:
            raise ValidationError(
                f"{scheme.label} certificates need a valid-until date.", "valid_until"
            )


class ComplianceSchema(Schema):
    controlling_country = fields.String(load_default=None, allow_none=True)
    sanctioned = fields.Boolean(load_default=False)
    export_control = code_list(taxonomy.EXPORT_CONTROL_CATEGORIES, "export-control category")
    itar_controlled = fields.Boolean(load_default=False)
    non_eligible_component_share = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(0, 100, error="A percentage between 0 and 100."),
    )
    security_clearance = fields.String(
        load_default="none", validate=validate.OneOf(taxonomy.SECURITY_CLEARANCE_LEVELS)
    )
    required_clearance = fields.String(
        load_default="none", validate=validate.OneOf(taxonomy.SECURITY_CLEARANCE_LEVELS)
    )

    @pre_load
    def _normalize(self, data: Any, **kwargs: Any) -> Any:
        data = _strip_strings(data)
        if isinstance(data, dict) and isinstance(data.get("controlling_country"), str):
            data["controlling_country"] = data["controlling_country"].upper() or None
        return data

    @validates_schema
    def _known_controlling_country(self, data: dict[str, Any], **kwargs: Any) -> None:
        code = data.get("controlling_country")
        if code is not None and code not in KNOWN_COUNTRIES:
            raise ValidationError(f"Unknown country code {code!r}.", "controlling_country")


class ContactSchema(Schema):
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^\+?[0-9 ()\-]{5,40}$", error="A phone number: digits, spaces, +, - and brackets."
        ),
    )

    @pre_load
    def _strip(self, data: Any, **kwargs: Any) -> Any:
        return _strip_strings(data)


class CompanySchema(Schema):
    """A company profile as firms, offices and admins send and receive it."""

    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(1, MAX_NAME))
    legal_id = fields.String(required=True, validate=validate.Length(1, 40))
    country = fields.String(required=True, validate=_check_participating)
    side = fields.String(dump_only=True)
    size = fields.String(required=True, validate=validate.OneOf(list(taxonomy.SIZES)))
    website = fields.Url(
        load_default=None,
        allow_none=True,
        schemes={"http", "https"},
        validate=validate.Length(max=300),
    )
    description = fields.String(load_default="", validate=validate.Length(max=MAX_DESCRIPTION))
    offers = fields.String(load_default="", validate=validate.Length(max=MAX_OFFERS_SEEKS))
    seeks = fields.String(load_default="", validate=validate.Length(max=MAX_OFFERS_SEEKS))
    capabilities = code_list(taxonomy.CAPABILITY_CODES, "capability code")
    seeking_capabilities = code_list(taxonomy.CAPABILITY_CODES, "capability code")
    certifications = fields.List(
        fields.Nested(CertificationSchema),
        load_default=list,
        validate=validate.Length(max=MAX_LIST),
    )
    partner_certifications = code_list(taxonomy.CERTIFICATION_SCHEMES, "certification scheme")
    pathways = code_list(taxonomy.PATHWAYS, "pathway")
    compliance = fields.Nested(ComplianceSchema, load_default=lambda: ComplianceSchema().load({}))
    contact = fields.Nested(ContactSchema, load_default=lambda: ContactSchema().load({}))
    contact_consent = fields.Boolean(
        load_default=False,
        metadata={
            "description": "The firm agrees that every facilitation office may see its "
            "contact. Without it, an office sees the contact only of firms in an "
            "introduction that office recorded."
        },
    )
    contact_consent_at = fields.DateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "When the consent was given; null while not given."},
    )
    status = fields.String(load_default="pending", validate=validate.OneOf(taxonomy.STATUSES))
    review_note = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000)
    )
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @pre_load
    def _normalize(self, data: Any, **kwargs: Any) -> Any:
        data = _strip_strings(data)
        if not isinstance(data, dict):
            return data
        if isinstance(data.get("country"), str):
            data["country"] = data["country"].upper()
        if isinstance(data.get("legal_id"), str):
            data["legal_id"] = normalize_legal_id(data["legal_id"])
        if data.get("website") == "":
            data["website"] = None
        return data

    # Run even when other fields failed, so a firm sees every problem at once.
    @validates_schema(skip_on_field_errors=False)
    def _country_and_legal_id(self, data: dict[str, Any], **kwargs: Any) -> None:
        country = data.get("country")
        legal_id = data.get("legal_id")
        if country is None:
            return
        if legal_id is not None and (error := legal_id_error(country, legal_id)):
            raise ValidationError(error, "legal_id")

    @validates_schema(skip_on_field_errors=False)
    def _says_what_it_offers_and_seeks(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        if "offers" in data and not data["offers"] and not data.get("capabilities"):
            errors["offers"] = [
                "Describe what the company offers, or tick at least one capability."
            ]
        if "seeks" in data and not data["seeks"] and not data.get("seeking_capabilities"):
            errors["seeks"] = [
                "Describe what the company seeks, or tick at least one capability sought."
            ]
        if errors:
            raise ValidationError(errors)

    @post_load
    def _derive_side_and_dedupe(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if "country" in data:
            data["side"] = taxonomy.side_of_country(data["country"])
        for key in ("capabilities", "seeking_capabilities", "partner_certifications", "pathways"):
            if key in data:
                data[key] = sorted(set(data[key]))
        return CompanyDocument(data)

    @pre_dump
    def _from_record(self, company: Any, **kwargs: Any) -> Any:
        """A stored Company dumps as its document plus the record's own fields, so no view
        maps a row to a dict by hand."""
        return company if isinstance(company, dict) else company_record(company)


def company_record(company: Any) -> dict[str, Any]:
    """A stored Company in the shape `CompanySchema` dumps: its document, nested as the
    schema nests it, plus id, side, version and timestamps."""
    # Imported here: the document module loads profiles through this schema.
    from matchmaker.services.documents import company_document

    return company_document(company) | {
        "id": company.id,
        "side": company.side,
        "version": company.version,
        "created_at": company.created_at,
        "updated_at": company.updated_at,
        "contact_consent_at": company.contact_consent_at,
        # The rows themselves: the nested schema dumps their dates.
        "certifications": company.certifications,
    }


class PublicCompanySchema(CompanySchema):
    """A company as offices see it: without compliance details and review note
    (`CONFIDENTIAL_FIELDS`), and with the contact person only where they may see it."""

    class Meta:
        exclude = CONFIDENTIAL_FIELDS

    contact = fields.Nested(
        ContactSchema, dump_only=True, allow_none=True, metadata={"description": OFFICE_CONTACT}
    )


# Only the office that recorded an introduction (and admins) can read it at all.
INTRODUCED_CONTACT = (
    "The firm's contact person: the office that recorded the introduction put the two "
    "firms in touch, so it sees both contacts."
)


class IntroductionSchema(Schema):
    """Two firms introduced by an office, and how it went."""

    id = fields.Integer(dump_only=True)
    company_a_id = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    company_b_id = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID)
    )
    outcome = fields.String(
        load_default="proposed", validate=validate.OneOf(taxonomy.INTRODUCTION_OUTCOMES)
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    score = fields.Float(
        load_default=None, allow_none=True, allow_nan=False, validate=validate.Range(0, 1)
    )
    company_a_contact = fields.Nested(
        ContactSchema,
        attribute="company_a.contact",
        dump_only=True,
        metadata={"description": INTRODUCED_CONTACT},
    )
    company_b_contact = fields.Nested(
        ContactSchema,
        attribute="company_b.contact",
        dump_only=True,
        metadata={"description": INTRODUCED_CONTACT},
    )
    recorded_by = fields.String(dump_only=True)
    version = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _two_different_firms(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("company_a_id") == data.get("company_b_id"):
            raise ValidationError("A firm cannot be introduced to itself.", "company_b_id")


class IntroductionUpdateSchema(Schema):
    outcome = fields.String(validate=validate.OneOf(taxonomy.INTRODUCTION_OUTCOMES))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))

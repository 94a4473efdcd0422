"""Marshmallow schemas: the one place where profile validation rules live.

The web form, the JSON API, bulk import and the seed loader all load through
`CompanySchema`, so a firm gets the same answer whichever door it uses. Every
error is keyed by the field it concerns.
"""

from __future__ import annotations

import re
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
from matchmaker.domain.messages import N_, Message

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


# "40,5": the decimal comma Ukrainian and most European firms write.
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
# "firm.eu", "www.firm.eu/en": a host name (with an optional port and path) and no scheme.
_BARE_HOST = re.compile(r"[^\s/:@]+\.[^\s/:@]+(?::\d+)?(?:[/?#]\S*)?")


class LocalizedFloat(fields.Float):
    """A number that may also be written with a decimal comma ("40,5" loads as 40.5)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value.strip()):
            value = value.strip().replace(",", ".")
        return super()._deserialize(value, attr, data, **kwargs)


def complete_website(value: str) -> str:
    """A web address typed without its scheme ("firm.eu") gets https://; anything else
    is left for the URL check to judge."""
    if "://" not in value and _BARE_HOST.fullmatch(value):
        return f"https://{value}"
    return value


def _strip_strings(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    return data


# What a firm sees for a code list: an unknown code (only a hand-made request sends one)
# and too many codes. English here, translated where shown (matchmaker.domain.messages).
_CODE_LIST_MESSAGES = {
    "capability code": (
        N_("Unknown capability code %(code)s: choose capabilities from the list."),
        N_("Choose at most %(max)d capabilities."),
    ),
    "certification scheme": (
        N_("Unknown certification scheme %(code)s: choose a scheme from the list."),
        N_("Choose at most %(max)d certification schemes."),
    ),
    "pathway": (
        N_("Unknown pathway %(code)s: choose pathways from the list."),
        N_("Choose at most %(max)d pathways."),
    ),
    "export-control category": (
        N_("Unknown export-control category %(code)s: choose categories from the list."),
        N_("Choose at most %(max)d export-control categories."),
    ),
}
# Marshmallow's own messages, for fields whose checks are not spelled out below: a firm
# still reads them in its language (they reach it from hand-made requests mostly).
MARSHMALLOW_MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid input type."),
    N_("Invalid value."),
    N_("Unknown field."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid mapping type."),
)


def _choose_from(choices: Any, template: str) -> Any:
    """A validator: the value is one of `choices`, else `template` filled with the code."""
    allowed = frozenset(choices)

    def check(value: str) -> None:
        if value not in allowed:
            raise ValidationError(Message(template, code=repr(value)))

    return check


def code_list(choices: Any, what: str) -> fields.List:
    """A de-duplicated list of taxonomy codes (`what`: a key of _CODE_LIST_MESSAGES)."""
    unknown, too_many = _CODE_LIST_MESSAGES[what]
    return fields.List(
        fields.String(validate=_choose_from(choices, unknown)),
        load_default=list,
        validate=validate.Length(max=MAX_LIST, error=Message(too_many, max=MAX_LIST)),
    )


def _text(
    *, required: bool = False, missing: str | None = None, max_length: int, too_long: str, **kw: Any
) -> fields.String:
    """A text field whose errors say what to do: `missing` when it is required and empty,
    `too_long` (with %(max)d) past `max_length`."""
    checks: list[Any] = []
    messages: dict[str, Any] = {}
    if missing is not None:
        checks.append(validate.Length(min=1, error=missing))
        messages = {"required": missing, "null": missing}
    checks.append(validate.Length(max=max_length, error=Message(too_long, max=max_length)))
    return fields.String(required=required, validate=checks, error_messages=messages, **kw)


def participating_country_error(code: str) -> str | None:
    """Why `code` may not register, or None when it may."""
    if taxonomy.side_of_country(code):
        return None
    if code in KNOWN_COUNTRIES:
        return Message(
            N_(
                "%(country)s is not eligible: Matchmaker is for firms in Ukraine, the EU, "
                "EEA-EFTA and European NATO countries. Choose the country where your company "
                "is registered."
            ),
            country=Message(KNOWN_COUNTRIES[code]),
        )
    if not code:
        return N_("Choose the country where your company is registered.")
    return Message(
        N_(
            "Unknown country code %(code)s: choose your country from the list "
            "(or give an ISO 3166-1 alpha-2 code such as DE or UA)."
        ),
        code=repr(code),
    )


def _check_participating(code: str) -> None:
    if error := participating_country_error(code):
        raise ValidationError(error)


class CertificationSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    scheme = fields.String(
        required=True,
        validate=_choose_from(
            taxonomy.CERTIFICATION_SCHEMES,
            N_("Unknown certification scheme %(code)s: choose a scheme from the list."),
        ),
        error_messages={"required": N_("Choose the certificate's scheme.")},
    )
    identifier = _text(
        load_default="",
        max_length=120,
        too_long=N_("Shorten the certificate number to at most %(max)d characters."),
    )
    issuer = _text(
        load_default="",
        max_length=120,
        too_long=N_("Shorten the issuer's name to at most %(max)d characters."),
    )
    valid_until = fields.Date(
        load_default=None,
        allow_none=True,
        error_messages={
            "invalid": N_("Enter the valid-until date as year-month-day, e.g. 2027-06-30.")
        },
    )

    @pre_load
    def _strip(self, data: Any, **kwargs: Any) -> Any:
        return _strip_strings(data)

    @validates_schema
    def _expiring_schemes_need_a_date(self, data: dict[str, Any], **kwargs: Any) -> None:
        scheme = taxonomy.CERTIFICATION_SCHEMES.get(data.get("scheme", ""))
        if scheme and scheme.expires and data.get("valid_until") is None:
            raise ValidationError(
                Message(
                    N_(
                        "%(scheme)s certificates need a valid-until date: enter the date "
                        "printed on the certificate."
                    ),
                    scheme=Message(scheme.label),
                ),
                "valid_until",
            )


SHARE_MESSAGE = N_("Enter a percentage between 0 and 100, such as 20 or 12.5.")
CLEARANCE_MESSAGE = N_("Choose a clearance level from the list.")


class ComplianceSchema(Schema):
    controlling_country = fields.String(load_default=None, allow_none=True)
    sanctioned = fields.Boolean(load_default=False)
    export_control = code_list(taxonomy.EXPORT_CONTROL_CATEGORIES, "export-control category")
    itar_controlled = fields.Boolean(load_default=False)
    non_eligible_component_share = LocalizedFloat(
        metadata={
            "description": "Percent, 0 to 100. A number; a string with a decimal point "
            'or comma ("40.5", "40,5") is accepted too.'
        },
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(0, 100, error=SHARE_MESSAGE),
        error_messages={"invalid": SHARE_MESSAGE, "special": SHARE_MESSAGE},
    )
    security_clearance = fields.String(
        load_default="none",
        validate=validate.OneOf(taxonomy.SECURITY_CLEARANCE_LEVELS, error=CLEARANCE_MESSAGE),
    )
    required_clearance = fields.String(
        load_default="none",
        validate=validate.OneOf(taxonomy.SECURITY_CLEARANCE_LEVELS, error=CLEARANCE_MESSAGE),
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
            raise ValidationError(
                Message(
                    N_("Unknown country code %(code)s: choose the country from the list."),
                    code=repr(code),
                ),
                "controlling_country",
            )


class ContactSchema(Schema):
    name = _text(
        load_default=None,
        allow_none=True,
        max_length=200,
        too_long=N_("Shorten the contact's name to at most %(max)d characters."),
    )
    email = fields.Email(
        load_default=None,
        allow_none=True,
        validate=validate.Length(
            max=254,
            error=Message(N_("Shorten the e-mail address to at most %(max)d characters."), max=254),
        ),
        error_messages={"invalid": N_("Enter a valid e-mail address, e.g. name@firm.eu.")},
    )
    phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^\+?[0-9 ()\-]{5,40}$",
            error=N_(
                "Enter a phone number with digits, spaces, +, - and brackets, "
                "e.g. +380 44 123 4567."
            ),
        ),
    )

    @pre_load
    def _strip(self, data: Any, **kwargs: Any) -> Any:
        return _strip_strings(data)


SIZE_MESSAGE = N_("Choose your company's size.")


class CompanySchema(Schema):
    """A company profile as firms, offices and admins send and receive it."""

    id = fields.Integer(dump_only=True)
    name = _text(
        required=True,
        missing=N_("Enter your company's registered name."),
        max_length=MAX_NAME,
        too_long=N_("Shorten the company name to at most %(max)d characters."),
    )
    legal_id = _text(
        required=True,
        missing=N_(
            "Enter your company's legal identifier: the EDRPOU code in Ukraine, else the "
            "VAT number or national register number."
        ),
        max_length=40,
        too_long=N_("Shorten the legal identifier to at most %(max)d characters."),
    )
    country = fields.String(
        required=True,
        validate=_check_participating,
        error_messages={"required": N_("Choose the country where your company is registered.")},
    )
    side = fields.String(dump_only=True)
    size = fields.String(
        required=True,
        validate=validate.OneOf(list(taxonomy.SIZES), error=SIZE_MESSAGE),
        error_messages={"required": SIZE_MESSAGE},
    )
    website = fields.Url(
        metadata={
            "description": 'An http(s) URL; a bare host name ("firm.eu") is stored as '
            "https://firm.eu."
        },
        load_default=None,
        allow_none=True,
        schemes={"http", "https"},
        validate=validate.Length(
            max=300,
            error=Message(
                N_("Shorten the website address to at most %(max)d characters."), max=300
            ),
        ),
        error_messages={
            "invalid": N_(
                "Enter the full website address, starting with https:// "
                "(e.g. https://www.firm.eu), or leave it empty."
            )
        },
    )
    description = _text(
        load_default="",
        max_length=MAX_DESCRIPTION,
        too_long=N_("Shorten the description to at most %(max)d characters."),
    )
    offers = _text(
        load_default="",
        max_length=MAX_OFFERS_SEEKS,
        too_long=N_("Shorten what you offer to at most %(max)d characters."),
    )
    seeks = _text(
        load_default="",
        max_length=MAX_OFFERS_SEEKS,
        too_long=N_("Shorten what you seek to at most %(max)d characters."),
    )
    capabilities = code_list(taxonomy.CAPABILITY_CODES, "capability code")
    seeking_capabilities = code_list(taxonomy.CAPABILITY_CODES, "capability code")
    certifications = fields.List(
        fields.Nested(CertificationSchema),
        load_default=list,
        validate=validate.Length(
            max=MAX_LIST, error=Message(N_("Give at most %(max)d certificates."), max=MAX_LIST)
        ),
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
        elif isinstance(data.get("website"), str):
            data["website"] = complete_website(data["website"])
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
                N_("Describe what the company offers, or tick at least one capability.")
            ]
        if "seeks" in data and not data["seeks"] and not data.get("seeking_capabilities"):
            errors["seeks"] = [
                N_("Describe what the company seeks, or tick at least one capability sought.")
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

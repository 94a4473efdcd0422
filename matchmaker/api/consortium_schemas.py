"""Request and answer shapes of POST /api/v1/consortia (the admin page loads its form
with the same request schema, so both doors refuse the same input with the same words).

Codes are checked here, before the search: an unknown programme, capability, pathway or
country is a 422 naming the field, never an empty answer. Whether a team can exist at
all is the domain's verdict (`InfeasibleRequest`), answered as a 422 of its own shape.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from matchmaker.domain import programmes, taxonomy
from matchmaker.domain.consortium import ConsortiumRequest
from matchmaker.domain.consortium_build import ConsortiumConfig
from matchmaker.domain.messages import N_, Message
from matchmaker.schemas import MAX_ID, MAX_LIST, code_list, participating_country_error

# One bound with the builder's own check (its configuration's default).
MAX_TEAMS = ConsortiumConfig().max_teams
# Team sizes a request may ask for; the programme's own bounds narrow them further.
SIZE_RANGE = validate.Range(min=2, max=12)


def programme_codes() -> list[str]:
    """The bundled programmes' codes, in the file's order."""
    return list(programmes.programmes().programmes)


def _known_programme(code: str) -> None:
    if code not in programmes.programmes().programmes:
        raise ValidationError(
            Message(
                N_("Unknown programme %(code)s: choose one of %(codes)s."),
                code=repr(code),
                codes=", ".join(sorted(programme_codes())),
            )
        )


def _participating(code: str) -> None:
    if error := participating_country_error(code.upper()):
        raise ValidationError(error)


def _countries(description: str) -> fields.List:
    return fields.List(
        fields.String(validate=_participating),
        load_default=list,
        validate=validate.Length(max=MAX_LIST),
        metadata={"description": description, "example": ["DE", "PL", "UA"]},
    )


class ConsortiumRequestSchema(Schema):
    seeks = fields.String(
        load_default="",
        validate=validate.Length(max=2000),
        metadata={"description": "The call's need in words (ranks members by what they offer)."},
    )
    capabilities = code_list(taxonomy.CAPABILITY_CODES, "capability code")
    programme = fields.String(
        load_default="none",
        validate=_known_programme,
        metadata={
            "description": "A programme code of matchmaker/domain/programmes.json (edf, edip, "
            "edip_usi, safe, build_with_ukraine); `none` applies only the builder's floor.",
            "example": "edf",
        },
    )
    lead_company_id = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "A firm every team must contain, as its lead."},
    )
    countries = _countries(
        "Where members may come from (ISO 3166-1 alpha-2 codes of participating countries); "
        "empty: anywhere the programme allows."
    )
    exclude_countries = _countries("Where members may not come from.")
    min_size = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=SIZE_RANGE,
        metadata={"description": "Fewest members (default: the programme's minimum)."},
    )
    max_size = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=SIZE_RANGE,
        metadata={"description": "Most members (default: the programme's maximum)."},
    )
    pathways = code_list(taxonomy.PATHWAYS, "pathway")
    classification = fields.String(
        load_default="none",
        validate=validate.OneOf(taxonomy.SECURITY_CLEARANCE_LEVELS),
        metadata={
            "description": "The clearance level the work needs (`none`: unclassified); "
            "every member must hold it."
        },
    )
    limit = fields.Integer(
        load_default=5,
        strict=True,
        validate=validate.Range(min=1, max=MAX_TEAMS),
        metadata={"description": f"How many teams, best first (1 to {MAX_TEAMS})."},
    )

    @validates("capabilities")
    def _some_capability(self, value: list[str], **_: Any) -> None:
        if not value:
            raise ValidationError(N_("Name at least one capability the team must cover."))

    @validates_schema
    def _sizes_in_order(self, data: dict[str, Any], **_: Any) -> None:
        low, high = data.get("min_size"), data.get("max_size")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                Message(N_("Must be at least min_size (%(min)d)."), min=low), "max_size"
            )


def consortium_request(data: dict[str, Any]) -> ConsortiumRequest:
    """The domain's request from loaded data (codes de-duplicated, countries upper-case)."""
    return ConsortiumRequest(
        seeks=data["seeks"].strip(),
        capabilities=tuple(dict.fromkeys(data["capabilities"])),
        programme=data["programme"],
        lead_company_id=data["lead_company_id"],
        countries=frozenset(c.upper() for c in data["countries"]),
        exclude_countries=frozenset(c.upper() for c in data["exclude_countries"]),
        min_size=data["min_size"],
        max_size=data["max_size"],
        pathways=frozenset(data["pathways"]),
        limit=data["limit"],
        classification=data["classification"],
    )


class WordedSchema(Schema):
    """A code, its figures and the sentence for them in the request's language."""

    params = fields.Dict(keys=fields.String(), required=True)
    text = fields.String(required=True, metadata={"description": "In the request's language."})


class MemberSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    side = fields.String(required=True)
    roles = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The requested capability codes this member covers."},
    )
    is_lead = fields.Boolean(required=True)


class CoverageSchema(Schema):
    capability = fields.String(required=True)
    company_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "Null: nobody covers it."}
    )
    fit = fields.Float(required=True, metadata={"description": "0..1, the capability grading."})


class CheckSchema(WordedSchema):
    rule = fields.String(required=True, metadata={"description": "A programme rule code."})
    status = fields.String(required=True, validate=validate.OneOf(["passed", "failed", "warning"]))


class FrictionSchema(WordedSchema):
    code = fields.String(required=True)
    company_ids = fields.List(fields.Integer(), required=True)


class TeamScoreSchema(Schema):
    score = fields.Float(required=True, metadata={"description": "The blend of the three parts."})
    coverage = fields.Float(required=True)
    cohesion = fields.Float(required=True)
    eligibility = fields.Float(required=True)


class TeamSchema(Schema):
    members = fields.List(fields.Nested(MemberSchema), required=True)
    coverage = fields.List(
        fields.Nested(CoverageSchema),
        required=True,
        metadata={"description": "One per requested capability, in request order."},
    )
    checks = fields.List(fields.Nested(CheckSchema), required=True)
    frictions = fields.List(fields.Nested(FrictionSchema), required=True)
    score = fields.Nested(TeamScoreSchema, required=True)


class ConsortiumListSchema(Schema):
    items = fields.List(fields.Nested(TeamSchema), required=True)


class RelaxationSchema(WordedSchema):
    code = fields.String(required=True)


class InfeasibleSchema(Schema):
    """422 when no team can exist: the rule that cannot be met and what would relax it."""

    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    rule = fields.String(required=True)
    params = fields.Dict(keys=fields.String(), required=True)
    relax = fields.List(fields.Nested(RelaxationSchema), required=True)

"""Request and response shapes of the match endpoints; the components come from the registry.

Suggestions are dumped as they are (`Suggestion` objects): a company's public
identity, the blended score, one number per registered component, and reasons and
warnings as `{code, params, text}` with the text in the request's language.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates

from matchmaker.domain import taxonomy
from matchmaker.domain.components import COMPONENTS
from matchmaker.domain.explanations import Explanation
from matchmaker.explaining import render_list
from matchmaker.schemas import OFFICE_CONTACT, ContactSchema, code_list, participating_country_error


def _max_limit() -> int:
    # One source for the bound: the scoring configuration the matcher checks too.
    return int(current_app.extensions["matching"].scoring.max_limit)


class _LimitMixin(Schema):
    limit = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1),
        metadata={
            "description": "How many suggestions (at most the configured max_limit, "
            "100 by default)."
        },
    )
    min_score = fields.Float(load_default=0.0, validate=validate.Range(0, 1))

    @validates("limit")
    def _within_max(self, value: int, **_: Any) -> None:
        if value > _max_limit():
            raise ValidationError(f"Must be between 1 and {_max_limit()}.")


def _partner_country(code: str) -> None:
    """A filter on a country no registered firm can have would silently match nothing."""
    if error := participating_country_error(code.upper()):
        raise ValidationError(error)


class MatchArgsSchema(_LimitMixin):
    country = fields.String(
        validate=_partner_country,
        metadata={
            "description": "ISO 3166-1 alpha-2 code of a participating country.",
            "example": "PL",
        },
    )
    capability = fields.String(validate=validate.OneOf(sorted(taxonomy.CAPABILITY_CODES)))
    pathway = fields.String(validate=validate.OneOf(sorted(taxonomy.PATHWAYS)))
    include_declined = fields.Boolean(
        load_default=False,
        metadata={"description": "Also suggest firms whose introduction was declined."},
    )
    lang = fields.String(
        validate=validate.OneOf(["en", "uk"]),
        metadata={"description": "Language of the explanation texts (else Accept-Language)."},
    )


class AdHocMatchSchema(_LimitMixin):
    side = fields.String(
        required=True,
        validate=validate.OneOf(taxonomy.SIDES),
        metadata={"description": "The side of the partners wanted."},
    )
    seeks = fields.String(load_default="", validate=validate.Length(max=2000))
    capabilities = code_list(taxonomy.CAPABILITY_CODES, "capability code")
    certifications = code_list(taxonomy.CERTIFICATION_SCHEMES, "certification scheme")
    pathways = code_list(taxonomy.PATHWAYS, "pathway")
    countries = fields.List(
        fields.String(validate=_partner_country),
        load_default=list,
        validate=validate.Length(max=40),
        metadata={
            "description": "ISO 3166-1 alpha-2 codes of participating countries; an unknown "
            "or non-participating code is refused (422).",
            "example": ["DE", "PL"],
        },
    )


class MatchCompanySchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    side = fields.String(required=True)


ComponentsSchema = Schema.from_dict(
    {
        c.name: fields.Float(
            required=True,
            allow_none=True,
            metadata={
                "description": " ".join((c.__doc__ or "").split())
                + " Null where the component does not apply to the pair."
            },
        )
        for c in COMPONENTS
    },
    name="ComponentsSchema",
)


class ExplanationSchema(Schema):
    code = fields.String(required=True, metadata={"description": "See GET /api/v1/scoring."})
    params = fields.Dict(keys=fields.String(), required=True)
    text = fields.String(required=True, metadata={"description": "In the request's language."})


class _Explanations(fields.List):
    """A list of `Explanation`s, rendered in the current locale."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        items: list[Explanation] = list(value or ())
        return render_list(items)


class MatchItemSchema(Schema):
    company = fields.Nested(MatchCompanySchema, required=True)
    contact = fields.Nested(
        ContactSchema,
        required=True,
        allow_none=True,
        metadata={"description": OFFICE_CONTACT},
    )
    score = fields.Float(required=True)
    components = fields.Nested(ComponentsSchema, required=True)
    reasons = _Explanations(fields.Nested(ExplanationSchema), required=True)
    warnings = _Explanations(fields.Nested(ExplanationSchema), required=True)


class MatchListSchema(Schema):
    items = fields.List(fields.Nested(MatchItemSchema), required=True)

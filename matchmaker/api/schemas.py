"""Request and response shapes of the API that are not a company profile.

Company profiles use `matchmaker.schemas.CompanySchema`, the one rule set that the
web form shares.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates

from matchmaker.domain import taxonomy
from matchmaker.schemas import (
    MAX_ID,
    CompanySchema,
    IntroductionSchema,
    PublicCompanySchema,
)


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(
        load_default=20,
        validate=validate.Range(min=1),
        metadata={"description": "At most the server's API_MAX_PAGE_SIZE (100 by default)."},
    )

    @validates("page_size")
    def _within_the_configured_maximum(self, value: int, **kwargs: Any) -> None:
        # Read per request: the limit is the operator's setting, not a constant.
        limit = current_app.config["API_MAX_PAGE_SIZE"]
        if value > limit:
            raise ValidationError(f"Must be less than or equal to {limit}.")


class CompanyQueryArgsSchema(PageArgsSchema):
    side = fields.String(validate=validate.OneOf(taxonomy.SIDES))
    country = fields.String(validate=validate.Length(equal=2))
    capability = fields.String(validate=validate.OneOf(sorted(taxonomy.CAPABILITY_CODES)))
    pathway = fields.String(validate=validate.OneOf(sorted(taxonomy.PATHWAYS)))
    status = fields.String(validate=validate.OneOf(taxonomy.STATUSES))
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Text in the name, legal id or profile texts, in any letter case "
            "(Cyrillic included); a legal id however spaced or cased; `#341` is id 341 only."
        },
    )


class PageSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class CompanyPageSchema(PageSchema):
    """A page of companies as admins see them."""

    items = fields.List(fields.Nested(CompanySchema), required=True)


class PublicCompanyPageSchema(PageSchema):
    """A page of companies as offices see them: no confidential fields."""

    items = fields.List(fields.Nested(PublicCompanySchema), required=True)


class CreatedSchema(Schema):
    id = fields.Integer(required=True)


class ImportArgsSchema(Schema):
    atomic = fields.Boolean(load_default=False)


class RowErrorSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "1-based row number"})
    errors = fields.Dict(required=True, metadata={"description": "field -> messages"})


class ImportResultSchema(Schema):
    created = fields.List(fields.Integer(), required=True)
    updated = fields.List(fields.Integer(), required=True)
    errors = fields.List(fields.Nested(RowErrorSchema), required=True)


class IntroductionQueryArgsSchema(PageArgsSchema):
    company_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    outcome = fields.String(validate=validate.OneOf(taxonomy.INTRODUCTION_OUTCOMES))


class IntroductionPageSchema(PageSchema):
    items = fields.List(fields.Nested(IntroductionSchema), required=True)


class CompanyPatchSchema(CompanySchema):
    """Any subset of a company's fields; the merged result must still be a valid profile."""

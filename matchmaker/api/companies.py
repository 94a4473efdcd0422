"""Companies: list, read, create, edit (with If-Match), archive, import, and their matches."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from matchmaker.api import bodies, visibility
from matchmaker.api.auth import SECURITY, actor, current_client, is_admin, require_role
from matchmaker.api.etag import IF_MATCH_PARAMETER, etag_headers, expected_version
from matchmaker.api.match_schemas import MatchArgsSchema, MatchListSchema
from matchmaker.api.schemas import (
    CompanyPatchSchema,
    CompanyQueryArgsSchema,
    CreatedSchema,
    ImportArgsSchema,
    ImportResultSchema,
)
from matchmaker.extensions import db, matching
from matchmaker.schemas import CompanyDocument, CompanySchema
from matchmaker.services import imports, profiles
from matchmaker.services.suggestions import PartnerRequest, Viewer, suggest_partners

blp = Blueprint(
    "companies", __name__, url_prefix="/api/v1/companies", description="The firm registry."
)


@blp.route("")
class Companies(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY, **visibility.COMPANY_PAGE_RESPONSE)
    @blp.arguments(CompanyQueryArgsSchema, location="query")
    @blp.response(200)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List companies (offices see approved firms only), filtered and paginated."""
        return visibility.company_page(db.session, args)

    @require_role("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(CompanySchema)
    @blp.response(201, CreatedSchema)
    def post(self, data: CompanyDocument) -> tuple[dict[str, int], int, dict[str, str]]:
        """Register one company (admins may set its status; default pending)."""
        company = profiles.create_company(
            db.session, data, actor=actor(), on_change=matching.service.embed_changes
        )
        return {"id": company.id}, 201, etag_headers(company)


@blp.route("/import")
class CompanyImport(MethodView):
    @require_role("admin")
    @blp.doc(
        security=SECURITY,
        description=(
            "A JSON array of companies, or a CSV file (multipart field `file`, or a "
            "`text/csv` body). A row naming a registered firm (same country and legal id) "
            "updates it. With `atomic=true`, one invalid row means nothing is written (422)."
        ),
    )
    @blp.arguments(ImportArgsSchema, location="query")
    @blp.response(200, ImportResultSchema)
    @blp.alt_response(422, description="atomic import refused: per-row errors, nothing written")
    def post(self, args: dict[str, Any]) -> Any:
        """Import many companies; each row is validated and reported by row number."""
        rows = bodies.import_rows()
        result = imports.import_companies(
            db.session,
            rows,
            actor=actor(),
            atomic=args["atomic"],
            on_change=matching.service.embed_changes,
        )
        if args["atomic"] and result.errors:
            abort(
                422,
                message="Nothing was imported: some rows are invalid.",
                messages={"rows": result.errors},
            )
        return result


@blp.route("/<int(min=1, max=2147483647):company_id>")
class CompanyById(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY, **visibility.COMPANY_RESPONSE)
    @blp.response(200)
    def get(self, company_id: int) -> Any:
        """One company; its `ETag` is what a later PATCH sends as `If-Match`."""
        company = visibility.visible_company(db.session, company_id)
        return visibility.company_view(company), 200, etag_headers(company)

    @require_role("admin")
    @blp.doc(
        security=SECURITY,
        parameters=[IF_MATCH_PARAMETER],
        # Documented, not loaded here: only the stored record merged with these changes
        # is a profile, so the service validates that, once.
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": CompanyPatchSchema(partial=True)}},
        },
    )
    @blp.response(200, CompanySchema)
    @blp.alt_response(412, description="the company changed since you read it; nothing written")
    @blp.alt_response(422, description="the edited profile has invalid fields; nothing written")
    @blp.alt_response(428, description="If-Match is required")
    def patch(self, company_id: int) -> Any:
        """Edit fields of a company, only if it is unchanged since you read it."""
        expected = expected_version(profiles.get_company(db.session, company_id))
        company = profiles.update_company(
            db.session,
            company_id,
            bodies.changes(),
            actor=actor(),
            expected_version=expected,
            on_change=matching.service.embed_changes,
        )
        return company, 200, etag_headers(company)

    @require_role("admin")
    @blp.doc(security=SECURITY)
    @blp.response(200, CompanySchema)
    def delete(self, company_id: int) -> Any:
        """Archive a company: it is never destroyed and never suggested again."""
        company = profiles.archive_company(db.session, company_id, actor=actor())
        return company, 200, etag_headers(company)


@blp.route("/<int(min=1, max=2147483647):company_id>/matches")
class CompanyMatches(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(MatchArgsSchema, location="query")
    @blp.response(200, MatchListSchema)
    def get(self, args: dict[str, Any], company_id: int) -> dict[str, Any]:
        """Ranked, explained partner suggestions for a company."""
        request = PartnerRequest(
            limit=args["limit"],
            min_score=args["min_score"],
            countries=_given(args.get("country")),
            capabilities=_given(args.get("capability")),
            pathways=_given(args.get("pathway")),
            include_declined=args["include_declined"],
        )
        viewer = Viewer(admin=is_admin(), api_client_id=current_client().id)
        items = suggest_partners(db.session, matching.service, company_id, request, viewer=viewer)
        return {"items": items}


def _given(value: str | None) -> frozenset[str]:
    return frozenset({value}) if value else frozenset()

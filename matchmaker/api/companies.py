"""Companies: list, read, create, edit (with If-Match), archive, import, and their matches."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from matchmaker.api import views
from matchmaker.api.auth import SECURITY, actor, current_client, is_admin, require_role
from matchmaker.api.match_schemas import MatchArgsSchema, MatchListSchema
from matchmaker.api.schemas import (
    CompanyPageSchema,
    CompanyPatchSchema,
    CompanyQueryArgsSchema,
    CreatedSchema,
    ImportArgsSchema,
    ImportResultSchema,
)
from matchmaker.extensions import db, matching
from matchmaker.schemas import CompanySchema
from matchmaker.services import imports, profiles
from matchmaker.services.suggestions import PartnerRequest, Viewer, suggest_partners

blp = Blueprint(
    "companies", __name__, url_prefix="/api/v1/companies", description="The firm registry."
)


@blp.route("")
class Companies(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.arguments(CompanyQueryArgsSchema, location="query")
    @blp.response(200, CompanyPageSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """List companies (offices see approved firms only), filtered and paginated."""
        if not is_admin():
            if args.get("status", "approved") != "approved":
                abort(403, message="Offices may list approved firms only.")
            args["status"] = "approved"
        return views.company_page(db.session, args, confidential=is_admin())

    @require_role("admin")
    @blp.doc(security=SECURITY)
    @blp.arguments(CompanySchema)
    @blp.response(201, CreatedSchema)
    def post(self, data: dict[str, Any]) -> tuple[dict[str, int], int, dict[str, str]]:
        """Register one company (admins may set its status; default pending)."""
        company = profiles.create_company(
            db.session, views.raw_body(), actor=actor(), on_change=matching.service.embed_changes
        )
        return {"id": company.id}, 201, views.etag_headers(company)


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
        rows = views.import_rows()
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
    @blp.doc(security=SECURITY)
    @blp.response(200, CompanySchema)
    def get(self, company_id: int) -> Any:
        """One company; its `ETag` is what a later PATCH sends as `If-Match`."""
        company = views.visible_company(db.session, company_id)
        view = views.company_view(company, confidential=is_admin())
        return view, 200, views.etag_headers(company)

    @require_role("admin")
    @blp.doc(security=SECURITY, parameters=[views.IF_MATCH_PARAMETER])
    @blp.arguments(CompanyPatchSchema(partial=True))
    @blp.response(200, CompanySchema)
    @blp.alt_response(412, description="the company changed since you read it; nothing written")
    @blp.alt_response(428, description="If-Match is required")
    def patch(self, _data: dict[str, Any], company_id: int) -> Any:
        """Edit fields of a company, only if it is unchanged since you read it."""
        expected = views.expected_version(profiles.get_company(db.session, company_id))
        company = profiles.update_company(
            db.session,
            company_id,
            views.raw_body(),
            actor=actor(),
            expected_version=expected,
            on_change=matching.service.embed_changes,
        )
        return views.company_view(company, confidential=True), 200, views.etag_headers(company)

    @require_role("admin")
    @blp.doc(security=SECURITY)
    @blp.response(200, CompanySchema)
    def delete(self, company_id: int) -> Any:
        """Archive a company: it is never destroyed and never suggested again."""
        company = profiles.archive_company(db.session, company_id, actor=actor())
        return views.company_view(company, confidential=True), 200, views.etag_headers(company)


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

"""The vocabulary every request uses: capability codes, pathways, schemes, countries."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from matchmaker.api.auth import SECURITY, require_role
from matchmaker.domain import taxonomy

blp = Blueprint("taxonomy", __name__, url_prefix="/api/v1/taxonomy", description="Codes.")


@blp.route("")
class Taxonomy(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.response(200)
    def get(self) -> dict[str, Any]:
        """Capability areas with sub-capabilities, pathways, schemes, countries and sides."""
        return {
            "capability_areas": [
                {
                    "code": area.code,
                    "label": area.label,
                    "subcapabilities": [
                        {"code": f"{area.code}.{sub}", "label": label}
                        for sub, label in area.subcapabilities.items()
                    ],
                }
                for area in taxonomy.CAPABILITY_AREAS.values()
            ],
            "pathways": [{"code": c, "label": label} for c, label in taxonomy.PATHWAYS.items()],
            "certification_schemes": [
                {"code": s.code, "label": s.label, "kind": s.kind, "expires": s.expires}
                for s in taxonomy.CERTIFICATION_SCHEMES.values()
            ],
            "countries": [
                {"code": code, "name": taxonomy.COUNTRY_NAMES[code], "side": side}
                for code, side in sorted(taxonomy.participating_countries().items())
            ],
            "sizes": [{"code": c, "label": label} for c, label in taxonomy.SIZES.items()],
            "security_clearance_levels": list(taxonomy.SECURITY_CLEARANCE_LEVELS),
            "export_control_categories": [
                {"code": c, "label": label}
                for c, label in taxonomy.EXPORT_CONTROL_CATEGORIES.items()
            ],
            "introduction_outcomes": list(taxonomy.INTRODUCTION_OUTCOMES),
        }

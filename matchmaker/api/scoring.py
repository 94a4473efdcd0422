"""What the scores mean: the scoring model, described from the components in force
(with the weights of the applied scoring version, if any)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext
from flask_smorest import Blueprint

from matchmaker.api.auth import SECURITY, require_role
from matchmaker.domain.scoring import describe_model
from matchmaker.explaining import TEMPLATES
from matchmaker.extensions import db, matching

blp = Blueprint("scoring", __name__, url_prefix="/api/v1/scoring", description="The scoring model.")


@blp.route("")
class ScoringModel(MethodView):
    @require_role("office")
    @blp.doc(security=SECURITY)
    @blp.response(200)
    def get(self) -> dict[str, Any]:
        """Each score component and sub-rule with its weight and meaning, and every
        explanation code with its parameters and sentence template."""
        model = describe_model(matching.service.current_scoring(db.session))
        for component in model["components"]:
            component["label"] = gettext(component["label"])
        model["explanation_codes"] = {
            code: {"params": params, "template": gettext(TEMPLATES[code])}
            for code, params in model["explanation_codes"].items()
        }
        return model

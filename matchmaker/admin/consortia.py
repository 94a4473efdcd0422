"""The consortium builder page: describe a call, see the proposed teams as coverage
matrices with the programme's checks, and record a team as introductions.

The form is loaded by the API's request schema, so the page refuses what the API
refuses with the same words, next to the field at fault.
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from matchmaker.admin import bp
from matchmaker.admin.helpers import actor, flash_validation, safe_next
from matchmaker.admin.labels import CLEARANCES
from matchmaker.api.consortium_schemas import (
    ConsortiumRequestSchema,
    consortium_request,
    programme_codes,
)
from matchmaker.consortium_wording import Wording, relaxations_view, team_view
from matchmaker.domain import programmes
from matchmaker.domain.consortium import InfeasibleRequest
from matchmaker.domain.taxonomy import SECURITY_CLEARANCE_LEVELS
from matchmaker.errors import ConflictError
from matchmaker.extensions import db, matching
from matchmaker.localizing import localize
from matchmaker.schemas import MAX_ID
from matchmaker.services.consortia import firm_names, propose_consortia
from matchmaker.services.introductions import record_consortium
from matchmaker.services.suggestions import Viewer
from matchmaker.web.profile_form import choices

_SEPARATORS = re.compile(r"[\s,;]+")
NUMBERS = ("lead_company_id", "min_size", "max_size", "limit")


@bp.get("/consortia")
def consortia() -> tuple[str, int] | str:
    form = request.args
    context: dict[str, Any] = {"form": _form_values(form), "errors": {}, "teams": None}
    status = 200
    if "capabilities" in form or "build" in form:
        try:
            data = ConsortiumRequestSchema().load(_payload(form))
            answer = propose_consortia(
                db.session, matching.service, consortium_request(data), viewer=Viewer(admin=True)
            )
        except ValidationError as error:
            context["errors"], status = page_errors(error.messages), 422
        except InfeasibleRequest as error:
            wording = Wording(firm_names(db.session, [error.params.get("company_id")]))
            context["infeasible"] = {
                "rule": error.rule,
                "text": wording.rule(error.rule, error.params),
                "relax": relaxations_view(error.relax, wording.names),
            }
            status = 422
        else:
            context["teams"] = [team_view(team) for team in answer.teams]
            context["programme"] = programmes.get_programme(answer.programme)
    page = render_template(
        "admin/consortia.html",
        areas=choices()["areas"],
        programmes=programme_codes(),
        classifications=_classifications(),
        **context,
    )
    return (page, status) if status != 200 else page


@bp.post("/consortia/introductions")
def record_team() -> Response:
    """Record one proposed team as an introduction between every two of its members."""
    raw = request.form.getlist("member")
    if not all(v.isdecimal() and 1 <= int(v) <= MAX_ID for v in raw):
        abort(400, f"member: must be record ids between 1 and {MAX_ID}.")
    ids = [int(v) for v in raw]
    note = request.form.get("note", "").strip() or None
    back = safe_next(request.form.get("next"), "admin.consortia")
    try:
        recorded = record_consortium(
            db.session, ids, actor=actor(), note=note, score=request.form.get("score", type=float)
        )
    except ValidationError as error:
        flash_validation(error)
        return redirect(back)
    except ConflictError as error:
        flash(localize(error.message), "error")
        return redirect(back)
    created = ", ".join(f"#{i.id}" for i in recorded.created) or "—"
    flash(_("Recorded introductions %(ids)s between the team's members.", ids=created), "success")
    if recorded.already_open:
        already = ", ".join(f"#{i}" for i in recorded.already_open)
        kept = _(
            "These pairs already had open introductions, kept as they are: %(ids)s.", ids=already
        )
        flash(kept, "info")
    return redirect(url_for("admin.introductions", firm=f"#{ids[0]}"))


def _classifications() -> list[tuple[str, str]]:
    """The clearance levels work may be classified at: unclassified, then NATO markings."""
    levels = [(code, str(CLEARANCES[code])) for code in SECURITY_CLEARANCE_LEVELS[1:]]
    return [("none", _("Unclassified")), *levels]


def _codes(text: str) -> list[str]:
    return [code for code in _SEPARATORS.split(text.strip()) if code]


def _number(text: str | None) -> int | str | None:
    """A form number as the schema takes it: digits an int, nothing None, anything else as
    typed (so the schema's message names the field)."""
    text = (text or "").strip().lstrip("#")
    if not text:
        return None
    return int(text) if text.isdecimal() and len(text) < 12 else text


def _payload(form: MultiDict[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "seeks": form.get("seeks", ""),
        "capabilities": form.getlist("capabilities"),
        "programme": form.get("programme") or "none",
        "classification": form.get("classification") or "none",
        "countries": _codes(form.get("countries", "")),
        "exclude_countries": _codes(form.get("exclude_countries", "")),
        "pathways": form.getlist("pathways"),
    }
    for name in NUMBERS:
        if (value := _number(form.get(name))) is not None:
            payload[name] = value
    return payload


def _form_values(form: MultiDict[str, str]) -> dict[str, Any]:
    """What the form shows again: the values as typed."""
    values: dict[str, Any] = {name: form.get(name, "") for name in NUMBERS}
    values |= {name: form.get(name, "") for name in ("seeks", "countries", "exclude_countries")}
    values["programme"] = form.get("programme", "none")
    values["classification"] = form.get("classification", "none")
    values["capabilities"] = form.getlist("capabilities")
    values["pathways"] = form.getlist("pathways")
    values["limit"] = values["limit"] or "5"
    return values


def page_errors(messages: Any) -> dict[str, list[str]]:
    """Schema errors by form field, in the page's language: an error on one entry of a
    list ({"countries": {1: [...]}}) belongs to the list's field."""
    if not isinstance(messages, dict):
        return {"_schema": [localize(m) for m in _flat(messages)]}
    return {field: [localize(m) for m in _flat(value)] for field, value in messages.items()}


def _flat(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [m for item in value.values() for m in _flat(item)]
    if isinstance(value, list | tuple):
        return [m for item in value for m in _flat(item)]
    return [value]

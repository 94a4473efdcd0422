"""API keys for facilitation offices: create (the key is shown once), list, revoke."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from matchmaker.admin import bp
from matchmaker.admin.helpers import actor
from matchmaker.extensions import db
from matchmaker.services.api_keys import (
    ROLES,
    create_api_client,
    list_api_clients,
    revoke_api_client,
)


@bp.get("/api-keys")
def api_keys() -> str:
    return _page()


@bp.post("/api-keys")
def create_api_key() -> Any:
    """Create a key and show it on this response only: it is stored as a hash."""
    name, role = request.form.get("name", ""), request.form.get("role", "office")
    try:
        client, key = create_api_client(db.session, name, role, actor=actor())
    except ValidationError as error:
        return _page(errors=error.messages, name=name, role=role), 422
    return _page(created=client, key=key), 201


@bp.post("/api-keys/<id:client_id>/revoke")
def revoke_api_key(client_id: int) -> Response:
    client = revoke_api_client(db.session, client_id, actor=actor())
    flash(_("Revoked the key of %(name)s.", name=client.name), "success")
    return redirect(url_for("admin.api_keys"))


def _page(**context: Any) -> str:
    return render_template(
        "admin/api_keys.html", clients=list_api_clients(db.session), roles=ROLES, **context
    )

"""The admin area: curation pages under /admin, every one behind the login guard.

Views parse the request, call one service (or one read query from `queries`) and
render; the guard in `auth` runs before every admin view.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_admin(app: Flask) -> None:
    """Bind Flask-Login and register the admin blueprint with all its views."""
    from matchmaker.admin import (  # noqa: F401 - importing registers the views on `bp`
        api_keys,
        audit,
        auth,
        companies,
        consortia,
        dashboard,
        duplicates,
        erasure,
        explorer,
        exports,
        introductions,
        review,
        scoring,
    )
    from matchmaker.admin.labels import template_globals

    auth.init_login(app)
    app.jinja_env.globals.update(template_globals())
    app.register_blueprint(bp)

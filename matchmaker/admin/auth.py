"""Admin login, logout, session timeout, and the guard in front of every admin page.

The guard answers a request without a live admin session with a redirect to the
login page, or with 403 JSON when the caller asked for JSON (CTFd's `admins_only`).
Sessions end after PERMANENT_SESSION_LIFETIME without activity: the cookie expires
in the browser, and the server checks the last-seen time itself, so a copied cookie
does not outlive the timeout either. The session cookie is signed, not stored, so it
cannot be recalled: it carries the admin's session version (Flask-Login's
"alternative token" as the user id, `<id>:<version>`), the user loader refuses any
other, and logout, a password change and deactivation bump the version. Logging out
therefore ends that admin's sessions on every device, which is the point after a leak.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from matchmaker.admin import bp
from matchmaker.admin.forms import LoginForm
from matchmaker.admin.helpers import safe_next
from matchmaker.errors import error_response
from matchmaker.extensions import db, limiter, login_manager
from matchmaker.models import AdminUser
from matchmaker.services.admins import authenticate_admin, end_sessions
from matchmaker.web.i18n import SESSION_KEY as LANGUAGE_KEY

OPEN_ENDPOINTS = frozenset({"admin.login"})
LAST_SEEN = "admin_last_seen"
# Password guessing is slow by design (Argon2id); this keeps it slow per address too.
LOGIN_LIMIT = "10 per minute"


class AdminPrincipal(UserMixin):
    """The logged-in admin as Flask-Login sees it (no ORM object kept across requests)."""

    def __init__(self, user_id: int, email: str, session_version: int) -> None:
        self.id = user_id
        self.email = email
        self.session_version = session_version

    def get_id(self) -> str:
        """What the session stores and `_load_admin` checks against the database."""
        return f"{self.id}:{self.session_version}"


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "admin.login"
    login_manager.login_message = lazy_gettext("Please log in to use the admin area.")
    login_manager.user_loader(_load_admin)
    login_manager.unauthorized_handler(refuse)


def wants_json() -> bool:
    """JSON callers (Accept: application/json, a JSON body, or /api paths) get JSON errors."""
    return (
        request.path.startswith("/api")
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def refuse() -> Response:
    """No live admin session: 403 JSON for JSON callers, else a redirect to the login page."""
    if wants_json():
        return error_response(403, "An admin login is required.")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin.login", next=target))


@bp.before_request
def require_admin() -> Response | None:
    """Runs before every admin view: only a live admin session passes."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return refuse()
    if _timed_out():
        logout_user()
        session.pop(LAST_SEEN, None)
        flash(_("Your session timed out. Please log in again."), "warning")
        return refuse()
    session[LAST_SEEN] = time.time()
    return None


@bp.after_request
def no_store(response: Response) -> Response:
    """Admin pages show confidential fields and one-time keys: no browser or proxy cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login() -> Any:
    form = LoginForm()
    if not form.is_submitted():
        return render_template("admin/login.html", form=form)
    if not form.validate():
        return render_template("admin/login.html", form=form), 422
    user = authenticate_admin(db.session, form.email.data, form.password.data)
    if user is None:
        flash(_("Wrong e-mail or password."), "error")
        return render_template("admin/login.html", form=form), 401
    _start_session(user)
    return redirect(safe_next(request.args.get("next")))


@bp.post("/logout")
def logout() -> Response:
    end_sessions(db.session, current_user.id)
    db.session.commit()
    logout_user()
    session.pop(LAST_SEEN, None)
    flash(_("You are logged out."), "info")
    return redirect(url_for("admin.login"))


def _start_session(user: AdminUser) -> None:
    language = session.get(LANGUAGE_KEY)
    session.clear()  # nothing from before the login survives it, except the language
    if language:
        session[LANGUAGE_KEY] = language
    session.permanent = True  # the cookie expires after PERMANENT_SESSION_LIFETIME
    login_user(AdminPrincipal(user.id, user.email, user.session_version))
    session[LAST_SEEN] = time.time()


def _timed_out() -> bool:
    last_seen = session.get(LAST_SEEN)
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    return not isinstance(last_seen, int | float) or time.time() - last_seen > lifetime


def _load_admin(session_id: str) -> AdminPrincipal | None:
    """The admin a session names, if that session has not been ended since it began."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a pre-versioning or forged id: one fresh login
    user = db.session.get(AdminUser, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return AdminPrincipal(user.id, user.email, user.session_version)

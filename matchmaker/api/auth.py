"""Bearer-key authentication and roles for the API.

`office` reads companies and matches and records introductions; `admin` may also
create, edit, import and archive. A missing or invalid key is 401, a key of the
wrong role 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request
from flask_limiter.util import get_remote_address
from flask_smorest import abort

from matchmaker.extensions import db
from matchmaker.models import ApiClient
from matchmaker.services.api_keys import authenticate, hash_key

F = TypeVar("F", bound=Callable[..., Any])
ROLE_RANK = {"office": 1, "admin": 2}
SECURITY = [{"bearerAuth": []}]
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="matchmaker"'}


def current_client() -> ApiClient:
    return g.api_client


def is_admin() -> bool:
    return current_client().role == "admin"


def actor() -> str:
    """How the audit trail names the caller."""
    return f"api:{current_client().name}"


def require_role(role: str) -> Callable[[F], F]:
    """Authenticate the bearer key and require at least `role`."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            client = _client_from_header()
            if ROLE_RANK[client.role] < ROLE_RANK[role]:
                abort(403, message=f"This needs the {role} role; your key has {client.role}.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def _client_from_header() -> ApiClient:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        abort(401, message="Send your API key as 'Authorization: Bearer <key>'.", headers=CHALLENGE)
    client = authenticate(db.session, key.strip())
    if client is None:
        abort(401, message="Unknown or revoked API key.", headers=CHALLENGE)
    g.api_client = client
    return client


def rate_limit_key() -> str:
    """Limit per key (one office behind a shared IP is not punished for another)."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hash_key(key.strip())[:16]
    return "ip:" + get_remote_address()

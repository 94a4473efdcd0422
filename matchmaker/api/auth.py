"""Bearer-key authentication and roles for the API.

`office` reads companies and matches and records introductions; `admin` may also
create, edit, import and archive. A missing or invalid key is 401, a key of the
wrong role 403. Failed authentications are counted per client address: past
API_AUTH_FAILURE_LIMIT they answer 429, so rotating made-up keys (each of which
would otherwise get a fresh per-key bucket) cannot hammer the API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_smorest import abort
from limits import parse

from matchmaker.extensions import db, limiter
from matchmaker.models import ApiClient
from matchmaker.services.api_keys import authenticate, hash_key

F = TypeVar("F", bound=Callable[..., Any])
ROLE_RANK = {"office": 1, "admin": 2}
SECURITY = [{"bearerAuth": []}]
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="matchmaker"'}
AUTH_FAILURE_SCOPE = "api-auth-failure"
log = logging.getLogger(__name__)


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
        _refuse("Send your API key as 'Authorization: Bearer <key>'.")
    client = authenticate(db.session, key.strip())
    if client is None:
        _refuse("Unknown or revoked API key.")
    g.api_client = client
    return client


def _refuse(message: str) -> None:
    """401, or 429 once this address has failed too often (shared across workers)."""
    item = parse(current_app.config["API_AUTH_FAILURE_LIMIT"])
    address = get_remote_address()
    try:
        allowed = limiter.limiter.hit(item, AUTH_FAILURE_SCOPE, address)
        reset_at = limiter.limiter.get_window_stats(item, AUTH_FAILURE_SCOPE, address).reset_time
    except Exception as error:  # noqa: BLE001 - limit storage down: answer 401 unlimited
        log.warning("Cannot count failed authentication (%s); not limited.", error)
        allowed, reset_at = True, 0
    if not allowed:
        retry_after = max(1, int(reset_at - time.time()) + 1)
        abort(
            429,
            message=f"Too many failed authentications from this address; retry in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
    abort(401, message=message, headers=CHALLENGE)


def rate_limit_key() -> str:
    """Limit per key (one office behind a shared IP is not punished for another)."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return "key:" + hash_key(key.strip())[:16]
    return "ip:" + get_remote_address()

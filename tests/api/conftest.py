"""API fixtures: keys of each role and a small client wrapper that sends them."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.services.api_keys import create_api_client


class ApiCaller:
    """Calls the API with one key; `call("get", "/companies")` prefixes /api/v1."""

    def __init__(self, client: FlaskClient, key: str | None) -> None:
        self.client, self.key = client, key

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", {}))
        if self.key:
            headers.setdefault("Authorization", f"Bearer {self.key}")
        return getattr(self.client, method)(f"/api/v1{path}", headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("get", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.call("post", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.call("patch", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.call("delete", path, **kwargs)


@pytest.fixture
def office(client: FlaskClient, session: Session) -> ApiCaller:
    _, key = create_api_client(session, "Berlin export office", "office", actor="test")
    return ApiCaller(client, key)


@pytest.fixture
def other_office(client: FlaskClient, session: Session) -> ApiCaller:
    _, key = create_api_client(session, "Copenhagen export office", "office", actor="test")
    return ApiCaller(client, key)


@pytest.fixture
def admin(client: FlaskClient, session: Session) -> ApiCaller:
    _, key = create_api_client(session, "Registry admin tool", "admin", actor="test")
    return ApiCaller(client, key)


@pytest.fixture
def anonymous(client: FlaskClient) -> ApiCaller:
    return ApiCaller(client, None)

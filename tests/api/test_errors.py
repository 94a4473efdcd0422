"""Errors under /api are JSON of one stable shape, even for routes that do not exist."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_unknown_api_route_answers_json(client: FlaskClient) -> None:
    """Under /api a 404 is JSON with a stable shape."""
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404

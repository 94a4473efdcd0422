"""The health check load balancers and monitors poll."""

from __future__ import annotations

from flask.testing import FlaskClient


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    """The health check answers JSON with the database state."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"

"""Errors under /api are JSON of one stable shape, even for routes that do not exist."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.factories import company_payload


def test_unknown_api_route_answers_json(client: FlaskClient) -> None:
    """Under /api a 404 is JSON with a stable shape."""
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_validation_errors_are_english_unless_another_language_is_asked(admin: Any) -> None:
    """The same field keys either way; ?lang=uk or Accept-Language: uk translates them."""
    bad = company_payload(size="huge", contact={"email": "nope"})
    english = admin.post("/companies", json=bad).get_json()
    by_query = admin.post("/companies?lang=uk", json=bad).get_json()
    by_header = admin.post("/companies", json=bad, headers={"Accept-Language": "uk"}).get_json()
    assert english["errors"] == {
        "size": ["Choose your company's size."],
        "contact": {"email": ["Enter a valid e-mail address, e.g. name@firm.eu."]},
    }
    assert (
        by_query["errors"]
        == by_header["errors"]
        == {
            "size": ["Виберіть розмір вашої компанії."],
            "contact": {
                "email": ["Введіть правильну адресу електронної пошти, наприклад name@firm.eu."]
            },
        }
    )
    assert by_query["code"] == english["code"] == 422

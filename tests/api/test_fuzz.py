"""Schemathesis fuzzes every operation of the OpenAPI document: no input may cause a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.input_guard import text_problem
from matchmaker.services.api_keys import create_api_client
from tests.factories import make_matchable_company
from tests.services.test_matching import PROPELLANT_MAKER, SHELL_MAKER


@pytest.fixture
def admin_key(app: Flask, session: Session) -> str:
    """An admin key, a few firms to match, and limits that fuzzing will not trip."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    make_matchable_company(session, matching.service, **SHELL_MAKER)
    make_matchable_company(session, matching.service, **PROPELLANT_MAKER)
    return create_api_client(session, "fuzzer", "admin", actor="test")[1]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_causes_a_server_error(app: Flask, admin_key: str, mode: GenerationMode) -> None:
    """Valid and invalid requests to every operation: the answer is never a 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    strategy = schema.as_strategy(mode, headers={"Authorization": f"Bearer {admin_key}"})
    seen: set[str] = set()

    @given(case=strategy)
    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def no_server_error(case: Any) -> None:
        seen.add(f"{case.method} {case.path}")
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])

    try:
        no_server_error()
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"
    assert len(seen) >= 10  # every operation was exercised


# Text no database can store, mixed into ordinary text: NUL, lone surrogates, controls.
HOSTILE = st.text(
    alphabet=st.one_of(
        st.sampled_from(["\x00", "\ud800", "\udfff", "\r", "\n", "\x7f"]),
        st.characters(codec="utf-8"),
        st.characters(categories=["Cs"]),
    ),
    min_size=1,
    max_size=40,
)


def _unstorable(text: str) -> bool:
    return text_problem(text) is not None


@pytest.mark.parametrize(
    "method,path,body_for",
    [
        ("post", "/api/v1/matches", lambda s: {"side": "UA", "seeks": s}),
        (
            "post",
            "/api/v1/introductions",
            lambda s: {"company_a_id": 1, "company_b_id": 2, "note": s},
        ),
        ("post", "/api/v1/companies", lambda s: {"name": s}),
        ("post", "/api/v1/companies/import", lambda s: [{"name": s, s: "x"}]),
    ],
)
def test_hostile_text_in_json_is_400_naming_its_field(
    app: Flask, admin_key: str, method: str, path: str, body_for: Any
) -> None:
    """Any string holding NUL or a lone surrogate, in any JSON body, is a 400 that names a
    field; any other string is never a 5xx."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin_key}"}

    @given(text=HOSTILE)
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def hostile(text: str) -> None:
        response = getattr(client, method)(
            path,
            data=json.dumps(body_for(text)),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code < 500
        if _unstorable(text):
            assert response.status_code == 400 and response.get_json()["errors"]

    try:
        hostile()
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"


def test_hostile_text_in_queries_and_forms_is_never_a_server_error(
    app: Flask, admin_key: str
) -> None:
    """NUL and controls in the office search and the public form: 400 naming the field."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin_key}"}

    @given(text=HOSTILE.filter(lambda s: not any("\ud800" <= c <= "\udfff" for c in s)))
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def hostile(text: str) -> None:
        search = client.get("/api/v1/companies", query_string={"q": text}, headers=headers)
        form = client.post("/profile/new", data={"name": text, "offers": text})
        for response in (search, form):
            assert response.status_code < 500
            if "\x00" in text:
                assert response.status_code == 400

    try:
        hostile()
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"

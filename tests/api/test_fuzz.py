"""Schemathesis fuzzes every operation of the OpenAPI document: no input may cause a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
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

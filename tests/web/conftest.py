"""Web fixtures: rate limits start fresh for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from matchmaker.extensions import limiter
from tests.web.isolation import fresh_g_per_request


@pytest.fixture(autouse=True)
def _fresh_g(app: Flask) -> Iterator[None]:
    """Each request sees a fresh `g`, as in production (see tests.web.isolation)."""
    with fresh_g_per_request(app):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    limiter.reset()
    yield
    limiter.reset()

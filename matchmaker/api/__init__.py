"""The JSON API for facilitation offices (flask-smorest, OpenAPI 3)."""

from __future__ import annotations

from flask import Flask


def init_api(app: Flask) -> None:
    """Register the API blueprints (filled in by the API work)."""

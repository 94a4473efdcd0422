"""Tests run requests inside one long app context, so Flask's `g` outlives a request there.

In production every request has a fresh `g`; Flask-Login and Flask-Babel cache the user
and the locale in it. `fresh_g_per_request` restores production behaviour for a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, g, request_started

CACHED = ("_login_user", "_flask_babel")


def _forget(sender: Flask, **extra: Any) -> None:
    for name in CACHED:
        g.pop(name, None)


@contextmanager
def fresh_g_per_request(app: Flask) -> Iterator[None]:
    request_started.connect(_forget, app)
    try:
        yield
    finally:
        request_started.disconnect(_forget, app)

"""What every browser test shares: headless Chromium (Debian's /usr/bin/chromium) through
Playwright, the app on a real server on 127.0.0.1, CSP watching and screenshots (also written
to MATCHMAKER_SCREENSHOT_DIR, e.g. docs/screenshots, when it is set)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from matchmaker.extensions import limiter

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("MATCHMAKER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is required (MATCHMAKER_REQUIRE_BROWSER=1) but missing.")
        pytest.skip(f"{CHROMIUM} is not installed.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served from a thread, over the test database."""
    limiter.reset()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def watch_csp(page: object) -> list[str]:
    """Every CSP violation the browser reports on this page, as it happens."""
    violations: list[str] = []

    def on_console(message: object) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", on_console)
    return violations


class Screenshots:
    """Screenshots for the test record, and for docs/ when MATCHMAKER_SCREENSHOT_DIR is set."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        target = os.environ.get("MATCHMAKER_SCREENSHOT_DIR")
        self.publish = Path(target) if target else None

    def take(self, page: object, name: str, *, full_page: bool = False) -> None:
        path = self.directory / name
        page.screenshot(path=str(path), full_page=full_page)
        if self.publish is not None:
            self.publish.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.publish / name)

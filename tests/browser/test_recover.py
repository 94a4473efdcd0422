"""A firm that lost its link asks for a new one in Ukrainian, on a phone and a desktop,
and opens the link the mail brings (written to the outbox folder, as in development)."""

from __future__ import annotations

import os
import re
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.factories import edrpou, make_company

pytestmark = pytest.mark.browser
_LINK = re.compile(r"https?://\S+(/profile/edit/\S+)")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_ukrainian_firm_gets_a_new_link_and_opens_it(
    app: Flask, session: Session, chromium: object, live_server: str, width: int
) -> None:
    company = make_company(
        session,
        country="UA",
        legal_id=edrpou(7312),
        name="Крук Оптика ТОВ",
        contact={"name": "Олена", "email": "olena@kruk.example"},
    )
    outbox: Path = app.config["OUTBOX_DIR"]
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    page = chromium.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{live_server}/profile/recover?lang=uk")
    assert page.locator("h1").inner_text() == "Надіслати посилання для редагування ще раз"
    shots = os.environ.get("MATCHMAKER_SCREENSHOT_DIR") if width == 390 else None
    if shots:
        page.screenshot(path=str(Path(shots) / "recover-uk.png"), full_page=True)
    # Nothing chosen: the errors name the fields, in Ukrainian.
    page.click("button[type=submit]")
    assert "Виберіть країну" in page.locator(".error-summary").inner_text()
    page.select_option("#country", "UA")
    page.fill("#legal_id", " ".join(company.legal_id[i : i + 4] for i in (0, 4)))
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Перевірте пошту"
    if shots:
        page.screenshot(path=str(Path(shots) / "recover-sent-uk.png"), full_page=True)

    written = _new_file(outbox, before)
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "olena@kruk.example"
    match = _LINK.search(str(message.get_content()))  # type: ignore[attr-defined]
    assert match
    page.goto(live_server + match.group(1))
    assert page.locator("#name").input_value() == "Крук Оптика ТОВ"
    page.close()


def _new_file(outbox: Path, before: set[Path]) -> Path:
    """The one message written since `before` (the mail goes once the page is out)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if new := set(outbox.glob("*.eml")) - before if outbox.exists() else set():
            [written] = new
            return written
        time.sleep(0.1)
    raise AssertionError(f"no message in {outbox}")

"""The privacy notice and a firm's erasure request in headless Chromium, in English and
Ukrainian, at desktop width and at 390 px: readable, without sideways scrolling."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.models import Company
from matchmaker.services import edit_links
from tests.browser.conftest import Screenshots, watch_csp
from tests.factories import loaded_company, no_embedding

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
TEXTS = {
    "en": (
        "Privacy notice",
        "Ask for erasure",
        "Yes, ask for erasure",
        "Your request was recorded",
    ),
    "uk": (
        "Повідомлення про конфіденційність",
        "Попросити про видалення",
        "Так, попросити про видалення",
        "Ваш запит записано",
    ),
}


def fits(page: object) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", TEXTS)
def test_privacy_notice_and_erasure_request(
    chromium: object,  # noqa: F811
    live_server: str,  # noqa: F811
    app: Flask,
    session: Session,
    tmp_path: Path,
    lang: str,
    width: str,
) -> None:
    notice, ask, confirm, recorded = TEXTS[lang]
    company = edit_links.submit_profile(session, loaded_company(), on_change=no_embedding)
    token = edit_links.edit_token(company, app.secret_key or "")
    context = chromium.new_context(
        viewport={"width": WIDTHS[width], "height": 900}, device_scale_factor=0.75
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    shots = Screenshots(tmp_path)
    published = lang == "en" and width == "desktop"

    page.goto(f"{live_server}/privacy?lang={lang}")
    assert page.inner_text("h1") == notice
    assert fits(page)
    if published:
        shots.take(page, "privacy-notice.png", full_page=True)

    # The firm opens its edit link, follows the form's privacy link back, then asks.
    page.goto(f"{live_server}/profile/edit/{token}")
    assert page.locator("#who-sees-what").is_visible()
    assert page.locator("input[name=contact_consent]").is_visible()
    page.click(f"text={ask}")
    assert fits(page)
    if published:
        shots.take(page, "erasure-request.png")
    page.click(f"button:has-text('{confirm}')")
    assert recorded in page.inner_text("#erasure")
    assert fits(page)
    session.expire_all()
    assert session.get(Company, company.id).erasure_requested_at is not None
    assert violations == []
    context.close()

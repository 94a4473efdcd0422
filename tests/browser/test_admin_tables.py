"""The admin's queue and tables on a 390 px phone screen, in English and Ukrainian: the page
never scrolls sideways, a wide table scrolls inside its own box with its header row visible,
and the bulk decision works by touch. Screenshots docs/screenshots/review-queue-390px.png
and companies-390px.png (with MATCHMAKER_SCREENSHOT_DIR set)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.services.admins import create_admin_user
from matchmaker.services.documents import load_company
from matchmaker.services.edit_links import submit_profile
from matchmaker.services.profiles import create_company
from tests.browser.conftest import Screenshots, watch_csp
from tests.factories import company_payload, edrpou, no_embedding

ADMIN = ("phone-admin@example.org", "a long enough password")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_data(app: Flask, session: Session) -> None:
    """An admin, three firms waiting for review (long names) and approved firms."""
    create_admin_user(session, *ADMIN, actor="test")
    waiting = [
        ("Zaporizhzhia Heavy Machine-Building and Ammunition Works PJSC", "UA"),
        ("Feldberg Präzisionsfertigung und Wehrtechnik GmbH", "DE"),
        ("Karpaty Forge LLC", "UA"),
    ]
    for number, (name, country) in enumerate(waiting):
        extra = {"legal_id": edrpou(7_200_000 + number)} if country == "UA" else {}
        payload = company_payload(name=name, country=country, status="pending", **extra)
        submit_profile(session, load_company(payload), on_change=no_embedding)
    for number in range(4):
        payload = company_payload(name=f"Staufen Optronics Systems {number} GmbH")
        create_company(session, load_company(payload), actor="test", on_change=no_embedding)


def log_in(page: object, live_server: str) -> None:
    page.goto(f"{live_server}/admin/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("form button[type=submit]")
    page.wait_for_url("**/admin/")


def page_width(page: object) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def assert_table_fits(page: object, width: int) -> None:
    """The table's box is inside the screen; its header row is drawn at the top of it."""
    box = page.locator("table.data").first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
    header = page.locator("table.data thead th").first
    assert header.is_visible()
    header_box = header.bounding_box()
    assert header_box is not None and abs(header_box["y"] - box["y"]) < 3


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "desktop"])
def test_queue_and_companies_fit_the_screen(
    chromium: object,
    live_server: str,
    admin_data: None,
    tmp_path: Path,
    language: str,
    viewport: dict[str, int],
) -> None:
    context = chromium.new_context(viewport=viewport, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    shots = Screenshots(tmp_path)
    phone = viewport is PHONE
    log_in(page, live_server)
    width = viewport["width"]

    page.goto(f"{live_server}/admin/review?lang={language}")
    assert page.locator("li.queue-item").count() == 3
    assert page_width(page) <= width, "the review queue scrolls sideways"
    if phone and language == "en":
        shots.take(page, "review-queue-390px.png", full_page=True)

    # "Tick all" ticks every firm of the page and clears them again.
    page.check("[data-tick-all=bulk]")
    assert page.locator("input[name=ids]:checked").count() == 3
    page.uncheck("[data-tick-all=bulk]")
    assert page.locator("input[name=ids]:checked").count() == 0
    # Tick two firms and approve them with one button.
    page.locator("li.queue-item", has_text="Karpaty Forge").locator("input[name=ids]").check()
    page.locator("li.queue-item", has_text="Feldberg").locator("input[name=ids]").check()
    page.click("button[name=decision][value=approve]")
    page.wait_for_url("**/admin/review**")
    report = page.inner_text(".flashes")
    assert ("Approved 2 firms" if language == "en" else "Схвалено 2 фірми") in report
    assert page.locator("li.queue-item").count() == 1

    for url in ("/admin/companies", "/admin/audit"):
        page.goto(f"{live_server}{url}?lang={language}")
        assert page_width(page) <= width, f"{url} scrolls sideways"
        assert_table_fits(page, width)
        if url == "/admin/companies" and phone and language == "en":
            shots.take(page, "companies-390px.png", full_page=True)
    if phone:
        # The audit table is wider than a phone: it scrolls inside its own box.
        scroll = page.evaluate(
            "(() => { const t = document.querySelector('table.data');"
            " return [t.scrollWidth, t.clientWidth]; })()"
        )
        assert scroll[0] > scroll[1]
    assert violations == [], "the pages break their own Content-Security-Policy"
    context.close()

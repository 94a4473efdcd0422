"""An admin builds consortia for a 155 mm call on the consortium page and records the best
team as introductions, in headless Chromium against a live server, on a desktop and on a
390 px phone (the page never scrolls sideways; the matrix scrolls inside its own box).

With MATCHMAKER_SCREENSHOT_DIR set (docs/screenshots), the English pages are written there
as consortia.png (1280 px) and consortia-390px.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.models import Introduction
from matchmaker.services.admins import create_admin_user
from tests.api.test_consortia import CALL, consortium_registry
from tests.browser.conftest import Screenshots, watch_csp

ADMIN = ("consortium-admin@example.org", "a long enough password")
pytestmark = pytest.mark.browser

EN = ("Consortium builder", "Recorded introductions")
UK = ("Конструктор консорціумів", "Записано знайомства")
VIEWS = [
    pytest.param("en-GB", 1280, "consortia.png", EN, id="en-desktop"),
    pytest.param("en-GB", 390, "consortia-390px.png", EN, id="en-390"),
    pytest.param("uk-UA", 390, None, UK, id="uk-390"),
]


@pytest.mark.parametrize(("locale", "width", "screenshot", "words"), VIEWS)
def test_an_admin_builds_and_records_a_consortium(
    chromium: object,
    live_server: str,
    app: Flask,
    session: Session,
    tmp_path: Path,
    locale: str,
    width: int,
    screenshot: str | None,
    words: tuple[str, str],
) -> None:
    heading, recorded = words
    create_admin_user(session, *ADMIN, actor="test")
    firms = consortium_registry(app, session)

    context = chromium.new_context(
        viewport={"width": width, "height": 900}, locale=locale, device_scale_factor=0.75
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    violations = watch_csp(page)
    page.goto(f"{live_server}/admin/consortia")
    page.wait_for_url("**/admin/login**")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/consortia")
    assert heading in page.inner_text("h1")

    page.fill("#seeks", CALL["seeks"])
    page.locator("details.area", has=page.locator("input[value=ammunition_missiles]")).locator(
        "summary"
    ).click()
    for code in CALL["capabilities"]:
        page.check(f"input[name=capabilities][value='{code}']")
    page.select_option("#programme", "edf")
    page.click("form.consortium-form button[type=submit]")
    page.wait_for_url("**/admin/consortia?*")

    teams = page.locator("ol.teams > li")
    assert teams.count() >= 1
    best = teams.first
    matrix = best.locator("table.matrix")
    assert matrix.locator("tbody tr").count() == len(CALL["capabilities"])
    names = matrix.locator("thead").inner_text()
    assert sum(f.name in names for f in firms.values()) >= 3
    assert firms["sanctioned"].name not in page.content()
    assert best.locator(".checks li").count() >= 1
    _fits(page, width)
    if screenshot:
        Screenshots(tmp_path).take(page, screenshot, full_page=True)

    best.locator("input[name=note]").fill("Proposed for the EDF 155 mm call.")
    best.locator("form.record-team button[type=submit]").click()
    page.wait_for_url("**/admin/introductions?*")
    assert recorded in page.inner_text(".flashes")
    _fits(page, width)
    assert violations == [], "the page breaks its own Content-Security-Policy"
    context.close()

    session.expire_all()
    count = session.scalar(select(func.count()).select_from(Introduction))
    assert count is not None and count >= 3  # three members at least: three pairs at least


def _fits(page: object, width: int) -> None:
    """Nothing wider than the screen: no sideways scrolling at 390 px."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the {width} px screen"

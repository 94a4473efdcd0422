"""An admin updates an introduction's outcome on the introductions page, in English and in
Ukrainian, on a desktop and on a 390 px phone, in headless Chromium against a live server.

With MATCHMAKER_SCREENSHOT_DIR set (docs/screenshots), the English desktop page is
written there as admin-introductions.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from matchmaker.models import Introduction
from matchmaker.services.admins import create_admin_user
from matchmaker.services.api_keys import create_api_client
from matchmaker.services.introductions import record_introduction
from tests.browser.conftest import Screenshots, watch_csp
from tests.browser.test_flow import ADMIN
from tests.factories import make_company

pytestmark = pytest.mark.browser

# (browser locale, viewport width, what the page says in that language)
VIEWS = [
    pytest.param(
        "en-GB", 1280, ("Introductions", "Updated introduction #", "Meeting held"), id="en-desktop"
    ),
    pytest.param(
        "en-GB", 390, ("Introductions", "Updated introduction #", "Meeting held"), id="en-390"
    ),
    pytest.param(
        "uk-UA", 1280, ("Знайомства", "Знайомство #", "Зустріч відбулася"), id="uk-desktop"
    ),
    pytest.param("uk-UA", 390, ("Знайомства", "Знайомство #", "Зустріч відбулася"), id="uk-390"),
]


@pytest.mark.parametrize(("locale", "width", "words"), VIEWS)
def test_an_admin_updates_an_outcome(
    chromium: object,  # noqa: F811 - the fixture imported above
    live_server: str,  # noqa: F811
    session: Session,
    tmp_path: Path,
    locale: str,
    width: int,
    words: tuple[str, str, str],
) -> None:
    heading, updated, meeting = words
    create_admin_user(session, *ADMIN, actor="test")
    kruk = make_company(session, name="Крук Дніпро ТОВ", country="UA")
    shells = make_company(session, name="Feldberg Präzision GmbH")
    other = make_company(session, name="Lviv Fuze Works LLC", country="UA")
    office, _key = create_api_client(session, "Berlin export office", "office", actor="test")
    pair = {"company_a_id": shells.id, "company_b_id": kruk.id}
    intro_id = record_introduction(session, pair, actor="test", api_client_id=office.id).id
    closed = {"company_a_id": shells.id, "company_b_id": other.id, "outcome": "declined"}
    record_introduction(session, closed, actor="test")

    context = chromium.new_context(
        viewport={"width": width, "height": 900}, locale=locale, device_scale_factor=0.75
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    page.goto(f"{live_server}/admin/introductions")
    page.wait_for_url("**/admin/login**")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("main form button[type=submit]")
    page.wait_for_url("**/admin/introductions")
    assert heading in page.inner_text("h1")

    # The firm filter takes the company search's spellings: lower-case Cyrillic here.
    page.fill("input[name=firm]", "крук")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/admin/introductions?*")
    items = page.locator("ol.queue > li")
    assert items.count() == 1
    item = page.locator(f"#introduction-{intro_id}")
    assert "Berlin export office" in item.inner_text()

    item.locator("summary").click()
    item.locator("select[name=outcome]").select_option("meeting")
    item.locator("textarea[name=note]").fill("Met at the Kyiv forum; second meeting in May.")
    if locale == "en-GB" and width > 1000:
        Screenshots(tmp_path).take(page, "admin-introductions.png", full_page=True)
    _fits(page, width)
    item.locator("button.primary").click()
    page.wait_for_url("**/admin/introductions?firm=*")
    assert updated in page.inner_text(".flashes")
    item = page.locator(f"#introduction-{intro_id}")
    assert meeting in item.inner_text()
    assert "second meeting in May" in item.inner_text()
    _fits(page, width)

    # The closed introduction offers no form.
    page.goto(f"{live_server}/admin/introductions?outcome=declined")
    assert page.locator("ol.queue > li").count() == 1
    assert page.locator("ol.queue > li form").count() == 0
    assert violations == [], "the page breaks its own Content-Security-Policy"
    context.close()

    session.expire_all()
    saved = session.get(Introduction, intro_id)
    assert saved is not None and saved.outcome == "meeting"


def _fits(page: object, width: int) -> None:
    """Nothing wider than the screen: no sideways scrolling at 390 px."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the {width} px screen"

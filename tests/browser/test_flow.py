"""A firm submits its profile, an admin approves it, the explorer suggests partners for it.

Drives headless Chromium (Debian's /usr/bin/chromium) through Playwright against the app
served by a real server on 127.0.0.1. Skipped when Chromium is absent, unless
MATCHMAKER_REQUIRE_BROWSER=1. With MATCHMAKER_SCREENSHOT_DIR set (e.g. docs/screenshots)
the screenshots of the form, the review queue and the explorer are written there too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.domain.components import COMPONENTS
from matchmaker.extensions import matching
from matchmaker.services.admins import create_admin_user
from matchmaker.services.documents import load_company
from matchmaker.services.edit_links import submit_profile
from matchmaker.services.profiles import create_company
from tests.browser.conftest import Screenshots, watch_csp
from tests.factories import company_payload, edrpou

ADMIN = ("browser-admin@example.org", "a long enough password")
FIRM = "Feldberg Präzision GmbH"

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(app: Flask, session: Session) -> None:
    """An admin and a few approved Ukrainian firms a European shell maker should meet."""
    create_admin_user(session, *ADMIN, actor="test")
    hook = matching.service.embed_changes
    partners = [
        (
            "Pivden Propellant Plant LLC",
            "Nitrocellulose propellants and modular charges for 155 mm artillery, made in Ukraine.",
            ["ammunition_missiles.propellants"],
        ),
        (
            "Kryvbas Energetics JSC",
            "Explosives and energetic materials, TNT and RDX filling for artillery shells.",
            ["ammunition_missiles.energetics"],
        ),
        (
            "Lviv Fuze Works LLC",
            "Mechanical and electronic fuzes for 120 and 155 mm rounds.",
            ["ammunition_missiles.fuzes"],
        ),
    ]
    for number, (name, offers, capabilities) in enumerate(partners):
        payload = company_payload(
            country="UA",
            name=name,
            legal_id=edrpou(7_000_000 + number),
            offers=offers,
            capabilities=capabilities,
            seeking_capabilities=["ammunition_missiles.shells"],
            seeks="A European partner making 155 mm shell bodies, for a joint venture.",
            pathways=["jv_eu", "coproduction_ua"],
        )
        create_company(session, load_company(payload), actor="test", on_change=hook)
    # A second submission of a registered firm waits in the queue, flagged as a duplicate.
    twin = company_payload(
        country="UA",
        name="Kryvbas Energetics PJSC",
        legal_id=edrpou(7_100_000),
        offers="TNT and RDX filling of artillery shells.",
    )
    submit_profile(session, load_company(twin), on_change=hook)


def test_submit_approve_and_explore(
    chromium: object, live_server: str, registry: None, tmp_path: Path
) -> None:
    """The whole path, as a firm and an admin see it."""
    # A 0.75 scale keeps the full-page screenshots of the long form under 500 KB.
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", device_scale_factor=0.75
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    shots = Screenshots(tmp_path)

    # The firm fills in the public form.
    page.goto(f"{live_server}/profile/new")
    page.fill("#name", FIRM)
    page.select_option("#country", "DE")
    page.fill("#legal_id", "DE 314 159 265")
    page.check("input[name=size][value=sme]")
    page.fill("#website", "https://feldberg.example")
    page.fill("#offers", "Forged and machined 155 mm shell bodies to STANAG 4425, 8,000 a month.")
    page.click("#capabilities summary:has-text('Ammunition and missiles')")
    page.check("#capabilities input[value='ammunition_missiles.shells']")
    page.fill("#seeks", "Propellant charges and fuzes from a Ukrainian partner; a joint venture.")
    page.click("#seeking_capabilities summary:has-text('Ammunition and missiles')")
    page.check("#seeking_capabilities input[value='ammunition_missiles.propellants']")
    page.check("#pathways input[value='jv_eu']")
    page.select_option("#certifications-0-scheme", "iso_9001")
    page.fill("#certifications-0-identifier", "Q-3141")
    page.fill("#certifications-0-valid_until", "2029-06-30")
    page.fill("#contact-name", "Jana Feldberg")
    page.fill("#contact-email", "jana@feldberg.example")
    shots.take(page, "profile-form.png", full_page=True)
    page.click("button.primary:has-text('Send for review')")

    page.wait_for_url("**/profile/submitted")
    assert "pending" in page.inner_text("main")
    assert "/profile/edit/" in page.input_value("#edit-link")

    # The admin logs in, finds it in the review queue and approves it.
    page.goto(f"{live_server}/admin/review")
    page.wait_for_url("**/admin/login**")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("button:has-text('Log in')")
    page.wait_for_url("**/admin/review")
    item = page.locator("li.queue-item", has_text=FIRM)
    assert item.count() == 1
    shots.take(page, "review-queue.png")
    item.locator("button:has-text('Approve')").click()
    page.wait_for_url("**/admin/review")
    assert "Approved #" in page.inner_text(".flashes")
    assert page.locator("li.queue-item", has_text=FIRM).count() == 0

    # The explorer shows the new firm's partners, explained.
    page.goto(f"{live_server}/admin/explorer?q=Feldberg")
    page.click(f"a:has-text('{FIRM}')")
    page.wait_for_selector("li.suggestion")
    suggestions = page.locator("li.suggestion")
    assert suggestions.count() >= 2
    first = suggestions.first
    assert "Propellant" in first.inner_text() or "Fuze" in page.inner_text("ol.suggestions")
    rows = first.locator(".components .bar").count() + first.locator("tr.not-applicable").count()
    assert rows == len(COMPONENTS) and first.locator(".components .bar").count() >= 4
    assert first.locator(".reasons li").count() >= 1
    shots.take(page, "match-explorer.png", full_page=True)

    # ... and records an introduction from there.
    first.locator("summary:has-text('Record an introduction')").click()
    first.locator("textarea[name=note]").fill("Introduced at the Kyiv forum.")
    first.locator("button:has-text('Record introduction')").click()
    assert "Recorded introduction #" in page.inner_text(".flashes")
    assert violations == [], "the pages break their own Content-Security-Policy"
    context.close()


def test_the_api_docs_work_under_the_csp(chromium: object, live_server: str) -> None:
    """Swagger UI renders the spec with its operations, and the browser reports no
    Content-Security-Policy violation on the way."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    response = page.goto(f"{live_server}/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Matchmaker API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 5
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body")
    assert violations == []
    context.close()

"""The profile form's details in headless Chromium, in English and Ukrainian, at desktop
width and at 390 px: switching language mid-form keeps the input, a decimal comma and a
website without https:// are accepted, every certificate input shows its label on a
phone, an expired certificate is warned about, and the copy button copies the link (and
is absent without JavaScript).

Uses the shared Chromium, live server and screenshot helpers (tests/browser/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import Company
from tests.browser.conftest import Screenshots, watch_csp

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
OTHER = {"en": "uk", "uk": "en"}
TEXT = {
    "en": {
        "title": "Register your company",
        "expired": "expired on March 31, 2024: partners will not count it.",
        "copy": "Copy",
        "copied": "Copied",
    },
    "uk": {
        "title": "Зареєструвати компанію",
        "expired": "втратив чинність 31 березня 2024\u202fр.: партнери його не враховуватимуть.",
        "copy": "Копіювати",
        "copied": "Скопійовано",
    },
}
FIRM = "Vyshhorod Optics LLC"


def fill_the_form(page: object) -> None:
    """What a firm types before it changes its mind about the language."""
    page.fill("#name", FIRM)
    page.select_option("#country", "UA")
    page.fill("#legal_id", "32855961")
    page.check("input[name=size][value=sme]")
    page.fill("#website", "www.vyshhorod-optics.example")
    page.fill("#offers", "Thermal imaging sights and day/night optics for small arms.")
    page.fill("#seeks", "A European partner for licensed production of lenses.")
    page.select_option("#certifications-0-scheme", "iso_9001")
    page.fill("#certifications-0-identifier", "UA-Q-2024")
    page.fill("#certifications-0-valid_until", "2024-03-31")
    page.fill("#compliance-non_eligible_component_share", "40,5")
    page.fill("#contact-email", "sales@vyshhorod-optics.example")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "390px"])
@pytest.mark.parametrize("start", ["en", "uk"])
def test_the_form_details(
    chromium: object,
    live_server: str,
    session: Session,
    tmp_path: Path,
    start: str,
    viewport: dict[str, int],
) -> None:
    context = chromium.new_context(viewport=viewport, device_scale_factor=0.75)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    shots = Screenshots(tmp_path)
    phone = viewport is PHONE
    switched = OTHER[start]

    page.goto(f"{live_server}/profile/new?lang={start}")
    assert page.locator("h1").inner_text() == TEXT[start]["title"]
    fill_the_form(page)

    # Every certificate input has its own label; on a phone it is shown above the input.
    labels = page.locator("#certifications label.cell-label")
    assert labels.count() == 4
    for index in range(4):
        label = labels.nth(index)
        target = page.locator(f"#{label.get_attribute('for')}")
        assert target.count() == 1
        assert label.is_visible() is phone or label.bounding_box()["width"] <= 1
    assert page.locator("#certifications thead").is_visible() is not phone

    # The other language is a button of the form: the page comes back with the input.
    page.click(f"header .languages button[value={switched}]")
    page.wait_for_selector(f"html[lang={switched}]")
    assert page.locator("h1").inner_text() == TEXT[switched]["title"]
    assert page.input_value("#name") == FIRM
    assert page.input_value("#website") == "www.vyshhorod-optics.example"
    assert page.input_value("#compliance-non_eligible_component_share") == "40,5"
    assert page.input_value("#certifications-0-valid_until") == "2024-03-31"
    assert page.input_value("#certifications-0-scheme") == "iso_9001"
    assert page.locator(".field-error").count() == 0
    assert TEXT[switched]["expired"] in page.inner_text(".expired-certificates")
    if phone and switched == "uk":
        page.evaluate("document.getElementById('certifications').scrollIntoView()")
        page.evaluate("window.scrollBy(0, -120)")
        shots.take(page, "form-390px-uk.png")

    page.click("form#profile-form .actions button.primary")
    page.wait_for_url("**/profile/submitted")
    warning = page.inner_text(".expired-certificates")
    assert TEXT[switched]["expired"] in warning
    if not phone and switched == "en":
        shots.take(page, "expired-certificate-warning.png")

    # With JavaScript the copy button is there and puts the link on the clipboard.
    copy = page.locator("button[data-copy=edit-link]")
    assert copy.is_visible()
    assert copy.inner_text() == TEXT[switched]["copy"]
    copy.click()
    page.wait_for_function(
        "text => document.querySelector('[data-copy=edit-link]').textContent === text",
        arg=TEXT[switched]["copied"],
    )
    link = page.input_value("#edit-link")
    assert "/profile/edit/" in link
    assert page.evaluate("navigator.clipboard.readText()") == link

    session.expire_all()
    stored = session.scalars(select(Company)).one()
    assert stored.website == "https://www.vyshhorod-optics.example"
    assert stored.non_eligible_component_share == 40.5
    assert violations == [], "the pages break their own Content-Security-Policy"
    context.close()


@pytest.mark.parametrize("start", ["en", "uk"])
def test_without_javascript(chromium: object, live_server: str, start: str) -> None:
    """The language switch needs no script; the copy button is not shown at all."""
    context = chromium.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(30_000)
    switched = OTHER[start]
    page.goto(f"{live_server}/profile/new?lang={start}")
    fill_the_form(page)
    page.click(f"header .languages button[value={switched}]")
    page.wait_for_selector(f"html[lang={switched}]")
    assert page.input_value("#name") == FIRM
    assert page.input_value("#compliance-non_eligible_component_share") == "40,5"
    page.click("form#profile-form .actions button.primary")
    page.wait_for_url("**/profile/submitted")
    assert page.locator("button[data-copy=edit-link]").is_hidden()
    assert "/profile/edit/" in page.input_value("#edit-link")
    context.close()

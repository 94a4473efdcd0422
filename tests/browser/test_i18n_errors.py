"""The profile form sent with mistakes, in English and in Ukrainian, on a desktop and on a
390 px phone: each error appears next to its field, in the page's language, and what the
firm typed is still there. Screenshots: docs/screenshots/form-errors-uk*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import Screenshots, watch_csp

pytestmark = pytest.mark.browser

CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
WIDTHS = {"desktop": 1280, "phone": 390}
# The fields this test gets wrong, and a word of the message each must show.
EXPECTED = {
    "en": {
        "name": "registered name",
        "country": "Choose the country",
        "size": "company's size",
        "website": "https://",
        "offers": "Describe what the company offers",
        "contact-email": "name@firm.eu",
        "contact-phone": "phone number",
    },
    "uk": {
        "name": "зареєстровану назву",
        "country": "Виберіть країну",
        "size": "розмір вашої компанії",
        "website": "https://",
        "offers": "Опишіть, що пропонує компанія",
        "contact-email": "name@firm.eu",
        "contact-phone": "номер телефону",
    },
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", EXPECTED)
def test_form_errors_appear_next_to_fields_in_the_pages_language(
    chromium: object, live_server: str, tmp_path: Path, lang: str, width: str
) -> None:
    context = chromium.new_context(
        viewport={"width": WIDTHS[width], "height": 900},
        locale="uk-UA" if lang == "uk" else "en-GB",
        device_scale_factor=0.75 if width == "desktop" else 1,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    page.goto(f"{live_server}/profile/new?lang={lang}")
    page.fill("#legal_id", "DE 314 159 265")
    page.fill("#website", "feldberg")
    page.fill("#seeks", "Propellant charges from a Ukrainian partner.")
    page.fill("#contact-email", "jana(at)feldberg")
    page.fill("#contact-phone", "call me")
    page.locator("button.primary[type=submit]").click()
    page.wait_for_selector(".error-summary")

    assert page.locator("html").get_attribute("lang") == lang
    for field, words in EXPECTED[lang].items():
        error = page.locator(f"#{field}-error")
        assert error.count() == 1, field
        text = error.inner_text()
        assert words in text, (field, text)
        if lang == "uk":
            assert CYRILLIC.search(text), (field, text)
        else:
            assert text.isascii(), (field, text)
        # Next to its field: the message sits in the same field block as the input.
        block = page.locator(f".field:has(#{field}-error)").first
        assert block.locator(f"[name='{field}']").count() >= 1, field
    summary = page.inner_text(".error-summary")
    assert (CYRILLIC.search(summary) is not None) == (lang == "uk")
    # Nothing typed is lost.
    assert page.input_value("#website") == "feldberg"
    assert page.input_value("#contact-phone") == "call me"
    # At 390 px nothing forces sideways scrolling.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px wider than the screen"
    if lang == "uk":
        name = "form-errors-uk.png" if width == "desktop" else "form-errors-uk-390.png"
        if width == "phone":  # the summary fills the screen: show the fields under it
            page.evaluate("document.querySelector('#name').scrollIntoView({block: 'center'})")
        Screenshots(tmp_path).take(page, name)
    assert violations == []
    context.close()

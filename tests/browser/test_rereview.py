"""An approved firm saves its profile through its edit link, in English and Ukrainian, at
desktop and 390 px width: an unchanged save changes nothing, a real change waits for
review while partners keep getting the approved profile, and the review queue shows the
change as a re-review with a diff in words until the admin approves it.

Reuses test_flow's Chromium, live server and screenshot helpers (importing the fixtures
registers them here). The English desktop run writes docs/screenshots/rereview-diff.png
when MATCHMAKER_SCREENSHOT_DIR is set.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.extensions import db, matching
from matchmaker.models import Company
from matchmaker.services.admins import create_admin_user
from matchmaker.services.documents import load_company
from matchmaker.services.edit_links import edit_token
from matchmaker.services.profiles import create_company
from tests.browser.conftest import Screenshots, watch_csp
from tests.browser.test_flow import ADMIN
from tests.factories import company_payload, edrpou

pytestmark = pytest.mark.browser

FIRM = "Kharkiv Propellant Works LLC"
OLD_OFFER = "Nitrocellulose propellants and modular charges for 155 mm artillery."
NEW_OFFER = "Modular charges for 155 mm and 122 mm artillery, 40,000 a month."
# What each language's pages say at each step (from the catalogue, kept literal so a
# missing translation fails here).
WORDS = {
    "en": {
        "unchanged": "Nothing changed",
        "waiting": "Your change is waiting for review",
        "badge": "Re-review",
        "offers": "Offers",
        "approved": "Approved the change of #",
        "approve": "Approve the change",
    },
    "uk": {
        "unchanged": "Нічого не змінилося",
        "waiting": "Ваша зміна очікує на перевірку",
        "badge": "Повторна перевірка",
        "offers": "Пропонує",
        "approved": "Зміну профілю #",
        "approve": "Схвалити зміну",
    },
}
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def firms(app: Flask, session: Session) -> tuple[int, int, str]:
    """An admin, a European shell maker, and the approved Ukrainian firm that edits
    (their ids, and the firm's edit token)."""
    create_admin_user(session, *ADMIN, actor="test")
    hook = matching.service.embed_changes
    shells = create_company(
        session,
        load_company(
            company_payload(
                name="Feldberg Shells GmbH",
                offers="Forged 155 mm shell bodies.",
                seeks="Propellant charges for 155 mm artillery from a Ukrainian partner.",
            )
        ),
        actor="test",
        on_change=hook,
    )
    firm = create_company(
        session,
        load_company(
            company_payload(
                country="UA",
                name=FIRM,
                legal_id=edrpou(7_200_000),
                offers=OLD_OFFER,
                capabilities=["ammunition_missiles.propellants"],
                seeking_capabilities=["ammunition_missiles.shells"],
            )
        ),
        actor="test",
        on_change=hook,
    )
    return shells.id, firm.id, edit_token(firm, app.secret_key)


def suggested(shells_id: int) -> dict[str, str]:
    """Names and offers the shell maker is suggested now, as the matcher holds them."""
    db.session.remove()  # read what the server's requests committed
    return {
        s.company.name: s.company.offers
        for s in matching.service.match_company(db.session, shells_id)
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", WORDS)
def test_an_approved_firm_edits_and_stays_suggested(
    chromium: object,
    live_server: str,
    firms: tuple[int, int, str],
    tmp_path: Path,
    lang: str,
    width: str,
) -> None:
    shells_id, firm_id, token = firms
    words = WORDS[lang]
    context = chromium.new_context(
        viewport={"width": WIDTHS[width], "height": 900},
        locale="uk-UA" if lang == "uk" else "en-GB",
        device_scale_factor=0.75,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations = watch_csp(page)
    shots = Screenshots(tmp_path)
    page.goto(f"{live_server}/?lang={lang}")

    # Saved without a change: nothing happens, and the firm is told so.
    page.goto(f"{live_server}/profile/edit/{token}")
    page.wait_for_url("**/profile/edit")
    version = page.input_value("input[name=version]")
    page.click(".actions button.primary")
    page.wait_for_url("**/profile/submitted?updated=unchanged")
    assert words["unchanged"] in page.inner_text("h1")
    db.session.remove()
    stored = db.session.get(Company, firm_id)
    assert (stored.status, str(stored.version)) == ("approved", version)
    assert suggested(shells_id)[FIRM] == OLD_OFFER

    # A real change waits for review; partners still get the approved profile.
    page.goto(f"{live_server}/profile/edit")
    page.fill("#offers", NEW_OFFER)
    page.check("#pathways input[value='investment']")
    page.click(".actions button.primary")
    page.wait_for_url("**/profile/submitted?updated=waiting")
    assert words["waiting"] in page.inner_text("h1")
    assert suggested(shells_id)[FIRM] == OLD_OFFER
    page.goto(f"{live_server}/profile/edit")
    assert page.locator("#waiting-change").is_visible()
    assert page.input_value("#offers") == NEW_OFFER

    # The admin sees a re-review with the change in words, and approves it.
    page.goto(f"{live_server}/admin/review")
    page.wait_for_url("**/admin/login**")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click(".actions button.primary")
    page.wait_for_url("**/admin/review")
    item = page.locator("li.rereview", has_text=FIRM)
    assert item.count() == 1
    text = item.inner_text()
    assert words["badge"] in text and words["offers"] in text
    assert OLD_OFFER in text and NEW_OFFER in text
    box = item.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTHS[width], "item overflows"
    diff = item.locator("table.rereview-diff").bounding_box()
    assert diff is not None and diff["x"] + diff["width"] <= WIDTHS[width], "diff overflows"
    if (lang, width) == ("en", "desktop"):
        shots.take(page, "rereview-diff.png")
    else:
        item.screenshot(path=str(tmp_path / f"rereview-{lang}-{width}.png"))
    item.locator(f"button:has-text('{words['approve']}')").click()
    page.wait_for_url("**/admin/review")
    assert words["approved"] in page.inner_text(".flashes")
    assert page.locator("li.rereview", has_text=FIRM).count() == 0
    assert suggested(shells_id)[FIRM] == NEW_OFFER
    assert violations == [], "the pages break their own Content-Security-Policy"
    context.close()

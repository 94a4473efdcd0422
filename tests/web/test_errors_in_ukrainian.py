"""What a firm reads when something is wrong is in its language and says what to do:
every field's validation message, the duplicate legal id, the edit-link pages, the
rate limit, the error pages and a database outage (the refused token:
tests/web/test_csrf.py)."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from matchmaker.domain.embedding import Embedder
from matchmaker.services import edit_links
from tests.factories import company_payload, edrpou, loaded_company, no_embedding
from tests.test_database_failures import UNREACHABLE, make_app
from tests.web.form_data import form_data

CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
# A run of three or more English words: an untranslated sentence in a Ukrainian page.
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}")
# Codes and examples a Ukrainian message may quote as they are.
QUOTED = re.compile(r"https?://\S+|\S+@\S+|ISO 3166-1 alpha-2|'[^']*'|[A-Z]{2,}\d*")


def every_field_wrong() -> list[MultiDict[str, str]]:
    """Two submissions that between them get every firm-facing field wrong (the owner's
    country is only checked once the other compliance answers are valid)."""
    first = form_data(
        {
            "name": "",
            "legal_id": "",
            "country": "",
            "size": "",
            "website": "not a website",
            "description": "x" * 5001,
            "offers": "",
            "seeks": "",
            "capabilities": ["laser_swords"],
            "seeking_capabilities": ["time_travel"],
            "pathways": ["teleport"],
            "partner_certifications": ["astrology"],
            "certifications": [
                {"scheme": "made_up", "identifier": "C" * 121, "issuer": "I" * 121},
                {"scheme": "iso_9001"},
                {"scheme": "ncage", "valid_until": "2027-02-30"},
            ],
            "compliance": {
                "non_eligible_component_share": "a lot",
                "export_control": ["nuclear_stuff"],
                "security_clearance": "cosmic",
                "required_clearance": "cosmic",
            },
            "contact": {"name": "N" * 201, "email": "not-an-address", "phone": "call me"},
        }
    )
    second = form_data(
        company_payload(
            name="N" * 201,
            country="US",
            offers="o" * 2001,
            seeks="s" * 2001,
            compliance={"controlling_country": "QQ"},
        )
    )
    third = form_data(company_payload(country="DE", legal_id="DE12"))
    fourth = form_data(company_payload(country="UA", legal_id="1234"))
    valid = edrpou(4_321_000)
    wrong_check_digit = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    fifth = form_data(company_payload(country="UA", legal_id=wrong_check_digit))
    sixth = form_data(company_payload(country="XX"))
    return [first, second, third, fourth, fifth, sixth]


def errors_shown(page: str) -> dict[str, list[str]]:
    """The messages shown next to each field, by input name."""
    shown: dict[str, list[str]] = {}
    for name, text in re.findall(r'<p class="field-error" id="([^"]+)-error">(.*?)</p>', page):
        shown.setdefault(name, []).append(html.unescape(text))
    return shown


def submit(client: FlaskClient, data: MultiDict[str, str], lang: str) -> dict[str, list[str]]:
    response = client.post(f"/profile/new?lang={lang}", data=data)
    assert response.status_code == 422
    return errors_shown(response.get_data(as_text=True))


def assert_ukrainian(text: str, english: str = "") -> None:
    assert CYRILLIC.search(text), f"not Ukrainian: {text!r}"
    assert text != english, f"left in English: {text!r}"
    rest = QUOTED.sub("", text)
    assert not ENGLISH_WORDS.search(rest), f"English words in {text!r}"


def test_every_field_error_is_shown_in_the_forms_language(client: FlaskClient) -> None:
    """Each invalid field gets its own message: English on the English form, Ukrainian
    (no English sentence left) on the Ukrainian one, for the same fields."""
    fields: set[str] = set()
    for data in every_field_wrong():
        english, ukrainian = submit(client, data, "en"), submit(client, data, "uk")
        assert english.keys() == ukrainian.keys()
        for name, messages in english.items():
            assert all(message.isascii() for message in messages), messages
            assert len(ukrainian[name]) == len(messages)
            for uk, en in zip(ukrainian[name], messages, strict=True):
                assert_ukrainian(uk, en)
        fields |= english.keys()
    firm_fields = {
        "name",
        "legal_id",
        "country",
        "size",
        "website",
        "description",
        "offers",
        "seeks",
        "capabilities",
        "seeking_capabilities",
        "pathways",
        "partner_certifications",
        "certifications-0-scheme",
        "certifications-0-identifier",
        "certifications-0-issuer",
        "certifications-1-valid_until",
        "certifications-2-valid_until",
        "compliance-controlling_country",
        "compliance-non_eligible_component_share",
        "compliance-export_control",
        "compliance-security_clearance",
        "compliance-required_clearance",
        "contact-name",
        "contact-email",
        "contact-phone",
    }
    assert firm_fields <= fields, firm_fields - fields


def test_messages_say_what_to_do(client: FlaskClient) -> None:
    """Not marshmallow's generic sentences but the field's own instruction."""
    shown = submit(client, every_field_wrong()[0], "en")
    assert shown["name"] == ["Enter your company's registered name."]
    assert shown["size"] == ["Choose your company's size."]
    assert shown["contact-email"] == ["Enter a valid e-mail address, e.g. name@firm.eu."]
    assert shown["country"] == ["Choose the country where your company is registered."]
    generic = ("Length must be", "Must be one of", "Not a valid", "Unknown country code ''")
    assert not [m for ms in shown.values() for m in ms if m.startswith(generic)]
    not_eligible = submit(client, every_field_wrong()[1], "uk")["country"][0]
    assert not_eligible.startswith("США не відповідає умовам"), not_eligible


def test_a_duplicate_legal_id_is_explained_in_ukrainian(client: FlaskClient) -> None:
    payload = company_payload(country="UA")
    assert client.post("/profile/new", data=form_data(payload)).status_code == 302
    again = client.post("/profile/new?lang=uk", data=form_data(payload | {"name": "Інша"}))
    assert again.status_code == 422
    (message,) = errors_shown(again.get_data(as_text=True))["legal_id"]
    assert "уже зареєстровано" in message and "посиланням для редагування" in message
    assert_ukrainian(message)


def page_message(page: str) -> str:
    match = re.search(r'<section class="error card">.*?<p>(.*?)</p>', page, re.S)
    assert match, page
    return html.unescape(match.group(1))


def test_edit_link_pages_are_in_ukrainian(
    client: FlaskClient, session: Session, monkeypatch: pytest.MonkeyPatch, app: Flask
) -> None:
    """A cut-short link and an expired one: what happened and what to do, in Ukrainian."""
    company = edit_links.submit_profile(session, loaded_company(), on_change=no_embedding)
    token = edit_links.edit_token(company, app.secret_key)
    client.get("/?lang=uk")
    cut = client.get(f"/profile/edit/{token[:-4]}")
    assert cut.status_code == 404
    assert "недійсне" in page_message(cut.get_data(as_text=True))
    later = time.time() + app.config["EDIT_LINK_MAX_AGE_DAYS"] * 86400 + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    # Days later the session (signed with the same clock) has lapsed too: the browser's
    # language decides.
    ukrainian_browser = {"Accept-Language": "uk-UA,uk;q=0.9"}
    expired = client.get(f"/profile/edit/{token}", headers=ukrainian_browser)
    assert expired.status_code == 410
    message = page_message(expired.get_data(as_text=True))
    assert "минув" in message and "нове посилання" in message
    assert_ukrainian(message)
    ended = client.get("/profile/edit", headers=ukrainian_browser)
    assert ended.status_code == 403
    assert_ukrainian(page_message(ended.get_data(as_text=True)))


def test_error_pages_are_in_the_pages_language(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """404, 413, 429 and 500 pages tell a firm what to do, in Ukrainian when it chose it."""
    client.get("/?lang=uk")
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Такої сторінки немає" in page_message(missing.get_data(as_text=True))

    too_big = client.post("/profile/new", data={"description": "x" * (3 * 1024 * 1024)})
    assert too_big.status_code == 413
    assert_ukrainian(page_message(too_big.get_data(as_text=True)))

    for _ in range(20):  # adding a certificate row counts as a submission too
        client.post("/profile/new", data={"action": "add-certificate"})
    limited = client.post("/profile/new", data={"action": "add-certificate"})
    assert limited.status_code == 429
    assert "Забагато спроб" in page_message(limited.get_data(as_text=True))

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(edit_links, "submit_profile", broken)
    monkeypatch.setattr("matchmaker.web.pages.limiter.enabled", False)
    failed = client.post("/profile/new", data=form_data(company_payload()))
    assert failed.status_code == 500
    assert "з нашого боку" in page_message(failed.get_data(as_text=True))


def test_a_database_outage_is_explained_in_ukrainian(tmp_path: Path, embedder: Embedder) -> None:
    """The 503 page says nothing was written and when to retry, in the browser's language."""
    app = make_app(UNREACHABLE["sqlite"], tmp_path, embedder, connect_retry_seconds=0.3)
    page = app.test_client().get("/", headers={"Accept-Language": "uk"})
    assert page.status_code == 503 and page.headers["Retry-After"]
    message = page_message(page.get_data(as_text=True))
    assert "нічого не збережено" in message
    assert_ukrainian(message)

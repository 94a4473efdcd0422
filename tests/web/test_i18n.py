"""English and Ukrainian: chosen by the browser, switchable, remembered for the session;
the API's language chosen per request."""

from __future__ import annotations

from flask import session
from flask.testing import FlaskClient
from flask_babel import get_locale

from matchmaker.web.i18n import SESSION_KEY


def test_the_browser_language_is_used(client: FlaskClient) -> None:
    """Accept-Language: uk gives the Ukrainian interface."""
    page = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert '<html lang="uk">' in text
    assert "Зареєструвати компанію" in text


def test_english_is_the_fallback(client: FlaskClient) -> None:
    """A browser asking for a language we lack gets English."""
    text = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Register your company" in text


def test_the_switch_is_remembered(client: FlaskClient) -> None:
    """?lang=uk switches and sticks for the following pages, ahead of the browser's choice."""
    assert "Ваша компанія" in client.get("/profile/new?lang=uk").get_data(as_text=True)
    english_browser = {"Accept-Language": "en"}
    assert "Ваша компанія" in client.get("/profile/new", headers=english_browser).get_data(
        as_text=True
    )
    assert "Your company" in client.get("/profile/new?lang=en").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client: FlaskClient) -> None:
    """?lang=xx changes nothing."""
    assert '<html lang="en">' in client.get("/?lang=xx").get_data(as_text=True)


def test_the_switcher_links_to_the_same_page(client: FlaskClient) -> None:
    """The header offers the current page in the other language, keeping its query."""
    text = client.get("/?x=1").get_data(as_text=True)
    assert 'href="/?x=1&amp;lang=uk"' in text


def test_taxonomy_labels_are_translated_too(client: FlaskClient) -> None:
    """Capability areas, pathways and countries appear in Ukrainian on the form."""
    text = client.get("/profile/new?lang=uk").get_data(as_text=True)
    assert "Боєприпаси та ракети" in text
    assert "Спільні дослідження, випробування та розробки" in text
    assert "Німеччина" in text


def test_the_api_takes_the_language_of_each_request(client: FlaskClient) -> None:
    """Under /api/: ?lang= else Accept-Language else English, and nothing is remembered."""
    cases = [
        ("/api/v1/taxonomy?lang=uk", {"Accept-Language": "en"}, "uk"),
        ("/api/v1/taxonomy", {"Accept-Language": "uk-UA,uk;q=0.9"}, "uk"),
        ("/api/v1/taxonomy?lang=xx", {"Accept-Language": "uk"}, "uk"),
        ("/api/v1/taxonomy", {"Accept-Language": "fr-FR"}, "en"),
        ("/api/v1/taxonomy", {}, "en"),
    ]
    for url, headers, expected in cases:
        with client:
            response = client.get(url, headers=headers)
            assert str(get_locale()) == expected, url
            assert SESSION_KEY not in session
        assert "Set-Cookie" not in response.headers
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_the_api_ignores_the_pages_remembered_language(client: FlaskClient) -> None:
    """A browser that chose Ukrainian pages still gets the API in the language it asks for."""
    client.get("/?lang=uk")
    with client:
        client.get("/api/v1/taxonomy", headers={"Accept-Language": "en"})
        assert str(get_locale()) == "en"
    assert '<html lang="uk">' in client.get("/").get_data(as_text=True)

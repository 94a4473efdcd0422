"""Interface language: English or Ukrainian, from the browser, switchable and remembered.

The order: a `?lang=` the person chose (kept in the session), else the best of the
browser's Accept-Language among LANGUAGES, else the default. The API (paths under
/api/) is stateless: each request's own `?lang=`, else its Accept-Language, else the
default, and nothing is kept in the session. Taxonomy labels live in
the domain as plain English; `extract_taxonomy` hands them to `pybabel extract` so
they are translated in the same catalogue as the templates (see babel.cfg).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import urlencode

from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, gettext, refresh
from werkzeug.datastructures import MultiDict

SESSION_KEY = "lang"
# The form field of the language buttons inside a form: they post what was typed, so
# switching language mid-form loses nothing (and works without JavaScript).
SWITCH_FIELD = "switch_language"
API_PREFIX = "/api/"
LANGUAGE_NAMES = {"en": "English", "uk": "Українська"}


def select_locale() -> str:
    """Flask-Babel's locale selector (outside a request, e.g. in a CLI command: the default)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # An API client states its language on every call; a browser session that also
    # calls the API must not change what the API answers (or the other way round).
    chosen: str | None = request.args.get("lang") if _is_api() else session.get(SESSION_KEY)
    if chosen is not None and chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def remember_choice() -> None:
    """Before each page request: a `?lang=` among LANGUAGES becomes the session's language
    (not for the API, which keeps no session state)."""
    wanted = request.args.get("lang")
    if wanted in current_app.config["LANGUAGES"] and not _is_api():
        session[SESSION_KEY] = wanted


def switch_from_form(form: MultiDict[str, str]) -> bool:
    """Whether this POST asked to show its form again in another language; if so, that
    language is now the session's and this request's. Called from the view, so the
    request has passed the CSRF check first."""
    wanted = form.get(SWITCH_FIELD)
    if wanted not in current_app.config["LANGUAGES"]:
        return False
    session[SESSION_KEY] = wanted
    refresh()  # Flask-Babel chose this request's locale already
    return True


def _is_api() -> bool:
    return request.path.startswith(API_PREFIX)


def language_links() -> list[dict[str, Any]]:
    """Links to this same page in each language, for the switcher in the header."""
    current = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    links = []
    for code in current_app.config["LANGUAGES"]:
        args = request.args.copy()
        args["lang"] = code
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": f"{request.path}?{urlencode(list(args.items(multi=True)))}",
                "current": code == current,
            }
        )
    return links


def translate(text: str | None) -> str:
    """Jinja filter `t`: translate a trusted label (returns a plain str, so it is escaped)."""
    return gettext(text) if text else ""


def extract_taxonomy(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extractor: every label of the domain taxonomy, as messages to translate."""
    from matchmaker.domain import taxonomy

    labels: list[str] = list(taxonomy.SIZES.values()) + list(taxonomy.PATHWAYS.values())
    for area in taxonomy.CAPABILITY_AREAS.values():
        labels += [area.label, *area.subcapabilities.values()]
    labels += [scheme.label for scheme in taxonomy.CERTIFICATION_SCHEMES.values()]
    labels += list(taxonomy.EXPORT_CONTROL_CATEGORIES.values())
    labels += list(taxonomy.COUNTRY_NAMES.values())
    labels += list(taxonomy.OTHER_KNOWN_COUNTRIES.values())
    for label in dict.fromkeys(labels):
        yield 0, "gettext", label, ["taxonomy label"]

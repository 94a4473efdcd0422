"""Jinja filters that turn stored codes and times into words for people, in their language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask import Flask
from flask_babel import format_datetime, gettext

from matchmaker.domain import taxonomy
from matchmaker.web.i18n import translate

if TYPE_CHECKING:
    from matchmaker.domain.explanations import Explanation

KNOWN_COUNTRIES = {**taxonomy.COUNTRY_NAMES, **taxonomy.OTHER_KNOWN_COUNTRIES}


# Each label helper takes the gettext to use: explanations pass the one of their
# request's translations (`explaining.render_list`), templates use Flask-Babel's.
Translate = Callable[[str], str]


def country_name(code: str | None, translate: Translate = gettext) -> str:
    return translate(KNOWN_COUNTRIES[code]) if code in KNOWN_COUNTRIES else (code or "")


def capability_label(code: str, translate: Translate = gettext) -> str:
    try:
        return translate(taxonomy.capability_label(code))
    except KeyError:
        return code


def pathway_label(code: str, translate: Translate = gettext) -> str:
    return translate(taxonomy.PATHWAYS[code]) if code in taxonomy.PATHWAYS else code


def scheme_label(code: str, translate: Translate = gettext) -> str:
    scheme = taxonomy.CERTIFICATION_SCHEMES.get(code)
    return translate(scheme.label) if scheme else code


def size_label(code: str) -> str:
    return gettext(taxonomy.SIZES[code]) if code in taxonomy.SIZES else code


def datetime_short(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite gives naive UTC
        moment = moment.replace(tzinfo=UTC)
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


def explanation(value: Explanation | str) -> str:
    """A reason or warning in the viewer's language (plain str, so Jinja escapes firm names).

    A str passes through: explanations that are still English sentences keep showing."""
    # Imported here: explaining uses this module's label helpers.
    from matchmaker.explaining import render

    return value if isinstance(value, str) else render(value)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        t=translate,
        country_name=country_name,
        capability_label=capability_label,
        pathway_label=pathway_label,
        scheme_label=scheme_label,
        size_label=size_label,
        datetime_short=datetime_short,
        explanation=explanation,
    )

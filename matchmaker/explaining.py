"""Reasons and warnings in the viewer's language: one translatable template per code.

The domain emits `Explanation(code, params)` (see `matchmaker.domain.explanations`);
this module words them with gettext, so the web pages, the admin explorer and the API
all say the same thing in English or Ukrainian. Templates use `%(name)s` placeholders:
Babel flags them `python-format`, and `pybabel compile` then refuses a translation
that drops or renames a placeholder.

Parameters arrive as codes; here they become words: firm names stay as given (the
ad-hoc request's pseudo-firm `REQUEST_NAME` is translated), capability, scheme,
pathway and country codes become their translated labels, clearance levels their
NATO marking, fits a percentage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale, get_translations, gettext

from matchmaker.domain.explanations import REQUEST_NAME, Explanation
from matchmaker.web.filters import (
    Translate,
    capability_label,
    country_name,
    pathway_label,
    scheme_label,
)


def N_(message: str) -> str:  # the name Babel's extractor knows by default
    """Mark a string for extraction without translating it yet (translated at render)."""
    return message


# The English of each template is today's wording, so English output is unchanged.
TEMPLATES: Mapping[str, str] = {
    # semantic
    "text_fit": N_("What %(seeker)s seeks matches what %(offerer)s offers (%(fit)s)"),
    "profiles_alike": N_("%(firm)s and %(other)s describe similar work (%(fit)s alike)"),
    "shared_terms": N_("%(firm)s and %(other)s both name %(terms)s"),
    "shared_terms_across": N_(
        "%(firm)s and %(other)s name the same things in two languages: %(terms)s"
    ),
    "languages_differ": N_(
        "%(firm)s and %(other)s write in different languages: their words are compared "
        "through a glossary of the field's terms only"
    ),
    "model_language": N_(
        "The text model reads English only: it reads the text of %(firm)s through the "
        "English of a glossary of the field's terms"
    ),
    "no_text": N_(
        "No text to compare between %(firm)s and %(other)s: ranked on capabilities and rules only"
    ),
    "one_sided_text_fit": N_("One-sided fit: what %(offerer)s seeks is not what %(seeker)s offers"),
    # capability
    "capability_offered": N_("%(seeker)s seeks %(sought)s; %(offerer)s offers it"),
    "capability_covered": N_("%(seeker)s seeks %(sought)s; %(offerer)s offers %(offered)s"),
    "capability_complementary": N_(
        "%(seeker)s seeks %(sought)s; %(offerer)s offers %(offered)s, which complements it"
    ),
    "capability_same_area": N_(
        "%(seeker)s seeks %(sought)s; %(offerer)s offers %(offered)s, in the same area"
    ),
    # certification
    "cert_held": N_("%(firm)s holds %(scheme)s"),
    "cert_held_until": N_("%(firm)s holds %(scheme)s valid to %(date)s"),
    "cert_expired": N_("%(firm)s's %(scheme)s expired %(date)s"),
    "cert_missing": N_("%(firm)s does not hold %(scheme)s, which %(asker)s asks partners to hold"),
    # regulatory
    "pathway_shared": N_("Both want: %(pathway)s"),
    "pathway_compatible": N_(
        "%(firm)s wants %(pathway)s; %(other)s wants the compatible %(other_pathway)s"
    ),
    "pathway_none": N_("No cooperation pathway in common between %(firm)s and %(other)s"),
    "safe_eligible": N_(
        "%(firm)s is SAFE/EDIP-eligible (established in %(country)s, "
        "at most %(limit)s %% non-eligible components)"
    ),
    "safe_not_established": N_("%(firm)s is not SAFE/EDIP-eligible: established in %(country)s"),
    "safe_foreign_control": N_("%(firm)s is not SAFE/EDIP-eligible: controlled from %(country)s"),
    "safe_component_share": N_(
        "%(firm)s is not SAFE/EDIP-eligible: over %(limit)s %% of component cost "
        "from outside EU/EEA/Ukraine"
    ),
    "safe_conditional": N_(
        "%(firm)s can join SAFE procurements only under further conditions "
        "(%(country)s is a SAFE partner country)"
    ),
    "safe_undeclared": N_(
        "%(firm)s has not declared its share of component cost from outside "
        "EU/EEA/Ukraine (SAFE/EDIP %(limit)s %% rule)"
    ),
    "export_licence": N_("Export licence needed for %(firm)s's items: %(categories)s"),
    "itar_content": N_(
        "%(firm)s's products contain US ITAR-controlled content, which restricts re-export"
    ),
    "clearance_gap": N_(
        "Security clearance gap: %(holder)s does not hold the %(level)s clearance "
        "%(needer)s requires"
    ),
    # office wordings (matchmaker.domain.redaction): the consequence, no compliance detail
    "licence_needed": N_("Export licence needed for %(firm)s's items"),
    "safe_not_eligible": N_("%(firm)s is not SAFE/EDIP-eligible"),
    "safe_partner_conditions": N_(
        "%(firm)s can join SAFE procurements only under further conditions"
    ),
    "clearance_needed": N_(
        "Security clearance gap: %(holder)s does not hold the clearance %(needer)s requires"
    ),
}

# Extracted here because the domain must not import gettext; equal to REQUEST_NAME
# (a test checks), translated wherever a firm name is expected.
REQUEST_LABEL = N_("the request")
# Said of a firm that declared no controlling country (safe_foreign_control).
UNDECLARED_COUNTRY = N_("an undeclared country")

_OPENING = re.compile(r"%\((\w+)\)s")
FIRM_PARAMS = frozenset({"seeker", "offerer", "firm", "asker", "holder", "needer", "other"})


def _firm(name: str, translate: Translate) -> str:
    return translate(REQUEST_LABEL) if name == REQUEST_NAME else name


def _country(code: str | None, translate: Translate) -> str:
    return translate(UNDECLARED_COUNTRY) if code is None else country_name(code, translate)


def _level(code: str) -> str:
    # NATO classification markings are official names, written in capitals and in
    # English in Ukrainian documents too, so they are not translated.
    return code.replace("_", " ").upper()


def _limit(value: float) -> str:
    # `:g` as the English wording always had ("35", "12.5"), with the locale's
    # decimal sign so Ukrainian reads "12,5".
    text = f"{value:g}"
    return text.replace(".", get_decimal_symbol(get_locale() or "en"))


def _date(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _categories(codes: Iterable[str]) -> str:
    # Export-control category codes (ML8, DU9) are legal identifiers, shown as they are.
    return ", ".join(codes)


# Parameters that become translated labels, then the ones worded without translation.
_LABELS: Mapping[str, Callable[[Any, Translate], str]] = {
    "sought": capability_label,
    "offered": capability_label,
    "scheme": scheme_label,
    "pathway": pathway_label,
    "other_pathway": pathway_label,
    "country": _country,
}
_WORDS: Mapping[str, Callable[[Any], str]] = {
    "level": _level,
    "limit": _limit,
    "date": _date,
    "categories": _categories,
    "terms": lambda terms: ", ".join(terms),
    # Python's `.0%` as the English wording always had; CLDR writes "62%" in uk too.
    "fit": lambda fit: f"{fit:.0%}",
}


def _word(name: str, value: Any, translate: Translate) -> str:
    if name in FIRM_PARAMS:
        return _firm(value, translate)
    label = _LABELS.get(name)
    if label is not None:
        return label(value, translate)
    return str(_WORDS[name](value))


def render(explanation: Explanation, translate: Translate = gettext) -> str:
    """The sentence for one explanation in the current locale (plain text, not markup);
    `translate`: gettext for that locale (see `render_list`)."""
    template = translate(TEMPLATES[explanation.code])
    params = explanation.params
    text = template % {name: _word(name, value, translate) for name, value in params.items()}
    # Upper-case "the request" when it opens the sentence; a firm's own name is left
    # as the firm spells it (e.g. "iRobot").
    opening = _OPENING.match(template)
    if opening and opening[1] in FIRM_PARAMS and params.get(opening[1]) == REQUEST_NAME:
        text = text[:1].upper() + text[1:]
    return text


def json_safe(value: Any) -> Any:
    """Explanation parameters as JSON values: dates as ISO strings, mappings and
    sequences element by element (the API and the consortium wording share it)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return value


def render_list(explanations: Iterable[Explanation]) -> list[dict[str, Any]]:
    """For the API: each explanation as `{"code", "params", "text"}`, text in the current
    locale and params JSON-safe (dates ISO, sequences lists), so clients can read either.

    The request's translations are looked up once for the whole list: Flask-Babel's
    `gettext` finds them again through its context proxies on every call (12 us against
    0.2 us here), and an answer of 10 explained suggestions makes about 200 calls."""
    translate = get_translations().ugettext
    return [
        {
            "code": e.code,
            "params": {name: json_safe(value) for name, value in e.params.items()},
            "text": render(e, translate),
        }
        for e in explanations
    ]

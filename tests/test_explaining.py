"""Explanations rendered in English and Ukrainian: a template and a translation per code."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import read_mo
from flask import Flask, render_template_string
from flask_babel import Babel, force_locale

import matchmaker
from matchmaker import explaining
from matchmaker.domain.explanations import CODES, REQUEST_NAME, Explanation
from matchmaker.explaining import TEMPLATES, render, render_list
from matchmaker.web import filters

TRANSLATIONS = Path(matchmaker.__file__).parent / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# One sample per code, with the English it must read as (today's wording). A new code
# fails here until it has a sample, a template and a translation.
SAMPLES: dict[str, tuple[dict[str, Any], str]] = {
    "text_fit": (
        {"seeker": "Acme", "offerer": "Bravo", "fit": 0.62},
        "What Acme seeks matches what Bravo offers (62%)",
    ),
    "profiles_alike": (
        {"firm": "Acme", "other": "Bravo", "fit": 0.7},
        "Acme and Bravo describe similar work (70% alike)",
    ),
    "shared_terms": (
        {"firm": "Acme", "other": "Bravo", "terms": ["FPV", "155-mm"]},
        "Acme and Bravo both name FPV, 155-mm",
    ),
    "shared_terms_across": (
        {"firm": "Acme", "other": "Bravo", "terms": ["shells (снарядів)", "155-mm"]},
        "Acme and Bravo name the same things in two languages: shells (снарядів), 155-mm",
    ),
    "languages_differ": (
        {"firm": "Acme", "other": "Bravo"},
        "Acme and Bravo write in different languages: their words are compared through "
        "a glossary of the field's terms only",
    ),
    "model_language": (
        {"firm": "Acme"},
        "The text model reads English only: it reads the text of Acme through the "
        "English of a glossary of the field's terms",
    ),
    "no_text": (
        {"firm": "Acme", "other": "Bravo"},
        "No text to compare between Acme and Bravo: ranked on capabilities and rules only",
    ),
    "one_sided_text_fit": (
        {"seeker": "Acme", "offerer": "Bravo"},
        "One-sided fit: what Bravo seeks is not what Acme offers",
    ),
    "capability_offered": (
        {"seeker": "Acme", "offerer": "Bravo", "sought": "air_missile_defence.radars"},
        "Acme seeks Air-surveillance and fire-control radars; Bravo offers it",
    ),
    "capability_covered": (
        {
            "seeker": "Acme",
            "offerer": "Bravo",
            "sought": "air_missile_defence",
            "offered": "air_missile_defence.radars",
        },
        "Acme seeks Air and missile defence; Bravo offers Air-surveillance and fire-control radars",
    ),
    "capability_complementary": (
        {
            "seeker": "Acme",
            "offerer": "Bravo",
            "sought": "air_missile_defence.radars",
            "offered": "air_missile_defence.launchers",
        },
        "Acme seeks Air-surveillance and fire-control radars; Bravo offers Launchers and "
        "fire units, which complements it",
    ),
    "capability_same_area": (
        {
            "seeker": "Acme",
            "offerer": "Bravo",
            "sought": "air_missile_defence.radars",
            "offered": "air_missile_defence.interceptor_missiles",
        },
        "Acme seeks Air-surveillance and fire-control radars; Bravo offers Interceptor "
        "missiles, in the same area",
    ),
    "cert_held": (
        {"firm": "Bravo", "scheme": "iso_9001"},
        "Bravo holds ISO 9001 quality management",
    ),
    "cert_held_until": (
        {"firm": "Bravo", "scheme": "iso_9001", "date": "2027-03-31"},
        "Bravo holds ISO 9001 quality management valid to 2027-03-31",
    ),
    "cert_expired": (
        {"firm": "Bravo", "scheme": "iso_9001", "date": date(2025, 3, 31)},
        "Bravo's ISO 9001 quality management expired 2025-03-31",
    ),
    "cert_missing": (
        {"firm": "Bravo", "scheme": "aqap_2110", "asker": "Acme"},
        "Bravo does not hold NATO AQAP 2110 (design, development, production), which Acme "
        "asks partners to hold",
    ),
    "pathway_shared": (
        {"pathway": "rnd"},
        "Both want: Joint research, testing and development",
    ),
    "pathway_compatible": (
        {"firm": "Acme", "pathway": "licensing", "other": "Bravo", "other_pathway": "jv_eu"},
        "Acme wants Licensing: a European firm licenses a Ukrainian design, or the reverse; "
        "Bravo wants the compatible Joint venture or joint production on EU / NATO-European soil",
    ),
    "pathway_none": (
        {"firm": "Acme", "other": "Bravo"},
        "No cooperation pathway in common between Acme and Bravo",
    ),
    "safe_eligible": (
        {"firm": "Bravo", "country": "DE", "limit": 35.0},
        "Bravo is SAFE/EDIP-eligible (established in Germany, at most 35 % non-eligible "
        "components)",
    ),
    "safe_not_established": (
        {"firm": "Bravo", "country": "US"},
        "Bravo is not SAFE/EDIP-eligible: established in United States",
    ),
    "safe_foreign_control": (
        {"firm": "Bravo", "country": "CN"},
        "Bravo is not SAFE/EDIP-eligible: controlled from China",
    ),
    "safe_component_share": (
        {"firm": "Bravo", "limit": 35.0},
        "Bravo is not SAFE/EDIP-eligible: over 35 % of component cost from outside EU/EEA/Ukraine",
    ),
    "safe_conditional": (
        {"firm": "Bravo", "country": "GB"},
        "Bravo can join SAFE procurements only under further conditions (United Kingdom is "
        "a SAFE partner country)",
    ),
    "safe_undeclared": (
        {"firm": "Bravo", "limit": 35.0},
        "Bravo has not declared its share of component cost from outside EU/EEA/Ukraine "
        "(SAFE/EDIP 35 % rule)",
    ),
    "export_licence": (
        {"firm": "Bravo", "categories": ("ML8", "DU9")},
        "Export licence needed for Bravo's items: ML8, DU9",
    ),
    "itar_content": (
        {"firm": "Bravo"},
        "Bravo's products contain US ITAR-controlled content, which restricts re-export",
    ),
    "clearance_gap": (
        {"holder": "Bravo", "needer": "Acme", "level": "nato_secret"},
        "Security clearance gap: Bravo does not hold the NATO SECRET clearance Acme requires",
    ),
    "licence_needed": ({"firm": "Bravo"}, "Export licence needed for Bravo's items"),
    "safe_not_eligible": ({"firm": "Bravo"}, "Bravo is not SAFE/EDIP-eligible"),
    "safe_partner_conditions": (
        {"firm": "Bravo"},
        "Bravo can join SAFE procurements only under further conditions",
    ),
    "clearance_needed": (
        {"holder": "Bravo", "needer": "Acme"},
        "Security clearance gap: Bravo does not hold the clearance Acme requires",
    ),
}


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    """A bare app with the real catalogue: rendering needs a locale, not a database."""
    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app)
    filters.register(app)
    with app.test_request_context():
        yield app


def in_(locale: str, explanation: Explanation) -> str:
    with force_locale(locale):
        return render(explanation)


def test_every_code_has_a_template_with_its_parameters() -> None:
    assert set(TEMPLATES) == set(CODES)
    for code, template in TEMPLATES.items():
        assert set(PLACEHOLDER.findall(template)) == set(CODES[code]), code


def test_every_template_is_translated_in_the_compiled_catalogue() -> None:
    """Non-empty Ukrainian, with the same placeholders, for each template and phrase."""
    with open(TRANSLATIONS / "uk" / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        compiled = read_mo(mo)
    phrases = [*TEMPLATES.values(), explaining.REQUEST_LABEL, explaining.UNDECLARED_COUNTRY]
    for msgid in phrases:
        message = compiled.get(msgid)
        assert message is not None and message.string, f"no Ukrainian for {msgid!r}"
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(msgid))


def test_the_request_label_is_the_domains_name() -> None:
    assert explaining.REQUEST_LABEL == REQUEST_NAME


def test_every_code_has_a_sample() -> None:
    assert set(SAMPLES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_english_keeps_todays_wording_and_ukrainian_differs(app: Flask, code: str) -> None:
    params, english = SAMPLES[code]
    explanation = Explanation(code, params)
    assert in_("en", explanation) == english
    ukrainian = in_("uk", explanation)
    assert ukrainian and ukrainian != english
    assert "%(" not in ukrainian


def test_labels_are_translated(app: Flask) -> None:
    """Capability, scheme, pathway and country codes become Ukrainian labels."""
    texts = {code: in_("uk", Explanation(code, SAMPLES[code][0])) for code in CODES}
    assert "«Радари огляду повітряного простору та керування вогнем»" in texts["capability_offered"]
    assert "ISO 9001 — управління якістю" in texts["cert_held"]
    assert "Спільні дослідження, випробування та розробки" in texts["pathway_shared"]
    assert "Німеччина" in texts["safe_eligible"]
    assert "NATO SECRET" in texts["clearance_gap"]  # an official marking, kept as is


def test_the_request_is_translated_and_opens_a_sentence_in_capitals(app: Flask) -> None:
    explanation = Explanation(
        "capability_offered",
        {"seeker": REQUEST_NAME, "offerer": "Bravo", "sought": "air_missile_defence"},
    )
    assert in_("en", explanation) == "The request seeks Air and missile defence; Bravo offers it"
    assert in_("uk", explanation).startswith("Запит шукає «Протиповітряна")
    missing = Explanation(
        "cert_missing", {"firm": "Bravo", "scheme": "iso_9001", "asker": REQUEST_NAME}
    )
    assert "хоча запит вимагає" in in_("uk", missing)


def test_a_firm_name_keeps_its_own_spelling(app: Flask) -> None:
    explanation = Explanation("itar_content", {"firm": "iRobot"})
    assert in_("en", explanation).startswith("iRobot's products")


def test_an_undeclared_controlling_country(app: Flask) -> None:
    explanation = Explanation("safe_foreign_control", {"firm": "Bravo", "country": None})
    assert in_("en", explanation).endswith("controlled from an undeclared country")
    assert in_("uk", explanation).endswith("країна контролю — не вказана")


def test_a_fractional_limit_uses_the_locales_decimal_sign(app: Flask) -> None:
    explanation = Explanation("safe_component_share", {"firm": "Bravo", "limit": 12.5})
    assert "over 12.5 %" in in_("en", explanation)
    assert "понад 12,5 %" in in_("uk", explanation)


def test_render_list_gives_code_params_and_text_as_json(app: Flask) -> None:
    explanations = [
        Explanation(code, SAMPLES[code][0]) for code in ("cert_expired", "export_licence")
    ]
    with force_locale("uk"):
        rendered = render_list(explanations)
    assert [r["code"] for r in rendered] == ["cert_expired", "export_licence"]
    assert rendered[0]["params"] == {"firm": "Bravo", "scheme": "iso_9001", "date": "2025-03-31"}
    assert rendered[1]["params"]["categories"] == ["ML8", "DU9"]
    assert rendered[1]["text"] == "Потрібна експортна ліцензія на вироби Bravo: ML8, DU9"
    json.dumps(rendered)


@pytest.mark.parametrize("locale", ["en", "uk"])
def test_render_list_words_every_code_as_rendering_one_at_a_time(app: Flask, locale: str) -> None:
    """The list looks the translations up once; every sentence, labels and the request's
    name included, is still the one Flask-Babel's gettext gives."""
    explanations = [Explanation(code, params) for code, (params, _) in sorted(SAMPLES.items())]
    explanations.append(
        Explanation(
            "capability_offered",
            {"seeker": REQUEST_NAME, "offerer": "Bravo", "sought": "air_missile_defence"},
        )
    )
    with force_locale(locale):
        texts = [r["text"] for r in render_list(explanations)]
    assert texts == [in_(locale, e) for e in explanations]


def test_the_jinja_filter_renders_and_escapes(app: Flask) -> None:
    explanation = Explanation("itar_content", {"firm": "<b>Bravo</b>"})
    with force_locale("uk"):
        html = render_template_string("{{ e|explanation }}", e=explanation)
    assert html.startswith("Вироби &lt;b&gt;Bravo&lt;/b&gt; містять")
    # Sentences the domain still emits as English strings pass through unchanged.
    assert render_template_string("{{ e|explanation }}", e="Plain & old") == "Plain &amp; old"

"""One catalogue, complete: every message the source marks is in the Ukrainian .po,
translated and not fuzzy, with the same placeholders, and the committed .mo is compiled
from exactly this .po. Each test lists the offending strings."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "matchmaker" / "translations" / "uk" / "LC_MESSAGES"
# The keywords of the extract command in docs/web.md (Babel's defaults include N_).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _key(message_id: object) -> object:
    return tuple(message_id) if isinstance(message_id, list | tuple) else message_id


@pytest.fixture(scope="module")
def source_ids() -> set[object]:
    """The msgids `pybabel extract -F babel.cfg` finds in the source, run in-process."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    found = extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    )
    return {_key(message_id) for _, _, message_id, _, _ in found if message_id}


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with open(CATALOG / "messages.po", "rb") as po:
        return read_po(po)


def test_every_message_in_the_source_is_in_the_catalogue(
    source_ids: set[object], catalogue: Catalog
) -> None:
    """A string marked for translation but missing from the .po would be shown in English."""
    in_catalogue = {_key(message.id) for message in catalogue if message.id}
    missing = sorted(map(str, source_ids - in_catalogue))
    assert not missing, "not in messages.po (run the extract/update in docs/web.md):\n" + (
        "\n".join(missing)
    )


def test_every_ukrainian_entry_is_translated_and_not_fuzzy(catalogue: Catalog) -> None:
    def untranslated(message: object) -> bool:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return message.fuzzy or not all(strings)

    offending = [str(message.id) for message in catalogue if message.id and untranslated(message)]
    assert not offending, "empty or fuzzy in messages.po:\n" + "\n".join(offending)


def test_translations_keep_the_placeholders(catalogue: Catalog) -> None:
    """A translation dropping or renaming %(name)s would fail when the page is rendered."""
    problems = [
        f"{message.id!r}: {'; '.join(map(str, errors))}"
        for message, errors in catalogue.check()
        if errors
    ]
    assert not problems, "\n".join(problems)


def test_the_compiled_catalogue_is_the_current_one(catalogue: Catalog) -> None:
    """The committed .mo says exactly what the .po says (else: pybabel compile)."""
    with open(CATALOG / "messages.mo", "rb") as mo:
        compiled = {_key(message.id): _key(message.string) for message in read_mo(mo) if message.id}
    expected = {
        _key(message.id): _key(message.string)
        for message in catalogue
        if message.id and message.string and not message.fuzzy
    }
    stale = sorted(
        str(key)
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, "messages.mo differs from messages.po for:\n" + "\n".join(stale)

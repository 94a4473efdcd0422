"""`flask glossary gaps`: the Ukrainian words of the live registry the glossary does not
know, so a curator knows where to extend it."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.services.profiles import archive_company
from tests.factories import make_company


def test_glossary_gaps_lists_unknown_ukrainian_words_of_live_firms_only(
    app: Flask, session: Session
) -> None:
    make_company(session, country="UA", offers="Кування та поковки для снарядів.")
    make_company(session, country="UA", offers="Кування валів.")
    archived = make_company(session, country="UA", offers="Штампування деталей.")
    make_company(session, offers="Forged shafts for 155 mm shells.")
    archive_company(session, archived.id, actor="test")
    session.commit()
    result = app.test_cli_runner().invoke(args=["glossary", "gaps", "--top", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:2] == ["stem", "most"]
    assert lines[1].split()[1:] == ["кування", "2", "2"]  # in both live firms' texts
    assert "поковки" in result.output
    assert "штампування" not in result.output  # an archived firm's words do not count
    assert "снаряд" not in result.output  # known to the glossary


def test_glossary_gaps_says_so_when_every_word_is_known(app: Flask, session: Session) -> None:
    make_company(session, offers="Forged shafts for 155 mm shells.")
    session.commit()
    result = app.test_cli_runner().invoke(args=["glossary", "gaps"])
    assert result.exit_code == 0, result.output
    assert "knows every Ukrainian word" in result.output
    refused = app.test_cli_runner().invoke(args=["glossary", "gaps", "--top", "0"])
    assert refused.exit_code != 0 and "--top" in refused.output

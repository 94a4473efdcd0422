"""Duplicate candidates: bands from legal id, names and offer vectors; dismissals stick."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.services import duplicates
from matchmaker.services.profiles import archive_company, create_company
from tests.factories import loaded_company, make_company


def embedded(app: Flask, session: Session, **overrides: object):
    """A company stored with its vectors, as the web form stores it."""
    hook = matching.service.embed_changes
    return create_company(session, loaded_company(**overrides), actor="test", on_change=hook)


def pairs(session: Session, **kwargs: object) -> dict[tuple[int, int], str]:
    found = duplicates.find_duplicates(session, **kwargs)
    return {(c.first_id, c.second_id): c.band for c in found}


def test_names_lose_legal_forms_and_accents() -> None:
    """Legal forms, case and accents do not tell two names apart."""
    assert duplicates.name_key("Päijänne Works Oyj") == duplicates.name_key("PAIJANNE WORKS")
    assert duplicates.name_key("Wigry Industries Sp. z o.o.") == "wigry industries"
    assert duplicates.name_core("Sych Works PJSC") == "sych"


def test_name_similarity_needs_the_distinctive_part_and_the_whole() -> None:
    """Shared place names or shared long legal prefixes alone do not make names alike."""
    assert duplicates.name_similarity("Sych Works PJSC", "Sych Wroks LLC") > 0.85
    assert duplicates.name_similarity("Karawanken Defence", "Karawanken Dynamics") < 0.8
    perun, pivden = "Research and Production Enterprise Perun", "Research and Production Pivden"
    assert duplicates.name_similarity(perun, pivden) < 0.6


def test_same_legal_id_in_two_countries_is_certain(session: Session) -> None:
    """One identifier registered under two countries is the same firm."""
    a = make_company(session, legal_id="12345678X", country="DE", name="Alpha GmbH")
    b = make_company(session, legal_id="12345678X", country="AT", name="Omega GmbH")
    assert pairs(session) == {(a.id, b.id): "certain"}


def test_same_name_and_country_is_certain(session: Session) -> None:
    """The same name (legal form aside) in one country is the same firm."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="STAUFEN DYNAMICS AG")
    assert pairs(session)[(a.id, b.id)] == "certain"


def test_a_typo_in_the_name_is_likely(session: Session) -> None:
    """Nearly identical names are a likely duplicate even with different offers."""
    a = make_company(session, name="Falkenried Works AG")
    b = make_company(session, name="Falkenreid Works AG", offers="Radar repair.")
    assert pairs(session)[(a.id, b.id)] == "likely"


def test_alike_names_with_alike_offers_are_likely(app: Flask, session: Session) -> None:
    """Same distinctive name and the same offer text: likely one firm."""
    a = embedded(
        app, session, name="Kestrel Moor Industries Ltd", country="GB", legal_id="GB123456789"
    )
    b = embedded(
        app, session, name="Kestrel Moor Engineering plc", country="GB", legal_id="GB987654321"
    )
    found = duplicates.find_duplicates(session)
    assert [(c.first_id, c.second_id, c.band) for c in found] == [(a.id, b.id, "likely")]
    assert found[0].offer_similarity is not None and found[0].offer_similarity > 0.9
    assert any("Offers" in reason for reason in found[0].reasons)


def test_different_firms_are_not_candidates(app: Flask, session: Session) -> None:
    """Unrelated names and offers give no pair at all."""
    embedded(app, session, name="Vexin Dynamics SA", country="FR", legal_id="FR12345678901")
    embedded(
        app,
        session,
        name="Lutsk Technologies PJSC",
        country="UA",
        offers="FPV drones and flight controllers.",
        capabilities=["drones_counter_drone.fpv"],
    )
    assert pairs(session) == {}


def test_archived_firms_are_never_candidates(session: Session) -> None:
    """A merged or archived record no longer shows up."""
    make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    archive_company(session, b.id, actor="test")
    assert pairs(session) == {}


def test_candidates_of_one_company(session: Session) -> None:
    """Asking about one firm returns only its pairs."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    c = make_company(session, name="Lofoten Works ASA")
    d = make_company(session, name="Lofoten Works AS")
    assert set(pairs(session)) == {(a.id, b.id), (c.id, d.id)}
    assert set(pairs(session, company_id=c.id)) == {(c.id, d.id)}


def test_a_dismissed_pair_is_not_proposed_again(session: Session) -> None:
    """Dismissing records an audit event and hides the pair."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    duplicates.dismiss_pair(session, b.id, a.id, actor="admin:x@example.org")
    assert pairs(session) == {}
    assert set(pairs(session, include_dismissed=True)) == {(a.id, b.id)}

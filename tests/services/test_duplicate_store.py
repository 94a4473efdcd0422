"""Stored duplicate candidates: every write keeps them equal to a full comparison."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from matchmaker.extensions import matching
from matchmaker.models import DuplicateCandidatePair, DuplicateKey
from matchmaker.services import duplicate_store, duplicates
from matchmaker.services.merge import merge_companies
from matchmaker.services.profiles import (
    archive_company,
    create_companies,
    set_status,
    update_company,
)
from tests.factories import loaded_company, make_company, no_embedding
from tests.services.test_duplicates import embedded


def stored(session: Session) -> dict[tuple[int, int], str]:
    session.expire_all()
    rows = session.scalars(select(DuplicateCandidatePair))
    return {(r.first_id, r.second_id): r.band for r in rows}


def full(session: Session) -> dict[tuple[int, int], str]:
    return {(c.first_id, c.second_id): c.band for c in duplicates.find_duplicates(session)}


def test_a_new_firm_brings_its_pairs(session: Session) -> None:
    """Creating the second of two same-name firms stores the pair at once."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    assert stored(session) == {}
    b = make_company(session, name="STAUFEN DYNAMICS AG")
    assert stored(session) == {(a.id, b.id): "certain"} == full(session)


def test_an_edit_removes_a_pair_that_no_longer_holds(session: Session) -> None:
    """Renaming one firm of a pair to something unrelated drops the pair."""
    a = make_company(session, name="Falkenried Works AG")
    b = make_company(session, name="Falkenreid Works AG", offers="Radar repair.")
    assert stored(session) == {(a.id, b.id): "likely"}
    update_company(
        session, b.id, {"name": "Oderbruch Optics AG"}, actor="test", on_change=no_embedding
    )
    assert stored(session) == {} == full(session)


def test_archiving_and_restoring_follow_the_status(session: Session) -> None:
    """An archived firm leaves every pair; un-archiving it brings them back."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    archive_company(session, b.id, actor="test")
    assert stored(session) == {}
    set_status(session, b.id, "pending", actor="test")
    assert stored(session) == {(a.id, b.id): "certain"}


def test_a_merge_drops_the_merged_records_pairs(session: Session) -> None:
    """The merged record is archived by the merge, so none of its pairs remain."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    c = make_company(session, name="Staufen Dynamik KG", country="AT", legal_id="ATU12345678")
    assert {(a.id, b.id), (b.id, c.id)} <= set(stored(session))
    merge_companies(session, a.id, b.id, actor="test", on_change=no_embedding)
    assert not any(b.id in pair for pair in stored(session))
    assert stored(session) == full(session)


def test_a_batch_compares_its_rows_with_each_other(session: Session) -> None:
    """An import of two rows of one firm stores their pair."""
    documents = [
        loaded_company(name="Lofoten Works ASA"),
        loaded_company(name="Lofoten Works AS"),
    ]
    a, b = create_companies(session, documents, actor="test", on_change=no_embedding)
    assert stored(session) == {(a.id, b.id): "certain"} == full(session)


def test_offer_neighbours_come_from_the_vectors(app: Flask, session: Session) -> None:
    """Alike names with the same offer text: likely, found through the offer vectors."""
    a = embedded(
        app, session, name="Kestrel Moor Industries Ltd", country="GB", legal_id="GB123456789"
    )
    b = embedded(
        app, session, name="Kestrel Moor Engineering plc", country="GB", legal_id="GB987654321"
    )
    row = session.get(DuplicateCandidatePair, (a.id, b.id))
    assert row is not None and row.band == "likely"
    assert row.offer_similarity is not None and row.offer_similarity > 0.9
    assert stored(session) == full(session)


def test_near_copies_of_offers_pair_without_alike_names(app: Flask, session: Session) -> None:
    """The offer-only rule ("possible", same side) is found without any shared name key."""
    offers = "Thermal imaging sights for armoured vehicles, with NATO-standard mounts."
    a = embedded(app, session, name="Vexin Optique SA", country="FR", legal_id="FR12345678901")
    b = embedded(app, session, name="Quarnero Visione SRL", country="IT", legal_id="IT12345678901")
    update_company(
        session, a.id, {"offers": offers}, actor="test", on_change=matching.service.embed_changes
    )
    update_company(
        session, b.id, {"offers": offers}, actor="test", on_change=matching.service.embed_changes
    )
    assert stored(session) == {(a.id, b.id): "possible"} == full(session)


def test_a_dismissed_pair_stays_dismissed_after_edits(session: Session) -> None:
    """Dismissing deletes the stored pair; a later edit of either firm does not revive it."""
    a = make_company(session, name="Staufen Dynamics GmbH")
    b = make_company(session, name="Staufen Dynamics AG")
    duplicates.dismiss_pair(session, a.id, b.id, actor="admin:x@example.org")
    assert stored(session) == {}
    update_company(session, a.id, {"website": None}, actor="test", on_change=no_embedding)
    assert stored(session) == {}


def test_rebuild_fills_the_table_from_existing_firms(session: Session) -> None:
    """Firms written before the table existed get their pairs from one rebuild."""
    make_company(session, name="Staufen Dynamics GmbH")
    make_company(session, name="Staufen Dynamics AG")
    make_company(session, name="Lofoten Works ASA")
    make_company(session, name="Lofoten Works AS")
    expected = full(session)
    session.execute(delete(DuplicateCandidatePair))
    session.execute(delete(DuplicateKey))
    session.commit()
    assert stored(session) == {}
    assert duplicate_store.rebuild_candidates(session) == 2
    assert stored(session) == expected


def test_blocking_keys_ignore_legal_forms_and_generic_words() -> None:
    """A firm is compared on its legal id, its name in its country and its distinctive part."""
    name = "Sych Works GmbH"
    firm = duplicates.Firm(
        1, name, "DE", "EU", "DE1", duplicates.name_key(name), duplicates.name_core(name)
    )
    assert duplicate_store.firm_keys(firm) == {
        "legal:DE1",
        "name:DE:sych works",
        "tok:sych",
        "pre:sych",
    }


def test_a_dense_cluster_stores_a_bounded_number_of_neighbours(
    app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each write keeps its OFFER_NEIGHBOURS nearest offers, so a cluster of near-identical
    offers grows linearly; pairs found earlier stay while the rules still hold."""
    monkeypatch.setattr(duplicate_store, "OFFER_NEIGHBOURS", 1)
    offers = "Thermal imaging sights for armoured vehicles, with NATO-standard mounts"
    names = ("Vexin Optique SA", "Quarnero Visione SRL", "Ardennes Thermique SA")
    firms = [
        embedded(app, session, name=name, offers=f"{offers}{'.' * (i + 1)}")
        for i, name in enumerate(names)
    ]
    assert len(full(session)) == 3  # every two of them are "possible"
    found = stored(session)
    assert len(found) == 2 and set(found.values()) == {"possible"}
    update_company(session, firms[0].id, {"website": None}, actor="test", on_change=no_embedding)
    assert stored(session) == found


def test_pages_list_the_stored_pairs_in_order(session: Session) -> None:
    """Page after page (keys read first, rows fetched by key) gives every stored pair once,
    in the query's order: band, stronger signal, then the ids breaking ties; a band's pages
    hold that band only."""
    ids = [c.id for c in create_companies(
        session,
        [loaded_company(name=f"{word} GmbH") for word in ("Ka", "Lo", "Mi", "Nu", "Po", "Ru")],
        actor="test",
        on_change=no_embedding,
    )]  # fmt: skip
    session.execute(delete(DuplicateCandidatePair))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
    rows = [
        {
            "first_id": a,
            "second_id": b,
            "band": duplicates.BANDS[n % 3],
            "band_rank": n % 3,
            "strength": (0.9, 0.8)[n % 2],  # ties, so the ids decide
            "name_similarity": 0.5,
            "offer_similarity": None,
            "reasons": [],
        }
        for n, (a, b) in enumerate(pairs)
    ]
    session.execute(insert(DuplicateCandidatePair), rows)
    session.commit()
    in_order = sorted(rows, key=lambda r: (r["band_rank"], -r["strength"], r["first_id"]))
    counts = duplicate_store.band_counts(session)
    for band in (None, "likely"):
        expected = [(r["first_id"], r["second_id"]) for r in in_order if band in (None, r["band"])]
        paged = [
            (r.first_id, r.second_id)
            for page in range(1, 6)
            for r in duplicate_store.candidates_page(session, band, page, 4, counts).items
        ]
        assert paged == expected
        assert len(expected) == (15 if band is None else 5)
        assert duplicate_store.candidates_page(session, band, 1, 4, counts).total == len(expected)

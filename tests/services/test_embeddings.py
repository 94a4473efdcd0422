"""Stored vectors: embedded once per text and model, refreshed only when something changed."""

from __future__ import annotations

import hashlib

import numpy as np
from sqlalchemy.orm import Session

from matchmaker.models import Company
from matchmaker.services import profiles
from matchmaker.services.embeddings import (
    embedding_texts,
    refresh_embeddings,
    stale_vector_count,
    vector_of,
)
from tests.factories import loaded_company, make_company


def test_new_company_gets_normalized_offer_and_seek_vectors(session: Session, embedder) -> None:
    """Both texts are embedded with the model's name, dimension and a text hash."""
    company = make_company(session)
    assert refresh_embeddings(session, [company], embedder) == 2
    session.commit()
    rows = {e.kind: e for e in session.get(Company, company.id).embeddings}
    assert set(rows) == {"offer", "seek"}
    for row in rows.values():
        assert (row.model, row.dimension, len(row.text_hash)) == (embedder.model_name, 384, 64)
        assert np.isclose(np.linalg.norm(vector_of(row)), 1.0, atol=1e-5)


def test_unchanged_profile_is_not_embedded_again(session: Session, embedder) -> None:
    """A second refresh of the same texts embeds nothing."""
    company = make_company(session)
    refresh_embeddings(session, [company], embedder)
    assert refresh_embeddings(session, [company], embedder) == 0


def test_changed_offer_re_embeds_only_the_offer(session: Session, embedder) -> None:
    """Editing what a firm offers leaves its seek vector alone."""
    hook = lambda s, companies: refresh_embeddings(s, companies, embedder)  # noqa: E731
    company = profiles.create_company(session, loaded_company(), actor="t", on_change=hook)
    before = {e.kind: e.text_hash for e in company.embeddings}
    profiles.update_company(
        session,
        company.id,
        {"offers": "Loitering munitions with EW-resistant navigation."},
        actor="t",
        on_change=hook,
    )
    after = {e.kind: e.text_hash for e in session.get(Company, company.id).embeddings}
    assert after["seek"] == before["seek"] and after["offer"] != before["offer"]


def test_vectors_from_another_model_are_replaced(session: Session, embedder) -> None:
    """A stored vector made by a different model is detected and re-embedded."""
    company = make_company(session)
    refresh_embeddings(session, [company], embedder)
    for row in company.embeddings:
        row.model = "some-older-model"
    assert refresh_embeddings(session, [company], embedder) == 2
    assert {e.model for e in company.embeddings} == {embedder.model_name}


def test_storing_vectors_with_an_edit_is_one_version_step(session: Session, embedder) -> None:
    """Optimistic locking counts edits, not internal flushes of derived data."""
    hook = lambda s, companies: refresh_embeddings(s, companies, embedder)  # noqa: E731
    company = profiles.create_company(session, loaded_company(), actor="t", on_change=hook)
    assert company.version == 1
    profiles.update_company(
        session, company.id, {"offers": "New offer."}, actor="t", on_change=hook
    )
    assert session.get(Company, company.id).version == 2


def test_vectors_of_text_the_model_no_longer_reads_that_way_are_counted_stale(
    session: Session, embedder
) -> None:
    """A Ukrainian firm embedded before MiniLM read Ukrainian through the glossary holds
    the key of its raw text: `flask index status` counts it until a refresh re-embeds it;
    an English firm's key did not change."""
    ukrainian = make_company(
        session, country="UA", offers="Ремонт бронетехніки та виробництво 155-мм снарядів."
    )
    english = make_company(session, offers="Repair of armoured vehicles.")
    refresh_embeddings(session, [ukrainian, english], embedder)
    session.flush()
    model = embedder.model_name
    assert stale_vector_count(session, embedder) == 0
    for row in ukrainian.embeddings:  # as stored before: the key of the raw text
        text = embedding_texts(ukrainian)[row.kind]
        row.text_hash = hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()
    session.flush()
    assert stale_vector_count(session, embedder) == 1
    # its offer text; its seek text is the English labels of the codes it ticked
    assert refresh_embeddings(session, [ukrainian, english], embedder) == 1
    session.flush()
    assert stale_vector_count(session, embedder) == 0

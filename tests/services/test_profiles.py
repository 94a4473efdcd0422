"""Profile use cases on a real database: validation, atomicity, audit, concurrency."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.errors import NotFoundError, VersionConflictError
from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Company
from matchmaker.services import profiles
from matchmaker.services.documents import load_companies
from matchmaker.services.index_state import current_generation
from tests.factories import company_payload, loaded_company, make_company, no_embedding


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_create_stores_the_profile_and_its_children(session: Session) -> None:
    """Capabilities, pathways and certifications are stored with the company."""
    company = make_company(session, pathways=["jv_eu", "licensing"])
    session.expire_all()
    stored = session.get(Company, company.id)
    assert stored.codes("offer") == ["ammunition_missiles.shells"]
    assert stored.codes("seek") == ["ammunition_missiles.propellants"]
    assert [p.code for p in stored.pathways] == ["jv_eu", "licensing"]
    assert stored.certifications[0].scheme == "iso_9001"
    assert stored.side == "EU"


def test_document_round_trips_through_the_schema(session: Session) -> None:
    """What the service stores loads back through the same validation unchanged."""
    payload = company_payload()
    company = profiles.create_company(
        session, profiles.load_company(payload), actor="test", on_change=no_embedding
    )
    document = profiles.company_document(company)
    assert profiles.load_company(document) == profiles.load_company(payload)


def test_a_refused_profile_writes_nothing(session: Session) -> None:
    """A refusal (here the legal id is taken) leaves no company, audit event or generation
    bump behind."""
    make_company(session, legal_id="DE123456789")
    generation = current_generation(session)
    with pytest.raises(ValidationError):
        profiles.create_company(
            session, loaded_company(legal_id="DE123456789"), actor="test", on_change=no_embedding
        )
    assert count(session, Company) == 1
    assert count(session, AuditEvent) == 1
    assert current_generation(session) == generation


def test_an_unvalidated_profile_is_a_type_error(session: Session) -> None:
    """A door that forgot to load the profile through the schema fails loudly, unstored."""
    with pytest.raises(TypeError, match="load_company"):
        profiles.create_company(session, company_payload(), actor="test", on_change=no_embedding)
    assert count(session, Company) == 0


def test_an_invalid_profile_is_refused_field_by_field() -> None:
    """The one loader every door uses names each bad field."""
    with pytest.raises(ValidationError) as caught:
        profiles.load_company(company_payload(country="XX", size="huge"))
    assert {"country", "size"} <= set(caught.value.messages)


def test_duplicate_legal_id_is_rejected_on_that_field(session: Session) -> None:
    """The same firm registered twice (typed differently) is refused on legal_id."""
    make_company(session, legal_id="DE123456789")
    with pytest.raises(ValidationError) as caught:
        profiles.create_company(
            session,
            loaded_company(legal_id="de 123 456 789"),
            actor="test",
            on_change=no_embedding,
        )
    assert "legal_id" in caught.value.messages
    assert count(session, Company) == 1


def test_a_batch_with_a_bad_row_is_refused_naming_the_row() -> None:
    """Loading a batch names each bad row by its index, so nothing of it reaches a write."""
    rows = [company_payload(), company_payload(size="huge"), company_payload()]
    with pytest.raises(ValidationError) as caught:
        load_companies(rows)
    assert caught.value.messages == {1: {"size": ["Choose your company's size."]}}


def test_bulk_create_catches_duplicates_inside_the_batch(session: Session) -> None:
    """Two rows for the same firm in one batch: the second is reported."""
    rows = [loaded_company(legal_id="DE111111111"), loaded_company(legal_id="DE111111111")]
    with pytest.raises(ValidationError) as caught:
        profiles.create_companies(session, rows, actor="test", on_change=no_embedding)
    assert list(caught.value.messages) == [1]
    assert count(session, Company) == 0


def test_update_changes_fields_and_records_before_and_after(session: Session) -> None:
    """A partial update keeps other fields, bumps the version and is audited."""
    company = make_company(session)
    updated = profiles.update_company(
        session,
        company.id,
        {"size": "large", "compliance": {"itar_controlled": True}},
        actor="admin:a",
        on_change=no_embedding,
    )
    assert (updated.size, updated.itar_controlled, updated.version) == ("large", True, 2)
    assert updated.export_control == ["ML3"]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "company.update")).one()
    assert event.actor == "admin:a"
    assert (event.before["size"], event.after["size"]) == ("sme", "large")


def test_invalid_update_leaves_the_record_as_it_was(session: Session) -> None:
    """A rejected edit changes nothing, not even the version."""
    company = make_company(session)
    with pytest.raises(ValidationError):
        profiles.update_company(
            session, company.id, {"name": "", "size": "large"}, actor="test", on_change=no_embedding
        )
    session.expire_all()
    stored = session.get(Company, company.id)
    assert (stored.name, stored.size, stored.version) == (company.name, "sme", 1)


def test_update_cannot_change_derived_fields(session: Session) -> None:
    """The side follows the country; sending it is an error, not a silent override."""
    company = make_company(session)
    with pytest.raises(ValidationError) as caught:
        profiles.update_company(
            session, company.id, {"side": "UA"}, actor="test", on_change=no_embedding
        )
    assert caught.value.messages == {"side": ["Unknown field."]}


def test_stale_expected_version_is_refused(session: Session) -> None:
    """An edit based on an old version gets a conflict and changes nothing."""
    company = make_company(session)
    profiles.update_company(
        session, company.id, {"size": "large"}, actor="a", on_change=no_embedding
    )
    with pytest.raises(VersionConflictError):
        profiles.update_company(
            session,
            company.id,
            {"size": "startup"},
            actor="b",
            expected_version=1,
            on_change=no_embedding,
        )
    session.expire_all()
    assert session.get(Company, company.id).size == "large"


def test_concurrent_edits_never_silently_overwrite(session: Session) -> None:
    """A second worker that read the row before the first saved is refused, not applied."""
    company = make_company(session)
    with Session(db.engine) as other_worker:
        stale = other_worker.get(Company, company.id)
        assert stale.version == 1
        profiles.update_company(
            session, company.id, {"size": "large"}, actor="first", on_change=no_embedding
        )
        with pytest.raises(VersionConflictError):
            profiles.update_company(
                other_worker,
                company.id,
                {"size": "startup"},
                actor="second",
                on_change=no_embedding,
            )
    session.expire_all()
    assert session.get(Company, company.id).size == "large"


def test_unknown_company_is_reported(session: Session) -> None:
    """Updating a missing id is a not-found error naming the id."""
    with pytest.raises(NotFoundError, match="42"):
        profiles.update_company(
            session, 42, {"size": "large"}, actor="test", on_change=no_embedding
        )


def test_archive_keeps_the_record(session: Session) -> None:
    """Archiving changes the status; the row and its history stay."""
    company = make_company(session)
    profiles.archive_company(session, company.id, actor="admin:a")
    session.expire_all()
    assert session.get(Company, company.id).status == "archived"
    assert count(session, AuditEvent) == 2


def test_every_write_bumps_the_index_generation(session: Session) -> None:
    """Workers notice changes through the generation stamped on the company."""
    company = make_company(session)
    first = current_generation(session)
    profiles.set_status(session, company.id, "rejected", actor="admin:a", note="Not a defence firm")
    assert current_generation(session) == first + 1
    assert session.get(Company, company.id).index_generation == first + 1

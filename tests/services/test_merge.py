"""Merging two records of one firm: richer fields, history kept, index updated."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.errors import ConflictError, VersionConflictError
from matchmaker.extensions import matching
from matchmaker.models import AuditEvent, Company
from matchmaker.schemas import CompanySchema, ComplianceSchema, ContactSchema
from matchmaker.services import merge
from matchmaker.services.index_state import current_generation
from matchmaker.services.introductions import record_introduction
from matchmaker.services.profiles import archive_company, create_company
from tests.factories import company_payload, loaded_company, make_company, no_embedding

ACTOR = "admin:curator@example.org"


def test_merged_document_keeps_identity_and_takes_the_richer_fields() -> None:
    """Identity from the survivor; longer texts, unions of codes, conservative compliance."""
    survivor = _document(
        website=None,
        offers="Shells.",
        capabilities=["ammunition_missiles.shells"],
        compliance={
            "export_control": ["ML3"],
            "required_clearance": "none",
            "non_eligible_component_share": 10.0,
        },
        contact={"name": "Anna", "email": None, "phone": None},
    )
    other = _document(
        name="Other name",
        website="https://other.example",
        offers="155 mm shells and fuzes.",
        capabilities=["ammunition_missiles.fuzes"],
        pathways=["licensing"],
        compliance={
            "export_control": ["ML4"],
            "sanctioned": True,
            "required_clearance": "nato_secret",
            "non_eligible_component_share": 20.0,
        },
        contact={"name": "Bob", "email": "bob@other.example", "phone": None},
    )
    result = merge.merged_document(survivor, other)
    assert result["name"] == survivor["name"]
    assert result["website"] == "https://other.example"
    assert result["offers"] == "155 mm shells and fuzes."
    assert result["capabilities"] == ["ammunition_missiles.fuzes", "ammunition_missiles.shells"]
    assert result["pathways"] == ["jv_eu", "licensing"]
    assert result["compliance"]["export_control"] == ["ML3", "ML4"]
    assert result["compliance"]["sanctioned"] is True
    assert result["compliance"]["required_clearance"] == "nato_secret"
    assert result["compliance"]["non_eligible_component_share"] == 20.0
    assert result["contact"] == {"name": "Anna", "email": "bob@other.example", "phone": None}


def test_certificates_are_united_and_the_later_validity_wins() -> None:
    """The same certificate on both records appears once, with the later end date."""
    iso = {"scheme": "iso_9001", "identifier": "Q-1", "issuer": "TÜV"}
    survivor = _document(certifications=[iso | {"valid_until": "2027-01-01"}])
    other = _document(
        certifications=[
            iso | {"identifier": "q-1 ", "valid_until": "2029-01-01"},
            {"scheme": "ncage", "identifier": "C1234", "issuer": "", "valid_until": None},
        ]
    )
    certs = merge.merged_document(survivor, other)["certifications"]
    assert [(c["scheme"], c["valid_until"]) for c in certs] == [
        ("iso_9001", "2029-01-01"),
        ("ncage", None),
    ]


@pytest.mark.parametrize(
    ("policy", "schema"),
    [
        (merge.MERGE_POLICY, CompanySchema()),
        (merge.COMPLIANCE_POLICY, ComplianceSchema()),
        (merge.CONTACT_POLICY, ContactSchema()),
    ],
    ids=["company", "compliance", "contact"],
)
def test_the_merge_policy_has_a_rule_for_every_field_the_schema_loads(
    policy: Mapping[str, merge.Rule], schema: Schema
) -> None:
    """A field added to the schema but not to the merge policy would be silently reset to its
    default by every merge; this test makes it a failure instead."""
    assert set(policy) == set(schema.load_fields)


def test_merge_archives_the_other_record_and_audits_both(session: Session) -> None:
    """The merged record is archived with a note; each record gets an audit event."""
    a = make_company(session, offers="Short.")
    b = make_company(session, offers="A much longer description of what is offered.")
    survivor = merge.merge_companies(session, a.id, b.id, actor=ACTOR, on_change=no_embedding)
    merged = session.get(Company, b.id)
    assert survivor.offers == "A much longer description of what is offered."
    assert merged.status == "archived"
    assert merged.review_note == f"Merged into #{a.id}."
    events = {
        e.action: e
        for e in session.scalars(
            select(AuditEvent).where(
                AuditEvent.action.in_(["company.merge", "company.merged_into"])
            )
        )
    }
    assert events["company.merge"].entity_id == a.id
    assert events["company.merge"].actor == ACTOR
    assert events["company.merge"].before["offers"] == "Short."
    assert events["company.merge"].after["merged_from"] == b.id
    assert events["company.merged_into"].entity_id == b.id
    assert events["company.merged_into"].after["status"] == "archived"


def test_merge_repoints_introductions(session: Session) -> None:
    """Introductions of the merged record move to the survivor, except one between the two."""
    a, b = make_company(session), make_company(session)
    partner = make_company(session, country="UA")
    moved = record_introduction(
        session, {"company_a_id": partner.id, "company_b_id": b.id}, actor=ACTOR
    )
    between = record_introduction(
        session, {"company_a_id": a.id, "company_b_id": b.id}, actor=ACTOR
    )
    merge.merge_companies(session, a.id, b.id, actor=ACTOR, on_change=no_embedding)
    session.refresh(moved), session.refresh(between)
    assert (moved.company_a_id, moved.company_b_id) == (partner.id, a.id)
    assert (between.company_a_id, between.company_b_id) == (a.id, b.id)


def test_merge_updates_the_index(app: Flask, session: Session) -> None:
    """After a merge the matcher suggests the survivor and never the archived record."""
    service = matching.service
    hook = service.embed_changes
    a = create_company(session, loaded_company(), actor="t", on_change=hook)
    b = create_company(session, loaded_company(), actor="t", on_change=hook)
    ua = create_company(
        session,
        loaded_company(
            country="UA",
            offers="Propellants.",
            capabilities=["ammunition_missiles.propellants"],
            seeking_capabilities=["ammunition_missiles.shells"],
        ),
        actor="t",
        on_change=hook,
    )
    before = {s.company.id for s in service.match_company(session, ua.id)}
    assert {a.id, b.id} <= before
    generation = current_generation(session)
    merge.merge_companies(session, a.id, b.id, actor=ACTOR, on_change=hook)
    assert current_generation(session) > generation
    after = {s.company.id for s in service.match_company(session, ua.id)}
    assert a.id in after and b.id not in after


def test_a_stale_merge_is_refused(session: Session) -> None:
    """If either record changed since the admin looked, nothing is written."""
    a, b = make_company(session), make_company(session)
    with pytest.raises(VersionConflictError):
        merge.merge_companies(
            session,
            a.id,
            b.id,
            actor=ACTOR,
            expected_versions=(a.version, 99),
            on_change=no_embedding,
        )
    assert session.get(Company, b.id).status == "approved"


def test_merging_a_record_into_itself_or_an_archived_one_is_refused(session: Session) -> None:
    """Self-merges and merges with archived records are errors."""
    a, b = make_company(session), make_company(session)
    with pytest.raises(ValidationError):
        merge.merge_companies(session, a.id, a.id, actor=ACTOR, on_change=no_embedding)
    archive_company(session, b.id, actor=ACTOR)
    with pytest.raises(ConflictError):
        merge.merge_companies(session, a.id, b.id, actor=ACTOR, on_change=no_embedding)


def test_plan_lists_the_fields_taken_from_the_other_record(session: Session) -> None:
    """The preview names what the merge would change on the survivor."""
    a = make_company(session, website=None)
    b = make_company(session, pathways=["licensing"])
    plan = merge.plan_merge(session, a.id, b.id)
    assert "website" in plan.taken_from_merged
    assert "pathways" in plan.taken_from_merged
    assert "name" not in plan.taken_from_merged


def _document(**overrides: object) -> dict:
    payload = company_payload()
    base = {
        **payload,
        "compliance": {
            "controlling_country": "DE",
            "sanctioned": False,
            "export_control": [],
            "itar_controlled": False,
            "non_eligible_component_share": None,
            "security_clearance": "none",
            "required_clearance": "none",
        },
        "review_note": None,
        "contact_consent": False,
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


@pytest.mark.parametrize(
    ("survivor", "other", "merged"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_consent_to_share_the_contact_survives_a_merge_only_if_both_gave_it(
    survivor: bool, other: bool, merged: bool
) -> None:
    """The merged contact may be either record's: one consent must not cover the other's."""
    first = loaded_company(contact_consent=survivor)
    second = loaded_company(contact_consent=other, contact={"name": "Other Person"})
    assert merge.merged_document(first, second)["contact_consent"] is merged

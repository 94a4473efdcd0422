"""Matching through the service: the database stays the truth, every worker stays fresh."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy.orm import Session

from matchmaker.domain.errors import ModelMismatchError
from matchmaker.domain.matcher import AdHocQuery, MatchFilters
from matchmaker.errors import NotFoundError
from matchmaker.extensions import db, matching
from matchmaker.models import Company, CompanyEmbedding
from matchmaker.services import profiles
from matchmaker.services.matching import MatchingService
from tests.factories import loaded_company

SHELL_MAKER = dict(
    description="German SME machining 155 mm artillery shell bodies for NATO customers.",
    offers="Serial production of 155 mm shell bodies, forging and CNC machining capacity.",
    seeks="A partner producing propellant charges and energetics to complete rounds.",
    capabilities=["ammunition_missiles.shells"],
    seeking_capabilities=["ammunition_missiles.propellants"],
    pathways=["coproduction_ua", "jv_eu"],
)
PROPELLANT_MAKER = dict(
    country="UA",
    description="Ukrainian chemical plant making nitrocellulose propellant charges.",
    offers="Modular propellant charges and nitrocellulose powders for 155 mm artillery.",
    seeks="Shell bodies and metal parts production to assemble complete rounds.",
    capabilities=["ammunition_missiles.propellants"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["coproduction_ua"],
    compliance={"controlling_country": "UA", "export_control": ["ML8"]},
)
DRONE_MAKER = dict(
    country="UA",
    description="Kyiv start-up building FPV drones for frontline units.",
    offers="FPV strike drones with thermal cameras, 2,000 a month.",
    seeks="Investors and European production capacity for drone motors.",
    capabilities=["drones_counter_drone.fpv"],
    seeking_capabilities=["drones_counter_drone.components"],
    pathways=["investment"],
    compliance={"controlling_country": "UA", "export_control": ["ML10"]},
)


def service_of(app: Flask) -> MatchingService:
    return matching.service


def create(app: Flask, **fields: Any) -> Company:
    """Create through the profile service with the embedding hook, as the API does."""
    service = service_of(app)
    return profiles.create_company(
        db.session, loaded_company(**fields), actor="test", on_change=service.embed_changes
    )


def ids_of(suggestions: list[Any]) -> list[int]:
    return [s.company.id for s in suggestions]


def test_company_is_matched_with_the_complementary_firm_first(app: Flask, session: Session) -> None:
    """A shell maker seeking propellants gets the propellant maker first, only UA firms."""
    shells = create(app, **SHELL_MAKER)
    propellants = create(app, **PROPELLANT_MAKER)
    drones = create(app, **DRONE_MAKER)
    create(app, **{**SHELL_MAKER, "name": "Other EU shell maker"})
    suggestions = service_of(app).match_company(session, shells.id)
    assert ids_of(suggestions) == [propellants.id, drones.id]
    assert suggestions[0].score > suggestions[1].score
    assert any(
        r.params.get("sought") == "ammunition_missiles.propellants" for r in suggestions[0].reasons
    )


def test_only_approved_unsanctioned_firms_are_suggested(app: Flask, session: Session) -> None:
    """Pending, rejected, archived and sanctioned firms never appear."""
    shells = create(app, **SHELL_MAKER)
    for status in ("pending", "rejected", "archived"):
        create(app, **{**PROPELLANT_MAKER, "status": status})
    sanctioned = {"controlling_country": "RU", "sanctioned": True}
    create(app, **{**PROPELLANT_MAKER, "compliance": sanctioned})
    assert service_of(app).match_company(session, shells.id) == []


def test_pending_company_can_ask_for_partners(app: Flask, session: Session) -> None:
    """A firm under review is not suggested, but an admin can see its suggestions."""
    shells = create(app, **{**SHELL_MAKER, "status": "pending"})
    propellants = create(app, **PROPELLANT_MAKER)
    assert ids_of(service_of(app).match_company(session, shells.id)) == [propellants.id]


def test_approval_takes_effect_at_the_next_search(app: Flask, session: Session) -> None:
    """Approving a firm puts it into suggestions without a rebuild."""
    shells = create(app, **SHELL_MAKER)
    propellants = create(app, **{**PROPELLANT_MAKER, "status": "pending"})
    service = service_of(app)
    assert service.match_company(session, shells.id) == []
    profiles.set_status(session, propellants.id, "approved", actor="admin")
    assert ids_of(service.match_company(session, shells.id)) == [propellants.id]


def test_edited_texts_are_re_embedded_and_searched(app: Flask, session: Session) -> None:
    """After a firm rewrites its offer, matching uses the new vector."""
    shells = create(app, **SHELL_MAKER)
    drones = create(app, **DRONE_MAKER)
    service = service_of(app)
    before = service.match_company(session, shells.id)[0].components["semantic"]
    profiles.update_company(
        session,
        drones.id,
        {"offers": PROPELLANT_MAKER["offers"], "seeks": PROPELLANT_MAKER["seeks"]},
        actor="t",
        on_change=service.embed_changes,
    )
    after = service.match_company(session, shells.id)[0].components["semantic"]
    assert after > before


def test_filters_narrow_the_suggestions(app: Flask, session: Session) -> None:
    """A capability filter keeps only firms offering it."""
    shells = create(app, **SHELL_MAKER)
    create(app, **PROPELLANT_MAKER)
    drones = create(app, **DRONE_MAKER)
    filters = MatchFilters(capabilities=frozenset({"drones_counter_drone.fpv"}))
    found = service_of(app).match_company(session, shells.id, filters=filters)
    assert ids_of(found) == [drones.id]


def test_ad_hoc_request_finds_firms_of_the_wanted_side(app: Flask, session: Session) -> None:
    """An office describing a need in words gets the firm that offers it."""
    create(app, **SHELL_MAKER)
    propellants = create(app, **PROPELLANT_MAKER)
    create(app, **DRONE_MAKER)
    query = AdHocQuery(side="UA", seeks="nitrocellulose propellant for artillery charges")
    assert ids_of(service_of(app).match_query(session, query))[0] == propellants.id


def test_unknown_company_is_a_not_found_error(app: Flask, session: Session) -> None:
    """Asking for a company that does not exist names the id."""
    with pytest.raises(NotFoundError, match="999"):
        service_of(app).match_company(session, 999)


def test_another_worker_sees_a_change_before_its_next_search(app: Flask, session: Session) -> None:
    """Two services (two workers) over one database: one archives, the other stops suggesting."""
    shells = create(app, **SHELL_MAKER)
    propellants = create(app, **PROPELLANT_MAKER)
    other_worker = MatchingService(embedder_factory=lambda: service_of(app).embedder)
    assert ids_of(other_worker.match_company(session, shells.id)) == [propellants.id]
    profiles.archive_company(session, propellants.id, actor="admin")
    assert other_worker.match_company(session, shells.id) == []


def test_a_change_made_by_another_process_is_seen(app: Flask, session: Session) -> None:
    """A real second process archives a firm; this process's next search reflects it."""
    shells = create(app, **SHELL_MAKER)
    propellants = create(app, **PROPELLANT_MAKER)
    service = service_of(app)
    assert ids_of(service.match_company(session, shells.id)) == [propellants.id]
    session.commit()
    url, instance = app.config["SQLALCHEMY_DATABASE_URI"], str(app.instance_path)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from matchmaker.config import TestConfig
        from matchmaker.extensions import db
        from matchmaker.factory import create_app
        from matchmaker.services.profiles import archive_company
        app = create_app(TestConfig({url!r}, Path({instance!r})))
        with app.app_context():
            archive_company(db.session, {propellants.id}, actor="other-process")
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    assert service.match_company(session, shells.id) == []


def test_vectors_of_another_model_are_reported_with_the_fix(app: Flask, session: Session) -> None:
    """Stored vectors of a different model or dimension are detected, never half-used."""
    create(app, **SHELL_MAKER)
    company = create(app, **PROPELLANT_MAKER)
    for row in session.query(CompanyEmbedding).filter_by(company_id=company.id):
        row.model, row.dimension = "old-model", 8
        row.vector = np.ones(8, dtype=np.float32).tobytes()
    session.commit()
    with pytest.raises(ModelMismatchError, match="flask index rebuild"):
        service_of(app).sync(session)


def test_rebuild_repairs_foreign_vectors_and_persists(app: Flask, session: Session) -> None:
    """`rebuild` re-embeds vectors of another model and writes the index file."""
    shells = create(app, **SHELL_MAKER)
    propellants = create(app, **PROPELLANT_MAKER)
    for row in session.query(CompanyEmbedding).filter_by(company_id=propellants.id):
        row.model = "old-model"
    session.commit()
    service = service_of(app)
    status = service.rebuild(session)
    assert (status.indexed, status.unindexed) == (2, 0)
    assert (service.index_dir / "matcher.snap").exists()
    assert ids_of(service.match_company(session, shells.id)) == [propellants.id]


def test_a_new_worker_starts_from_the_persisted_index_and_catches_up(
    app: Flask, session: Session
) -> None:
    """The saved index is loaded, then changes made after it was saved are applied."""
    shells = create(app, **SHELL_MAKER)
    service = service_of(app)
    service.rebuild(session)
    propellants = create(app, **PROPELLANT_MAKER)  # made after the index was saved
    newcomer = MatchingService(
        embedder_factory=lambda: service.embedder, index_dir=service.index_dir
    )
    assert ids_of(newcomer.match_company(session, shells.id)) == [propellants.id]

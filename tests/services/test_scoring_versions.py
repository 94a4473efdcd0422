"""Scoring versions: fitted from recorded outcomes, applied, reverted, seen by every worker."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from matchmaker import config as app_config
from matchmaker.domain.components import COMPONENTS
from matchmaker.domain.embedding import Embedder
from matchmaker.errors import ConflictError, NotFoundError
from matchmaker.extensions import db, matching
from matchmaker.factory import create_app
from matchmaker.models import AuditEvent, Company, ScoringVersion
from matchmaker.services import profiles
from matchmaker.services.api_keys import create_api_client
from matchmaker.services.index_state import current_generation
from matchmaker.services.introductions import record_introduction, update_introduction
from matchmaker.services.scoring_training import NothingToFitError
from matchmaker.services.scoring_versions import apply_version, propose, revert
from tests.factories import loaded_company

SHELLS = dict(
    description="German SME machining 155 mm artillery shell bodies for NATO customers.",
    offers="Serial production of 155 mm shell bodies, forging and CNC machining capacity.",
    seeks="A partner producing propellant charges and energetics to complete rounds.",
    capabilities=["ammunition_missiles.shells"],
    seeking_capabilities=["ammunition_missiles.propellants"],
    pathways=["coproduction_ua"],
)
# The firm the offices found good: its texts say what the shell makers seek, its codes
# were filed under something else, and it says so in words of its own (few shared with
# theirs). The default weights trust the codes and shared words more.
TEXT_TWIN = dict(
    country="UA",
    description="Ukrainian chemical works making nitrocellulose powders and charge modules.",
    offers="Modular charges, smokeless powders and explosive fillings for large-calibre rounds.",
    seeks="Metal casings from a machining partner to assemble finished ammunition.",
    capabilities=["drones_counter_drone.components"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["coproduction_ua"],
    compliance={"controlling_country": "UA", "export_control": ["ML8"]},
)
# The firm the offices declined: the right codes, texts about something else.
CODE_MATCH = dict(
    country="UA",
    description="Kharkiv metalworks offering general fabrication and welding.",
    offers="Welded steel frames, sheet metal cutting and painting services.",
    seeks="Orders for steel structures from European customers.",
    capabilities=["ammunition_missiles.propellants"],
    seeking_capabilities=["ammunition_missiles.shells"],
    pathways=["coproduction_ua"],
    compliance={"controlling_country": "UA", "export_control": ["ML8"]},
)


def create(**fields: Any) -> Company:
    return profiles.create_company(
        db.session,
        loaded_company(**fields),
        actor="test",
        on_change=matching.service.embed_changes,
    )


def introduce(session: Session, a: Company, b: Company, outcome: str) -> None:
    intro = record_introduction(session, {"company_a_id": a.id, "company_b_id": b.id}, actor="t")
    update_introduction(session, intro.id, {"outcome": outcome}, actor="t")


@pytest.fixture
def outcomes(app: Flask, session: Session) -> dict[str, Company]:
    """Two shell makers; both were introduced to the text twin (MoU, JV) and declined the
    firm with the right codes."""
    firms = {
        "a1": create(**SHELLS),
        "a2": create(**{**SHELLS, "name": "Second shell maker GmbH"}),
        "twin": create(**TEXT_TWIN),
        "codes": create(**CODE_MATCH),
    }
    introduce(session, firms["a1"], firms["twin"], "mou")
    introduce(session, firms["a2"], firms["twin"], "jv")
    introduce(session, firms["a1"], firms["codes"], "declined")
    introduce(session, firms["a2"], firms["codes"], "declined")
    return firms


@pytest.fixture
def office_key(session: Session) -> str:
    return create_api_client(session, "Berlin export office", "office", actor="test")[1]


def office_ranking(app: Flask, key: str, company: Company) -> list[int]:
    """The partners a facilitation office sees for `company`, through the JSON API."""
    response = app.test_client().get(
        f"/api/v1/companies/{company.id}/matches", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["company"]["id"] for item in response.get_json()["items"]]


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_fit_from_recorded_introductions_is_a_proposal_with_every_fold(
    outcomes: dict[str, Company], session: Session
) -> None:
    version = propose(session, matching.service, actor="test")
    assert version.status == "proposed" and set(version.weights) == {c.name for c in COMPONENTS}
    assert version.source["introductions"] == {"mou": 1, "jv": 1, "declined": 2}
    assert (version.source["pairs"], version.source["queries"]) == (2, 4)
    assert version.source["declined_terms"] == 2  # each shell maker's declined firm
    folds = version.figures["folds"]
    assert len(folds) == 2 and sum(f["held_out_queries"] for f in folds) == 4
    for fold in [*folds, version.figures]:
        assert {"mrr", "recall_at_10"} <= set(fold["proposed"]) | set(fold["current"])
    assert version.figures["proposed"]["mrr"] > version.figures["current"]["mrr"]
    assert version.weights["capability"] < version.figures["current_weights"]["capability"]
    # A proposal changes nothing until applied.
    assert matching.service.scoring_version is None


def test_apply_reorders_what_an_office_sees_and_revert_restores_it(
    app: Flask, outcomes: dict[str, Company], session: Session, office_key: str
) -> None:
    a1, twin, codes = outcomes["a1"], outcomes["twin"], outcomes["codes"]
    assert office_ranking(app, office_key, a1) == [codes.id, twin.id]
    version = propose(session, matching.service, actor="test")
    apply_version(session, version.id, actor="admin:x")
    assert office_ranking(app, office_key, a1) == [twin.id, codes.id]
    assert matching.service.scoring_version == version.id
    applied = session.scalars(select(AuditEvent).where(AuditEvent.action == "scoring.apply")).one()
    assert (applied.actor, applied.entity_id) == ("admin:x", version.id)
    assert applied.before == {"active": None, "weights": "shipped defaults"}
    assert applied.after == {"active": version.id, "weights": version.weights}

    assert revert(session, actor="admin:y") is None
    assert office_ranking(app, office_key, a1) == [codes.id, twin.id]
    assert session.get(ScoringVersion, version.id).status == "retired"
    reverted = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "scoring.revert")
    ).one()
    assert reverted.after == {"active": None, "weights": "shipped defaults"}


def test_revert_goes_back_to_the_version_the_active_one_replaced(
    outcomes: dict[str, Company], session: Session
) -> None:
    first = propose(session, matching.service, actor="test")
    second = propose(session, matching.service, actor="test")
    apply_version(session, first.id, actor="a")
    apply_version(session, second.id, actor="a")
    assert [first.status, second.status] == ["retired", "active"]
    assert revert(session, actor="a") is first
    assert [first.status, second.status] == ["active", "retired"]
    assert matching.service.current_scoring(session).weights["capability"] == pytest.approx(
        first.weights["capability"]
    )


WORKER = """
import json, sys
from pathlib import Path
from matchmaker.config import TestConfig
from matchmaker.extensions import db, matching
from matchmaker.factory import create_app
app = create_app(TestConfig(sys.argv[1], Path(sys.argv[2])))
with app.app_context():
    for line in sys.stdin:
        suggestions = matching.service.match_company(db.session, int(line))
        db.session.remove()  # no transaction left open between requests, as a worker
        ids = [s.company.id for s in suggestions]
        print(json.dumps([ids, matching.service.scoring_version]), flush=True)
"""


def test_a_second_app_on_the_same_database_picks_up_an_applied_version(
    app: Flask, outcomes: dict[str, Company], session: Session, tmp_path: Path
) -> None:
    """Another worker (a long-running process with its own app) notices apply and revert
    at its next request."""
    a1, twin, codes = outcomes["a1"], outcomes["twin"], outcomes["codes"]
    version = propose(session, matching.service, actor="test")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, url, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None and worker.stdout is not None

    def other_ranking() -> list[Any]:
        worker.stdin.write(f"{a1.id}\n")
        worker.stdin.flush()
        return list(json.loads(worker.stdout.readline()))

    try:
        assert other_ranking() == [[codes.id, twin.id], None]
        apply_version(session, version.id, actor="a")
        assert other_ranking() == [[twin.id, codes.id], version.id]
        revert(session, actor="a")
        assert other_ranking() == [[codes.id, twin.id], None]
    finally:
        worker.stdin.close()
        worker.wait(timeout=60)
        worker.stdout.close()


def test_nothing_to_fit_on_is_a_clear_error_and_writes_nothing(
    app: Flask, session: Session
) -> None:
    create(**SHELLS)
    with pytest.raises(NothingToFitError, match="no introduction reached an MoU"):
        propose(session, matching.service, actor="test")
    assert count(session, ScoringVersion) == 0 and count(session, AuditEvent) == 1  # the create


def test_unknown_and_retired_versions_are_refused_and_nothing_changes(
    outcomes: dict[str, Company], session: Session
) -> None:
    version = propose(session, matching.service, actor="test")
    with pytest.raises(NotFoundError, match="No scoring version 999"):
        apply_version(session, 999, actor="a")
    with pytest.raises(ConflictError, match="No scoring version is active"):
        revert(session, actor="a")
    apply_version(session, version.id, actor="a")
    revert(session, actor="a")
    generation, events = current_generation(session), count(session, AuditEvent)
    with pytest.raises(ConflictError, match="is retired; only a proposal can be applied"):
        apply_version(session, version.id, actor="a")
    assert (current_generation(session), count(session, AuditEvent)) == (generation, events)
    assert session.get(ScoringVersion, version.id).status == "retired"


def test_labelled_pairs_files_are_fitted_on_too(
    outcomes: dict[str, Company], session: Session, tmp_path: Path
) -> None:
    a2, codes = outcomes["a2"], outcomes["codes"]
    pairs = tmp_path / "pairs.json"
    ref = [{"country": c.country, "legal_id": c.legal_id} for c in (a2, codes)]
    pairs.write_text(json.dumps([{"eu": ref[0], "ua": ref[1]}]))
    version = propose(session, matching.service, [pairs], actor="test")
    assert version.source["sets"] == [{"file": "pairs.json", "pairs": 1}]
    assert version.source["pairs"] == 3  # a labelled pair outranks its declined introduction


def test_cli_fit_list_apply_revert(outcomes: dict[str, Company], runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["scoring", "fit"])
    assert result.exit_code == 0, result.output
    assert "introductions 1 MoU, 1 JV, 2 declined" in result.output
    assert result.output.count("/") >= 6 and "mean" in result.output
    assert "Proposal 1 stored" in result.output
    listed = runner.invoke(args=["scoring", "list"])
    assert "proposed" in listed.output
    applied = runner.invoke(args=["scoring", "apply", "1"])
    assert applied.exit_code == 0 and "Scoring version 1 is active" in applied.output
    again = runner.invoke(args=["scoring", "apply", "1"])
    assert again.exit_code == 1 and "is active; only a proposal" in again.output
    missing = runner.invoke(args=["scoring", "apply", "7"])
    assert missing.exit_code == 1 and "No scoring version 7" in missing.output
    reverted = runner.invoke(args=["scoring", "revert"])
    assert "shipped default weights are in use" in reverted.output


def test_cli_fit_without_outcomes_or_sets_says_what_is_missing(
    app: Flask, runner: FlaskCliRunner, session: Session
) -> None:
    result = runner.invoke(args=["scoring", "fit"])
    assert result.exit_code == 1 and "--pairs FILE" in result.output
    assert count(session, ScoringVersion) == 0


@pytest.fixture
def scratch_app(tmp_path: Path, embedder: Embedder) -> Iterator[Flask]:
    app = create_app(
        app_config.TestConfig(f"sqlite:///{tmp_path / 'm.sqlite'}", tmp_path), embedder=embedder
    )
    with app.app_context():
        try:
            yield app
        finally:
            db.engine.dispose()


def test_the_migration_upgrades_and_downgrades(scratch_app: Flask) -> None:
    upgrade()
    assert "scoring_version" in inspect(db.engine).get_table_names()
    downgrade(revision="0001")
    assert "scoring_version" not in inspect(db.engine).get_table_names()
    upgrade()
    assert "scoring_version" in inspect(db.engine).get_table_names()


def test_weights_pinned_by_the_environment_win_over_a_version(embedder: Embedder) -> None:
    """MATCHMAKER_SCORING's weights stay as configured; the version gives the others."""
    from matchmaker.config import scoring_config
    from matchmaker.services.matching import MatchingService

    service = MatchingService(
        embedder_factory=lambda: embedder,
        scoring=scoring_config({"weights.semantic": 0.5}),
        pinned_weights=frozenset({"semantic"}),
    )
    weighted = service.weighted({"semantic": 0.1, "capability": 0.3})
    assert (weighted.weights["semantic"], weighted.weights["capability"]) == (0.5, 0.3)
    assert service.weighted(None).weights == service.scoring.weights

"""The scoring page (versions, figures, Apply, Revert) and the dashboard's scoring card."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.domain.components import COMPONENTS
from matchmaker.extensions import matching
from matchmaker.models import AuditEvent, ScoringVersion
from tests.admin.conftest import ACTOR, last_audit

WEIGHTS = {c.name: round(1 / len(COMPONENTS), 4) for c in COMPONENTS}


def figures(proposed: float, current: float) -> dict[str, Any]:
    fold = {
        "proposed": {"mrr": proposed, "recall_at_10": 0.9},
        "current": {"mrr": current, "recall_at_10": 0.5},
    }
    return {
        "folds": [{"fold": 1, "held_out_queries": 6, "weights": WEIGHTS, **fold}],
        **fold,
        "current_weights": {c.name: c.default_weight for c in COMPONENTS},
    }


def stored(session: Session, status: str = "proposed", mrr: float = 0.612) -> ScoringVersion:
    """A version as `flask scoring fit` stores it (the fit itself is tested in services)."""
    version = ScoringVersion(
        weights=WEIGHTS,
        figures=figures(mrr, 0.401),
        source={
            "introductions": {"mou": 3, "jv": 1, "declined": 2},
            "sets": [{"file": "pairs.json", "pairs": 44}],
            "pairs": 48,
            "queries": 96,
            "skipped_queries": 0,
            "declined_terms": 2,
        },
        status=status,
        created_by="cli",
    )
    session.add(version)
    session.commit()
    return version


def test_the_page_lists_each_version_with_its_figures_and_source(
    admin_client: FlaskClient, session: Session
) -> None:
    version = stored(session)
    page = admin_client.get("/admin/scoring").get_data(as_text=True)
    assert "MRR 0.612 (then in use 0.401)" in page and "Recall@10 0.90 (0.50)" in page
    assert "48 known good pairs, 96 queries" in page and "3 MoU, 1 JV, 2 declined" in page
    assert "pairs.json (44 pairs)" in page
    assert f'action="/admin/scoring/{version.id}/apply"' in page
    assert "The shipped default weights" in page and "/admin/scoring/revert" not in page


def test_apply_then_revert_from_the_page_is_audited_and_shown(
    admin_client: FlaskClient, session: Session
) -> None:
    version = stored(session)
    response = admin_client.post(f"/admin/scoring/{version.id}/apply", follow_redirects=True)
    assert f"Scoring version {version.id} is active." in response.get_data(as_text=True)
    assert last_audit(session, "scoring.apply").actor == ACTOR
    assert matching.service.current_scoring(session).weights["capability"] == pytest.approx(
        WEIGHTS["capability"]
    )
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert f"Scoring version {version.id}, applied" in dashboard
    assert "MRR 0.612 (then in use 0.401)" in dashboard

    response = admin_client.post("/admin/scoring/revert", follow_redirects=True)
    assert "Reverted to the shipped default weights." in response.get_data(as_text=True)
    assert last_audit(session, "scoring.revert").actor == ACTOR
    assert "The shipped default weights" in admin_client.get("/admin/").get_data(as_text=True)


def test_unknown_or_retired_versions_are_refused_with_a_reason(
    admin_client: FlaskClient, session: Session
) -> None:
    retired = stored(session, status="retired")
    missing = admin_client.post("/admin/scoring/999/apply")
    assert missing.status_code == 404 and "No scoring version 999" in missing.get_data(as_text=True)
    refused = admin_client.post(f"/admin/scoring/{retired.id}/apply")
    assert refused.status_code == 409 and "is retired" in refused.get_data(as_text=True)
    assert admin_client.post("/admin/scoring/revert").status_code == 409
    assert (
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("scoring.%"))
        )
        == 0
    )


def test_the_page_in_ukrainian(admin_client: FlaskClient, session: Session) -> None:
    stored(session)
    page = admin_client.get("/admin/scoring?lang=uk").get_data(as_text=True)
    assert "Ваги оцінювання" in page and "Застосувати" in page


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_apply_needs_the_forms_token(
    admin_client: FlaskClient, session: Session, csrf_on: None
) -> None:
    version = stored(session)
    assert admin_client.post(f"/admin/scoring/{version.id}/apply").status_code == 400
    page = admin_client.get("/admin/scoring").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    applied = admin_client.post(
        f"/admin/scoring/{version.id}/apply", data={"csrf_token": token.group(1)}
    )
    assert applied.status_code == 302
    session.expire_all()
    assert session.get(ScoringVersion, version.id).status == "active"

"""The match explorer (suggestions, bars, reasons, introductions) and the dashboard."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.components import COMPONENTS
from matchmaker.extensions import matching
from matchmaker.models import Company, Introduction
from matchmaker.services.profiles import create_company
from tests.admin.conftest import ACTOR, last_audit
from tests.factories import loaded_company


def embedded(app: Flask, session: Session, **overrides: object) -> Company:
    hook = matching.service.embed_changes
    return create_company(session, loaded_company(**overrides), actor="t", on_change=hook)


def pair(app: Flask, session: Session) -> tuple[Company, Company]:
    eu = embedded(app, session, name="Shell Works GmbH")
    ua = embedded(
        app,
        session,
        name="Propellant Plant LLC",
        country="UA",
        offers="Nitrocellulose propellant charges for 155 mm shells.",
        seeks="Shell bodies and a European partner for a joint venture.",
        capabilities=["ammunition_missiles.propellants"],
        seeking_capabilities=["ammunition_missiles.shells"],
    )
    return eu, ua


def test_the_explorer_finds_a_company_by_name(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Typing part of a name lists the firms to pick from."""
    eu, _ = pair(app, session)
    page = admin_client.get("/admin/explorer?q=shell").get_data(as_text=True)
    assert f"/admin/explorer?company={eu.id}" in page


def test_the_explorer_explains_each_suggestion(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Each suggestion has its score, a bar per component that applies (the others say
    so), reasons and warnings."""
    eu, ua = pair(app, session)
    page = admin_client.get(f"/admin/explorer?company={eu.id}").get_data(as_text=True)
    assert "Propellant Plant LLC" in page
    for label in ("Text fit", "Capabilities", "Certificates", "Regulatory fit"):
        assert label in page
    rows = page.count('class="bar component-') + page.count('class="not-applicable"')
    assert rows == len(COMPONENTS) and page.count('class="bar component-') >= 4
    assert 'class="reasons"' in page
    assert "Export licence" in page  # the ML3 warning of the factory payload


def test_recording_an_introduction(app: Flask, admin_client: FlaskClient, session: Session) -> None:
    """The admin records an introduction from a suggestion; it is stored and audited."""
    eu, ua = pair(app, session)
    data = {"company_b_id": ua.id, "score": "0.61", "note": "Met at the Kyiv forum."}
    response = admin_client.post(f"/admin/explorer/{eu.id}/introductions", data=data)
    assert response.location == f"/admin/explorer?company={eu.id}"
    introduction = session.scalars(select(Introduction)).one()
    assert (introduction.company_a_id, introduction.company_b_id) == (eu.id, ua.id)
    assert introduction.recorded_by == ACTOR
    assert last_audit(session, "introduction.create").actor == ACTOR
    again = admin_client.post(
        f"/admin/explorer/{eu.id}/introductions", data=data, follow_redirects=True
    )
    assert "already have an open introduction" in again.get_data(as_text=True)
    assert "Met at the Kyiv forum." in again.get_data(as_text=True)


def test_the_dashboard_counts_and_charts(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """Counts by side, status, area and country, drawn as server-side SVG bars."""
    pair(app, session)
    embedded(app, session, name="Waiting GmbH", status="pending")
    page = admin_client.get("/admin/").get_data(as_text=True)
    assert "<strong>1</strong> waiting for review" in page
    assert "<strong>1</strong> approved European firms" in page
    assert "<svg" in page and "<script" not in page.split("</head>")[1]
    assert "Ammunition and missiles" in page and "Ukraine" in page


def test_the_explorer_in_ukrainian_explains_in_ukrainian(
    app: Flask, admin_client: FlaskClient, session: Session
) -> None:
    """With the interface in Ukrainian, reasons and warnings are Ukrainian sentences with
    Ukrainian labels, not the English wording."""
    eu, _ = pair(app, session)
    page = admin_client.get(f"/admin/explorer?company={eu.id}&lang=uk").get_data(as_text=True)
    assert "Export licence needed" not in page and "seeks" not in page
    assert "Пороха та метальні заряди" in page  # the capability label inside a reason
    assert "Потрібна експортна ліцензія" in page  # the export-licence warning

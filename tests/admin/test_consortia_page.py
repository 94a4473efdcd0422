"""The consortium page: a call's teams as coverage matrices with their checks, bad input
refused next to the field at fault, and a team recorded as introductions (one per pair,
audited, all or nothing, with the form's CSRF token)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from itertools import combinations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.domain import programmes, taxonomy
from matchmaker.models import AuditEvent, Introduction
from matchmaker.services.introductions import record_introduction
from tests.admin.conftest import ACTOR
from tests.api.test_consortia import CALL, consortium_registry

PAGE = "/admin/consortia"


def build(client: FlaskClient, **changes: object) -> tuple[int, str]:
    query = {**CALL, "build": "1", **changes}
    response = client.get(PAGE, query_string=query)
    return response.status_code, unescape(response.get_data(as_text=True))


def team_forms(page: str) -> list[list[int]]:
    """The member ids of each team's "record as introductions" form."""
    forms = re.findall(
        r'<form method="post" action="/admin/consortia/introductions".*?</form>', page, re.S
    )
    return [[int(i) for i in re.findall(r'name="member" value="(\d+)"', f)] for f in forms]


def test_the_page_shows_each_team_as_a_coverage_matrix(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    """Rows are the requested capabilities (their labels), columns the members, and a
    filled cell is who covers the capability; checks and the record button per team."""
    firms = consortium_registry(app, session)
    empty = admin_client.get(PAGE)
    assert empty.status_code == 200 and 'href="/admin/consortia"' in empty.get_data(as_text=True)
    status, page = build(admin_client, programme="edf")
    assert status == 200, page
    assert page.count('<table class="data matrix">') >= 1
    matrix = page.split('<table class="data matrix">')[1].split("</table>")[0]
    header, body = matrix.split("</thead>")
    members = [f for f in firms.values() if f.name in header]
    assert len(members) >= 2 and firms["sanctioned"].name not in page
    rows = re.findall(r'<th scope="row">(.*?)</th>', body, re.S)
    assert len(rows) == len(CALL["capabilities"])
    assert [r.split("<")[0].strip() for r in rows] == [
        taxonomy.capability_label(code) for code in CALL["capabilities"]
    ]
    assert body.count('class="bar component-capability"') == len(CALL["capabilities"])
    assert "Programme checks" in page and re.search(
        r'class="badge check-(passed|failed|warning)"', page
    )
    assert team_forms(page) and all(len(ids) >= 2 for ids in team_forms(page))
    # What the builder cannot check is said with the programme's legal source.
    edf = programmes.get_programme("edf")
    assert edf.legal_source in page and all(note in page for note in edf.notes)


def test_bad_form_input_is_refused_naming_the_fields(admin_client: FlaskClient) -> None:
    status, page = build(
        admin_client,
        programme="horizon",
        countries="DE XX",
        min_size="many",
        capabilities=[],
    )
    assert status == 422
    assert "Please correct the marked fields" in page
    for field in ("programme", "countries", "min_size", "capabilities"):
        assert f'id="{field}-error"' in page or f'href="#{field}"' in page, field
    assert "horizon" in page and "'XX'" in page
    assert "Proposed teams" not in page


def test_an_infeasible_call_says_what_would_relax_it(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    consortium_registry(app, session)
    wanted = [*CALL["capabilities"], "strategic_enablers.space"]
    status, page = build(admin_client, capabilities=wanted)
    assert status == 422
    assert "No team can meet this request" in page and 'class="relax"' in page
    assert "Proposed teams" not in page


def test_recording_a_team_introduces_every_pair_once(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    """Each pair of members gets one audited introduction; a pair already introduced keeps
    its introduction; recording again adds nothing."""
    consortium_registry(app, session)
    _, page = build(admin_client)
    members = team_forms(page)[0]
    first, second = members[0], members[1]
    earlier = record_introduction(
        session, {"company_a_id": first, "company_b_id": second}, actor="test"
    ).id
    response = admin_client.post(
        f"{PAGE}/introductions",
        data={"member": members, "note": "Proposed for the 155 mm call.", "score": "0.7"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = unescape(response.get_data(as_text=True))
    assert "Recorded introductions" in text and f"#{earlier}" in text
    session.expire_all()
    pairs = {
        frozenset((i.company_a_id, i.company_b_id)): i
        for i in session.scalars(select(Introduction))
    }
    assert set(pairs) == {frozenset(p) for p in combinations(members, 2)}
    new = [i for i in pairs.values() if i.id != earlier]
    assert all(i.note == "Proposed for the 155 mm call." and i.recorded_by == ACTOR for i in new)
    audited = session.scalar(
        select(func.count()).where(
            AuditEvent.action == "introduction.create", AuditEvent.actor == ACTOR
        )
    )
    assert audited == len(new)
    admin_client.post(f"{PAGE}/introductions", data={"member": members})
    assert session.scalar(select(func.count()).select_from(Introduction)) == len(pairs)


def test_recording_refuses_an_unknown_firm_and_writes_nothing(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    firms = consortium_registry(app, session)
    response = admin_client.post(
        f"{PAGE}/introductions",
        data={"member": [firms["shells"].id, firms["fuzes"].id, 999_999]},
        follow_redirects=True,
    )
    assert "company_ids: No company with id 999999." in unescape(response.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(Introduction)) == 0


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_recording_needs_the_forms_token(
    admin_client: FlaskClient, app: Flask, session: Session, csrf_on: None
) -> None:
    consortium_registry(app, session)
    _, page = build(admin_client)
    members = team_forms(page)[0]
    refused = admin_client.post(f"{PAGE}/introductions", data={"member": members})
    assert refused.status_code == 400
    assert session.scalar(select(func.count()).select_from(Introduction)) == 0
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    done = admin_client.post(
        f"{PAGE}/introductions", data={"member": members, "csrf_token": token.group(1)}
    )
    assert done.status_code == 302
    assert session.scalar(select(func.count()).select_from(Introduction)) == len(
        list(combinations(members, 2))
    )


def test_the_page_in_ukrainian(admin_client: FlaskClient, app: Flask, session: Session) -> None:
    consortium_registry(app, session)
    status, page = build(admin_client, lang="uk")
    assert status == 200
    assert "Конструктор консорціумів" in page and "Записати як знайомства" in page


def test_recording_refuses_bad_ids_notes_and_scores(
    admin_client: FlaskClient, app: Flask, session: Session
) -> None:
    """A member that is not a record id is a 400 naming `member`; an overlong note or a
    score outside 0..1 (NaN too) is refused naming its field; nothing is written."""
    firms = consortium_registry(app, session)
    pair = [firms["shells"].id, firms["fuzes"].id]
    for member in ("x", "0", str(2**31)):
        response = admin_client.post(f"{PAGE}/introductions", data={"member": [*pair, member]})
        assert response.status_code == 400 and "member" in response.get_data(as_text=True)
    for data, field in (({"note": "n" * 2001}, "note"), ({"score": "nan"}, "score")):
        response = admin_client.post(
            f"{PAGE}/introductions", data={"member": pair, **data}, follow_redirects=True
        )
        assert f"{field}: " in unescape(response.get_data(as_text=True)), field
    assert session.scalar(select(func.count()).select_from(Introduction)) == 0

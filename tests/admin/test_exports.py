"""CSV exports of companies and introductions: admin only, the list's filters applied,
UTF-8 with a byte-order mark, streamed, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.services.exports import csv_lines, formula_safe
from matchmaker.services.introductions import record_introduction
from tests.factories import make_company


def read_csv(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.is_streamed
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+380 44 000", "'+380 44 000"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Karpaty = Forge", "Karpaty = Forge"),
        ("", ""),
        (None, ""),
        (-3, "-3"),
    ],
)
def test_cells_that_would_be_formulas_are_defused(cell: object, written: str) -> None:
    assert formula_safe(cell) == written


def test_the_csv_quotes_separators_and_line_breaks() -> None:
    lines = list(csv_lines((("text", lambda row: row),), ['a,b "c"\nd']))
    assert lines[0] == "\ufefftext\r\n"
    assert list(csv.reader(io.StringIO("".join(lines[1:])))) == [['a,b "c"\nd']]


def test_the_companies_export_applies_the_lists_filters(
    admin_client: FlaskClient, session: Session
) -> None:
    """All pages, not one: 60 matching firms come out, the filtered-out one does not."""
    for n in range(60):
        make_company(session, name=f"Exportable {n} GmbH")
    make_company(session, name="Київська Кузня ТОВ", country="UA", status="pending")
    rows = read_csv(admin_client, "/admin/companies/export.csv?status=approved&page=2")
    assert len(rows) == 60 and all(row["status"] == "approved" for row in rows)
    assert {row["country"] for row in rows} == {"DE"}
    assert rows[0]["capabilities"] == "ammunition_missiles.shells"
    assert rows[0]["contact_email"] == "erika@testwerk.example"
    ukrainian = read_csv(admin_client, "/admin/companies/export.csv?country=UA")
    assert [row["name"] for row in ukrainian] == ["Київська Кузня ТОВ"]
    searched = read_csv(admin_client, "/admin/companies/export.csv?q=Exportable+7+")
    assert [row["name"] for row in searched] == ["Exportable 7 GmbH"]


def test_a_firms_text_never_becomes_a_formula(admin_client: FlaskClient, session: Session) -> None:
    make_company(session, name="=cmd|' /C calc'!A0", offers="+49 machining, -5 % scrap.")
    row = read_csv(admin_client, "/admin/companies/export.csv")[0]
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["offers"] == "'+49 machining, -5 % scrap."


def test_the_introductions_export_with_its_filters(
    admin_client: FlaskClient, session: Session
) -> None:
    eu = make_company(session, name="Staufen Optics GmbH")
    ua = make_company(session, name="Karpaty Forge LLC", country="UA")
    other = make_company(session, name="Wigry Drones GmbH")
    record_introduction(
        session,
        {"company_a_id": eu.id, "company_b_id": ua.id, "note": "@Met in Kyiv"},
        actor="admin:x@example.org",
    )
    declined = record_introduction(
        session, {"company_a_id": other.id, "company_b_id": ua.id}, actor="admin:x@example.org"
    )
    declined.outcome = "declined"
    session.commit()
    rows = read_csv(admin_client, "/admin/introductions/export.csv")
    assert [(r["company_a_name"], r["company_b_name"]) for r in rows] == [
        ("Wigry Drones GmbH", "Karpaty Forge LLC"),
        ("Staufen Optics GmbH", "Karpaty Forge LLC"),
    ]
    assert rows[1]["note"] == "'@Met in Kyiv"
    by_outcome = read_csv(admin_client, "/admin/introductions/export.csv?outcome=declined")
    assert [r["company_a_id"] for r in by_outcome] == [str(other.id)]
    by_firm = read_csv(admin_client, f"/admin/introductions/export.csv?company={eu.id}")
    assert [r["company_b_id"] for r in by_firm] == [str(ua.id)]
    bad = admin_client.get("/admin/introductions/export.csv?company=x")
    assert bad.status_code == 400 and "company" in bad.get_data(as_text=True)


def test_exports_are_for_admins_only(app: Flask, session: Session) -> None:
    make_company(session, name="Secret Contact GmbH")
    client = app.test_client()
    for url in ("/admin/companies/export.csv", "/admin/introductions/export.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login" in response.location
        assert "Secret Contact" not in response.get_data(as_text=True)


def test_the_list_links_to_its_export_with_the_same_filters(
    admin_client: FlaskClient, session: Session
) -> None:
    page = admin_client.get("/admin/companies?status=pending&page=3").get_data(as_text=True)
    assert 'href="/admin/companies/export.csv?status=pending"' in page
    dashboard = admin_client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/introductions/export.csv"' in dashboard

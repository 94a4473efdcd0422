"""The merge preview and the audit log show a profile's fields and values in words: labels
for codes, readable certificates and flags, never raw codes or JSON."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from matchmaker.services.profiles import update_company
from tests.factories import make_company, no_embedding


def test_the_audit_log_shows_labels_for_fields_and_codes(
    admin_client: FlaskClient, session: Session
) -> None:
    firm = make_company(session, size="sme", pathways=["jv_eu"])
    update_company(
        session,
        firm.id,
        {
            "size": "large",
            "capabilities": ["artillery", "ammunition_missiles.shells"],
            "pathways": ["jv_eu", "licensing"],
            "compliance": {"sanctioned": True, "controlling_country": "PL"},
            "status": "rejected",
            "review_note": "Sanctioned owner.",
        },
        actor="admin:x@example.org",
        on_change=no_embedding,
    )
    page = admin_client.get(f"/admin/audit?action=company.update&entity_id={firm.id}")
    text = page.get_data(as_text=True)
    for words in (
        "Company changed",
        "<dt>Size</dt>",
        "Small or medium enterprise (under 250 staff)",
        "Large company or group (250 staff or more)",
        "<dt>Capabilities offered</dt>",
        "Artillery",
        "Licensing: a European firm licenses a Ukrainian design, or the reverse",
        "<dt>Under sanctions</dt>",
        "Poland",
        "<dt>Status</dt>",
    ):
        assert words in text, words
    for raw in ("compliance.sanctioned", "&#34;", "[&#34;", "jv_eu;", "<dt>size</dt>", "true"):
        assert raw not in text.split('<table class="data audit">')[1], raw


def test_a_creation_shows_certificates_as_sentences(
    admin_client: FlaskClient, session: Session
) -> None:
    firm = make_company(session)
    page = admin_client.get(f"/admin/audit?action=company.create&entity_id={firm.id}")
    text = page.get_data(as_text=True)
    assert "ISO 9001" in text and "(Q-1, TÜV) — until 2030-01-31" in text
    assert "&#39;scheme&#39;" not in text and "{" not in text.split("<tbody>")[1]


def test_the_audit_log_in_ukrainian(admin_client: FlaskClient, session: Session) -> None:
    firm = make_company(session)
    update_company(
        session, firm.id, {"size": "large"}, actor="admin:x@example.org", on_change=no_embedding
    )
    text = admin_client.get(f"/admin/audit?entity_id={firm.id}&lang=uk").get_data(as_text=True)
    assert "Компанію змінено" in text and "<dt>Розмір</dt>" in text


def test_the_merge_preview_shows_labels(admin_client: FlaskClient, session: Session) -> None:
    a = make_company(session, name="Staufen Dynamics GmbH", pathways=["jv_eu"])
    b = make_company(
        session,
        name="Staufen Dynamics AG",
        pathways=["licensing"],
        capabilities=["artillery"],
    )
    page = admin_client.get(f"/admin/duplicates/merge?survivor={a.id}&merged={b.id}")
    text = page.get_data(as_text=True)
    table = text.split('<table class="data diff">')[1].split("</table>")[0]
    assert '<th scope="row">Pathways</th>' in table
    assert '<th scope="row">Capabilities offered</th>' in table
    assert "Licensing: a European firm licenses" in table and "Artillery" in table
    assert "[" not in table and "jv_eu" not in table

"""The admin's profile editor keeps plain language links: its form has no language-switch
handling, so a switch button there would save the record instead."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import make_company


def test_the_admin_editor_has_no_switch_buttons(
    admin_client: FlaskClient, session: Session
) -> None:
    company = make_company(session)
    page = admin_client.get(f"/admin/companies/{company.id}/edit").get_data(as_text=True)
    assert 'name="switch_language"' not in page
    assert f'href="/admin/companies/{company.id}/edit?lang=uk"' in page

"""A snapshot or a loaded matcher of another history never suggests what the database forbids.

The incident (issue #12, item 1): a backup is restored (its counter is lower), a few
edits pass the counter of the snapshot on disk, and the snapshot of the lost history
is caught up as if it were current: an archived firm and a firm just flagged
sanctioned were suggested. Every test here restores a real backup (SQLite's backup
API, pg_dump / pg_restore) under services whose matcher is already loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session

from matchmaker.domain.matcher import AdHocQuery, Matcher
from matchmaker.domain.matcher_store import MATCHER_FILE
from matchmaker.extensions import db, matching
from matchmaker.services import backups, profiles
from matchmaker.services.index_state import current_generation, current_state, new_database_id
from matchmaker.services.matching import MatchingService
from matchmaker.services.recheck import rechecked
from matchmaker.services.suggestions import (
    PartnerRequest,
    Viewer,
    suggest_for_need,
    suggest_partners,
)
from tests.factories import make_matchable_company

ASKER = dict(
    description="German SME machining 155 mm artillery shell bodies.",
    offers="Serial production of 155 mm shell bodies and CNC machining capacity.",
    seeks="A partner producing propellant charges to complete rounds.",
    capabilities=["ammunition_missiles.shells"],
    seeking_capabilities=["ammunition_missiles.propellants"],
)
PARTNER = dict(
    country="UA",
    description="Ukrainian plant making nitrocellulose propellant charges.",
    offers="Modular propellant charges for 155 mm artillery.",
    seeks="Shell bodies to assemble complete rounds.",
    capabilities=["ammunition_missiles.propellants"],
    seeking_capabilities=["ammunition_missiles.shells"],
    compliance={"controlling_country": "UA", "export_control": ["ML8"]},
)
OFFICE = Viewer(admin=False)


def ids_of(suggestions: list[Any]) -> list[int]:
    return sorted(s.company.id for s in suggestions)


def newcomer(service: MatchingService) -> MatchingService:
    """A worker started now: it reads the snapshot on disk first."""
    return MatchingService(embedder_factory=lambda: service.embedder, index_dir=service.index_dir)


def edit(session: Session, company_id: int, **changes: Any) -> None:
    profiles.update_company(
        session, company_id, changes, actor="test", on_change=matching.service.embed_changes
    )


def restore_by_hand(app: Flask, backup: Path) -> None:
    """Restore as an operator might without `flask backup restore`: the database's
    identity comes back with the backup, unchanged."""
    url = db.engine.url.render_as_string(hide_password=False)
    db.session.remove()
    db.engine.dispose()
    if backups.backend_of(url) == "sqlite":
        backups.restore_sqlite(backup, backups.sqlite_file(url))
    else:
        backups.run_pg_tool(backups.pg_restore_command(url, backup), url)


@pytest.fixture
def history(app: Flask, session: Session, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The incident, up to the restore: a backup in which firm `archived` is archived and
    `flagged` is fine; then, in the history about to be lost, `archived` is approved and
    a snapshot is written and loaded by the running worker and by a second one."""
    service = matching.service
    asker = make_matchable_company(session, service, **ASKER)
    archived = make_matchable_company(session, service, **{**PARTNER, "status": "archived"})
    flagged = make_matchable_company(session, service, **PARTNER)
    keeper = make_matchable_company(session, service, **PARTNER)
    pending = make_matchable_company(session, service, **{**PARTNER, "status": "pending"})
    ids = dict(asker=asker.id, archived=archived.id, flagged=flagged.id, keeper=keeper.id)
    ids["pending"] = pending.id
    session.commit()
    backup = tmp_path / "old.backup"
    result = app.test_cli_runner().invoke(args=["backup", "create", "--output", str(backup)])
    assert result.exit_code == 0, result.output
    # The history that the restore throws away.
    profiles.set_status(session, ids["archived"], "approved", actor="admin")
    profiles.set_status(session, ids["pending"], "approved", actor="admin")
    for n in range(3):
        edit(session, ids["keeper"], review_note=f"lost edit {n}")
    service.rebuild(session)
    other_worker = newcomer(service)
    every_partner = [ids["archived"], ids["flagged"], ids["keeper"], ids["pending"]]
    assert ids_of(other_worker.match_company(session, ids["asker"])) == sorted(every_partner)
    assert ids_of(service.match_company(session, ids["asker"])) == sorted(every_partner)
    session.commit()
    yield dict(ids=ids, backup=backup, service=service, other_worker=other_worker)


def edit_past_the_snapshot(session: Session, ids: dict[str, int], snapshot_generation: int) -> None:
    """After the restore: flag one firm sanctioned, then edit until the counter passes
    the snapshot's (the generation at which the incident's stale snapshot was reused)."""
    edit(session, ids["flagged"], compliance={"sanctioned": True, "controlling_country": "UA"})
    n = 0
    while current_generation(session) <= snapshot_generation:
        edit(session, ids["keeper"], review_note=f"new edit {n}")
        n += 1


def test_restore_command_makes_every_worker_drop_the_old_history(
    app: Flask, session: Session, history: dict[str, Any]
) -> None:
    """`flask backup restore` under running workers: after edits pass the old snapshot's
    counter, neither they nor a newly started worker suggest the archived, the
    sanctioned or the unapproved firm; the snapshot on disk is the restored history's."""
    ids, service = history["ids"], history["service"]
    old_generation, old_id = current_state(session)
    result = app.test_cli_runner().invoke(
        args=["backup", "restore", str(history["backup"]), "--yes"]
    )
    assert result.exit_code == 0, result.output
    generation, database_id = current_state(session)
    assert generation < old_generation and database_id != old_id
    _, provenance = Matcher.load_with_provenance(service.index_dir, service.embedder)
    assert provenance.database_id == database_id
    edit_past_the_snapshot(session, ids, old_generation)
    for worker in (service, history["other_worker"], newcomer(service)):
        assert ids_of(worker.match_company(session, ids["asker"])) == [ids["keeper"]]


def test_a_snapshot_of_the_lost_history_is_refused_after_a_hand_restore(
    app: Flask, session: Session, history: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """A restore by other means keeps the old identity; the row stamps still tell the
    snapshot's history from the database's: it is refused, logged and rewritten."""
    ids, service = history["ids"], history["service"]
    snapshot_generation = current_generation(session)
    restore_by_hand(app, history["backup"])
    edit_past_the_snapshot(session, ids, snapshot_generation)
    worker = newcomer(service)
    with caplog.at_level(logging.WARNING, logger="matchmaker.services.matching"):
        assert ids_of(worker.match_company(session, ids["asker"])) == [ids["keeper"]]
    assert "company rows differ" in caplog.text and "Rewrote the index snapshot" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="matchmaker.services.matching"):
        assert ids_of(newcomer(service).match_company(session, ids["asker"])) == [ids["keeper"]]
    assert caplog.text == ""  # the rewritten snapshot is accepted


def test_a_running_worker_that_missed_a_hand_restore_suggests_nothing_forbidden(
    app: Flask, session: Session, history: dict[str, Any]
) -> None:
    """The worker loaded before a hand restore sees only a higher counter with the same
    identity, so it cannot know; the database check of the returned page can."""
    ids, service = history["ids"], history["service"]
    loaded_generation = current_generation(session)
    restore_by_hand(app, history["backup"])
    edit_past_the_snapshot(session, ids, loaded_generation)
    found = suggest_partners(session, service, ids["asker"], PartnerRequest(), viewer=OFFICE)
    assert ids_of(found) == [ids["keeper"]]
    # It reloaded on the way, so its next answers are right without the net.
    assert ids_of(service.match_company(session, ids["asker"])) == [ids["keeper"]]


def test_mark_restored_makes_running_workers_reload(
    app: Flask, session: Session, history: dict[str, Any]
) -> None:
    """After a hand restore, `flask backup mark-restored` gives the database a new
    identity: workers loaded before reload at their next request."""
    ids, other_worker = history["ids"], history["other_worker"]
    snapshot_generation = current_generation(session)
    restore_by_hand(app, history["backup"])
    result = app.test_cli_runner().invoke(args=["backup", "mark-restored"])
    assert result.exit_code == 0, result.output
    edit_past_the_snapshot(session, ids, snapshot_generation)
    assert ids_of(other_worker.match_company(session, ids["asker"])) == [ids["keeper"]]


def test_a_snapshot_of_another_database_is_refused(
    app: Flask, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """Same rows, same counter, another identity (a snapshot copied from elsewhere, or a
    restore marked as such): refused on the identity alone, and rewritten with this one."""
    service = matching.service
    asker = make_matchable_company(session, service, **ASKER)
    partner = make_matchable_company(session, service, **PARTNER)
    service.rebuild(session)
    database_id = new_database_id(session)
    session.commit()
    with caplog.at_level(logging.WARNING, logger="matchmaker.services.matching"):
        assert ids_of(newcomer(service).match_company(session, asker.id)) == [partner.id]
    assert f"this is {database_id}" in caplog.text
    _, provenance = Matcher.load_with_provenance(service.index_dir, service.embedder)
    assert provenance.database_id == database_id


def test_a_corrupt_snapshot_is_rebuilt_and_logged(
    app: Flask, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """A torn file is not only served around: it is rewritten at once, and then used."""
    service = matching.service
    asker = make_matchable_company(session, service, **ASKER)
    partner = make_matchable_company(session, service, **PARTNER)
    service.rebuild(session)
    path = service.index_dir / MATCHER_FILE
    path.write_bytes(path.read_bytes()[:200])
    with caplog.at_level(logging.WARNING, logger="matchmaker.services.matching"):
        assert ids_of(newcomer(service).match_company(session, asker.id)) == [partner.id]
    assert "Refused the index snapshot" in caplog.text and "Rewrote" in caplog.text
    _, provenance = Matcher.load_with_provenance(service.index_dir, service.embedder)
    assert (provenance.generation, provenance.database_id) == current_state(session)
    assert partner.id in provenance.stamps.ids


def test_a_firm_changed_outside_the_app_is_never_suggested(
    app: Flask, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """A row sanctioned by SQL (no generation bump) is caught by the check of the page
    returned, and the worker reloads: the office never sees it."""
    service = matching.service
    asker = make_matchable_company(session, service, **ASKER)
    sanctioned = make_matchable_company(session, service, **PARTNER)
    archived = make_matchable_company(session, service, **PARTNER)
    keeper = make_matchable_company(session, service, **PARTNER)
    request = PartnerRequest()
    assert len(suggest_partners(session, service, asker.id, request, viewer=OFFICE)) == 3
    session.execute(
        text("UPDATE company SET sanctioned = :t WHERE id = :i"), {"t": True, "i": sanctioned.id}
    )
    session.execute(
        text("UPDATE company SET status = 'archived' WHERE id = :i"), {"i": archived.id}
    )
    session.commit()
    with caplog.at_level(logging.ERROR, logger="matchmaker.services.recheck"):
        found = suggest_partners(session, service, asker.id, request, viewer=OFFICE)
    assert ids_of(found) == [keeper.id]
    assert f"{sorted([sanctioned.id, archived.id])}" in caplog.text
    session.execute(text("UPDATE company SET status = 'pending' WHERE id = :i"), {"i": keeper.id})
    session.commit()
    need = AdHocQuery(side="UA", seeks="propellant charges for 155 mm artillery")
    assert suggest_for_need(session, service, need, viewer=OFFICE) == []


def test_a_write_racing_the_search_is_caught_up_without_a_reload(
    app: Flask, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    """A firm archived between the search and the check is dropped by the next search's
    ordinary catch-up: no error, no whole reload."""
    service = matching.service
    asker = make_matchable_company(session, service, **ASKER)
    archived = make_matchable_company(session, service, **PARTNER)
    keeper = make_matchable_company(session, service, **PARTNER)
    calls = []

    def search() -> list[Any]:
        found = service.match_company(session, asker.id)
        if not calls:
            profiles.archive_company(session, archived.id, actor="another worker")
        calls.append(ids_of(found))
        return found

    with caplog.at_level(logging.WARNING):
        found = rechecked(session, service, search)
    assert ids_of(found) == [keeper.id]
    assert calls == [sorted([archived.id, keeper.id]), [keeper.id]]
    assert caplog.text == ""

"""The demo registry and the commands around it: seed, index, evaluate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Executable, distinct, func, select

from matchmaker.domain.taxonomy import CAPABILITY_AREAS, capability_area
from matchmaker.extensions import db, matching
from matchmaker.models import Certification, Company, CompanyCapability, DuplicateCandidatePair
from matchmaker.services.duplicates import find_duplicates
from tests.conftest import reset_database


@pytest.fixture(scope="module")
def seeded(migrated_app: Flask) -> Iterator[Flask]:
    """The demo registry loaded once for this module (seeding embeds ~700 texts)."""
    with migrated_app.app_context():
        result = migrated_app.test_cli_runner().invoke(args=["seed"])
        assert result.exit_code == 0, result.output
        try:
            yield migrated_app
        finally:
            reset_database(migrated_app)


def scalar(query: Executable) -> Any:
    return db.session.scalar(query)


def test_seed_loads_a_realistic_registry(seeded: Flask) -> None:
    """300+ firms, about 60 % European from 15+ countries, every area, edge cases."""
    total = scalar(select(func.count()).select_from(Company))
    european = scalar(select(func.count()).where(Company.side == "EU"))
    countries = scalar(select(func.count(distinct(Company.country))).where(Company.side == "EU"))
    assert total >= 300 and 0.55 <= european / total <= 0.65 and countries >= 15
    codes = db.session.scalars(
        select(CompanyCapability.code).where(CompanyCapability.kind == "offer")
    )
    assert {capability_area(code) for code in codes} == set(CAPABILITY_AREAS)
    assert scalar(select(func.count()).where(Certification.valid_until < date.today())) > 0
    assert scalar(select(func.count()).where(Company.sanctioned.is_(True))) > 0
    assert scalar(select(func.count()).where(Company.itar_controlled.is_(True))) > 0
    assert scalar(select(func.count()).where(Company.non_eligible_component_share > 35)) > 0


def test_seeding_twice_adds_nothing(seeded: Flask) -> None:
    """`flask seed` is idempotent: the second run finds every firm present."""
    before = scalar(select(func.count()).select_from(Company))
    result = seeded.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Seeded 0 new firms" in result.output
    assert scalar(select(func.count()).select_from(Company)) == before


def test_seed_leaves_a_ready_persisted_index(seeded: Flask) -> None:
    """After seeding every firm has vectors and the index file is on disk."""
    result = seeded.test_cli_runner().invoke(args=["index", "status"])
    assert result.exit_code == 0, result.output
    assert "0 approved firms without vectors" in result.output
    assert (matching.service.index_dir / "matcher.snap").exists()


def test_engine_beats_both_baselines_on_the_labelled_pairs(seeded: Flask) -> None:
    """On the committed evaluation set the engine outranks BM25 and embedding-only search."""
    result = seeded.test_cli_runner().invoke(args=["evaluate"])
    assert result.exit_code == 0, result.output
    figures = {
        name.strip(): tuple(map(float, values))
        for name, *values in re.findall(
            r"^(engine|bm25|embedding only)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$",
            result.output,
            re.MULTILINE,
        )
    }
    assert set(figures) == {"engine", "bm25", "embedding only"}
    for baseline in ("bm25", "embedding only"):
        recall_at_10, mrr = figures[baseline][1], figures[baseline][2]
        assert figures["engine"][1] >= recall_at_10
        assert figures["engine"][2] > mrr


def test_evaluate_reports_pairs_that_name_unknown_firms(seeded: Flask, tmp_path: Path) -> None:
    """A pairs file naming firms not in the registry fails with a clear message."""
    pairs = tmp_path / "pairs.json"
    pairs.write_text(
        '[{"a": {"country": "DE", "legal_id": "DE999999999"}, '
        '"b": {"country": "UA", "legal_id": "14360570"}}]'
    )
    result = seeded.test_cli_runner().invoke(args=["evaluate", "--pairs", str(pairs)])
    assert result.exit_code != 0
    assert "not in the registry" in result.output


def test_duplicates_rebuild_agrees_with_the_writes_and_a_full_comparison(seeded: Flask) -> None:
    """Seeding stored the candidates write by write; a rebuild finds exactly the same
    pairs, and both equal a comparison of the whole registry."""

    def stored() -> set[tuple[int, int, str]]:
        db.session.expire_all()
        rows = db.session.scalars(select(DuplicateCandidatePair))
        return {(r.first_id, r.second_id, r.band) for r in rows}

    written = stored()
    result = seeded.test_cli_runner().invoke(args=["duplicates", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"{len(written)} pairs" in result.output
    assert stored() == written
    assert written == {(c.first_id, c.second_id, c.band) for c in find_duplicates(db.session)}
    assert written  # the demo registry plants a few duplicates

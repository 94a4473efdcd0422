"""The admin list pages at scale: the review queue and deep duplicate pages.

Firms (a share of them pending), their capabilities and stored duplicate-candidate pairs
are inserted in bulk with SQL, not through the profile service: these pages read neither
vectors nor the candidate rules, only the rows, and loading thousands of firms through the
embedding hook takes ten minutes per size on this machine (bench_duplicates.py measures
that path). Prints, per backend and size: each page's p50 and HTML size, the SQL statements
one request issues with their times, and the plan of the slow ones (EXPLAIN QUERY PLAN on
SQLite, EXPLAIN ANALYZE on PostgreSQL).

The script only uses tables and URLs, so it measures any checkout: run it with PYTHONPATH
set to the tree under test.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_admin_pages.py --firms 5000 15000
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import load_average  # noqa: E402

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BANDS = ("certain", "likely", "possible")
BAND_WEIGHTS = (0.02, 0.25, 0.73)
ADMIN = {"email": "bench@example.org", "password": "a long enough password"}
# Statements slower than this in one request get their plan printed.
EXPLAIN_OVER_MS = 5.0


def firm_rows(count: int, pending_share: float, rng: random.Random) -> list[dict[str, Any]]:
    """Company rows; submission times are shuffled so id order is not the queue's order."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(1, count + 1):
        created = start + timedelta(seconds=rng.randrange(300 * 24 * 3600))
        rows.append(
            {
                "id": i,
                "name": f"{rng.choice(['Karpaty', 'Staufen', 'Wigry'])} Forge {i} GmbH",
                "legal_id": f"DE{300_000_000 + i}",
                "country": "DE",
                "side": "EU",
                "size": "sme",
                "description": "Makes precision parts for artillery and ammunition.",
                "offers": "Serial production of 155 mm shell bodies: forging, CNC machining "
                f"and heat treatment, {rng.choice([500, 1000, 2000])} units a month.",
                "seeks": "A partner producing propellant charges and fuzes.",
                "partner_certifications": [],
                "export_control": [],
                "sanctioned": False,
                "itar_controlled": False,
                "security_clearance": "none",
                "required_clearance": "none",
                "status": "pending" if rng.random() < pending_share else "approved",
                "created_at": created,
                "updated_at": created,
                "version": 1,
                "index_generation": 0,
                "edit_link_version": 1,
            }
        )
    return rows


def pair_rows(count: int, per_firm: int, rng: random.Random) -> list[dict[str, Any]]:
    """Pairs in which each firm takes part about `per_firm` times (bench_duplicates stored
    110,626 pairs for 5,000 alike firms: 44 a firm), in the bands' proportions, with
    strengths that often tie (the ids break ties)."""
    pairs: set[tuple[int, int]] = set()
    for a in range(1, count + 1):
        for _ in range(per_firm // 2):
            b = rng.randint(1, count)
            if a != b:
                pairs.add((min(a, b), max(a, b)))
    rows = []
    for a, b in sorted(pairs):
        band = rng.choices(BANDS, BAND_WEIGHTS)[0]
        name, offer = round(rng.uniform(0.5, 1.0), 3), round(rng.uniform(0.85, 1.0), 3)
        rows.append(
            {
                "first_id": a,
                "second_id": b,
                "band": band,
                "band_rank": BANDS.index(band),
                "strength": max(name, offer),
                "name_similarity": name,
                "offer_similarity": offer,
                "reasons": ["Alike names and alike offers."],
            }
        )
    return rows


def bulk_load(session: Any, firms: int, pending_share: float, per_firm: int) -> dict[str, int]:
    from sqlalchemy import insert, text

    from matchmaker.models import Company, CompanyCapability, DuplicateCandidatePair

    rng = random.Random(firms)
    companies = firm_rows(firms, pending_share, rng)
    capabilities = [
        {"company_id": c["id"], "kind": kind, "code": code}
        for c in companies
        for kind, code in (
            ("offer", "ammunition_missiles.shells"),
            ("seek", "ammunition_missiles.propellants"),
        )
    ]
    pairs = pair_rows(firms, per_firm, rng)
    for model, rows in (
        (Company, companies),
        (CompanyCapability, capabilities),
        (DuplicateCandidatePair, pairs),
    ):
        for start in range(0, len(rows), 5000):
            session.execute(insert(model), rows[start : start + 5000])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT setval('company_id_seq', :n)"), {"n": firms})
    session.commit()
    return {
        "firms": firms,
        "pending": sum(c["status"] == "pending" for c in companies),
        "pairs": len(pairs),
    }


def analyze(engine: Any) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map index-only scans
    rely on), as autovacuum would have left them after a bulk load."""
    from sqlalchemy import text

    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


class StatementLog:
    """The SQL one request issues, with each statement's wall time."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.records: list[tuple[str, Any, float]] = []
        self.active = False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if self.active:
            ms = (time.perf_counter() - conn.info.pop("bench_started")) * 1000
            self.records.append((statement, params, ms))

    @contextmanager
    def recording(self) -> Iterator[list[tuple[str, Any, float]]]:
        self.records = []
        self.active = True
        try:
            yield self.records
        finally:
            self.active = False


def explain(engine: Any, statement: str, params: Any) -> list[str]:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + statement, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN QUERY PLAN " + statement, params)
        return [str(row[-1]) for row in cursor.fetchall()]
    finally:
        raw.close()


def measure(client: Any, url: str) -> tuple[float, int]:
    """p50 wall ms of GET `url` (10 samples; 3 when one takes over 3 s), and the body size."""
    started = time.perf_counter()
    body = client.get(url)
    first = time.perf_counter() - started
    assert body.status_code == 200, (url, body.status_code)
    samples = []
    for _ in range(3 if first > 3 else 10):
        started = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], len(body.data)


def run(backend: str, firms: int, pending_share: float, per_firm: int, plans: bool) -> None:
    from flask_migrate import upgrade

    from matchmaker.config import TestConfig
    from matchmaker.extensions import db
    from matchmaker.factory import create_app
    from matchmaker.services.admins import create_admin_user

    with database(backend) as (url, tmp):
        app = create_app(TestConfig(url, tmp), embedder=NoEmbedder())  # type: ignore[arg-type]
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            sizes = bulk_load(db.session, firms, pending_share, per_firm)
            analyze(db.engine)
            load_s = time.perf_counter() - started
            create_admin_user(db.session, ADMIN["email"], ADMIN["password"], actor="bench")
            engine = db.engine
        print(f"\n## {backend}: {sizes['firms']} firms, {sizes['pending']} pending, "
              f"{sizes['pairs']} stored pairs (bulk load {load_s:.0f} s)")  # fmt: skip
        # Requests run outside any app context, so each gets its own session as in production.
        client = app.test_client()
        client.post("/admin/login", data=ADMIN)
        log = StatementLog(engine)
        queue_last = max(1, math.ceil(sizes["pending"] / 50))
        pairs_last = max(1, math.ceil(sizes["pairs"] / 25))
        for label, page_url in (
            ("review queue, page 1", "/admin/review"),
            (f"review queue, page {queue_last} (last)", f"/admin/review?page={queue_last}"),
            ("review queue, filtered by country, size and dates",
             "/admin/review?country=DE&size=sme&since=2026-03-01&until=2026-09-30"),
            ("review queue, re-reviews only", "/admin/review?kind=rereview"),
            ("review queue, new only, page 2", "/admin/review?kind=new&page=2"),
            ("review queue, text search", "/admin/review?q=Forge+12"),
            ("duplicates, page 1", "/admin/duplicates"),
            (f"duplicates, page {pairs_last // 2}", f"/admin/duplicates?page={pairs_last // 2}"),
            (f"duplicates, page {pairs_last} (last)", f"/admin/duplicates?page={pairs_last}"),
            ("duplicates, band certain, page 1", "/admin/duplicates?band=certain"),
            ("duplicates, band possible, page 1,000", "/admin/duplicates?band=possible&page=1000"),
        ):  # fmt: skip
            p50, size = measure(client, page_url)
            print(f"\n{label}: p50 {p50:.0f} ms, {size / 1024:.0f} KiB   ({page_url})")
            with log.recording() as records:
                client.get(page_url)
            ours = [r for r in records if _is_page_query(r[0])]
            total = sum(ms for _, _, ms in records)
            print(f"  {len(records)} statements, {total:.0f} ms in SQL; the page's own:")
            for statement, params, ms in ours:
                print(f"  {ms:8.1f} ms  {_short(statement)}")
                if plans and ms >= EXPLAIN_OVER_MS:
                    for line in explain(engine, statement, params):
                        print(f"              | {line}")
        engine.dispose()


@contextmanager
def database(backend: str) -> Iterator[tuple[str, Path]]:
    """A fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    import tempfile

    import psycopg

    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            yield f"sqlite:///{tmp}/bench.sqlite", Path(tmp)
            return
        schema = f"bench_paging_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", Path(tmp)
        finally:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class NoEmbedder:
    """Stands in for the model at start-up: no page measured here embeds anything."""

    model_name = "none"
    dimension = 384

    def encode(self, texts: Any, batch_size: int = 32, show_progress: bool = False) -> Any:
        raise AssertionError("the admin pages measured here never embed")


def _is_page_query(statement: str) -> bool:
    text = statement.lower()
    return text.lstrip().startswith("select") and (
        "from company" in text or "duplicate_candidate" in text or "company_capability" in text
    )


def _short(statement: str) -> str:
    one_line = " ".join(statement.split())
    return one_line if len(one_line) <= 150 else one_line[:147] + "..."


def _revision(tree: Path) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--firms", type=int, nargs="+", default=[5000, 15000])
    parser.add_argument("--pending-share", type=float, default=1 / 3)
    parser.add_argument("--pairs-per-firm", type=int, default=44)
    parser.add_argument("--no-plans", action="store_true", help="skip the EXPLAIN output")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the migrations' progress lines
    import matchmaker

    tree = Path(matchmaker.__file__).resolve().parent.parent
    print(f"date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, tree under test {tree} "
          f"(git {_revision(tree)}), load avg {load_average()} "
          "(1/5/15 min; 2 vCPU shared with other work)")  # fmt: skip
    for backend in args.backends:
        for firms in args.firms:
            run(backend, firms, args.pending_share, args.pairs_per_firm, not args.no_plans)
    print(f"\nload avg at the end {load_average()}")


if __name__ == "__main__":
    main()

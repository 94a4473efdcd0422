"""The duplicates review at scale: N firms that all look alike (names sharing a few
brands, near-identical offers), stored through the profile service with the real model.

Prints, per size: how long loading took with the candidate store refreshed per write,
how many pairs are stored, `rebuild_candidates`, one write's refresh (p50/p95), the
admin page (first and last page, and its HTML size), the review queue and a company page;
and, up to `--old-max` firms, the whole-registry comparison the page used to run.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_duplicates.py --sizes 600 5000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine_header, quiet_model_loading, rss_mb, time_each  # noqa: E402

BRANDS = ["Karpaty", "Staufen", "Lofoten", "Wigry", "Falken", "Dnipro", "Vexin", "Odra"]
WORDS = ["Precision", "Forge", "Metal", "Shell", "Munition", "Casting", "Machining", "Steel"]
FORMS = ["GmbH", "AG", "Sp. z o.o.", "LLC", "SA", "s.r.o."]
OFFER = (
    "Serial production of 155 mm artillery shell bodies: hot forging, CNC machining and "
    "heat treatment, {n} units a month, NATO STANAG 4425 tolerances{extra}."
)
EXTRAS = ["", ", with in-house X-ray inspection", ", banding and painting", ", for export"]


class CachingEmbedder:
    """The real model, encoding each distinct text once (the synthetic texts repeat)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.model_name = inner.model_name  # type: ignore[attr-defined]
        self.dimension = inner.dimension  # type: ignore[attr-defined]
        self.cache: dict[str, np.ndarray] = {}

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, show_progress: bool = False
    ) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self.cache})
        if missing:
            vectors = self.inner.encode(missing, batch_size, False)  # type: ignore[attr-defined]
            self.cache.update(zip(missing, vectors, strict=True))
        return np.stack([self.cache[t] for t in texts])


def payload(i: int, rng: random.Random) -> dict[str, object]:
    brand, word = rng.choice(BRANDS), rng.choice(WORDS)
    return {
        "name": f"{brand} {word} {i} {rng.choice(FORMS)}",
        "legal_id": f"DE{300_000_000 + i}",
        "country": "DE",
        "size": "sme",
        "offers": OFFER.format(n=rng.choice([500, 1000, 2000, 5000]), extra=rng.choice(EXTRAS)),
        "seeks": "A partner producing propellant charges and fuzes to complete rounds.",
        "capabilities": ["ammunition_missiles.shells"],
        "seeking_capabilities": ["ammunition_missiles.propellants"],
        "pathways": ["jv_eu"],
        "status": rng.choice(["approved", "approved", "pending"]),
    }


def run(size: int, old_max: int, embedder: object) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from matchmaker.config import TestConfig
    from matchmaker.extensions import db, matching
    from matchmaker.factory import create_app
    from matchmaker.models import Company
    from matchmaker.services import duplicate_store
    from matchmaker.services.admins import create_admin_user
    from matchmaker.services.documents import load_companies
    from matchmaker.services.duplicates import find_duplicates
    from matchmaker.services.profiles import create_companies, update_company

    rng = random.Random(size)
    with tempfile.TemporaryDirectory() as tmp:
        config = TestConfig(f"sqlite:///{tmp}/bench.sqlite", Path(tmp))
        app = create_app(config, embedder=embedder)  # type: ignore[arg-type]
        with app.app_context():
            upgrade()
            hook = matching.service.embed_changes
            started = time.perf_counter()
            for start in range(0, size, 500):
                rows = [payload(i, rng) for i in range(start, min(size, start + 500))]
                create_companies(db.session, load_companies(rows), actor="bench", on_change=hook)
            load_s = time.perf_counter() - started
            counts = duplicate_store.band_counts(db.session)
            print(f"\n## {size} alike firms (SQLite)")
            print(f"load through the profile service, store refreshed per write: {load_s:.1f} s")
            print(f"stored pairs: {sum(counts.values())} {counts}")
            started = time.perf_counter()
            rebuilt = duplicate_store.rebuild_candidates(db.session)
            print(f"rebuild_candidates: {time.perf_counter() - started:.1f} s, {rebuilt} pairs")

            ids = list(db.session.scalars(select(Company.id)))
            sample = rng.sample(ids, 30)

            def edit(company_id: int) -> None:
                changes = {"offers": OFFER.format(n=rng.randint(100, 9000), extra="")}
                update_company(db.session, company_id, changes, actor="bench", on_change=hook)

            def refresh(company_id: int) -> None:
                duplicate_store.refresh_candidates(db.session, [company_id])
                db.session.commit()

            edits, refreshes = time_each(edit, sample), time_each(refresh, sample)
            print(f"one edit (embed + store refresh + commit): p50 {edits.p50:.0f} ms, "
                  f"p95 {edits.p95:.0f} ms")  # fmt: skip
            print(f"one firm's candidate refresh alone: p50 {refreshes.p50:.0f} ms, "
                  f"p95 {refreshes.p95:.0f} ms")  # fmt: skip

            create_admin_user(db.session, "bench@example.org", "a long enough password", actor="b")
            client = app.test_client()
            login = {"email": "bench@example.org", "password": "a long enough password"}
            client.post("/admin/login", data=login)
            total = sum(duplicate_store.band_counts(db.session).values())
            last = max(1, -(-total // 25))
            for label, url in (
                ("duplicates page 1", "/admin/duplicates"),
                (f"duplicates page {last}", f"/admin/duplicates?page={last}"),
                ("duplicates, band possible", "/admin/duplicates?band=possible"),
                ("review queue", "/admin/review"),
                ("a company page", f"/admin/companies/{sample[0]}"),
            ):
                timing = time_each(lambda _, url=url: client.get(url), range(10), warmup=1)
                body = client.get(url)
                assert body.status_code == 200, (url, body.status_code)
                print(f"{label}: p50 {timing.p50:.0f} ms, {len(body.data) / 1024:.0f} KiB")

            if size <= old_max:
                started = time.perf_counter()
                pairs = find_duplicates(db.session)
                print(f"old whole-registry comparison (find_duplicates): "
                      f"{time.perf_counter() - started:.1f} s, {len(pairs)} pairs")  # fmt: skip
            print(f"RSS now / peak: {rss_mb()[0]:.0f} / {rss_mb()[1]:.0f} MiB")
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 5000])
    parser.add_argument("--old-max", type=int, default=600, help="run find_duplicates up to N")
    args = parser.parse_args()
    quiet_model_loading()
    from matchmaker.domain.embedding import make_embedder

    print("\n".join(machine_header()))
    embedder = CachingEmbedder(make_embedder("default"))
    for size in args.sizes:
        run(size, args.old_max, embedder)


if __name__ == "__main__":
    main()

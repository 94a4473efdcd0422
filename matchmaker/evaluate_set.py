"""Evaluate a set of real partnerships from scratch, every variant in one run.

    .venv/bin/python eval/run.py --set eval/real --with-demo [--model NAME]

A set is a folder with `firms.json` (profiles in the import format plus meta fields),
`firms_uk.json` (the same, Ukrainian firms' texts in Ukrainian) and `pairs.json`. For
each language the run creates a fresh SQLite database in a temporary folder (never
instance/), migrates it with Alembic as `flask db upgrade` does, imports the firms
through the import service with the embedding hook (status approved) and ranks both
queries of every pair with the engine and the baselines (`services.evaluation`);
with `--with-demo` it then loads the demo registry through the seeding service as
distractors and ranks again. Variants: {English, Ukrainian firms in Ukrainian} x
{all pairs, pairs without the state holding} x {real firms only, with the demo
registry}. Per-query ranks go to `<results>/<model>-<language>-<registry>.json`.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.config import TestConfig
from matchmaker.domain.embedding import DEFAULT_MODEL, Embedder, make_embedder
from matchmaker.extensions import db, matching
from matchmaker.factory import create_app
from matchmaker.models import Company
from matchmaker.services.evaluation import (
    DEPTH,
    METHODS,
    EvaluationReport,
    Pair,
    QueryResult,
    load_pairs_file,
    rank_queries,
    report,
)
from matchmaker.services.imports import import_companies
from matchmaker.services.seeding import load_seeds, read_seed_file

ACTOR = "system:evaluation"
META_FIELDS = ("legal_id_is_placeholder", "state_holding", "facts_sources", "sources", "uk")
LANGUAGES = {"en": "firms.json", "uk": "firms_uk.json"}
LANGUAGE_LABELS = {"en": "English", "uk": "UA firms in Ukrainian"}
SUBSETS = ("all pairs", "without the state holding")


class EvaluationConfig(TestConfig):
    """A throwaway app: its database and index live in `folder`; no secret key file
    (TESTING keeps Config from writing one into instance/)."""

    def __init__(self, folder: Path, model: str) -> None:
        super().__init__(f"sqlite:///{folder / 'evaluation.sqlite'}", folder / "instance")
        self.SECRET_KEY = "evaluation-only"
        self.EMBEDDING_MODEL = model


@dataclass(frozen=True)
class VariantResult:
    language: str  # "en" or "uk"
    registry: str  # "real" or "demo"
    firms: int  # approved firms in the registry
    results: list[QueryResult]
    names: dict[int, str]

    def subset(self, name: str) -> list[QueryResult]:
        if name == "all pairs":
            return self.results
        return [r for r in self.results if not r.pair.state_holding]

    def report(self, subset: str) -> EvaluationReport:
        chosen = self.subset(subset)
        return report(chosen, len({r.pair.source for r in chosen}))


def import_row(firm: dict[str, Any]) -> dict[str, Any]:
    """A set's profile as the import endpoint receives it: no meta fields, approved."""
    row = {k: v for k, v in firm.items() if k not in META_FIELDS}
    row["status"] = "approved"
    return row


def run_set(
    set_dir: Path,
    *,
    with_demo: bool,
    model: str = DEFAULT_MODEL,
    embedder: Embedder | None = None,
    results_dir: Path | None = None,
    seed_file: Path | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> list[VariantResult]:
    """Every variant of the set, each language in its own fresh database."""
    embedder = embedder or make_embedder(model)
    variants = []
    for language, firms_file in LANGUAGES.items():
        firms = json.loads((set_dir / firms_file).read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory(prefix="matchmaker-eval-") as folder:
            app = create_app(EvaluationConfig(Path(folder), model), embedder=embedder)
            with app.app_context():
                try:
                    upgrade()
                    session = db.session()  # the request-free Session behind the proxy
                    service = matching.service
                    log(f"[{language}] importing {len(firms)} firms")
                    result = import_companies(
                        session,
                        [import_row(f) for f in firms],
                        actor=ACTOR,
                        atomic=True,
                        on_change=service.embed_changes,
                    )
                    if result.errors:
                        raise ValueError(f"{firms_file}: rows refused: {result.errors[:3]}")
                    pairs = load_pairs_file(session, set_dir / "pairs.json")
                    log(f"[{language}] ranking {2 * len(pairs)} queries, real firms only")
                    variants.append(_variant(session, language, "real", pairs))
                    if with_demo:
                        rows = read_seed_file(seed_file or app.config["SEED_FILE"])
                        load_seeds(session, rows, on_change=service.embed_changes)
                        log(f"[{language}] ranking again with {len(rows)} demo firms")
                        variants.append(_variant(session, language, "demo", pairs))
                finally:
                    db.session.remove()
                    db.engine.dispose()
    if results_dir is not None:
        write_results(variants, results_dir, embedder.model_name, set_dir)
    return variants


def _variant(session: Session, language: str, registry: str, pairs: list[Pair]) -> VariantResult:
    results = rank_queries(session, matching.service, pairs)
    rows = session.execute(select(Company.id, Company.name, Company.status)).all()
    approved = sum(row.status == "approved" for row in rows)
    names = {row.id: row.name for row in rows}
    return VariantResult(language, registry, approved, results, names)


def write_results(
    variants: Sequence[VariantResult], results_dir: Path, model: str, set_dir: Path
) -> list[Path]:
    """One JSON file per language x registry: every query with each method's rank."""
    results_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in variants:
        path = results_dir / f"{_slug(model)}-{variant.language}-{variant.registry}.json"
        document = {
            "model": model,
            "set": str(set_dir),
            "commit": _commit(),
            "language": variant.language,
            "registry": variant.registry,
            "approved_firms": variant.firms,
            "depth": DEPTH,
            "metrics": {
                subset: {method: vars(m) for method, m in variant.report(subset).results.items()}
                for subset in SUBSETS
            },
            "queries": [_query_row(r, variant.names) for r in variant.results],
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        written.append(path)
    return written


def _query_row(result: QueryResult, names: dict[int, str]) -> dict[str, Any]:
    return {
        "pair": result.pair.source,
        "query": names.get(result.query_id, str(result.query_id)),
        "partner": names.get(result.target_id, str(result.target_id)),
        "state_holding": result.pair.state_holding,
        "candidates": result.candidates,
        "ranks": result.ranks,
    }


def table(variants: Sequence[VariantResult]) -> str:
    """One Markdown row per variant; each cell is MRR (Recall@5 / Recall@10)."""
    header = ["texts", "pairs", "registry", "queries", *METHODS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for language in LANGUAGES:
        for subset in SUBSETS:
            for variant in variants:
                if variant.language != language:
                    continue
                chosen = variant.report(subset)
                registry = f"{variant.registry} ({variant.firms} firms)"
                cells = [
                    LANGUAGE_LABELS[language],
                    f"{subset} ({chosen.pairs})",
                    registry,
                    str(2 * chosen.pairs),
                ]
                for method in METHODS:
                    m = chosen.results[method]
                    cells.append(f"{m.mrr:.3f} ({m.recall_at_5:.2f} / {m.recall_at_10:.2f})")
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _slug(model: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(model).name or model)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate a set of known partnerships.")
    parser.add_argument("--set", dest="set_dir", type=Path, default=Path("eval/real"))
    parser.add_argument("--with-demo", action="store_true", help="also with the demo firms")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="embedding model (as configured)")
    parser.add_argument("--results", type=Path, default=Path("eval/results"))
    args = parser.parse_args(argv)
    variants = run_set(
        args.set_dir,
        with_demo=args.with_demo,
        model=args.model,
        results_dir=args.results,
        log=lambda message: print(message, file=sys.stderr, flush=True),
    )
    print(
        f"MRR (Recall@5 / Recall@10), depth {DEPTH}; candidates: approved firms of the other side"
    )
    print(table(variants))
    return 0

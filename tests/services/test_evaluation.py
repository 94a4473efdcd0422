"""The real evaluation set (eval/) and the command that evaluates a set from scratch."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from matchmaker.domain.embedding import Embedder
from matchmaker.evaluate_set import run_set, table

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "eval" / "real"


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_build", ROOT / "eval" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return _build_module()


def test_committed_set_is_what_the_build_script_makes_from_the_sources(build: ModuleType) -> None:
    """Re-run the merge in memory: the committed files are its exact output (deterministic)."""
    documents = build.build()
    for name, document in documents.items():
        assert (REAL / name).read_text(encoding="utf-8") == build.dumps(document), name
    assert build.dumps(build.build()) == build.dumps(documents)


def test_every_profile_is_valid_and_every_pair_names_firms_of_the_set(build: ModuleType) -> None:
    firms = json.loads((REAL / "firms.json").read_text(encoding="utf-8"))
    firms_uk = json.loads((REAL / "firms_uk.json").read_text(encoding="utf-8"))
    pairs = json.loads((REAL / "pairs.json").read_text(encoding="utf-8"))
    assert build.validate(firms, pairs) == []
    keys = {(f["country"], f["legal_id"]) for f in firms}
    assert len(keys) == len(firms) == len(firms_uk)
    assert [(f["country"], f["legal_id"]) for f in firms_uk] == [
        (f["country"], f["legal_id"]) for f in firms
    ]
    for pair in pairs:
        assert (pair["eu"]["country"], pair["eu"]["legal_id"]) in keys
        assert (pair["ua"]["country"], pair["ua"]["legal_id"]) in keys
        assert pair["deals"] and all(d["source"].startswith("http") for d in pair["deals"])
    firm_pairs = [(p["eu"]["legal_id"], p["ua"]["legal_id"]) for p in pairs]
    assert len(firm_pairs) == len(set(firm_pairs)), "one pair per firm pair"
    assert len(pairs) >= 40
    assert len(firms) - len({k for p in firm_pairs for k in p}) >= 20  # distractors


def test_ukrainian_variant_replaces_only_ukrainian_firms_texts() -> None:
    firms = json.loads((REAL / "firms.json").read_text(encoding="utf-8"))
    firms_uk = json.loads((REAL / "firms_uk.json").read_text(encoding="utf-8"))
    for en, uk in zip(firms, firms_uk, strict=True):
        if en["country"] == "UA":
            assert uk["description"] == en["uk"]["description"]
            assert uk["offers"] == en["uk"]["offers"] and uk["seeks"] == en["uk"]["seeks"]
        else:
            assert uk == en


def test_the_partner_check_catches_a_named_partner(build: ModuleType) -> None:
    partner = {"name": "JSC Ukrainian Defense Industry (Ukroboronprom)"}
    assert build.names_partner({"description": "Works with Ukroboronprom."}, partner)
    uk_text = {"uk": {"offers": "Разом з Укроборонпромом."}}
    assert build.names_partner(uk_text, partner)  # caught through transliteration
    assert build.names_partner({"offers": "Armoured vehicles."}, partner) is None


def test_evaluation_runs_end_to_end_on_a_three_pair_subset(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Fresh databases, import, demo distractors, every method and variant; numbers in [0, 1]."""
    subset = _subset(tmp_path / "set", pair_numbers=(0, 5, 20))
    demo = json.loads((ROOT / "seeds" / "companies.json").read_text(encoding="utf-8"))
    seed_file = tmp_path / "demo.json"
    seed_file.write_text(json.dumps([c for c in demo if c["status"] == "approved"][:6]))
    variants = run_set(
        subset, with_demo=True, embedder=embedder, results_dir=tmp_path, seed_file=seed_file
    )
    assert [(v.language, v.registry) for v in variants] == [
        ("en", "real"),
        ("en", "demo"),
        ("uk", "real"),
        ("uk", "demo"),
    ]
    for variant in variants:
        assert len(variant.results) == 6
        for subset_name in ("all pairs", "without the state holding"):
            for metrics in variant.report(subset_name).results.values():
                for value in (metrics.mrr, metrics.recall_at_5, metrics.recall_at_10):
                    assert 0.0 <= value <= 1.0
    assert variants[1].firms == variants[0].firms + 6
    assert sum(not r.pair.state_holding for r in variants[0].results) == 4
    printed = table(variants)
    assert len(printed.splitlines()) == 2 + 8  # header, rule, eight variants
    written = sorted(p.name for p in tmp_path.glob("*.json") if p.name != "demo.json")
    assert written == [
        f"{embedder.model_name}-{v}.json"
        for v in sorted(["en-demo", "en-real", "uk-demo", "uk-real"])
    ]
    ranks = json.loads((tmp_path / f"{embedder.model_name}-en-real.json").read_text())
    assert {q["partner"] for q in ranks["queries"]} >= {
        variants[0].names[r.target_id] for r in variants[0].results
    }


def _subset(folder: Path, pair_numbers: tuple[int, ...]) -> Path:
    """Three pairs of the real set (one with the state holding) and their six firms."""
    folder.mkdir()
    pairs = json.loads((REAL / "pairs.json").read_text(encoding="utf-8"))
    chosen = [pairs[n] for n in pair_numbers]
    keys = {(p[s]["country"], p[s]["legal_id"]) for p in chosen for s in ("eu", "ua")}
    for name in ("firms.json", "firms_uk.json"):
        firms = json.loads((REAL / name).read_text(encoding="utf-8"))
        kept = [f for f in firms if (f["country"], f["legal_id"]) in keys]
        (folder / name).write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    (folder / "pairs.json").write_text(json.dumps(chosen, ensure_ascii=False), encoding="utf-8")
    assert sum(p["state_holding"] for p in chosen) == 1
    return folder


def test_engine_beats_both_baselines_on_the_real_set(tmp_path: Path, embedder: Embedder) -> None:
    """On the real partnerships, in English and with the Ukrainian firms' texts in
    Ukrainian, the engine ranks partners above keyword search and above whole-profile
    embedding similarity (MRR over both queries of every pair; docs/evaluation.md)."""
    variants = run_set(REAL, with_demo=False, embedder=embedder, results_dir=tmp_path)
    for variant in variants:
        results = variant.report("all pairs").results
        engine = results["engine"].mrr
        assert engine > results["bm25"].mrr, (variant.language, results)
        assert engine > results["embedding only"].mrr, (variant.language, results)

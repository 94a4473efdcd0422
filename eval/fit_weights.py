"""Fit the component weights on a set of real partnerships, cross-validated by pair.

    .venv/bin/python eval/fit_weights.py --set eval/real [--model default] [--folds 5]

For every pair of the set, in both directions (each firm looks for the other), and in
every variant (English texts / Ukrainian firms in Ukrainian, real firms alone / with
the demo registry as distractors), the engine's own components are computed for
every candidate of the other side, exactly as a match computes them. The weights are
then fitted as a conditional logit (`matchmaker.domain.weight_fit`, which `flask scoring
fit` uses too): the probability that the true partner is the one
chosen among all candidates is softmax(score / temperature), with the score the
engine's own blend (the weighted mean of the components that apply), so the fitted
weights drop straight into the configuration. Folds hold out whole pairs (both of a
pair's queries, in every variant); every fold's held-out MRR is printed beside the
current weights', then the weights fitted on all pairs, which are the ones to ship.

Domain only (no database): profiles are read from the set's files and the demo seeds
as the import would store them, which is what `eval/run.py` ranks through the app.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaker.domain.embedding import Embedder, make_embedder, offer_text, seek_text  # noqa: E402
from matchmaker.domain.matcher import Matcher  # noqa: E402
from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance  # noqa: E402
from matchmaker.domain.scoring_config import ScoringConfig  # noqa: E402
from matchmaker.domain.taxonomy import side_of_country  # noqa: E402
from matchmaker.domain.weight_fit import Query, figures, fit, fold_groups  # noqa: E402

DAY = date(2026, 12, 1)


def profile_of(number: int, firm: dict[str, Any]) -> CompanyProfile:
    compliance = firm.get("compliance") or {}
    return CompanyProfile(
        id=number,
        name=firm["name"],
        country=firm["country"],
        side=side_of_country(firm["country"]) or "EU",
        size=firm.get("size", "sme"),
        status=firm.get("status", "approved"),
        description=firm.get("description", ""),
        offers=firm.get("offers", ""),
        seeks=firm.get("seeks", ""),
        capabilities=frozenset(firm.get("capabilities", [])),
        seeking_capabilities=frozenset(firm.get("seeking_capabilities", [])),
        certifications=tuple(
            Certificate(
                c["scheme"],
                c.get("identifier", ""),
                c.get("issuer", ""),
                date.fromisoformat(c["valid_until"]) if c.get("valid_until") else None,
            )
            for c in firm.get("certifications", [])
        ),
        partner_certifications=frozenset(firm.get("partner_certifications", [])),
        pathways=frozenset(firm.get("pathways", [])),
        compliance=Compliance(
            controlling_country=compliance.get("controlling_country"),
            sanctioned=compliance.get("sanctioned", False),
            export_control=frozenset(compliance.get("export_control", [])),
            itar_controlled=compliance.get("itar_controlled", False),
            non_eligible_component_share=compliance.get("non_eligible_component_share"),
            security_clearance=compliance.get("security_clearance", "none"),
            required_clearance=compliance.get("required_clearance", "none"),
        ),
    )


class CachedEmbedder:
    """Embeds each distinct text once across the variants."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder, self._vectors = embedder, {}  # type: dict[str, np.ndarray]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            self._vectors.update(zip(todo, self.embedder.encode(todo), strict=True))
        return np.stack([self._vectors[t] for t in texts])


def variant_queries(
    set_dir: Path, language: str, demo: bool, embedder: CachedEmbedder, config: ScoringConfig
) -> list[Query]:
    firms = json.loads(
        (set_dir / ("firms_uk.json" if language == "uk" else "firms.json")).read_text()
    )
    pairs = json.loads((set_dir / "pairs.json").read_text())
    key = {(f["country"], f["legal_id"]): n for n, f in enumerate(firms, start=1)}
    profiles = [profile_of(n, f) for n, f in enumerate(firms, start=1)]
    if demo:
        seeds = json.loads((ROOT / "seeds" / "companies.json").read_text())
        profiles += [profile_of(10_000 + n, f) for n, f in enumerate(seeds)]
    offers = embedder.encode([offer_text(p) for p in profiles])
    seeks = embedder.encode([seek_text(p) for p in profiles])
    matcher = Matcher(embedder.embedder, config)
    matcher.bulk_load(profiles, offers, seeks)
    queries = []
    names = [c.name for c in config.components]
    for number, pair in enumerate(pairs):
        a, b = (key[(pair[s]["country"], pair[s]["legal_id"])] for s in ("eu", "ua"))
        for asking, partner in ((a, b), (b, a)):
            ids, values = matcher.candidate_values(asking, today=DAY)
            target = int(np.flatnonzero(ids == partner)[0])
            queries.append(Query(number, target, np.stack([values[n] for n in names], axis=1)))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "eval" / "real")
    parser.add_argument("--model", default="default")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    config = ScoringConfig.for_model(make_embedder(args.model).model_name)
    embedder = CachedEmbedder(make_embedder(args.model))
    variants = {
        (language, demo): variant_queries(args.set, language, demo, embedder, config)
        for language in ("en", "uk")
        for demo in (False, True)
    }
    names = [c.name for c in config.components]
    current = np.array([config.weights[n] for n in names])
    label = {v: f"{v[0]}{'+demo' if v[1] else ''}" for v in variants}
    everything = [q for qs in variants.values() for q in qs]
    pairs = sorted({q.group for q in everything})
    print(
        f"{len(pairs)} pairs, {len(everything)} queries over {len(variants)} variants; "
        f"components {', '.join(names)}"
    )
    held: dict[tuple[str, bool], list[tuple[float, float]]] = {v: [] for v in variants}
    for fold, test in enumerate(fold_groups(pairs, args.folds)):
        weights = fit([q for q in everything if q.group not in test], len(names))
        cells = []
        for v, qs in variants.items():
            out = [q for q in qs if q.group in test]
            held[v].append((figures(weights, out).mrr, figures(current, out).mrr))
            cells.append(f"{label[v]} {held[v][-1][0]:.3f} (now {held[v][-1][1]:.3f})")
        print(f"fold {fold}: weights {np.round(weights, 3).tolist()}  " + "  ".join(cells))
    print("held-out MRR, mean over folds: fitted (current)")
    for v in variants:
        fitted, now = np.mean([h[0] for h in held[v]]), np.mean([h[1] for h in held[v]])
        print(f"  {label[v]:<8} {fitted:.3f} ({now:.3f})")
    final = fit(everything, len(names))
    print("weights fitted on every pair (to ship):")
    print(json.dumps({n: round(float(w), 3) for n, w in zip(names, final, strict=True)}))


if __name__ == "__main__":
    main()

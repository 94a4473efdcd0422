"""Fit the component weights on a set of real partnerships, cross-validated by pair.

    .venv/bin/python eval/fit_weights.py --set eval/real [--model default] [--folds 5]

For every pair of the set, in both directions (each firm looks for the other), and in
every variant (English texts / Ukrainian firms in Ukrainian, real firms alone / with
the demo registry as distractors), the engine's own components are computed for
every candidate of the other side, exactly as a match computes them. The weights are
then fitted as a conditional logit: the probability that the true partner is the one
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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchmaker.domain.embedding import Embedder, make_embedder, offer_text, seek_text  # noqa: E402
from matchmaker.domain.matcher import Matcher  # noqa: E402
from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance  # noqa: E402
from matchmaker.domain.scoring_config import ScoringConfig  # noqa: E402
from matchmaker.domain.taxonomy import side_of_country  # noqa: E402

DAY = date(2026, 12, 1)
DEPTH = 50  # as the evaluation: a partner below it counts as not found
L2 = 0.01  # on the log-weights: keeps weights of components the set cannot tell apart near equal


@dataclass
class Query:
    pair: int
    target: int  # row of the true partner among the candidates
    values: np.ndarray  # (candidates, components), NaN where a component does not apply


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


def blend(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    applies = ~np.isnan(values)
    total = applies @ weights
    return np.where(
        total > 0, np.where(applies, values, 0.0) @ weights / np.maximum(total, 1e-12), 0
    )


def reciprocal_rank(weights: np.ndarray, query: Query) -> float:
    scores = blend(weights, query.values)
    # Ties are ranked in the middle: an engine that cannot tell firms apart gets no credit.
    rank = (
        1 + np.sum(scores > scores[query.target]) + (np.sum(scores == scores[query.target]) - 1) / 2
    )
    return 1.0 / rank if rank <= DEPTH else 0.0


def mrr(weights: np.ndarray, queries: Sequence[Query]) -> float:
    return float(np.mean([reciprocal_rank(weights, q) for q in queries])) if queries else 0.0


def fit(queries: Sequence[Query], components: int) -> np.ndarray:
    def loss(theta: np.ndarray) -> float:
        weights, temperature = np.exp(theta[:-1]), np.exp(theta[-1])
        total = 0.0
        for q in queries:
            logits = blend(weights, q.values) / temperature
            logits -= logits.max()
            total -= logits[q.target] - np.log(np.exp(logits).sum())
        return total / len(queries) + L2 * float(np.sum(theta[:-1] ** 2))

    start = np.zeros(components + 1)
    start[-1] = np.log(0.05)
    result = minimize(loss, start, method="L-BFGS-B", options={"maxiter": 300})
    weights = np.exp(result.x[:-1])
    return weights / weights.sum()


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
    pairs = sorted({q.pair for q in everything})
    order = np.random.default_rng(0).permutation(pairs)
    print(
        f"{len(pairs)} pairs, {len(everything)} queries over {len(variants)} variants; "
        f"components {', '.join(names)}"
    )
    held: dict[tuple[str, bool], list[tuple[float, float]]] = {v: [] for v in variants}
    for fold in range(args.folds):
        test = set(order[fold :: args.folds].tolist())
        weights = fit([q for q in everything if q.pair not in test], len(names))
        cells = []
        for v, qs in variants.items():
            out = [q for q in qs if q.pair in test]
            held[v].append((mrr(weights, out), mrr(current, out)))
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

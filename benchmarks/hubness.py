"""Hubness: how many askers' top 10 each firm appears in.

    .venv/bin/python benchmarks/hubness.py [--registry demo|real+demo|10000] [--model default]

A firm in nearly everybody's top 10 is suggested for being complete (certificates,
pathways, compliance facts filled in), not for fitting: the guard is that no firm
appears in more than 5 % of the top-10 lists. On a small registry that bound is below
what a uniform spread gives (k lists over the other side's firms), so the uniform
share is printed beside it, with each hub's mean component values to show why it is
suggested. Every approved firm asks once (its own
side's partners are the other side); printed: askers, the most-suggested firms with
their share of top-10 lists and the components they scored on, and how many firms
are above the bound.

The bound of the match-quality issue is about completeness: a firm may be in many lists
because it fits many askers (the Ukrainian state holding is the real partner of 19
European firms), but not because it filled in certificates and compliance facts. So
every list is also ranked by relevance alone (the components that read what firms do
and seek; the completeness components, certification and regulatory fit, weighted 0),
and an appearance counts as *through completeness* when the firm is in the full top 10
but not in the relevance-only one. That share is the guarded one: at most 5 % per firm.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from fit_weights import profile_of  # noqa: E402

from matchmaker.domain.embedding import make_embedder, offer_text, seek_text  # noqa: E402
from matchmaker.domain.hubness import BOUND, measure, relevance_only  # noqa: E402
from matchmaker.domain.matcher import Matcher  # noqa: E402
from matchmaker.domain.profile import CompanyProfile  # noqa: E402
from matchmaker.domain.scoring_config import ScoringConfig  # noqa: E402
from matchmaker.domain.side import suggestible  # noqa: E402

TOP = 10


def demo_profiles(offset: int = 10_000) -> list[CompanyProfile]:
    seeds = json.loads((ROOT / "seeds" / "companies.json").read_text())
    return [profile_of(offset + n, firm) for n, firm in enumerate(seeds)]


def real_profiles() -> list[CompanyProfile]:
    firms = json.loads((ROOT / "eval" / "real" / "firms.json").read_text())
    return [profile_of(n, firm) for n, firm in enumerate(firms, start=1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registry", default="demo", choices=("demo", "real+demo", "10000"))
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    embedder = make_embedder(args.model)
    if args.registry == "10000":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from registry import load_registry

        registry = load_registry(10_000)
        profiles, offers, seeks = registry.profiles, registry.offer, registry.seek
    else:
        profiles = demo_profiles() + (real_profiles() if args.registry == "real+demo" else [])
        offers = embedder.encode([offer_text(p) for p in profiles], show_progress=True)
        seeks = embedder.encode([seek_text(p) for p in profiles], show_progress=True)
    config = ScoringConfig.for_model(embedder.model_name)
    matcher = Matcher(embedder, config)
    matcher.bulk_load(profiles, offers, seeks)
    relevance = Matcher(embedder, relevance_only(config))
    relevance.bulk_load(profiles, offers, seeks)
    askers = [p for p in profiles if suggestible(p)]
    components: dict[int, list[dict[str, float | None]]] = {}
    for a in askers:  # the components each hub scored on, to show why it is suggested
        for s in matcher.match_company(a.id, limit=TOP):
            components.setdefault(s.company.id, []).append(s.components)
    hubs = measure(matcher, relevance, [a.id for a in askers], TOP)
    counts = hubs.appearances
    names = {p.id: p.name for p in profiles}
    print(
        f"{args.registry}: {len(profiles)} firms, {len(askers)} askers, model {embedder.model_name}"
    )
    over = hubs.above(BOUND)
    for company_id, count in counts.most_common(8):
        mean = {
            name: np.mean([c[name] for c in components[company_id] if c[name] is not None])
            for name in components[company_id][0]
            if any(c[name] is not None for c in components[company_id])
        }
        parts = " ".join(f"{k} {v:.2f}" for k, v in mean.items())
        print(
            f"  {count:4d} lists ({hubs.share(company_id):5.1%}; through completeness "
            f"{hubs.completeness_share(company_id):5.1%})  {names[company_id][:40]:<40} {parts}"
        )
    # If every firm of the other side were suggested equally often: k lists out of its size.
    sides = Counter(p.side for p in askers)
    uniform = {s: TOP * (len(askers) - n) / n / len(askers) for s, n in sides.items()}
    spread = ", ".join(f"{s} firms {u:.1%}" for s, u in sorted(uniform.items()))
    print(f"uniform share (every firm equally often): {spread}")
    print(
        f"max share {hubs.max_share:.1%}; through completeness alone: max "
        f"{hubs.max_completeness_share:.1%}, "
        f"firms above {BOUND:.0%}: {len(over)} ({'bound holds' if not over else 'BOUND MISSED'})"
    )


if __name__ == "__main__":
    main()

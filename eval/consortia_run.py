"""How many real members of a real consortium the consortium builder proposes.

    .venv/bin/python eval/consortia_run.py [--with-demo] [--model default] [--json OUT]

For every consortium of `eval/consortia/consortia.json` the builder gets what an office
would type: the need text, the capability codes of the work packages, the programme and
the lead firm. It is scored by how many of the consortium's other real members are in
its best team and in any of its top-3 teams. The baseline is what an office can do
today with pair matching: for each required capability, the lead's top pair suggestion
filtered to that capability (`Matcher.match_company(lead, filters=MatchFilters(
capabilities={code}))`). The baseline is run twice: as the pair matcher runs by default
(the other side only) and with `same_side=True`, since a real consortium often has
several members of one side.

Domain only, like `eval/fit_weights.py` (whose `profile_of` and `CachedEmbedder` it
reuses): profiles are read from `eval/real/firms.json` and `eval/consortia/firms.json`
(plus the demo seeds as distractors with `--with-demo`) and loaded into one Matcher.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from fit_weights import DAY, CachedEmbedder, profile_of  # noqa: E402

from matchmaker.domain.consortium import (  # noqa: E402
    ConsortiumRequest,
    InfeasibleRequest,
    build_consortia,
)
from matchmaker.domain.embedding import make_embedder, offer_text, seek_text  # noqa: E402
from matchmaker.domain.matcher import Matcher  # noqa: E402
from matchmaker.domain.queries import MatchFilters  # noqa: E402
from matchmaker.domain.scoring_config import ScoringConfig  # noqa: E402

SET_DIR = ROOT / "eval" / "consortia"
FIRM_FILES = (ROOT / "eval" / "real" / "firms.json", SET_DIR / "firms.json")
TOP_TEAMS = 3


@dataclass(frozen=True)
class Outcome:
    consortium: str
    structure: str
    others: int  # real members besides the lead
    best: int  # of them in the builder's best team
    top3: int  # of them in any of its top-3 teams
    best_size: int  # members the best team proposes besides the lead
    top3_size: int  # distinct firms the top-3 teams propose besides the lead
    baseline: int  # of them among the lead's top suggestion per capability (other side)
    baseline_any: int  # the same with same_side=True
    baseline_size: int  # distinct firms the baseline proposes (other side)
    infeasible: str = ""  # the rule, when the builder found no team


def load_matcher(with_demo: bool, model: str) -> tuple[Matcher, dict[tuple[str, str], int]]:
    firms = [f for path in FIRM_FILES for f in json.loads(path.read_text())]
    ids = {(f["country"], f["legal_id"]): n for n, f in enumerate(firms, start=1)}
    profiles = [profile_of(n, f) for n, f in enumerate(firms, start=1)]
    if with_demo:
        seeds = json.loads((ROOT / "seeds" / "companies.json").read_text())
        profiles += [profile_of(10_000 + n, f) for n, f in enumerate(seeds)]
    embedder = CachedEmbedder(make_embedder(model))
    config = ScoringConfig.for_model(embedder.embedder.model_name)
    matcher = Matcher(embedder.embedder, config)
    matcher.bulk_load(
        profiles,
        embedder.encode([offer_text(p) for p in profiles]),
        embedder.encode([seek_text(p) for p in profiles]),
    )
    return matcher, ids


def baseline(matcher: Matcher, lead: int, codes: Iterable[str], same_side: bool) -> set[int]:
    """The lead's top pair suggestion for each required capability."""
    chosen: set[int] = set()
    for code in codes:
        filters = MatchFilters(capabilities=frozenset({code}), same_side=same_side)
        top = matcher.match_company(lead, limit=1, filters=filters, today=DAY)
        chosen.update(s.company.id for s in top)
    return chosen


def evaluate(
    matcher: Matcher, ids: dict[tuple[str, str], int], consortium: dict[str, Any]
) -> Outcome:
    lead = ids[(consortium["lead"]["country"], consortium["lead"]["legal_id"])]
    members = {ids[(m["country"], m["legal_id"])] for m in consortium["members"]}
    others = members - {lead}
    codes = tuple(consortium["capabilities"])
    request = ConsortiumRequest(
        seeks=consortium["need"],
        capabilities=codes,
        programme=consortium["programme"],
        lead_company_id=lead,
    )
    base = baseline(matcher, lead, codes, same_side=False)
    base_any = baseline(matcher, lead, codes, same_side=True)
    common = dict(
        consortium=consortium["id"],
        structure=consortium["structure"],
        others=len(others),
        baseline=len(base & others),
        baseline_any=len(base_any & others),
        baseline_size=len(base),
    )
    try:
        answer = build_consortia(matcher, request, today=DAY)
    except InfeasibleRequest as error:
        return Outcome(best=0, top3=0, best_size=0, top3_size=0, infeasible=error.rule, **common)
    teams = [{m.company_id for m in team.members} - {lead} for team in answer.teams]
    best = teams[0] if teams else set()
    top = set().union(*teams[:TOP_TEAMS]) if teams else set()
    return Outcome(
        best=len(best & others),
        top3=len(top & others),
        best_size=len(best),
        top3_size=len(top),
        **common,
    )


def table(outcomes: Sequence[Outcome]) -> str:
    head = (
        "| consortium | kind | real members besides the lead | builder: best team (size) "
        "| builder: any of top 3 (firms) | baseline: top pair per capability (firms) "
        "| baseline, both sides |"
    )
    rows = [head, "|" + "---|" * 7]
    for o in outcomes:
        best = "no team (" + o.infeasible + ")" if o.infeasible else f"{o.best} ({o.best_size})"
        rows.append(
            f"| {o.consortium} | {o.structure} | {o.others} | {best} | {o.top3} ({o.top3_size}) "
            f"| {o.baseline} ({o.baseline_size}) | {o.baseline_any} |"
        )
    for label, chosen in (
        ("consortia", [o for o in outcomes if o.structure == "consortium"]),
        ("groups", [o for o in outcomes if o.structure == "group"]),
        ("all", list(outcomes)),
    ):
        rows.append(
            f"| **total, {label}** | | {sum(o.others for o in chosen)} "
            f"| {sum(o.best for o in chosen)} ({sum(o.best_size for o in chosen)}) "
            f"| {sum(o.top3 for o in chosen)} ({sum(o.top3_size for o in chosen)}) "
            f"| {sum(o.baseline for o in chosen)} ({sum(o.baseline_size for o in chosen)}) "
            f"| {sum(o.baseline_any for o in chosen)} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--with-demo", action="store_true", help="demo seeds as distractors")
    parser.add_argument("--model", default="default")
    parser.add_argument("--json", type=Path, help="write every outcome here")
    args = parser.parse_args(argv)
    matcher, ids = load_matcher(args.with_demo, args.model)
    consortia = json.loads((SET_DIR / "consortia.json").read_text())
    outcomes = [evaluate(matcher, ids, c) for c in consortia]
    candidates = "real firms + demo registry" if args.with_demo else "real firms only"
    print(f"{len(consortia)} consortia, candidates: {candidates}, model {args.model}")
    print(table(outcomes))
    if args.json:
        args.json.write_text(json.dumps([o.__dict__ for o in outcomes], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

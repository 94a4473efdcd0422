"""Training queries for the weight fit, from the database: recorded outcomes and labelled sets.

Known good pairs are introductions that reached an MoU or a joint venture and the pairs
of any labelled file (eval/real/pairs.json format, `evaluation.load_pairs_file`); each
gives two queries, each firm looking for the other among every candidate of the other
side, with the component values of the live matcher (`Matcher.candidate_values`), so
the fit sees exactly what a match computes. Declined introductions become pairwise
terms of the asker's queries (see `domain.weight_fit`): they need a known good partner
of the same asker to be ranked against, and are counted as unused otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.domain.errors import UnknownCompanyError
from matchmaker.domain.taxonomy import SUCCESSFUL_OUTCOMES
from matchmaker.domain.weight_fit import Query
from matchmaker.errors import MatchmakerError
from matchmaker.models import Introduction
from matchmaker.services.evaluation import load_pairs_file
from matchmaker.services.matching import MatchingService


class NothingToFitError(MatchmakerError):
    """No known good pair could be turned into a training query."""


@dataclass(frozen=True)
class TrainingSet:
    names: list[str]  # component names, the columns of every query's values
    queries: list[Query]
    source: dict[str, Any]  # what went in, for the version's record


def training_set(
    session: Session, service: MatchingService, pair_files: Sequence[Path] = ()
) -> TrainingSet:
    """Queries from the recorded introductions and `pair_files`; raises NothingToFitError
    when there is no known good pair (or none the matcher can rank)."""
    counts = dict.fromkeys(("mou", "jv", "declined"), 0)
    good: set[tuple[int, int]] = set()
    declined: set[tuple[int, int]] = set()
    rows = session.execute(
        select(Introduction.company_a_id, Introduction.company_b_id, Introduction.outcome).where(
            Introduction.outcome.in_([*SUCCESSFUL_OUTCOMES, "declined"])
        )
    )
    for a, b, outcome in rows:
        counts[outcome] += 1
        (declined if outcome == "declined" else good).add((min(a, b), max(a, b)))
    sets = []
    for path in pair_files:
        pairs = load_pairs_file(session, path)
        sets.append({"file": path.name, "pairs": len(pairs)})
        good.update((min(p.a, p.b), max(p.a, p.b)) for p in pairs)
    if not good:
        raise NothingToFitError(
            "Nothing to fit on: no introduction reached an MoU or a joint venture and no "
            "labelled pairs file was given (--pairs FILE)."
        )
    matcher = service.sync(session)
    names = [c.name for c in matcher.config.components]
    partners, refused = _both_ways(good), _both_ways(declined - good)
    queries: list[Query] = []
    skipped = used_declined = 0
    for asker in sorted(partners):
        try:
            ids, values = matcher.candidate_values(asker)
        except UnknownCompanyError:  # not held: no vectors, or deleted since
            skipped += len(partners[asker])
            continue
        matrix = np.stack([values[n] for n in names], axis=1)
        row = {company: r for r, company in enumerate(ids.tolist())}
        against = tuple(sorted(row[d] for d in refused.get(asker, ()) if d in row))
        for partner in sorted(partners[asker]):
            if partner not in row:  # not suggestible now (archived, sanctioned, pending)
                skipped += 1
                continue
            pair = (min(asker, partner), max(asker, partner))
            queries.append(Query(pair, row[partner], matrix, against))
            used_declined += len(against)
    if not queries:
        raise NothingToFitError(
            f"None of the {len(good)} known good pairs can be ranked: their firms are not "
            "approved and indexed (run `flask index rebuild`)."
        )
    source = {
        "introductions": counts,
        "sets": sets,
        "pairs": len({q.group for q in queries}),
        "queries": len(queries),
        "skipped_queries": skipped,
        "declined_terms": used_declined,
    }
    return TrainingSet(names, queries, source)


def _both_ways(pairs: set[tuple[int, int]]) -> dict[int, set[int]]:
    """Each firm of each pair -> the firms it is paired with."""
    of: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        of[a].add(b)
        of[b].add(a)
    return dict(of)

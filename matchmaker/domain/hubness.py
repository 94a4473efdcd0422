"""Hubness: how many askers' top-k lists each firm appears in, and how many of those it
reaches only through profile completeness.

A firm may be in many lists because it fits many askers (a state holding that is the real
partner of nineteen European firms), but not because it filled in certificates and
compliance facts. Each list is therefore ranked twice: by the engine, and by relevance
alone (the completeness components weighted 0). An appearance counts as *through
completeness* when the firm is in the engine's top k but not in the relevance-only one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from matchmaker.domain.matcher import Matcher
from matchmaker.domain.scoring_config import ScoringConfig

# Components that reward a filled-in profile rather than a fit between two firms.
COMPLETENESS = ("certification", "regulatory")
BOUND = 0.05  # share of top-10 lists no firm may reach through completeness alone


@dataclass(frozen=True)
class Hubness:
    askers: int
    appearances: Counter[int]  # company id -> lists it is in
    through_completeness: Counter[int]  # company id -> lists it is in only for completeness

    def share(self, company_id: int) -> float:
        return self.appearances[company_id] / self.askers if self.askers else 0.0

    def completeness_share(self, company_id: int) -> float:
        return self.through_completeness[company_id] / self.askers if self.askers else 0.0

    @property
    def max_share(self) -> float:
        top = self.appearances.most_common(1)
        return top[0][1] / self.askers if top and self.askers else 0.0

    @property
    def max_completeness_share(self) -> float:
        top = self.through_completeness.most_common(1)
        return top[0][1] / self.askers if top and self.askers else 0.0

    def above(self, bound: float = BOUND) -> list[int]:
        """Firms that reach more than `bound` of the lists through completeness alone."""
        return sorted(i for i in self.through_completeness if self.completeness_share(i) > bound)


def relevance_only(config: ScoringConfig) -> ScoringConfig:
    """`config` with the completeness components switched off."""
    for name in COMPLETENESS:
        config = config.with_override(f"weights.{name}", 0.0)
    return config


def measure(engine: Matcher, relevance: Matcher, askers: Iterable[int], top: int = 10) -> Hubness:
    """Every asker's top `top` from `engine` and from `relevance` (the same firms loaded
    with `relevance_only` scoring), counted per suggested firm."""
    appearances: Counter[int] = Counter()
    extra: Counter[int] = Counter()
    count = 0
    for asker in askers:
        count += 1
        fitting = {s.company.id for s in relevance.match_company(asker, limit=top)}
        for suggestion in engine.match_company(asker, limit=top):
            appearances[suggestion.company.id] += 1
            if suggestion.company.id not in fitting:
                extra[suggestion.company.id] += 1
    return Hubness(count, appearances, extra)

"""The score components, registered once: this tuple drives the blend, the side table's
columns, the API's components schema, the admin labels and `describe_model`.

Adding a component = one module implementing `Component` plus its entry here (and
its weight's documentation in docs/matching.md).
"""

from __future__ import annotations

from matchmaker.domain.components.base import Component
from matchmaker.domain.components.capability import CAPABILITY
from matchmaker.domain.components.certification import CERTIFICATION
from matchmaker.domain.components.lexical import LEXICAL, LEXICAL_ACROSS
from matchmaker.domain.components.profile_similarity import PROFILE
from matchmaker.domain.components.regulatory import REGULATORY
from matchmaker.domain.components.semantic import SEMANTIC

# Where the default weights come from: `eval/fit_weights.py --set eval/real` (conditional
# logit over every candidate, the engine's own blend), fitted on the 44 real partnerships in
# English and Ukrainian, alone and beside the demo registry; 5-fold cross-validation by pair
# in docs/evaluation.md. Refit when a component or the set changes.
FITTED_ON = "eval/real, 44 pairs x 4 variants, all-MiniLM-L6-v2 (Ukrainian glossed), 2026-12-08"

# In the order explanations are listed: what the firms do first, compliance last.
COMPONENTS: tuple[Component, ...] = (
    PROFILE,
    LEXICAL,
    LEXICAL_ACROSS,
    CAPABILITY,
    SEMANTIC,
    REGULATORY,
    CERTIFICATION,
)

__all__ = ["COMPONENTS", "Component"]

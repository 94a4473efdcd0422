"""The score components, registered once: this tuple drives the blend, the side table's
columns, the API's components schema, the admin labels and `describe_model`.

Adding a component = one module implementing `Component` plus its entry here (and
its weight's documentation in docs/matching.md).
"""

from __future__ import annotations

from matchmaker.domain.components.base import Component
from matchmaker.domain.components.capability import CAPABILITY
from matchmaker.domain.components.certification import CERTIFICATION
from matchmaker.domain.components.regulatory import REGULATORY
from matchmaker.domain.components.semantic import SEMANTIC

# In the order explanations are listed: what the firms do first, compliance last.
COMPONENTS: tuple[Component, ...] = (CAPABILITY, SEMANTIC, REGULATORY, CERTIFICATION)

__all__ = ["COMPONENTS", "Component"]

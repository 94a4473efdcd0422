"""Every weight and threshold of matching, with its documented default.

The registered components (`components.COMPONENTS`) decide what there is to
configure: one weight and one settings object per component. Settings are
overridden by dotted paths ("weights.semantic", "capability.same_area",
"candidate_pool"); an unknown path is an error, never ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from matchmaker.domain.components import COMPONENTS, Component
from matchmaker.domain.embedding import MODEL_SCRIPTS

# Text cosines sit in different bands for different models (MiniLM spreads related and
# unrelated profiles over ~0.2-0.6, e5 squeezes them into ~0.80-0.88), so each model's
# calibration is its own. The components' defaults are MiniLM's; other models' bands were
# measured on the real partnership set (benchmarks/bench_embedders.py: floor ~ 10th
# percentile of non-partner pairs, ceiling ~ 90th percentile of partners).
_E5_BANDS = {
    "semantic.floor": 0.80,
    "semantic.ceiling": 0.87,
    "profile.floor": 0.80,
    "profile.ceiling": 0.90,
}
MODEL_CALIBRATION: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "multilingual-e5-small": _E5_BANDS,
        # The same weights int8 through ONNX Runtime: cosine >= 0.99 to the C engine's
        # vectors, so the same bands (docs/performance.md, "e5 through ONNX Runtime").
        "multilingual-e5-small-onnx-int8": _E5_BANDS,
    }
)


class UnknownSettingError(ValueError):
    """A scoring override names no setting, or gives a value of the wrong type."""


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ScoringConfig:
    components: tuple[Component, ...] = COMPONENTS
    # Component name -> weight; the blend is the weighted mean (a weight of 0 switches
    # a component off). Missing names take the component's default weight.
    weights: Mapping[str, float] = field(default_factory=dict)
    # Component name -> its settings object (its `config_type`); missing ones: defaults.
    settings: Mapping[str, Any] = field(default_factory=dict)
    # Approximate (HNSW) indexes only: how many firms each vector search and the
    # structured rules shortlist for scoring. Exact indexes score every firm.
    candidate_pool: int = 100
    max_limit: int = 100  # largest number of suggestions one request may ask for
    # Scripts the embedding model reads (None: all); a text in another one is flagged in
    # explanations. The default is MiniLM's, like the components' calibration.
    text_scripts: frozenset[str] | None = MODEL_SCRIPTS["all-MiniLM-L6-v2"]

    def __post_init__(self) -> None:
        names = [c.name for c in self.components]
        if len(set(names)) != len(names):
            raise ValueError(f"Component names must be distinct: {names}.")
        for given in (self.weights, self.settings):
            unknown = sorted(set(given) - set(names))
            if unknown:
                raise UnknownSettingError(f"Unknown score component(s): {', '.join(unknown)}.")
        weights = {
            c.name: float(self.weights.get(c.name, c.default_weight)) for c in self.components
        }
        settings = {c.name: self.settings.get(c.name) or c.config_type() for c in self.components}
        object.__setattr__(self, "weights", _frozen(weights))
        object.__setattr__(self, "settings", _frozen(settings))

    def of(self, component: Component) -> Any:
        """The settings object of one component."""
        return self.settings[component.name]

    @property
    def cosines(self) -> frozenset[str]:
        """Every cosine some weighted component reads (see `Component.cosines`)."""
        return frozenset().union(*(c.cosines for c in self.components if self.weights[c.name] > 0))

    @classmethod
    def for_model(cls, model_name: str, **fields: Any) -> ScoringConfig:
        """The defaults with the text calibration of `model_name` (unknown models keep
        the component defaults, which are MiniLM's)."""
        fields.setdefault("text_scripts", MODEL_SCRIPTS.get(model_name))
        config = cls(**fields)
        for path, value in MODEL_CALIBRATION.get(model_name, {}).items():
            if path.split(".")[0] in config.settings:
                config = config.with_override(path, value)
        return config

    def with_override(self, path: str, value: Any) -> ScoringConfig:
        """A copy with one dotted-path setting replaced (see the module docstring)."""
        head, _, rest = path.partition(".")
        if head == "weights" and rest in self.weights and "." not in rest:
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise UnknownSettingError(f"Scoring setting {path!r} needs a number.")
            return dataclasses.replace(self, weights={**self.weights, rest: float(value)})
        if head in self.settings and rest:
            updated = _replace_path(self.settings[head], rest.split("."), value, path)
            return dataclasses.replace(self, settings={**self.settings, head: updated})
        if not rest and head in ("candidate_pool", "max_limit"):
            return dataclasses.replace(self, **{head: _checked(getattr(self, head), value, path)})
        raise UnknownSettingError(f"Unknown scoring setting {path!r}.")


def _replace_path(obj: Any, parts: list[str], value: Any, path: str) -> Any:
    names = {f.name for f in dataclasses.fields(obj)}
    if parts[0] not in names:
        raise UnknownSettingError(f"Unknown scoring setting {path!r}.")
    current = getattr(obj, parts[0])
    if len(parts) > 1:
        if not dataclasses.is_dataclass(current):
            raise UnknownSettingError(f"Unknown scoring setting {path!r}.")
        value = _replace_path(current, parts[1:], value, path)
    else:
        value = _checked(current, value, path)
    return dataclasses.replace(obj, **{parts[0]: value})


def _checked(current: Any, value: Any, path: str) -> Any:
    if dataclasses.is_dataclass(current) or not isinstance(value, type(current) | int):
        raise UnknownSettingError(f"Scoring setting {path!r} needs a {type(current).__name__}.")
    return value

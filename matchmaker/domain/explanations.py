"""Reasons and warnings as data: a code plus named parameters, never a sentence.

The domain decides *what* to say about a pair; the web, admin and API layers
word it in the viewer's language (`matchmaker/explaining.py` holds the
translatable templates, one per code). Parameters are plain values: firm names
as given, taxonomy codes (capabilities, schemes, pathways, countries, clearance
levels) as codes so that the renderer can show their translated labels, dates
as ISO strings and fits as fractions in [0, 1].

`CODES` lists every code with the parameters it carries; a test checks that
each has a template in every catalogue and that the components emit no other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Explanation:
    """One reason or warning: `code` (see `CODES`) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        expected = CODES.get(self.code)
        if expected is None:
            raise ValueError(f"Unknown explanation code {self.code!r}.")
        if set(self.params) != set(expected):
            raise ValueError(
                f"Explanation {self.code!r} takes {sorted(expected)}, got {sorted(self.params)}."
            )
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


def explain(code: str, **params: Any) -> Explanation:
    return Explanation(code, params)


# The firm name an ad-hoc request goes by in explanations; the renderer recognises it
# and shows it translated ("запит"), upper-cased when it opens a sentence.
REQUEST_NAME = "the request"


# code -> its parameters. Names: seeker/offerer/firm/asker are firm names (or "the
# request" for an ad-hoc query); sought/offered capability codes; scheme, pathway,
# country and level codes; date ISO; fit a fraction; limit a percentage.
CODES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # semantic
        "text_fit": ("seeker", "offerer", "fit"),
        "profiles_alike": ("firm", "other", "fit"),
        "shared_terms": ("firm", "other", "terms"),
        "shared_terms_across": ("firm", "other", "terms"),
        "languages_differ": ("firm", "other"),
        "model_language": ("firm",),
        "no_text": ("firm", "other"),
        "one_sided_text_fit": ("seeker", "offerer"),
        # capability
        "capability_offered": ("seeker", "offerer", "sought"),
        "capability_covered": ("seeker", "offerer", "sought", "offered"),
        "capability_complementary": ("seeker", "offerer", "sought", "offered"),
        "capability_same_area": ("seeker", "offerer", "sought", "offered"),
        # certification
        "cert_held": ("firm", "scheme"),
        "cert_held_until": ("firm", "scheme", "date"),
        "cert_expired": ("firm", "scheme", "date"),
        "cert_missing": ("firm", "scheme", "asker"),
        # regulatory
        "pathway_shared": ("pathway",),
        "pathway_compatible": ("firm", "pathway", "other", "other_pathway"),
        "pathway_none": ("firm", "other"),
        "safe_eligible": ("firm", "country", "limit"),
        "safe_not_established": ("firm", "country"),
        "safe_foreign_control": ("firm", "country"),
        "safe_component_share": ("firm", "limit"),
        "safe_conditional": ("firm", "country"),
        "safe_undeclared": ("firm", "limit"),
        "export_licence": ("firm", "categories"),
        "itar_content": ("firm",),
        "clearance_gap": ("holder", "needer", "level"),
        # what offices read instead of the four above that name confidential facts
        # (see `redaction`): the consequence, without the firm's compliance detail
        "licence_needed": ("firm",),
        "safe_not_eligible": ("firm",),
        "safe_partner_conditions": ("firm",),
        "clearance_needed": ("holder", "needer"),
    }
)

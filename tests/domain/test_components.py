"""Each score component on hand-built profiles: its value, reasons and warnings (as data)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from matchmaker.domain.components.base import PairInputs
from matchmaker.domain.components.regulatory import RegulatoryConfig
from matchmaker.domain.components.semantic import SemanticConfig
from matchmaker.domain.explanations import Explanation
from matchmaker.domain.profile import CompanyProfile
from matchmaker.domain.scoring import score_pair
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import suggestible
from tests.domain.factories import TODAY, cert, make_profile

CONFIG = ScoringConfig()
CAP = CONFIG.settings["capability"]
REG: RegulatoryConfig = CONFIG.settings["regulatory"]
SEM: SemanticConfig = CONFIG.settings["semantic"]
EU_A = dict(id=1, name="Asker", country="DE")
UA_B = dict(id=2, name="Cand", country="UA")


class Fit:
    """One component's part of a pair score."""

    def __init__(self, name: str, a: CompanyProfile, b: CompanyProfile, **inputs: Any) -> None:
        pair = score_pair(a, b, PairInputs(inputs.pop("day", TODAY), **inputs), self.config)
        self.score = pair.components[name]
        prefixes = _CODE_PREFIXES[name]
        self.reasons = [r for r in pair.reasons if r.code.startswith(prefixes)]
        self.warnings = [w for w in pair.warnings if w.code.startswith(prefixes)]

    config = CONFIG

    def codes(self) -> list[str]:
        return [e.code for e in (*self.reasons, *self.warnings)]


_CODE_PREFIXES = {
    "capability": ("capability_",),
    "certification": ("cert_",),
    "regulatory": ("pathway_", "safe_", "export_", "itar_", "clearance_"),
    "semantic": ("text_fit", "one_sided"),
}


def one(explanations: list[Explanation], code: str) -> Explanation:
    (found,) = [e for e in explanations if e.code == code]
    return found


# --- exclusions ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_unapproved_firms_are_not_suggestible(status: str) -> None:
    """Pending, rejected and archived firms never enter a search index."""
    assert not suggestible(make_profile(**UA_B, status=status))
    assert suggestible(make_profile(**UA_B))


@pytest.mark.parametrize(
    "overrides",
    [{"sanctioned": True}, {"controlling_country": "RU"}, {"controlling_country": "BY"}],
)
def test_sanctioned_owner_is_not_suggestible(overrides: dict[str, object]) -> None:
    """A firm flagged sanctioned, or controlled from Russia or Belarus, is never suggested."""
    assert not suggestible(make_profile(**UA_B, **overrides))
    assert suggestible(make_profile(**UA_B, controlling_country="US"))


# --- capability ----------------------------------------------------------------------


def _forward(sought: str, offered: set[str]) -> Fit:
    a = make_profile(**EU_A, seeking_capabilities={sought})
    b = make_profile(**UA_B, capabilities=offered)
    return Fit("capability", a, b, one_way=True)


def test_capability_exact_beats_area_beats_complementary_beats_none() -> None:
    """Exact sub-capability > same area > complementary pair > unrelated."""
    sought = "ammunition_missiles.propellants"
    exact = _forward(sought, {"ammunition_missiles.propellants"}).score
    area = _forward(sought, {"ammunition_missiles.fuzes"}).score
    complementary = _forward("artillery.howitzers_155", {"ammunition_missiles.shells"}).score
    none = _forward(sought, {"drones_counter_drone.fpv"}).score
    assert exact > area > complementary > none == 0.0


def test_capability_reasons_name_the_codes() -> None:
    """A reason says which firm seeks which code and that the other offers it."""
    a = make_profile(**EU_A, seeking_capabilities={"ammunition_missiles.propellants"})
    b = make_profile(**UA_B, capabilities={"ammunition_missiles.propellants"})
    reason = one(Fit("capability", a, b).reasons, "capability_offered")
    assert reason.params == {
        "seeker": "Asker",
        "offerer": "Cand",
        "sought": "ammunition_missiles.propellants",
    }


def test_complementary_capability_is_explained() -> None:
    """A complementary offer across areas is named as complementing what A seeks."""
    fit = _forward("drones_counter_drone.fpv", {"ai_cyber_ew.resilient_navigation"})
    assert fit.score == pytest.approx(CAP.complementary)
    assert one(fit.reasons, "capability_complementary").params["offered"] == (
        "ai_cyber_ew.resilient_navigation"
    )


def test_complementary_pair_within_an_area_is_explained_as_complementary() -> None:
    """Energetics and shell loading share an area; the curated pair is the reason given."""
    fit = _forward(
        "ammunition_missiles.energetics",
        {"ammunition_missiles.fuzes", "ammunition_missiles.shell_loading"},
    )
    (reason,) = fit.reasons
    assert (reason.code, reason.params["offered"]) == (
        "capability_complementary",
        "ammunition_missiles.shell_loading",
    )


def test_seeking_a_whole_area_is_met_by_any_capability_in_it() -> None:
    """Seeking an area is fully met by a firm offering something inside it."""
    fit = _forward("drones_counter_drone", {"drones_counter_drone.fpv"})
    assert fit.score == pytest.approx(1.0) and fit.codes() == ["capability_covered"]


def test_two_sided_capability_fit_beats_one_sided() -> None:
    """B that also seeks what A offers scores above B that only offers what A seeks."""
    a = make_profile(
        **EU_A,
        capabilities={"ammunition_missiles.propellants"},
        seeking_capabilities={"ammunition_missiles.shells"},
    )
    mutual = make_profile(
        **UA_B,
        capabilities={"ammunition_missiles.shells"},
        seeking_capabilities={"ammunition_missiles.propellants"},
    )
    one_sided = replace(mutual, seeking_capabilities=frozenset({"mro.aircraft_mro"}))
    assert Fit("capability", a, mutual).score > Fit("capability", a, one_sided).score


# --- certification -------------------------------------------------------------------


def test_expired_certificate_is_reported_and_not_counted() -> None:
    """An expired certificate counts as missing and is reported with its expiry date."""
    a = make_profile(**EU_A, partner_certifications={"iso_9001"})
    expired = make_profile(**UA_B, certifications=[cert("iso_9001", "2025-03-31")])
    valid = make_profile(**UA_B, certifications=[cert("iso_9001", "2026-03-31")])
    low, high = Fit("certification", a, expired), Fit("certification", a, valid)
    assert low.score < high.score
    assert one(low.warnings, "cert_expired").params["date"] == "2025-03-31"
    assert one(high.reasons, "cert_held_until").params == {
        "firm": "Cand",
        "scheme": "iso_9001",
        "date": "2026-03-31",
    }


def test_missing_required_certificate_is_warned() -> None:
    """A scheme A asks for that B does not hold at all is a warning."""
    a = make_profile(**EU_A, partner_certifications={"aqap_2110"})
    fit = Fit("certification", a, make_profile(**UA_B))
    assert fit.score < 0.2
    assert one(fit.warnings, "cert_missing").params == {
        "firm": "Cand",
        "scheme": "aqap_2110",
        "asker": "Asker",
    }


def test_notable_certificates_are_reasons_even_when_not_required() -> None:
    """Valid AQAP and combat-proven status are named although A asked for nothing."""
    b = make_profile(
        **UA_B, certifications=[cert("aqap_2110", "2027-05-31"), cert("combat_proven")]
    )
    fit = Fit("certification", make_profile(**EU_A), b)
    assert fit.codes() == ["cert_held_until", "cert_held"]
    assert [r.params["scheme"] for r in fit.reasons] == ["aqap_2110", "combat_proven"]


def test_certificates_count_only_when_the_asker_asks_for_one() -> None:
    """Asking for nothing, certificates do not score (a complete profile must not beat a
    relevant one); asking for a scheme, credibility spreads the holders, never a flat 1.0."""
    strong = make_profile(
        **UA_B, certifications=[cert("iso_9001"), cert("aqap_2110"), cert("combat_proven")]
    )
    assert Fit("certification", make_profile(**EU_A), strong).score is None
    a = make_profile(**EU_A, partner_certifications={"iso_9001"})
    none = Fit("certification", a, make_profile(**UA_B)).score
    iso = Fit("certification", a, make_profile(**UA_B, certifications=[cert("iso_9001")])).score
    assert none < iso < Fit("certification", a, strong).score < 1.0


# --- regulatory ----------------------------------------------------------------------


def _regulatory(a: CompanyProfile, b: CompanyProfile, config: ScoringConfig = CONFIG) -> Fit:
    fit = Fit.__new__(Fit)
    Fit.config = config
    try:
        Fit.__init__(fit, "regulatory", a, b)
    finally:
        Fit.config = CONFIG
    return fit


def test_pathway_shared_beats_compatible_beats_unrelated() -> None:
    """Same pathway > known compatible pair (licensing and JV on EU soil) > nothing in common."""
    a = make_profile(**EU_A, pathways={"licensing"})
    shared = _regulatory(a, make_profile(**UA_B, pathways={"licensing"}))
    compatible = _regulatory(a, make_profile(**UA_B, pathways={"jv_eu"}))
    unrelated = _regulatory(a, make_profile(**UA_B, pathways={"mro_ua"}))
    assert shared.score > compatible.score > unrelated.score
    assert one(shared.reasons, "pathway_shared").params == {"pathway": "licensing"}
    assert one(compatible.reasons, "pathway_compatible").params["other_pathway"] == "jv_eu"
    assert one(unrelated.warnings, "pathway_none").params == {"firm": "Asker", "other": "Cand"}


def test_pathway_unknown_when_a_side_names_none() -> None:
    """A firm that names no pathway gets the neutral value, not a penalty."""
    named = _regulatory(make_profile(**EU_A), make_profile(**UA_B, pathways={"rnd"}))
    assert not [c for c in named.codes() if c.startswith("pathway_")]
    expected = (
        REG.pathway_weight * REG.unknown_pathway + (1 - REG.pathway_weight) * REG.safe_unknown
    )
    assert named.score == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("share", "eligible"), [(35.0, True), (35.1, False), (0.0, True)])
def test_safe_component_share_rule(share: float, eligible: bool) -> None:
    """At most 35 % of component cost may come from outside EU/EEA/Ukraine (Art. 16(10))."""
    fit = _regulatory(
        make_profile(**EU_A), make_profile(**UA_B, non_eligible_component_share=share)
    )
    assert ("safe_eligible" in fit.codes()) is eligible
    assert ("safe_component_share" in fit.codes()) is not eligible


def test_safe_threshold_is_configurable() -> None:
    """The 35 % rule is configuration: a stricter threshold excludes a 30 % share."""
    b = make_profile(**UA_B, non_eligible_component_share=30.0)
    strict = CONFIG.with_override("regulatory.max_non_eligible_share", 25.0)
    assert "safe_component_share" in _regulatory(make_profile(**EU_A), b, strict).codes()
    assert "safe_eligible" in _regulatory(make_profile(**EU_A), b).codes()


def test_safe_control_and_partner_countries() -> None:
    """Control from a third country makes a firm ineligible; UK firms join only conditionally."""
    us_owned = make_profile(**UA_B, controlling_country="US", non_eligible_component_share=5.0)
    uk = make_profile(id=3, name="UK Co", country="GB", non_eligible_component_share=5.0)
    control = one(_regulatory(make_profile(**EU_A), us_owned).warnings, "safe_foreign_control")
    assert control.params == {"firm": "Cand", "country": "US"}
    ua = make_profile(**UA_B, non_eligible_component_share=5.0)
    conditional = _regulatory(ua, uk)
    assert one(conditional.warnings, "safe_conditional").params["country"] == "GB"
    assert _regulatory(ua, uk).score < _regulatory(make_profile(**EU_A), ua).score


def test_undeclared_component_share_is_a_warning() -> None:
    """A firm that did not declare its component origin is flagged, not rejected."""
    fit = _regulatory(make_profile(**EU_A), make_profile(**UA_B))
    assert one(fit.warnings, "safe_undeclared").params == {"firm": "Cand", "limit": 35.0}


def test_export_control_categories_need_a_licence() -> None:
    """Military-list and dual-use categories are named, in list order, as needing a licence."""
    b = make_profile(**UA_B, export_control={"ML10", "ML4", "DU5"})
    warning = one(_regulatory(make_profile(**EU_A), b).warnings, "export_licence")
    assert warning.params["categories"] == ["DU5", "ML4", "ML10"]
    assert "export_licence" not in _regulatory(make_profile(**EU_A), make_profile(**UA_B)).codes()


def test_itar_content_is_warned() -> None:
    """US ITAR-controlled content restricts re-export and lowers regulatory fit."""
    a = make_profile(**EU_A)
    itar = _regulatory(a, make_profile(**UA_B, itar_controlled=True))
    assert "itar_content" in itar.codes()
    assert itar.score < _regulatory(a, make_profile(**UA_B)).score


def test_clearance_gap_both_directions() -> None:
    """Each firm must hold the clearance the other requires; each gap is reported."""
    a = make_profile(**EU_A, security_clearance="nato_restricted", required_clearance="nato_secret")
    b = make_profile(
        **UA_B, security_clearance="nato_confidential", required_clearance="nato_confidential"
    )
    gaps = [w for w in _regulatory(a, b).warnings if w.code == "clearance_gap"]
    assert [g.params for g in gaps] == [
        {"holder": "Cand", "needer": "Asker", "level": "nato_secret"},
        {"holder": "Asker", "needer": "Cand", "level": "nato_confidential"},
    ]
    ok = make_profile(**UA_B, security_clearance="nato_secret")
    assert "clearance_gap" not in _regulatory(a, ok).codes()


# --- semantic ------------------------------------------------------------------------


def _semantic(seek_offer: float, offer_seek: float | None = None, **kw: Any) -> Fit:
    a, b = make_profile(**EU_A, offers="x", seeks="y"), make_profile(**UA_B, offers="x", seeks="y")
    return Fit("semantic", a, b, seek_offer=seek_offer, offer_seek=offer_seek, **kw)


def test_calibration_spreads_raw_cosines() -> None:
    """Raw cosines are mapped linearly from [floor, ceiling] onto [0, 1] and clipped."""
    assert _semantic(SEM.floor, one_way=True).score == 0.0
    assert _semantic(SEM.ceiling, one_way=True).score == 1.0
    assert _semantic(0.0, one_way=True).score == 0.0
    assert _semantic(0.9, one_way=True).score == 1.0
    assert 0.4 < _semantic((SEM.floor + SEM.ceiling) / 2, one_way=True).score < 0.6


def test_mutual_text_fit_beats_one_sided() -> None:
    """Two directions at 0.55 beat one at 0.75 with the other at 0.1 (soft minimum)."""
    mutual, one_sided = _semantic(0.55, 0.55), _semantic(0.75, 0.1)
    assert mutual.score > one_sided.score
    assert one(one_sided.warnings, "one_sided_text_fit").params == {
        "seeker": "Asker",
        "offerer": "Cand",
    }
    assert one(one_sided.reasons, "text_fit").params["fit"] == pytest.approx(1.0)


def test_one_way_semantic_uses_the_request_direction_only() -> None:
    """An ad-hoc request offers nothing, so only its seek-vs-offer cosine counts."""
    cosine = (SEM.floor + SEM.ceiling) / 2
    fit = _semantic(cosine, 0.0, one_way=True)
    assert fit.score == pytest.approx(0.5, abs=1e-4)

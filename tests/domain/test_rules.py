"""Each matching rule on hand-built profiles: scores, reasons and warnings."""

from __future__ import annotations

import pytest

from matchmaker.domain.certification import CertificationConfig, certification_fit
from matchmaker.domain.regulatory import (
    RegulatoryConfig,
    clearance_gap,
    export_licence,
    itar_content,
    pathway_fit,
    regulatory_fit,
    safe_eligibility,
)
from matchmaker.domain.rules import (
    CapabilityConfig,
    SemanticConfig,
    SemanticInputs,
    calibrate,
    capability_fit,
    exclusion_reason,
    not_approved,
    same_company,
    same_side,
    sanctioned_owner,
    semantic_fit,
)
from tests.domain.factories import TODAY, cert, make_profile

CAP = CapabilityConfig()
CERT = CertificationConfig()
REG = RegulatoryConfig()
SEM = SemanticConfig()
EU_A = dict(id=1, name="Asker", country="DE")
UA_B = dict(id=2, name="Cand", country="UA")


# --- hard exclusions ---------------------------------------------------------------


def test_same_company_is_excluded() -> None:
    """A firm is never suggested to itself."""
    a = make_profile(**EU_A)
    assert same_company(a, a) is not None
    assert same_company(a, make_profile(**UA_B)) is None


@pytest.mark.parametrize("status", ["pending", "rejected", "archived"])
def test_unapproved_firms_are_excluded(status: str) -> None:
    """Pending, rejected and archived firms are never suggested."""
    reason = not_approved(make_profile(**UA_B, status=status))
    assert reason is not None and status in reason
    assert not_approved(make_profile(**UA_B)) is None


@pytest.mark.parametrize(
    "overrides",
    [{"sanctioned": True}, {"controlling_country": "RU"}, {"controlling_country": "BY"}],
)
def test_sanctioned_owner_is_excluded(overrides: dict[str, object]) -> None:
    """A firm flagged sanctioned, or controlled from Russia or Belarus, is never suggested."""
    assert sanctioned_owner(make_profile(**UA_B, **overrides)) is not None
    assert sanctioned_owner(make_profile(**UA_B, controlling_country="US")) is None


def test_same_side_is_excluded_unless_asked_for() -> None:
    """Two EU firms are not paired by default, but may be when same-side search is requested."""
    a, b = make_profile(**EU_A), make_profile(id=3, name="Other EU", country="FR")
    assert same_side(a, b) is not None
    assert same_side(a, b, allowed=True) is None
    assert exclusion_reason(a, b, allow_same_side=True) is None
    assert exclusion_reason(a, make_profile(**UA_B)) is None


# --- capability ----------------------------------------------------------------------


def _forward(sought: str, offered: set[str]) -> float:
    a = make_profile(**EU_A, seeking_capabilities={sought})
    b = make_profile(**UA_B, capabilities=offered)
    return capability_fit(a, b, CAP, one_way=True).score


def test_capability_exact_beats_area_beats_complementary_beats_none() -> None:
    """Exact sub-capability > same area > complementary pair > unrelated."""
    sought = "ammunition_missiles.propellants"
    exact = _forward(sought, {"ammunition_missiles.propellants"})
    area = _forward(sought, {"ammunition_missiles.fuzes"})
    complementary = _forward("artillery.howitzers_155", {"ammunition_missiles.shells"})
    none = _forward(sought, {"drones_counter_drone.fpv"})
    assert exact > area > complementary > none == 0.0


def test_capability_reasons_name_the_capabilities_in_words() -> None:
    """Reasons say in words what A seeks and what B offers."""
    a = make_profile(**EU_A, seeking_capabilities={"ammunition_missiles.propellants"})
    b = make_profile(**UA_B, capabilities={"ammunition_missiles.propellants"})
    result = capability_fit(a, b, CAP)
    assert "Asker seeks Propellants and propellant charges; Cand offers it" in result.reasons


def test_complementary_capability_is_explained() -> None:
    """A complementary offer across areas is named as complementing what A seeks."""
    a = make_profile(**EU_A, seeking_capabilities={"drones_counter_drone.fpv"})
    b = make_profile(**UA_B, capabilities={"ai_cyber_ew.resilient_navigation"})
    result = capability_fit(a, b, CAP, one_way=True)
    assert result.score == pytest.approx(CAP.complementary)
    assert "EW-resistant navigation (GNSS-denied), which complements it" in result.reasons[0]


def test_complementary_pair_within_an_area_is_explained_as_complementary() -> None:
    """Energetics and shell loading share an area; the curated pair is the reason given."""
    a = make_profile(**EU_A, seeking_capabilities={"ammunition_missiles.energetics"})
    b = make_profile(
        **UA_B, capabilities={"ammunition_missiles.fuzes", "ammunition_missiles.shell_loading"}
    )
    (reason,) = capability_fit(a, b, CAP, one_way=True).reasons
    assert "Shell filling, loading and assembly, which complements it" in reason


def test_seeking_a_whole_area_is_met_by_any_capability_in_it() -> None:
    """Seeking an area is fully met by a firm offering something inside it."""
    assert _forward("drones_counter_drone", {"drones_counter_drone.fpv"}) == pytest.approx(1.0)


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
    one_sided = make_profile(
        **UA_B,
        capabilities={"ammunition_missiles.shells"},
        seeking_capabilities={"mro.aircraft_mro"},
    )
    assert capability_fit(a, mutual, CAP).score > capability_fit(a, one_sided, CAP).score


# --- certification -------------------------------------------------------------------


def test_expired_certificate_is_reported_and_not_counted() -> None:
    """An expired certificate counts as missing and is reported with its expiry date."""
    a = make_profile(**EU_A, partner_certifications={"iso_9001"})
    expired = make_profile(**UA_B, certifications=[cert("iso_9001", "2025-03-31")])
    valid = make_profile(**UA_B, certifications=[cert("iso_9001", "2026-03-31")])
    low, high = certification_fit(a, expired, TODAY, CERT), certification_fit(a, valid, TODAY, CERT)
    assert low.score < high.score
    assert "Cand's ISO 9001 quality management expired 2025-03-31" in low.warnings
    assert "Cand holds ISO 9001 quality management valid to 2026-03-31" in high.reasons


def test_missing_required_certificate_is_warned() -> None:
    """A scheme A asks for that B does not hold at all is a warning."""
    a = make_profile(**EU_A, partner_certifications={"aqap_2110"})
    result = certification_fit(a, make_profile(**UA_B), TODAY, CERT)
    assert result.score < 0.2
    assert any("does not hold NATO AQAP 2110" in w for w in result.warnings)


def test_notable_certificates_are_reasons_even_when_not_required() -> None:
    """Valid AQAP and combat-proven status are named although A asked for nothing."""
    b = make_profile(
        **UA_B, certifications=[cert("aqap_2110", "2027-05-31"), cert("combat_proven")]
    )
    result = certification_fit(make_profile(**EU_A), b, TODAY, CERT)
    assert (
        "Cand holds NATO AQAP 2110 (design, development, production) valid to 2027-05-31"
        in result.reasons
    )
    assert "Cand holds Combat-proven: tested in Ukraine" in result.reasons


def test_credibility_spreads_scores_when_nothing_is_required() -> None:
    """Without requirements, more valid quality certificates score higher, never a flat 1.0."""
    a = make_profile(**EU_A)
    none = certification_fit(a, make_profile(**UA_B), TODAY, CERT).score
    iso = certification_fit(
        a, make_profile(**UA_B, certifications=[cert("iso_9001")]), TODAY, CERT
    ).score
    strong = make_profile(
        **UA_B, certifications=[cert("iso_9001"), cert("aqap_2110"), cert("combat_proven")]
    )
    assert none < iso < certification_fit(a, strong, TODAY, CERT).score < 1.0


# --- regulatory ----------------------------------------------------------------------


def test_pathway_shared_beats_compatible_beats_unrelated() -> None:
    """Same pathway > known compatible pair (licensing and JV on EU soil) > nothing in common."""
    a = make_profile(**EU_A, pathways={"licensing"})
    shared = pathway_fit(a, make_profile(**UA_B, pathways={"licensing"}), REG)
    compatible = pathway_fit(a, make_profile(**UA_B, pathways={"jv_eu"}), REG)
    unrelated = pathway_fit(a, make_profile(**UA_B, pathways={"mro_ua"}), REG)
    assert shared.score > compatible.score > unrelated.score
    assert "compatible" in compatible.reasons[0]
    assert unrelated.warnings


def test_pathway_unknown_when_a_side_names_none() -> None:
    """A firm that names no pathway gets the neutral value, not a penalty."""
    result = pathway_fit(make_profile(**EU_A), make_profile(**UA_B, pathways={"rnd"}), REG)
    assert result.score == REG.unknown_pathway


@pytest.mark.parametrize(("share", "eligible"), [(35.0, True), (35.1, False), (0.0, True)])
def test_safe_component_share_rule(share: float, eligible: bool) -> None:
    """At most 35 % of component cost may come from outside EU/EEA/Ukraine (Art. 16(10))."""
    result = safe_eligibility(make_profile(**UA_B, non_eligible_component_share=share), REG)
    assert (result.score == REG.safe_eligible) is eligible
    if not eligible:
        assert "not SAFE/EDIP-eligible" in result.warnings[0]


def test_safe_threshold_is_configurable() -> None:
    """The 35 % rule is configuration: a stricter threshold excludes a 30 % share."""
    b = make_profile(**UA_B, non_eligible_component_share=30.0)
    assert safe_eligibility(b, RegulatoryConfig(max_non_eligible_share=25.0)).score == 0.0


def test_safe_control_and_partner_countries() -> None:
    """Control from a third country makes a firm ineligible; UK firms join only conditionally."""
    us_owned = make_profile(**UA_B, controlling_country="US", non_eligible_component_share=5.0)
    uk = make_profile(id=3, name="UK Co", country="GB", non_eligible_component_share=5.0)
    assert safe_eligibility(us_owned, REG).score == REG.safe_ineligible
    assert "controlled from United States" in safe_eligibility(us_owned, REG).warnings[0]
    assert safe_eligibility(uk, REG).score == REG.safe_conditional


def test_undeclared_component_share_is_a_warning() -> None:
    """A firm that did not declare its component origin is flagged, not rejected."""
    result = safe_eligibility(make_profile(**UA_B), REG)
    assert result.score == REG.safe_unknown and "has not declared" in result.warnings[0]


def test_export_control_categories_need_a_licence() -> None:
    """Military-list and dual-use categories are named as needing an export licence."""
    b = make_profile(**UA_B, export_control={"ML10", "ML4", "DU5"})
    (warning,) = export_licence(b, REG).warnings
    assert warning.endswith("DU5, ML4, ML10")
    assert export_licence(make_profile(**UA_B), REG).warnings == ()


def test_itar_content_is_warned() -> None:
    """US ITAR-controlled content restricts re-export and lowers regulatory fit."""
    a = make_profile(**EU_A)
    itar = make_profile(**UA_B, itar_controlled=True)
    assert "restricts re-export" in itar_content(itar, REG).warnings[0]
    assert regulatory_fit(a, itar, REG).score < regulatory_fit(a, make_profile(**UA_B), REG).score


def test_clearance_gap_both_directions() -> None:
    """Each firm must hold the clearance the other requires; each gap is reported."""
    a = make_profile(**EU_A, security_clearance="nato_restricted", required_clearance="nato_secret")
    b = make_profile(
        **UA_B, security_clearance="nato_confidential", required_clearance="nato_confidential"
    )
    result = clearance_gap(a, b, REG)
    assert len(result.warnings) == 2
    assert "Cand does not hold the NATO SECRET clearance Asker requires" in result.warnings[0]
    ok = make_profile(**UA_B, security_clearance="nato_secret")
    assert clearance_gap(a, ok, REG).warnings == ()


# --- semantic ------------------------------------------------------------------------


def test_calibration_spreads_raw_cosines() -> None:
    """Raw cosines are mapped linearly from [floor, ceiling] onto [0, 1] and clipped."""
    assert calibrate(SEM.floor, SEM) == 0.0
    assert calibrate(SEM.ceiling, SEM) == 1.0
    assert calibrate(0.0, SEM) == 0.0 and calibrate(0.9, SEM) == 1.0
    assert 0.4 < calibrate((SEM.floor + SEM.ceiling) / 2, SEM) < 0.6


def test_mutual_text_fit_beats_one_sided() -> None:
    """Two directions at 0.55 beat one at 0.75 with the other at 0.1 (soft minimum)."""
    a, b = make_profile(**EU_A), make_profile(**UA_B)
    mutual = semantic_fit(a, b, SemanticInputs(0.55, 0.55), SEM)
    one_sided = semantic_fit(a, b, SemanticInputs(0.75, 0.1), SEM)
    assert mutual.score > one_sided.score
    assert one_sided.warnings and "One-sided" in one_sided.warnings[0]


def test_one_way_semantic_uses_the_request_direction_only() -> None:
    """An ad-hoc request offers nothing, so only its seek-vs-offer cosine counts."""
    a, b = make_profile(**EU_A), make_profile(**UA_B)
    result = semantic_fit(a, b, SemanticInputs(0.6), SEM, one_way=True)
    assert result.score == pytest.approx(calibrate(0.6, SEM))

"""The taxonomy is consistent: codes resolve, sides are right, complements are valid."""

from matchmaker.domain import taxonomy


def test_every_area_from_the_domain_reference_is_present() -> None:
    """The seven White Paper areas plus MRO are all there."""
    assert set(taxonomy.CAPABILITY_AREAS) == {
        "air_missile_defence",
        "artillery",
        "ammunition_missiles",
        "drones_counter_drone",
        "military_mobility",
        "ai_cyber_ew",
        "strategic_enablers",
        "mro",
    }


def test_complementary_pairs_use_known_codes_and_read_both_ways() -> None:
    """Each complementary pair names real codes and is found from either end."""
    for a, b in taxonomy.COMPLEMENTARY_CAPABILITIES:
        assert {a, b} <= taxonomy.CAPABILITY_CODES
        assert b in taxonomy.complementary_to(a) and a in taxonomy.complementary_to(b)


def test_sides_follow_the_domain_rules() -> None:
    """Ukraine is UA; EU, EEA-EFTA and European NATO allies are EU; others cannot take part."""
    assert taxonomy.side_of_country("UA") == "UA"
    assert {taxonomy.side_of_country(c) for c in ("DE", "NO", "GB", "TR")} == {"EU"}
    assert taxonomy.side_of_country("US") is None
    assert taxonomy.side_of_country("RU") is None


def test_safe_area_is_eu_eea_and_ukraine_only() -> None:
    """The UK may join SAFE only under conditions; it is not in the eligible area."""
    assert "UA" in taxonomy.SAFE_ELIGIBLE_COUNTRIES and "NO" in taxonomy.SAFE_ELIGIBLE_COUNTRIES
    assert "GB" not in taxonomy.SAFE_ELIGIBLE_COUNTRIES


def test_labels_exist_for_every_capability_code() -> None:
    """Explanations can name every code in words."""
    assert all(taxonomy.capability_label(code) for code in taxonomy.CAPABILITY_CODES)

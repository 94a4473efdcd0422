"""The vocabulary of the field, as data: capability areas, pathways, schemes, countries.

Everything else (validation, scoring, the API's /taxonomy) reads from here, so a
new code is added in one place. Labels are written for firms, not developers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Countries live in `countries.py`; re-exported here, where every vocabulary is looked up.
from matchmaker.domain.countries import (
    COUNTRY_NAMES,
    EEA_EFTA_STATES,
    EU_MEMBER_STATES,
    OTHER_EUROPEAN_NATO_ALLIES,
    OTHER_KNOWN_COUNTRIES,
    SAFE_ELIGIBLE_COUNTRIES,
    SAFE_PARTNER_COUNTRIES,
    SANCTIONED_CONTROL_COUNTRIES,
    SIDE_EU,
    SIDE_UA,
    UKRAINE,
    country_group,
    participating_countries,
    side_of_country,
)

SIDES = (SIDE_EU, SIDE_UA)

SIZES = {
    "startup": "Start-up (young company, under 50 staff)",
    "sme": "Small or medium enterprise (under 250 staff)",
    "large": "Large company or group (250 staff or more)",
}

STATUSES = ("pending", "approved", "rejected", "archived")

INTRODUCTION_OUTCOMES = ("proposed", "contacted", "meeting", "mou", "jv", "declined")
# Outcomes that count as a real partnership when measuring match quality.
SUCCESSFUL_OUTCOMES = frozenset({"mou", "jv"})

PATHWAYS = {
    "direct_financing": "Direct financing: a European government pays a Ukrainian maker to produce",
    "coproduction_ua": "Production or co-production inside Ukraine",
    "mro_ua": "Maintenance, repair and overhaul in Ukraine of European systems",
    "jv_eu": "Joint venture or joint production on EU / NATO-European soil",
    "licensing": "Licensing: a European firm licenses a Ukrainian design, or the reverse",
    "investment": "Equity investment in, or acquisition of, a Ukrainian company",
    "rnd": "Joint research, testing and development",
}


@dataclass(frozen=True)
class CapabilityArea:
    code: str
    label: str
    subcapabilities: dict[str, str]


CAPABILITY_AREAS: dict[str, CapabilityArea] = {
    area.code: area
    for area in (
        CapabilityArea(
            "air_missile_defence",
            "Air and missile defence",
            {
                "radars": "Air-surveillance and fire-control radars",
                "launchers": "Launchers and fire units",
                "interceptor_missiles": "Interceptor missiles",
                "c2_integration": "Command, control and sensor integration",
                "sustainment": "Air-defence sustainment and spare parts",
            },
        ),
        CapabilityArea(
            "artillery",
            "Artillery systems",
            {
                "howitzers_155": "155 mm NATO-calibre howitzers",
                "barrels": "Gun barrels and breech mechanisms",
                "mortars": "Mortars",
                "rocket_artillery": "Multiple-launch rocket systems",
                "fire_control": "Artillery fire control and ballistics",
            },
        ),
        CapabilityArea(
            "ammunition_missiles",
            "Ammunition and missiles",
            {
                "shells": "Artillery and mortar shells (60-155 mm)",
                "propellants": "Propellants and propellant charges",
                "energetics": "Explosives and energetic materials",
                "fuzes": "Fuzes",
                "shell_loading": "Shell filling, loading and assembly",
                "rocket_motors": "Rocket motors",
                "missiles": "Missiles and guided munitions",
            },
        ),
        CapabilityArea(
            "drones_counter_drone",
            "Drones and counter-drone systems",
            {
                "fpv": "FPV and small tactical drones",
                "fixed_wing_uav": "Fixed-wing UAV airframes",
                "interceptors": "Interceptor drones",
                "loitering_munitions": "Loitering munitions",
                "maritime_drones": "Maritime (surface and underwater) drones",
                "ground_robots": "Unmanned ground vehicles",
                "counter_uas": "Counter-drone detection and defeat",
                "components": "Drone components: motors, batteries, cameras, flight controllers",
            },
        ),
        CapabilityArea(
            "military_mobility",
            "Military mobility and vehicles",
            {
                "armoured_vehicles": "Armoured vehicles",
                "logistics_vehicles": "Logistics and utility vehicles",
                "bridging": "Bridging and engineering equipment",
                "armour_protection": "Armour and protection kits",
            },
        ),
        CapabilityArea(
            "ai_cyber_ew",
            "AI, cyber and electronic warfare",
            {
                "electronic_warfare": "Electronic warfare: jamming and signals intelligence",
                "resilient_navigation": "EW-resistant navigation (GNSS-denied)",
                "secure_comms": "Secure and jam-resistant communications",
                "ai_targeting": "AI for target recognition and autonomy",
                "cyber_defence": "Cyber defence",
                "quantum": "Quantum sensing and computing",
            },
        ),
        CapabilityArea(
            "strategic_enablers",
            "Strategic enablers and critical infrastructure protection",
            {
                "space": "Space and satellite services",
                "maritime_awareness": "Maritime domain awareness",
                "airlift_refuelling": "Airlift and air-to-air refuelling",
                "infrastructure_protection": "Critical infrastructure protection",
                "sensors": "Sensors and optronics",
            },
        ),
        CapabilityArea(
            "mro",
            "Maintenance, repair and overhaul",
            {
                "vehicle_repair": "Vehicle and armour repair",
                "artillery_repair": "Howitzer and barrel repair",
                "spare_parts": "Spare parts production",
                "aircraft_mro": "Aircraft and helicopter maintenance",
                "electronics_repair": "Electronics and radar repair",
            },
        ),
    )
}

# Pairs that complement each other across (or within) areas: a firm seeking one
# is well served by a firm offering the other. Listed once; read both ways.
COMPLEMENTARY_CAPABILITIES: tuple[tuple[str, str], ...] = (
    ("ammunition_missiles.energetics", "ammunition_missiles.shell_loading"),
    ("ammunition_missiles.propellants", "ammunition_missiles.shells"),
    ("ammunition_missiles.fuzes", "ammunition_missiles.shell_loading"),
    ("ammunition_missiles.rocket_motors", "ammunition_missiles.missiles"),
    ("drones_counter_drone.fixed_wing_uav", "ai_cyber_ew.resilient_navigation"),
    ("drones_counter_drone.fpv", "ai_cyber_ew.resilient_navigation"),
    ("drones_counter_drone.fpv", "drones_counter_drone.components"),
    ("drones_counter_drone.interceptors", "ai_cyber_ew.ai_targeting"),
    ("drones_counter_drone.loitering_munitions", "ai_cyber_ew.secure_comms"),
    ("drones_counter_drone.counter_uas", "ai_cyber_ew.electronic_warfare"),
    ("strategic_enablers.sensors", "air_missile_defence.c2_integration"),
    ("air_missile_defence.radars", "air_missile_defence.c2_integration"),
    ("artillery.howitzers_155", "ammunition_missiles.shells"),
    ("artillery.howitzers_155", "mro.artillery_repair"),
    ("artillery.barrels", "mro.artillery_repair"),
    ("military_mobility.armoured_vehicles", "mro.vehicle_repair"),
    ("military_mobility.armoured_vehicles", "military_mobility.armour_protection"),
    ("air_missile_defence.sustainment", "mro.electronics_repair"),
    ("strategic_enablers.maritime_awareness", "drones_counter_drone.maritime_drones"),
)


@dataclass(frozen=True)
class CertificationScheme:
    code: str
    label: str
    kind: str  # quality | security | identity | ukraine
    expires: bool  # whether a valid-until date is expected


CERTIFICATION_SCHEMES: dict[str, CertificationScheme] = {
    scheme.code: scheme
    for scheme in (
        CertificationScheme("iso_9001", "ISO 9001 quality management", "quality", True),
        CertificationScheme(
            "aqap_2110", "NATO AQAP 2110 (design, development, production)", "quality", True
        ),
        CertificationScheme("aqap_2310", "NATO AQAP 2310 (aviation and space)", "quality", True),
        CertificationScheme("en_9100", "EN/AS 9100 aerospace quality", "quality", True),
        CertificationScheme("iso_27001", "ISO/IEC 27001 information security", "security", True),
        CertificationScheme(
            "facility_security_clearance", "National Facility Security Clearance", "security", True
        ),
        CertificationScheme("ncage", "NCAGE code (NATO supplier identity)", "identity", False),
        CertificationScheme(
            "nato_stock_number", "NATO Stock Numbers for codified items", "identity", False
        ),
        CertificationScheme(
            "ua_mod_codification",
            "Codified / admitted to service by Ukraine's MoD",
            "ukraine",
            False,
        ),
        CertificationScheme("combat_proven", "Combat-proven: tested in Ukraine", "ukraine", False),
    )
}

# Ordered from least to most; a partner's level must reach what the other requires.
SECURITY_CLEARANCE_LEVELS = ("none", "nato_restricted", "nato_confidential", "nato_secret")

EXPORT_CONTROL_CATEGORIES: dict[str, str] = {
    **{f"ML{n}": f"EU Common Military List category ML{n}" for n in range(1, 23)},
    **{f"DU{n}": f"Dual-use, Regulation (EU) 2021/821 Annex I category {n}" for n in range(10)},
}


def other_side(side: str) -> str:
    """The side a firm of `side` partners with by default."""
    return SIDE_UA if side == SIDE_EU else SIDE_EU


def capability_codes() -> frozenset[str]:
    """Every valid capability code: each area and each `area.sub`."""
    codes = set(CAPABILITY_AREAS)
    for area in CAPABILITY_AREAS.values():
        codes.update(f"{area.code}.{sub}" for sub in area.subcapabilities)
    return frozenset(codes)


CAPABILITY_CODES = capability_codes()


@lru_cache(maxsize=4096)  # called per code per pair on the explanation path
def capability_area(code: str) -> str:
    """The area part of a capability code (`ammunition_missiles.fuzes` -> `ammunition_missiles`)."""
    return code.split(".", 1)[0]


def capability_label(code: str) -> str:
    """A human label for a capability code, for explanations and embedding texts."""
    area_code, _, sub = code.partition(".")
    area = CAPABILITY_AREAS[area_code]
    return area.subcapabilities[sub] if sub else area.label


def complementary_to(code: str) -> frozenset[str]:
    """Capability codes that complement `code` (both directions of each listed pair)."""
    found = {b for a, b in COMPLEMENTARY_CAPABILITIES if a == code}
    found |= {a for a, b in COMPLEMENTARY_CAPABILITIES if b == code}
    return frozenset(found)


__all__ = [
    "COUNTRY_NAMES",
    "EEA_EFTA_STATES",
    "EU_MEMBER_STATES",
    "OTHER_EUROPEAN_NATO_ALLIES",
    "OTHER_KNOWN_COUNTRIES",
    "SAFE_ELIGIBLE_COUNTRIES",
    "SAFE_PARTNER_COUNTRIES",
    "SANCTIONED_CONTROL_COUNTRIES",
    "SIDE_EU",
    "SIDE_UA",
    "UKRAINE",
    "country_group",
    "participating_countries",
    "side_of_country",
]

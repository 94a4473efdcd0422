"""Planted partnerships for the labelled evaluation set.

Each template describes one European and one Ukrainian firm that fit the way
public EU-Ukraine deals fit (DOMAIN.md, "Partnership patterns"): what one seeks
the other offers, in both directions; the pathways overlap; the certificates one
asks for the other holds, valid; no clearance gap, sanctions or SAFE problem.
A template is planted once per pathway set; when it has two, the second pair
uses other pathways, so that the firms of one pair fit the other pair's firms
less well (different pathway wanted).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartnerSpec:
    offers: tuple[str, ...]  # capability codes, main one first
    seeks: tuple[str, ...]
    size: str
    holds: tuple[str, ...] = ()  # certificate schemes held and valid
    wants: tuple[str, ...] = ()  # partner_certifications
    clearance: str = "none"
    required: str = "none"


@dataclass(frozen=True)
class PairTemplate:
    key: str
    eu: PartnerSpec
    ua: PartnerSpec
    eu_countries: tuple[str, ...]
    pathway_sets: tuple[tuple[str, ...], ...]  # one planted pair per set
    why: str  # one sentence with {eu} and {ua}


_EU_QUALITY = ("iso_9001", "aqap_2110", "ncage")
_UA_PROVEN = ("combat_proven", "ua_mod_codification")

PAIR_TEMPLATES: tuple[PairTemplate, ...] = (
    PairTemplate(
        "interceptor_licence",
        PartnerSpec(
            ("drones_counter_drone.fixed_wing_uav", "drones_counter_drone.components"),
            ("drones_counter_drone.interceptors", "ai_cyber_ew.ai_targeting"),
            "sme",
            _EU_QUALITY,
            ("combat_proven",),
        ),
        PartnerSpec(
            ("drones_counter_drone.interceptors", "ai_cyber_ew.ai_targeting"),
            ("drones_counter_drone.components",),
            "startup",
            _UA_PROVEN,
            ("aqap_2110",),
        ),
        ("GB", "DK", "DE"),
        (("licensing", "jv_eu"), ("investment", "rnd")),
        "{ua} has a combat-proven interceptor drone with its own terminal guidance but lacks "
        "serial "
        "capacity and parts, while {eu} runs a certified airframe and component line and wants a "
        "battle-tested interceptor design to produce.",
    ),
    PairTemplate(
        "shells_coproduction",
        PartnerSpec(
            ("ammunition_missiles.shells", "ammunition_missiles.propellants"),
            ("ammunition_missiles.shell_loading",),
            "large",
            (*_EU_QUALITY, "facility_security_clearance"),
            ("ua_mod_codification",),
            clearance="nato_secret",
        ),
        PartnerSpec(
            ("ammunition_missiles.shell_loading", "ammunition_missiles.shells"),
            ("ammunition_missiles.propellants",),
            "large",
            ("iso_9001", "ua_mod_codification"),
            ("iso_9001",),
        ),
        ("DE", "CZ", "PL"),
        (("coproduction_ua", "direct_financing"), ("jv_eu", "licensing")),
        "A European 155 mm prime with its own propellant ({eu}) meets a Ukrainian state "
        "shell-loading "
        "plant ({ua}) that has idle filling lines but no propellant: the classic "
        "primes-meet-the-state-"
        "holding ammunition deal.",
    ),
    PairTemplate(
        "howitzer_mro",
        PartnerSpec(
            ("artillery.howitzers_155", "artillery.barrels"),
            ("mro.artillery_repair",),
            "large",
            (*_EU_QUALITY, "nato_stock_number"),
            ("iso_9001",),
            clearance="nato_confidential",
        ),
        PartnerSpec(
            ("mro.artillery_repair", "mro.spare_parts"),
            ("artillery.barrels",),
            "large",
            ("iso_9001", "ua_mod_codification"),
        ),
        ("FR", "DE", "SK"),
        (("mro_ua",), ("coproduction_ua", "licensing")),
        "{eu} has 155 mm howitzers in Ukrainian service and wants them repaired in the country, "
        "and {ua} repairs guns near the front but needs OEM barrels and documentation.",
    ),
    PairTemplate(
        "armour_repair",
        PartnerSpec(
            ("military_mobility.armoured_vehicles",),
            ("mro.vehicle_repair",),
            "large",
            _EU_QUALITY,
            ("iso_9001",),
        ),
        PartnerSpec(
            ("mro.vehicle_repair",),
            ("military_mobility.armoured_vehicles",),
            "large",
            ("iso_9001", "ua_mod_codification"),
        ),
        ("DE", "FI", "PL"),
        (("mro_ua",), ("coproduction_ua", "direct_financing")),
        "{eu} builds armoured vehicles used in Ukraine and wants repair capacity there; {ua} "
        "overhauls "
        "battle-damaged armour and needs the OEM's designs, parts and training to do it for that "
        "fleet.",
    ),
    PairTemplate(
        "energetics_loading",
        PartnerSpec(
            ("ammunition_missiles.energetics", "ammunition_missiles.propellants"),
            ("ammunition_missiles.shell_loading",),
            "sme",
            ("iso_9001", "aqap_2110"),
        ),
        PartnerSpec(
            ("ammunition_missiles.shell_loading", "ammunition_missiles.fuzes"),
            ("ammunition_missiles.energetics",),
            "large",
            ("iso_9001", "ua_mod_codification"),
            ("aqap_2110",),
        ),
        ("PL", "NO", "FI"),
        (("jv_eu", "coproduction_ua"), ("direct_financing", "licensing")),
        "Energetics meet shell loading: {eu} makes explosives and propellant without filling "
        "lines of "
        "its own, and {ua} has filling capacity starved of explosives.",
    ),
    PairTemplate(
        "fuzes_loading",
        PartnerSpec(
            ("ammunition_missiles.shell_loading", "ammunition_missiles.shells"),
            ("ammunition_missiles.fuzes",),
            "sme",
            _EU_QUALITY,
            ("combat_proven",),
        ),
        PartnerSpec(
            ("ammunition_missiles.fuzes",),
            ("ammunition_missiles.shell_loading",),
            "sme",
            _UA_PROVEN,
        ),
        ("CZ", "RO", "BG"),
        (("licensing", "jv_eu"), ("rnd", "coproduction_ua")),
        "{ua} designs fuzes proven in combat and needs a loading partner to put them into complete "
        "rounds, while {eu} loads shells and is short of a second fuze source.",
    ),
    PairTemplate(
        "motors_missiles",
        PartnerSpec(
            ("ammunition_missiles.rocket_motors", "ammunition_missiles.propellants"),
            ("ammunition_missiles.missiles",),
            "sme",
            _EU_QUALITY,
        ),
        PartnerSpec(
            ("ammunition_missiles.missiles",),
            ("ammunition_missiles.rocket_motors",),
            "sme",
            _UA_PROVEN,
            ("aqap_2110",),
        ),
        ("NO", "FR", "SE"),
        (("jv_eu", "rnd"), ("licensing", "investment")),
        "{ua}'s missile output is capped by rocket-motor supply, and {eu} casts ITAR-free solid "
        "motors and wants a combat-proven missile to power.",
    ),
    PairTemplate(
        "fixedwing_navigation",
        PartnerSpec(
            ("ai_cyber_ew.resilient_navigation",),
            ("drones_counter_drone.fixed_wing_uav",),
            "startup",
            ("iso_9001",),
            ("combat_proven",),
        ),
        PartnerSpec(
            ("drones_counter_drone.fixed_wing_uav",),
            ("ai_cyber_ew.resilient_navigation",),
            "sme",
            _UA_PROVEN,
        ),
        ("EE", "FI", "NL"),
        (("rnd", "licensing"), ("investment", "jv_eu")),
        "Airframes meet EW-resistant navigation: {ua} flies long-range fixed-wing UAVs into heavy "
        "jamming and {eu} has GNSS-free navigation that needs a combat platform to mature on.",
    ),
    PairTemplate(
        "fpv_components",
        PartnerSpec(
            ("drones_counter_drone.components",),
            ("drones_counter_drone.fpv",),
            "sme",
            ("iso_9001", "en_9100"),
        ),
        PartnerSpec(
            ("drones_counter_drone.fpv",),
            ("drones_counter_drone.components",),
            "sme",
            _UA_PROVEN,
            ("iso_9001",),
        ),
        ("PL", "CZ", "LT"),
        (("jv_eu", "direct_financing"), ("rnd", "investment")),
        "{ua} builds FPV drones at volume and wants European motors, batteries and cameras to cut "
        "Chinese parts, and {eu} makes exactly those parts and wants a high-volume drone maker as "
        "customer and test bed.",
    ),
    PairTemplate(
        "fpv_autonomy",
        PartnerSpec(
            ("ai_cyber_ew.ai_targeting",),
            ("drones_counter_drone.fpv",),
            "startup",
            ("iso_27001",),
            ("combat_proven",),
        ),
        PartnerSpec(
            ("drones_counter_drone.fpv", "drones_counter_drone.components"),
            ("ai_cyber_ew.ai_targeting",),
            "startup",
            ("combat_proven",),
        ),
        ("DE", "GB", "EE"),
        (("rnd", "investment"), ("licensing", "jv_eu")),
        "{eu} has terminal-guidance software that locks onto targets when the video link is jammed "
        "and needs a front-line FPV maker to field it; {ua} makes FPV drones and wants autonomy "
        "for "
        "the last kilometre.",
    ),
    PairTemplate(
        "loitering_comms",
        PartnerSpec(
            ("ai_cyber_ew.secure_comms",),
            ("drones_counter_drone.loitering_munitions",),
            "sme",
            ("iso_9001", "iso_27001", "ncage"),
            ("combat_proven",),
        ),
        PartnerSpec(
            ("drones_counter_drone.loitering_munitions",),
            ("ai_cyber_ew.secure_comms",),
            "sme",
            _UA_PROVEN,
        ),
        ("SE", "NL", "FI"),
        (("licensing", "jv_eu"), ("rnd", "investment")),
        "{ua}'s loitering munition loses targets when its datalink is jammed, and {eu} sells "
        "jam-resistant datalinks and wants a proven loitering munition to integrate and produce.",
    ),
    PairTemplate(
        "cuas_ew",
        PartnerSpec(
            ("drones_counter_drone.counter_uas", "air_missile_defence.radars"),
            ("ai_cyber_ew.electronic_warfare",),
            "sme",
            _EU_QUALITY,
            ("combat_proven",),
        ),
        PartnerSpec(
            ("ai_cyber_ew.electronic_warfare",),
            ("drones_counter_drone.counter_uas",),
            "sme",
            _UA_PROVEN,
        ),
        ("DK", "NL", "LT"),
        (("rnd", "jv_eu"), ("licensing", "coproduction_ua")),
        "{eu} detects drones but has no jammer tuned to current Russian drones, and {ua} builds "
        "front-line jammers and needs sensors and a counter-drone system to cue them.",
    ),
    PairTemplate(
        "maritime",
        PartnerSpec(
            ("strategic_enablers.maritime_awareness", "strategic_enablers.sensors"),
            ("drones_counter_drone.maritime_drones",),
            "sme",
            ("iso_9001", "aqap_2110"),
            ("combat_proven",),
        ),
        PartnerSpec(
            ("drones_counter_drone.maritime_drones",),
            ("strategic_enablers.maritime_awareness",),
            "sme",
            _UA_PROVEN,
        ),
        ("NO", "DK", "EE"),
        (("licensing", "jv_eu"), ("rnd", "investment")),
        "{ua}'s sea drones are proven in the Black Sea and need maritime surveillance to find "
        "targets, and {eu}, a coastal-surveillance house, wants a combat-tested sea drone for "
        "Baltic and North Sea customers.",
    ),
    PairTemplate(
        "sensors_c2",
        PartnerSpec(
            ("strategic_enablers.sensors",),
            ("air_missile_defence.c2_integration",),
            "sme",
            _EU_QUALITY,
        ),
        PartnerSpec(
            ("air_missile_defence.c2_integration",),
            ("strategic_enablers.sensors",),
            "startup",
            _UA_PROVEN,
        ),
        ("FR", "IT", "CZ"),
        (("rnd", "licensing"), ("coproduction_ua", "direct_financing")),
        "Sensors meet air-defence C2: {eu} makes optronic sensors that need a command system to "
        "feed, "
        "and {ua} fuses sensor tracks for mobile air-defence teams and is short of long-range "
        "sensors.",
    ),
    PairTemplate(
        "radar_c2",
        PartnerSpec(
            ("air_missile_defence.radars",),
            ("air_missile_defence.c2_integration",),
            "large",
            (*_EU_QUALITY, "facility_security_clearance"),
            clearance="nato_secret",
        ),
        PartnerSpec(
            ("air_missile_defence.c2_integration",),
            ("air_missile_defence.radars",),
            "sme",
            _UA_PROVEN,
            ("aqap_2110",),
        ),
        ("SE", "DE", "IT"),
        (("coproduction_ua", "rnd"), ("jv_eu", "licensing")),
        "{eu} builds air-surveillance radars and wants them plugged into Ukraine's air-defence "
        "picture; {ua} writes that C2 software and needs more radars feeding it.",
    ),
    PairTemplate(
        "ad_sustainment",
        PartnerSpec(
            ("air_missile_defence.sustainment", "air_missile_defence.launchers"),
            ("mro.electronics_repair",),
            "large",
            (*_EU_QUALITY, "facility_security_clearance"),
            ("iso_9001",),
            clearance="nato_secret",
            required="nato_restricted",
        ),
        PartnerSpec(
            ("mro.electronics_repair",),
            ("air_missile_defence.sustainment",),
            "large",
            ("iso_9001", "ua_mod_codification", "facility_security_clearance"),
            clearance="nato_restricted",
        ),
        ("DE", "NO", "ES"),
        (("mro_ua",), ("coproduction_ua", "licensing")),
        "Air-defence sustainment: {eu} needs its systems in Ukraine repaired without shipping them "
        "abroad, and {ua}'s cleared electronics-repair plant wants OEM spares, test benches and "
        "training.",
    ),
    PairTemplate(
        "armour_kits",
        PartnerSpec(
            ("military_mobility.armoured_vehicles",),
            ("military_mobility.armour_protection",),
            "sme",
            _EU_QUALITY,
            ("combat_proven",),
        ),
        PartnerSpec(
            ("military_mobility.armour_protection",),
            ("military_mobility.armoured_vehicles",),
            "sme",
            _UA_PROVEN,
        ),
        ("AT", "BE", "RO"),
        (("licensing", "jv_eu"), ("coproduction_ua", "rnd")),
        "{ua}'s add-on armour and anti-drone screens have been developed against current threats, "
        "and {eu} builds the vehicles those kits should be fitted to at the factory.",
    ),
    PairTemplate(
        "ugv_investment",
        PartnerSpec(
            ("ai_cyber_ew.secure_comms", "ai_cyber_ew.ai_targeting"),
            ("drones_counter_drone.ground_robots",),
            "large",
            _EU_QUALITY,
            ("combat_proven",),
        ),
        PartnerSpec(
            ("drones_counter_drone.ground_robots",),
            ("ai_cyber_ew.secure_comms",),
            "startup",
            ("combat_proven",),
        ),
        ("FR", "SE", "NL"),
        (("investment", "rnd"), ("jv_eu", "licensing")),
        "{ua} is a ground-robot start-up with combat use behind it that needs capital and robust "
        "radio links, and {eu} makes secure comms and wants a stake in proven unmanned ground "
        "vehicles.",
    ),
    PairTemplate(
        "interceptors_ai",
        PartnerSpec(
            ("drones_counter_drone.interceptors", "drones_counter_drone.counter_uas"),
            ("ai_cyber_ew.ai_targeting",),
            "sme",
            ("iso_9001", "aqap_2110"),
        ),
        PartnerSpec(
            ("ai_cyber_ew.ai_targeting",),
            ("drones_counter_drone.interceptors",),
            "startup",
            ("combat_proven",),
        ),
        ("LV", "PL", "FI"),
        (("rnd", "investment"), ("licensing", "jv_eu")),
        "{eu} builds interceptor drones but its hit rate falls against manoeuvring targets, and "
        "{ua} "
        "has combat-trained target-recognition models that need an interceptor airframe to ride "
        "on.",
    ),
    PairTemplate(
        "mortars_bombs",
        PartnerSpec(("ammunition_missiles.shells",), ("artillery.mortars",), "sme", _EU_QUALITY),
        PartnerSpec(
            ("artillery.mortars",),
            ("ammunition_missiles.shells",),
            "large",
            _UA_PROVEN,
            ("iso_9001",),
        ),
        ("BG", "SK", "ES"),
        (("coproduction_ua", "licensing"), ("direct_financing", "jv_eu")),
        "{ua} builds mortars in volume and is short of mortar bombs, and {eu} makes mortar bombs "
        "and "
        "wants a proven mortar to offer customers as a complete system.",
    ),
    PairTemplate(
        "howitzer_barrels",
        PartnerSpec(("artillery.barrels",), ("artillery.howitzers_155",), "sme", _EU_QUALITY),
        PartnerSpec(
            ("artillery.howitzers_155",), ("artillery.barrels",), "large", _UA_PROVEN, ("iso_9001",)
        ),
        ("CZ", "IT", "GB"),
        (("direct_financing", "coproduction_ua"), ("jv_eu", "licensing")),
        "{ua} builds a wheeled 155 mm howitzer whose output is limited by barrel supply, and {eu} "
        "forges 155 mm barrels and wants a howitzer programme to supply.",
    ),
    PairTemplate(
        "trucks_parts",
        PartnerSpec(
            ("military_mobility.logistics_vehicles",),
            ("mro.spare_parts",),
            "large",
            _EU_QUALITY,
            ("iso_9001",),
        ),
        PartnerSpec(
            ("mro.spare_parts", "mro.vehicle_repair"),
            ("military_mobility.logistics_vehicles",),
            "sme",
            ("iso_9001", "ua_mod_codification"),
        ),
        ("SE", "DE", "NL"),
        (("mro_ua", "coproduction_ua"), ("licensing", "jv_eu")),
        "{eu}'s trucks run in large numbers in Ukraine and wear out fast, and {ua} makes spare "
        "parts "
        "and repairs vehicles but needs the OEM's drawings and kits.",
    ),
    PairTemplate(
        "space_ai",
        PartnerSpec(
            ("strategic_enablers.space",),
            ("ai_cyber_ew.ai_targeting",),
            "sme",
            ("iso_9001", "iso_27001"),
        ),
        PartnerSpec(
            ("ai_cyber_ew.ai_targeting",),
            ("strategic_enablers.space",),
            "startup",
            ("combat_proven",),
            ("iso_27001",),
        ),
        ("FI", "ES", "PT"),
        (("rnd", "investment"), ("jv_eu", "licensing")),
        "{eu} sells radar and optical satellite imagery and needs automated analysis, and {ua} has "
        "target-recognition models trained on front-line imagery that need more satellite data.",
    ),
    PairTemplate(
        "cyber_infrastructure",
        PartnerSpec(
            ("strategic_enablers.infrastructure_protection",),
            ("ai_cyber_ew.cyber_defence",),
            "sme",
            ("iso_9001", "iso_27001"),
        ),
        PartnerSpec(
            ("ai_cyber_ew.cyber_defence",),
            ("strategic_enablers.infrastructure_protection",),
            "sme",
            (),
            ("iso_27001",),
        ),
        ("LT", "EE", "PL"),
        (("jv_eu", "rnd"), ("investment", "licensing")),
        "Ukrainian cyber defenders ({ua}) bring years of experience against state-backed attacks "
        "on "
        "grids, and {eu} protects energy sites physically and wants that cyber layer for its "
        "customers.",
    ),
    PairTemplate(
        "helicopter_mro",
        PartnerSpec(
            ("mro.aircraft_mro", "mro.spare_parts"),
            ("mro.aircraft_mro",),
            "large",
            ("iso_9001", "aqap_2310", "en_9100", "ncage"),
            ("iso_9001",),
        ),
        PartnerSpec(
            ("mro.aircraft_mro",),
            ("mro.spare_parts",),
            "large",
            ("iso_9001", "ua_mod_codification"),
        ),
        ("PL", "RO", "CZ"),
        (("mro_ua",), ("jv_eu", "licensing")),
        "{eu} overhauls helicopters and makes their spare parts but cannot bring every airframe "
        "west, "
        "and {ua} has helicopter overhaul capacity in Ukraine that is short of parts.",
    ),
    PairTemplate(
        "launchers_interceptors",
        PartnerSpec(
            ("air_missile_defence.interceptor_missiles",),
            ("air_missile_defence.launchers",),
            "large",
            (*_EU_QUALITY, "facility_security_clearance"),
            ("combat_proven",),
            clearance="nato_secret",
        ),
        PartnerSpec(
            ("air_missile_defence.launchers",),
            ("air_missile_defence.interceptor_missiles",),
            "sme",
            _UA_PROVEN,
        ),
        ("NO", "GB", "FR"),
        (("coproduction_ua", "rnd"),),
        "{ua} adapts launchers so that Western interceptors fire from mobile Ukrainian fire units "
        "and "
        "needs more missiles, and {eu} produces interceptors and wants a combat-proven launcher "
        "for them.",
    ),
    PairTemplate(
        "mlrs_motors",
        PartnerSpec(
            ("ammunition_missiles.rocket_motors",),
            ("artillery.rocket_artillery",),
            "sme",
            _EU_QUALITY,
        ),
        PartnerSpec(
            ("artillery.rocket_artillery",),
            ("ammunition_missiles.rocket_motors",),
            "large",
            _UA_PROVEN,
            ("aqap_2110",),
        ),
        ("CZ", "SK", "RO"),
        (("coproduction_ua", "direct_financing"),),
        "{ua} rebuilds 122 mm rocket launchers but cannot source enough rocket motors, and {eu} "
        "makes "
        "122 mm motors and wants a rocket-artillery partner to qualify them with.",
    ),
    PairTemplate(
        "fire_control_guns",
        PartnerSpec(
            ("artillery.howitzers_155",),
            ("artillery.fire_control",),
            "large",
            _EU_QUALITY,
            ("combat_proven",),
            clearance="nato_confidential",
        ),
        PartnerSpec(
            ("artillery.fire_control",), ("artillery.howitzers_155",), "startup", _UA_PROVEN
        ),
        ("FR", "SE", "SK"),
        (("licensing", "rnd"),),
        "{ua}'s artillery fire-control app is used by Ukrainian gun crews every day, and {eu} "
        "builds "
        "155 mm howitzers and wants that battle-tested fire control integrated on its guns.",
    ),
    PairTemplate(
        "bridging_repair",
        PartnerSpec(("military_mobility.bridging",), ("mro.vehicle_repair",), "sme", _EU_QUALITY),
        PartnerSpec(
            ("mro.vehicle_repair", "mro.spare_parts"),
            ("military_mobility.bridging",),
            "sme",
            ("iso_9001",),
        ),
        ("DE", "AT", "HR"),
        (("mro_ua", "coproduction_ua"),),
        "{eu}'s bridges and engineering vehicles donated to Ukraine need local repair, and {ua} "
        "repairs engineering vehicles and wants to add gap-crossing equipment to its work.",
    ),
)

PATHWAY_SHORT: dict[str, str] = {
    "jv_eu": "a joint venture on EU soil",
    "licensing": "licensed production",
    "investment": "an equity investment",
    "direct_financing": "direct financing of production in Ukraine",
    "coproduction_ua": "co-production in Ukraine",
    "mro_ua": "repair and maintenance in Ukraine",
    "rnd": "joint R&D and testing",
}

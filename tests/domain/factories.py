"""Hand-built profiles for domain tests: `make_profile(**overrides)` and friends."""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import date
from typing import Any

from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance
from matchmaker.domain.taxonomy import (
    CAPABILITY_CODES,
    CERTIFICATION_SCHEMES,
    PATHWAYS,
    SECURITY_CLEARANCE_LEVELS,
    side_of_country,
)

TODAY = date(2025, 6, 1)
_COMPLIANCE_FIELDS = {f.name for f in fields(Compliance)}
_SET_FIELDS = ("capabilities", "seeking_capabilities", "partner_certifications", "pathways")


def cert(scheme: str, valid_until: str | None = None) -> Certificate:
    """A certificate of `scheme`, valid until an ISO date (None: never expires)."""
    return Certificate(scheme, valid_until=date.fromisoformat(valid_until) if valid_until else None)


def make_profile(**overrides: Any) -> CompanyProfile:
    """A valid approved German SME; any profile or Compliance field can be overridden."""
    compliance = {k: overrides.pop(k) for k in list(overrides) if k in _COMPLIANCE_FIELDS}
    if "export_control" in compliance:
        compliance["export_control"] = frozenset(compliance["export_control"])
    values: dict[str, Any] = {
        "id": 1,
        "name": "Test Co",
        "country": "DE",
        "size": "sme",
        "status": "approved",
        "description": "",
        "offers": "",
        "seeks": "",
    }
    values.update(overrides)
    values.setdefault("side", side_of_country(values["country"]) or "EU")
    for name in _SET_FIELDS:
        values[name] = frozenset(values.get(name, ()))
    values["certifications"] = tuple(values.get("certifications", ()))
    values["compliance"] = Compliance(**compliance)
    return CompanyProfile(**values)


def sample_profiles() -> list[CompanyProfile]:
    """Eight varied firms on both sides, each with a natural partner on the other side."""
    return [
        make_profile(
            id=1,
            name="Nordprop",
            country="DE",
            size="large",
            offers="Serial production of nitrocellulose propellants and modular propellant "
            "charges for 155 mm artillery.",
            seeks="Shell bodies and loading capacity; partners that fill and assemble "
            "155 mm shells.",
            capabilities={"ammunition_missiles.propellants"},
            seeking_capabilities={"ammunition_missiles.shells"},
            pathways={"jv_eu"},
            certifications=[cert("aqap_2110", "2027-05-31"), cert("iso_9001", "2025-03-31")],
            non_eligible_component_share=20.0,
        ),
        make_profile(
            id=2,
            name="Kyiv Shell Works",
            country="UA",
            offers="Forging and machining of 155 mm shell bodies, filling and loading lines.",
            seeks="A supply of propellant charges and energetic materials to complete rounds.",
            capabilities={"ammunition_missiles.shells", "ammunition_missiles.shell_loading"},
            seeking_capabilities={"ammunition_missiles.propellants"},
            pathways={"jv_eu", "coproduction_ua"},
            certifications=[cert("ua_mod_codification")],
            non_eligible_component_share=10.0,
        ),
        make_profile(
            id=3,
            name="SkyFPV",
            country="UA",
            size="startup",
            offers="Combat-proven FPV drones built in thousands per month with fast iteration.",
            seeks="EW-resistant navigation and serial production capacity in Europe.",
            capabilities={"drones_counter_drone.fpv"},
            seeking_capabilities={"ai_cyber_ew.resilient_navigation"},
            pathways={"licensing", "jv_eu"},
            certifications=[cert("combat_proven")],
        ),
        make_profile(
            id=4,
            name="NavSec",
            country="FR",
            offers="GNSS-denied navigation modules using visual odometry for small drones.",
            seeks="Drone makers to integrate our navigation and test it in Ukraine.",
            capabilities={"ai_cyber_ew.resilient_navigation"},
            seeking_capabilities={"drones_counter_drone.fpv"},
            pathways={"rnd"},
            itar_controlled=True,
        ),
        make_profile(
            id=5,
            name="ArmourRepair",
            country="UA",
            size="large",
            offers="Repair and overhaul of armoured vehicles and tanks near the front.",
            seeks="Spare parts and repair documentation for European armoured vehicles.",
            capabilities={"mro.vehicle_repair"},
            seeking_capabilities={"military_mobility.armoured_vehicles"},
            pathways={"mro_ua"},
        ),
        make_profile(
            id=6,
            name="PanzerWerk",
            country="DE",
            size="large",
            offers="Tracked and wheeled armoured vehicles, armour kits.",
            seeks="Repair partners inside Ukraine to maintain donated vehicles.",
            capabilities={"military_mobility.armoured_vehicles"},
            seeking_capabilities={"mro.vehicle_repair"},
            pathways={"mro_ua"},
            export_control={"ML6"},
            security_clearance="nato_secret",
            required_clearance="nato_restricted",
        ),
        make_profile(
            id=7,
            name="CyberShield",
            country="EE",
            offers="Cyber defence services and security operations for critical infrastructure.",
            seeks="Investment opportunities in Ukrainian software companies.",
            capabilities={"ai_cyber_ew.cyber_defence"},
            pathways={"investment"},
        ),
        make_profile(
            id=8,
            name="RadarUA",
            country="UA",
            offers="Air-surveillance radars for detecting drones and cruise missiles.",
            seeks="Integration with European air-defence command and control systems.",
            capabilities={"air_missile_defence.radars"},
            seeking_capabilities={"air_missile_defence.c2_integration"},
        ),
    ]


def random_profile(rng: random.Random, company_id: int) -> CompanyProfile:
    """A profile with random capabilities, certificates, pathways and compliance."""
    codes, schemes = sorted(CAPABILITY_CODES), sorted(CERTIFICATION_SCHEMES)
    return make_profile(
        id=company_id,
        name=f"Firm {company_id}",
        country=rng.choice(["UA", "DE", "GB", "PL", "NO"]),
        capabilities=set(rng.sample(codes, rng.randint(0, 4))),
        seeking_capabilities=set(rng.sample(codes, rng.randint(0, 3))),
        partner_certifications=set(rng.sample(schemes, rng.randint(0, 2))),
        pathways=set(rng.sample(sorted(PATHWAYS), rng.randint(0, 3))),
        certifications=[
            cert(s, rng.choice([None, "2024-12-31", "2025-06-01", "2030-01-01"]))
            for s in rng.sample(schemes, rng.randint(0, 3))
        ],
        controlling_country=rng.choice([None, None, "US", "GB", "UA"]),
        non_eligible_component_share=rng.choice([None, 10.0, 35.0, 60.0]),
        export_control=set(rng.sample(["ML4", "ML10", "DU5"], rng.randint(0, 2))),
        itar_controlled=rng.random() < 0.2,
        security_clearance=rng.choice(SECURITY_CLEARANCE_LEVELS),
        required_clearance=rng.choice(SECURITY_CLEARANCE_LEVELS),
    )

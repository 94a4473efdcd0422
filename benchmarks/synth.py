"""Deterministic synthetic CompanyProfiles: profile `i` depends only on (SEED, i).

So the first 10,000 profiles of the 100k registry are the 10k registry, and their
embeddings are shared. Bump GENERATOR_VERSION whenever the logic here changes
(the phrase banks are hashed into the cache key automatically).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from geography import (
    EU_COUNTRIES,
    NAME_HEADS,
    NAME_TAILS,
    SECTOR_WORDS,
    UA_CITIES,
    UA_LEGAL_FORMS,
)
from phrases import (
    ASSETS,
    CAPACITY_TEMPLATES,
    CUSTOMERS,
    DIFFERENTIATORS,
    FOUNDED_TEMPLATES,
    KIND_BY_SIZE,
    OFFER_OPENERS,
    PATHWAY_PURPOSES,
    REQUIREMENTS,
    SEEK_CONTEXTS,
    SEEK_OPENERS,
    SUB_BANKS,
    SubBank,
)

from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance
from matchmaker.domain.taxonomy import (
    CAPABILITY_AREAS,
    SECURITY_CLEARANCE_LEVELS,
    capability_area,
    complementary_to,
)

GENERATOR_VERSION = "2"
SEED = 20261121
EU_SHARE = 0.6
REFERENCE_DAY = date(2026, 11, 1)  # certificate validity is drawn around this day

AREA_WEIGHTS = {
    "drones_counter_drone": 22,
    "ammunition_missiles": 18,
    "ai_cyber_ew": 14,
    "military_mobility": 10,
    "mro": 10,
    "strategic_enablers": 10,
    "artillery": 8,
    "air_missile_defence": 8,
}
SIZE_WEIGHTS = {"EU": (25, 50, 25), "UA": (45, 40, 15)}  # startup, sme, large
STATUS_WEIGHTS = {"approved": 90, "pending": 5, "archived": 3, "rejected": 2}
PATHWAY_WEIGHTS = {
    "EU": {
        "jv_eu": 30,
        "coproduction_ua": 20,
        "mro_ua": 12,
        "licensing": 18,
        "investment": 10,
        "rnd": 10,
        "direct_financing": 4,
    },
    "UA": {
        "jv_eu": 25,
        "direct_financing": 20,
        "licensing": 20,
        "investment": 15,
        "coproduction_ua": 12,
        "rnd": 8,
        "mro_ua": 4,
    },
}
EXPORT_CATEGORIES = {
    "air_missile_defence": ("ML4", "ML5", "ML11"),
    "artillery": ("ML2", "ML4", "ML5"),
    "ammunition_missiles": ("ML3", "ML4", "ML8"),
    "drones_counter_drone": ("ML10", "ML4", "ML11"),
    "military_mobility": ("ML6", "ML13"),
    "ai_cyber_ew": ("ML11", "ML21", "DU5"),
    "strategic_enablers": ("ML15", "ML11", "DU6"),
    "mro": ("ML6", "ML10", "ML22"),
}
SUBS = {
    code: tuple(f"{code}.{sub}" for sub in area.subcapabilities)
    for code, area in CAPABILITY_AREAS.items()
}
EU_CODES = tuple(EU_COUNTRIES)
EU_WEIGHTS = tuple(weight for weight, _, _ in EU_COUNTRIES.values())


def make_profile(index: int) -> CompanyProfile:
    """The synthetic profile with id `index + 1` (same result on every machine and run).

    Three random streams: the facts (taxonomy, compliance), the offer wording and the
    seek wording, so that rewording one text leaves the others (and their cached
    embeddings) unchanged.
    """
    rng = random.Random(f"{SEED}:{index}")
    offer_rng = random.Random(f"{SEED}:{index}:offer")
    seek_rng = random.Random(f"{SEED}:{index}:seek")
    side = "EU" if rng.random() < EU_SHARE else "UA"
    country = rng.choices(EU_CODES, EU_WEIGHTS)[0] if side == "EU" else "UA"
    size = rng.choices(("startup", "sme", "large"), SIZE_WEIGHTS[side])[0]
    capabilities = _capabilities(rng)
    seeking = _seeking(rng, capabilities)
    pathways = _weighted_sample(rng, PATHWAY_WEIGHTS[side], rng.choice((1, 1, 1, 1, 2, 2, 3)))
    return CompanyProfile(
        id=index + 1,
        name=_name(rng, country),
        country=country,
        side=side,
        size=size,
        status=_pick(rng, STATUS_WEIGHTS),
        description=_description(offer_rng, side, size, country),
        offers=_offers(offer_rng, side, capabilities),
        seeks=_seeks(seek_rng, side, seeking, pathways),
        capabilities=frozenset(capabilities),
        seeking_capabilities=frozenset(seeking),
        certifications=_certifications(rng, side, size, capabilities),
        partner_certifications=frozenset(
            rng.sample(("iso_9001", "aqap_2110", "ncage", "combat_proven"), rng.randint(0, 2))
        ),
        pathways=frozenset(pathways),
        compliance=_compliance(rng, side, country, capabilities),
    )


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(tuple(weights), tuple(weights.values()))[0]


def _weighted_sample(rng: random.Random, weights: dict[str, int], count: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < count:
        code = _pick(rng, weights)
        if code not in chosen:
            chosen.append(code)
    return chosen


def _capabilities(rng: random.Random) -> list[str]:
    """1-3 sub-capabilities of one primary area, sometimes a complementary extra."""
    area = _pick(rng, AREA_WEIGHTS)
    subs = rng.sample(SUBS[area], min(len(SUBS[area]), rng.choice((1, 1, 2, 2, 3))))
    if rng.random() < 0.25:
        extra = sorted(complementary_to(subs[0]) - set(subs))
        pool = extra or [c for c in SUBS[_pick(rng, AREA_WEIGHTS)] if c not in subs]
        subs.append(rng.choice(pool))
    if rng.random() < 0.1:
        subs.append(area)
    return subs


def _seeking(rng: random.Random, capabilities: list[str]) -> list[str]:
    """What it wants: complements of what it offers, or neighbours in its area."""
    wanted: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        own = rng.choice([c for c in capabilities if "." in c])
        complements = sorted(complementary_to(own))
        if complements and rng.random() < 0.6:
            code = rng.choice(complements)
        elif rng.random() < 0.7:
            code = rng.choice(SUBS[capability_area(own)])
        else:
            code = rng.choice(SUBS[_pick(rng, AREA_WEIGHTS)])
        if code not in wanted:
            wanted.append(code)
    return wanted


def _two_distinct(rng: random.Random, items: Sequence[str]) -> tuple[str, str]:
    first, second = rng.sample(list(items), 2)
    return first, second


def _offers(rng: random.Random, side: str, capabilities: list[str]) -> str:
    subs = [c for c in capabilities if "." in c]
    bank = SUB_BANKS[subs[0]]
    if len(subs) > 1 and rng.random() < 0.6:
        first, second = rng.choice(bank.products), rng.choice(SUB_BANKS[subs[1]].products)
    else:
        first, second = _two_distinct(rng, bank.products)
    text = f"{rng.choice(OFFER_OPENERS)} {first} and {second}, with {rng.choice(bank.processes)}."
    roll = rng.random()
    if roll < 0.5:
        n = rng.choice((20, 50, 80, 150, 300, 600, 1200, 3000, 8000, 20000))
        template = rng.choice(CAPACITY_TEMPLATES)
        text += " " + template.format(n=f"{n:,}", unit=bank.unit, m=rng.randint(3, 18))
    if roll > 0.35:
        text += f" {rng.choice(DIFFERENTIATORS[side])}."
    return text


def _seeks(rng: random.Random, side: str, seeking: list[str], pathways: list[str]) -> str:
    """Opener, what is wanted, what it must be like, why (pathway), and some context."""
    first = seeking[0]
    wanted = rng.choice(_bank_of(rng, first).wants)
    if len(seeking) > 1 and rng.random() < 0.15:
        wanted += " and " + rng.choice(_bank_of(rng, seeking[1]).wants)
    requirement = rng.choice(REQUIREMENTS[capability_area(first)])
    purpose = PATHWAY_PURPOSES[rng.choice(pathways)]
    text = f"{rng.choice(SEEK_OPENERS)} {wanted} {requirement} {purpose}."
    roll = rng.random()
    if roll < 0.2:
        text += f" {rng.choice(ASSETS[side])}."
    elif roll < 0.75:
        text += f" {rng.choice(SEEK_CONTEXTS)}."
    return text


def _bank_of(rng: random.Random, code: str) -> SubBank:
    return SUB_BANKS[code] if "." in code else SUB_BANKS[rng.choice(SUBS[code])]


def _description(rng: random.Random, side: str, size: str, country: str) -> str:
    city = rng.choice(UA_CITIES if side == "UA" else EU_COUNTRIES[country][2])
    year = rng.randint(2014 if size == "startup" else 1950, 2024)
    staff = {"startup": (5, 49), "sme": (50, 249), "large": (250, 9000)}[size]
    kind = rng.choice(KIND_BY_SIZE[size])
    text = rng.choice(FOUNDED_TEMPLATES).format(
        year=year, city=city, staff=rng.randint(*staff), kind=kind, kind_cap=kind.capitalize()
    )
    if rng.random() < 0.25:
        first, second = _two_distinct(rng, CUSTOMERS[side])
        text += f" Customers include {first} and {second}."
    return text


def _name(rng: random.Random, country: str) -> str:
    forms = UA_LEGAL_FORMS if country == "UA" else EU_COUNTRIES[country][1]
    root = rng.choice(NAME_HEADS) + rng.choice(NAME_TAILS)
    return f"{root} {rng.choice(SECTOR_WORDS)} {rng.choice(forms)}"


def _certifications(
    rng: random.Random, side: str, size: str, capabilities: list[str]
) -> tuple[Certificate, ...]:
    areas = {capability_area(c) for c in capabilities}
    odds = {
        "iso_9001": 0.7,
        "aqap_2110": 0.4 if side == "EU" else 0.15,
        "en_9100": 0.3 if areas & {"drones_counter_drone", "strategic_enablers"} else 0.05,
        "iso_27001": 0.5 if "ai_cyber_ew" in areas else 0.1,
        "facility_security_clearance": 0.6 if side == "EU" and size == "large" else 0.15,
        "ncage": 0.6 if side == "EU" else 0.3,
        "nato_stock_number": 0.15,
        "ua_mod_codification": 0.5 if side == "UA" else 0.05,
        "combat_proven": 0.45 if side == "UA" else 0.1,
    }
    expiring = {"iso_9001", "aqap_2110", "en_9100", "iso_27001", "facility_security_clearance"}
    return tuple(
        Certificate(
            scheme=scheme,
            identifier=f"{scheme.upper()}-{rng.randint(10000, 99999)}",
            valid_until=(
                REFERENCE_DAY + timedelta(days=rng.randint(-365, 1400))
                if scheme in expiring
                else None
            ),
        )
        for scheme, odd in odds.items()
        if rng.random() < odd
    )


def _compliance(rng: random.Random, side: str, country: str, capabilities: list[str]) -> Compliance:
    roll = rng.random()
    controller = country
    if roll < 0.05:
        controller = rng.choice(EU_CODES)
    elif roll < 0.065:
        controller = "US"
    elif roll < 0.07:
        controller = rng.choice(("RU", "BY"))
    categories = EXPORT_CATEGORIES[capability_area(capabilities[0])]
    share = None if rng.random() < 0.3 else round(rng.betavariate(1.5, 5) * 100, 1)
    return Compliance(
        controlling_country=controller,
        sanctioned=controller in {"RU", "BY"} or rng.random() < 0.002,
        export_control=frozenset(rng.sample(categories, rng.randint(0, len(categories)))),
        itar_controlled=rng.random() < (0.1 if side == "EU" else 0.03),
        non_eligible_component_share=share,
        security_clearance=rng.choices(SECURITY_CLEARANCE_LEVELS, (50, 25, 18, 7))[0],
        required_clearance=rng.choices(SECURITY_CLEARANCE_LEVELS, (80, 12, 6, 2))[0],
    )

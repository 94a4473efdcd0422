"""Generate Matchmaker's demo registry and its labelled evaluation set.

Writes seeds/companies.json (about 340 fictional European and Ukrainian defence
firms in the API's company format) and seeds/evaluation_pairs.json (planted
EU-UA partnerships that a facilitation office would call good, with the reason).
The data exists so that the service can be demonstrated and its matching engine
compared against BM25 and pure-embedding baselines on realistic, varied profiles:
every area, sub-capability, size, pathway and certificate scheme occurs, along
with the compliance edge cases the engine must handle (sanctioned owners, ITAR
content, non-eligible component shares over the SAFE limit, clearance gaps,
expired certificates). Near-miss distractors are planted next to every pair.

Deterministic: a fixed random seed, standard library only plus the project's
taxonomy and identifier rules. Phrase banks live beside this file (banks.py: per
sub-capability products, facts and wants; phrases.py: firm-level sentences;
people.py: countries, names and id formats; pairs.py: the planted partnerships).
Run from the repository root (the sibling modules are imported as plain modules):
    .venv/bin/python seeds/generate.py
The script checks its own output with assertions and fails loudly on any breach.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import banks
import pairs
import people
import phrases

from matchmaker.domain import taxonomy
from matchmaker.domain.identifiers import edrpou_check_digit, legal_id_error, normalize_legal_id

SEED = 20261121
TODAY = date(2026, 11, 21)  # certificates ending before this day count as expired
HERE = Path(__file__).resolve().parent
COMPANIES_PATH = HERE / "companies.json"
PAIRS_PATH = HERE / "evaluation_pairs.json"

EU, UA = taxonomy.SIDE_EU, taxonomy.SIDE_UA
TOTAL_EU, TOTAL_UA = 204, 136
SAFE_SHARE_LIMIT = 35.0  # SAFE Article 16(10): non-eligible component share, percent
NEVER_EXPIRES = {code for code, s in taxonomy.CERTIFICATION_SCHEMES.items() if not s.expires}
CLEARANCE_RANK = {level: i for i, level in enumerate(taxonomy.SECURITY_CLEARANCE_LEVELS)}

AREA_WEIGHTS: dict[str, dict[str, int]] = {
    EU: {
        "air_missile_defence": 10,
        "artillery": 9,
        "ammunition_missiles": 16,
        "drones_counter_drone": 18,
        "military_mobility": 10,
        "ai_cyber_ew": 14,
        "strategic_enablers": 12,
        "mro": 7,
    },
    UA: {
        "air_missile_defence": 7,
        "artillery": 7,
        "ammunition_missiles": 12,
        "drones_counter_drone": 30,
        "military_mobility": 8,
        "ai_cyber_ew": 14,
        "strategic_enablers": 5,
        "mro": 12,
    },
}
SIZE_WEIGHTS: dict[str, dict[str, int]] = {
    EU: {"startup": 25, "sme": 45, "large": 30},
    UA: {"startup": 38, "sme": 45, "large": 17},
}
PATHWAY_WEIGHTS: dict[str, dict[str, int]] = {
    EU: {
        "jv_eu": 5,
        "licensing": 5,
        "coproduction_ua": 4,
        "rnd": 4,
        "investment": 2,
        "mro_ua": 2,
        "direct_financing": 1,
    },
    UA: {
        "licensing": 5,
        "jv_eu": 5,
        "investment": 4,
        "direct_financing": 4,
        "coproduction_ua": 3,
        "rnd": 3,
        "mro_ua": 1,
    },
}
# Sub-capabilities where a Ukrainian firm may be a large (often state-owned) plant.
UA_HEAVY = frozenset(
    {
        "ammunition_missiles.shells",
        "ammunition_missiles.shell_loading",
        "ammunition_missiles.propellants",
        "ammunition_missiles.energetics",
        "ammunition_missiles.missiles",
        "artillery.howitzers_155",
        "artillery.rocket_artillery",
        "artillery.mortars",
        "military_mobility.armoured_vehicles",
        "military_mobility.logistics_vehicles",
        "mro.vehicle_repair",
        "mro.artillery_repair",
        "mro.aircraft_mro",
        "mro.electronics_repair",
        "air_missile_defence.sustainment",
    }
)
# Systems whose makers typically want them maintained in Ukraine.
SUSTAINED_SYSTEMS = frozenset(
    {
        "artillery.howitzers_155",
        "artillery.rocket_artillery",
        "military_mobility.armoured_vehicles",
        "military_mobility.logistics_vehicles",
        "military_mobility.bridging",
        "air_missile_defence.launchers",
        "air_missile_defence.radars",
        "air_missile_defence.sustainment",
    }
)
MARITIME = frozenset(
    {"drones_counter_drone.maritime_drones", "strategic_enablers.maritime_awareness"}
)
LANDLOCKED = frozenset({"AT", "CZ", "HU", "SK"})
# Realistic complements the taxonomy does not list, read both ways like COMPLEMENTARY_CAPABILITIES.
EXTRA_AFFINITY: tuple[tuple[str, str], ...] = (
    ("air_missile_defence.launchers", "air_missile_defence.interceptor_missiles"),
    ("air_missile_defence.interceptor_missiles", "ammunition_missiles.rocket_motors"),
    ("artillery.mortars", "ammunition_missiles.shells"),
    ("artillery.rocket_artillery", "ammunition_missiles.rocket_motors"),
    ("artillery.fire_control", "artillery.howitzers_155"),
    ("artillery.fire_control", "ai_cyber_ew.secure_comms"),
    ("ammunition_missiles.shells", "ammunition_missiles.fuzes"),
    ("ammunition_missiles.missiles", "ai_cyber_ew.resilient_navigation"),
    ("drones_counter_drone.maritime_drones", "ai_cyber_ew.secure_comms"),
    ("drones_counter_drone.ground_robots", "ai_cyber_ew.secure_comms"),
    ("drones_counter_drone.components", "drones_counter_drone.fixed_wing_uav"),
    ("drones_counter_drone.components", "drones_counter_drone.interceptors"),
    ("military_mobility.logistics_vehicles", "mro.spare_parts"),
    ("military_mobility.bridging", "mro.vehicle_repair"),
    ("military_mobility.armour_protection", "military_mobility.logistics_vehicles"),
    ("ai_cyber_ew.cyber_defence", "strategic_enablers.infrastructure_protection"),
    ("ai_cyber_ew.quantum", "ai_cyber_ew.resilient_navigation"),
    ("ai_cyber_ew.ai_targeting", "drones_counter_drone.fpv"),
    ("ai_cyber_ew.ai_targeting", "strategic_enablers.space"),
    ("strategic_enablers.space", "ai_cyber_ew.secure_comms"),
    ("strategic_enablers.airlift_refuelling", "mro.aircraft_mro"),
    ("strategic_enablers.infrastructure_protection", "drones_counter_drone.counter_uas"),
    ("mro.aircraft_mro", "mro.spare_parts"),
    ("mro.electronics_repair", "air_missile_defence.radars"),
    ("mro.vehicle_repair", "mro.spare_parts"),
)

ISSUERS_EU = (
    "TÜV SÜD Management Service",
    "TÜV Rheinland Cert",
    "DEKRA Certification",
    "Bureau Veritas Certification",
    "DNV Business Assurance",
    "Lloyd's Register Quality Assurance",
    "SGS Certification",
    "Kiwa Certification",
    "AFNOR Certification",
    "Intertek Certification",
)
ISSUERS_UA = (
    "Bureau Veritas Ukraine",
    "SGS Ukraine",
    "TÜV SÜD Ukraine",
    "DQS Ukraine",
    "Intertek Ukraine",
)
# Legal forms for small companies; large firms take the others (AG, SA, plc, ...) where a
# country has them.
SMALL_FORMS = frozenset(
    {
        "GmbH",
        "SAS",
        "SARL",
        "Sp. z o.o.",
        "S.r.l.",
        "s.r.o.",
        "B.V.",
        "Ltd",
        "ApS",
        "Oy",
        "S.L.",
        "S.R.L.",
        "UAB",
        "OÜ",
        "SIA",
        "Lda.",
        "Kft.",
        "d.o.o.",
        "EOOD",
        "BV",
        "LLC",
        "Private Enterprise",
    }
)
# Areas where young companies are plausible; elsewhere a "start-up" roll becomes an SME.
STARTUP_AREAS = frozenset({"drones_counter_drone", "ai_cyber_ew"})
STARTUP_SUBS = frozenset(
    {
        "air_missile_defence.c2_integration",
        "artillery.fire_control",
        "strategic_enablers.sensors",
        "strategic_enablers.space",
        "strategic_enablers.maritime_awareness",
    }
)
COMBAT_ISSUERS = (
    "Armed Forces of Ukraine, field-trial report",
    "Brave1 test programme",
    "Ministry of Defence of Ukraine, combat-use assessment",
)


@dataclass
class Spec:
    """Everything that decides a firm before its names and texts are written."""

    side: str
    country: str
    size: str
    offers: list[str]
    seeks: list[str]
    pathways: list[str]
    holds: list[str] = field(default_factory=list)  # schemes held, valid
    expired: list[str] = field(default_factory=list)  # schemes held, expired
    wants: list[str] = field(default_factory=list)  # partner_certifications
    clearance: str = "none"
    required: str = "none"
    controlling: str | None = None  # None: the firm's own country
    sanctioned: bool = False
    itar: bool = False
    share: float | None = 0.0
    status: str = "approved"
    role: str = "filler"  # planted | distractor | edge | filler
    pair: int | None = None  # index of the planted pair

    @property
    def primary(self) -> str:
        return self.offers[0]


# ---------------------------------------------------------------- small helpers


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


def sample_weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    pool = dict(weights)
    chosen: list[str] = []
    while pool and len(chosen) < k:
        pick = weighted(rng, pool)
        chosen.append(pick)
        del pool[pick]
    return chosen


def affinity(code: str) -> list[str]:
    """Codes that complement `code`: the taxonomy's pairs plus EXTRA_AFFINITY, both ways."""
    found = set(taxonomy.complementary_to(code))
    for a, b in EXTRA_AFFINITY:
        if a == code:
            found.add(b)
        elif b == code:
            found.add(a)
    return sorted(found)


def subs_of(area: str, side: str) -> list[str]:
    codes = [f"{area}.{s}" for s in taxonomy.CAPABILITY_AREAS[area].subcapabilities]
    return [c for c in codes if side in banks.BANKS[c].sides]


def covers(offered: list[str], wanted: str) -> bool:
    """Whether an offered code list satisfies a wanted code (an area code is met by any of its
    subs)."""
    return any(
        o == wanted
        or taxonomy.capability_area(o) == wanted
        or o == taxonomy.capability_area(wanted)
        for o in offered
    )


# Part of a {a-b} range a firm of each size draws from: a start-up's output is at the low end.
SIZE_SPAN = {"startup": (0.0, 0.35), "sme": (0.2, 0.7), "large": (0.5, 1.0)}


def fill(template: str, rng: random.Random, ctx: dict[str, str]) -> str:
    """Replace {a-b} by a random number in range (scaled to the firm's size unless it is a year),
    then named placeholders from ctx."""

    def number(match: re.Match[str]) -> str:
        low, high = int(match.group(1)), int(match.group(2))
        is_year = 1900 <= low <= high <= 2100
        if not is_year and ctx.get("size") in SIZE_SPAN:
            start, end = SIZE_SPAN[ctx["size"]]
            low, high = low + round((high - low) * start), low + round((high - low) * end)
        return str(rng.randint(low, high))

    return re.sub(r"\{(\d+)-(\d+)\}", number, template).format_map(ctx)


def words(text: str) -> int:
    return len(text.split())


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def join_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def style_of(country: str) -> people.CountryStyle:
    return next(s for s in people.EU_STYLES if s.code == country)


# ---------------------------------------------------------------- specs: random firms


def pick_primary(rng: random.Random, side: str) -> str:
    area = weighted(rng, AREA_WEIGHTS[side])
    return rng.choice(subs_of(area, side))


def pick_size(rng: random.Random, side: str, primary: str) -> str:
    size = weighted(rng, SIZE_WEIGHTS[side])
    if side == UA and size == "large" and primary not in UA_HEAVY:
        return "sme"
    if (
        size == "startup"
        and taxonomy.capability_area(primary) not in STARTUP_AREAS
        and primary not in STARTUP_SUBS
    ):
        return "sme"
    return size


def pick_offers(rng: random.Random, side: str, primary: str) -> list[str]:
    offers = [primary]
    area = taxonomy.capability_area(primary)
    siblings = [c for c in subs_of(area, side) if c != primary]
    if siblings and rng.random() < 0.5:
        offers.append(rng.choice(siblings))
    if rng.random() < 0.08:
        offers.append(area)
    return offers


def pick_seeks(rng: random.Random, primary: str, offers: list[str]) -> list[str]:
    candidates = [c for c in affinity(primary) if c not in offers]
    seeks = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 2))))
    if rng.random() < 0.25 or not seeks:
        seeks.append(primary)  # same domain: capacity or a design of the same kind
    if rng.random() < 0.08:
        seeks.append(taxonomy.capability_area(seeks[0]))
    return list(dict.fromkeys(seeks))


def pick_pathways(rng: random.Random, side: str, primary: str) -> list[str]:
    chosen = sample_weighted(rng, PATHWAY_WEIGHTS[side], rng.choice((1, 2, 2, 2, 3, 3, 4)))
    area = taxonomy.capability_area(primary)
    if (area == "mro" and side == UA) or (
        side == EU and primary in SUSTAINED_SYSTEMS and rng.random() < 0.6
    ):
        chosen.append("mro_ua")
    return list(dict.fromkeys(chosen))


def pick_holds(rng: random.Random, side: str, size: str, primary: str) -> list[str]:
    area = taxonomy.capability_area(primary)
    aero = area in ("drones_counter_drone", "strategic_enablers") or primary == "mro.aircraft_mro"
    if side == EU:
        odds = {
            "iso_9001": 0.85,
            "aqap_2110": {"startup": 0.3, "sme": 0.6, "large": 0.85}[size],
            "ncage": 0.7,
            "en_9100": 0.4 if aero else 0.05,
            "aqap_2310": 0.3 if aero else 0.0,
            "iso_27001": 0.6 if area == "ai_cyber_ew" else 0.1,
            "nato_stock_number": 0.45 if size == "large" else 0.1,
            "combat_proven": 0.1,
            "ua_mod_codification": 0.06,
        }
    else:
        odds = {
            "iso_9001": 0.9 if size == "large" else 0.45,
            "ua_mod_codification": 0.6,
            "combat_proven": 0.7 if size == "startup" else 0.55,
            "ncage": 0.2,
            "aqap_2110": 0.4 if size == "large" else 0.1,
            "iso_27001": 0.35 if area == "ai_cyber_ew" else 0.05,
        }
    return [scheme for scheme, p in odds.items() if rng.random() < p]


def pick_wants(rng: random.Random, side: str, primary: str) -> list[str]:
    if rng.random() > 0.5:
        return []
    if side == EU:
        options = ["combat_proven", "combat_proven", "ua_mod_codification", "iso_9001"]
    else:
        options = ["aqap_2110", "aqap_2110", "iso_9001", "ncage"]
        if taxonomy.capability_area(primary) == "drones_counter_drone":
            options.append("en_9100")
    return sorted(set(rng.sample(options, rng.choice((1, 1, 1, 2)))))


def pick_clearance(rng: random.Random, side: str, size: str) -> tuple[str, str]:
    if side == UA:
        return ("nato_restricted" if size == "large" and rng.random() < 0.15 else "none"), "none"
    odds = {
        "startup": (0.85, 0.1, 0.05, 0.0),
        "sme": (0.5, 0.2, 0.2, 0.1),
        "large": (0.15, 0.1, 0.3, 0.45),
    }[size]
    clearance = rng.choices(taxonomy.SECURITY_CLEARANCE_LEVELS, odds)[0]
    required = "none"
    if clearance != "none" and rng.random() < 0.2:
        required = rng.choice(
            [
                lv
                for lv in taxonomy.SECURITY_CLEARANCE_LEVELS[1:]
                if CLEARANCE_RANK[lv] <= CLEARANCE_RANK[clearance]
            ]
        )
    return clearance, required


def pick_share(rng: random.Random, side: str, primary: str) -> float | None:
    if rng.random() < 0.1:
        return None
    if side == UA and taxonomy.capability_area(primary) == "drones_counter_drone":
        return round(rng.uniform(8, 34) * 2) / 2
    return round(rng.uniform(0, 28) * 2) / 2


def age_certificates(rng: random.Random, spec: Spec, odds: float = 0.1) -> None:
    """Let some expiring certificates lapse (they stay listed, with an old date)."""
    for scheme in list(spec.holds):
        if (
            scheme not in NEVER_EXPIRES
            and scheme != "facility_security_clearance"
            and rng.random() < odds
        ):
            spec.holds.remove(scheme)
            spec.expired.append(scheme)


def random_spec(rng: random.Random, side: str, country: str, primary: str | None = None) -> Spec:
    while primary is None or (primary in MARITIME and country in LANDLOCKED):
        primary = pick_primary(rng, side)
    size = pick_size(rng, side, primary)
    offers = pick_offers(rng, side, primary)
    clearance, required = pick_clearance(rng, side, size)
    spec = Spec(
        side,
        country,
        size,
        offers,
        pick_seeks(rng, primary, offers),
        pick_pathways(rng, side, primary),
        holds=pick_holds(rng, side, size, primary),
        wants=pick_wants(rng, side, primary),
        clearance=clearance,
        required=required,
        share=pick_share(rng, side, primary),
    )
    if clearance != "none" and "facility_security_clearance" not in spec.holds:
        spec.holds.append("facility_security_clearance")
    age_certificates(rng, spec)
    return spec


def eu_country(rng: random.Random, primary: str = "") -> str:
    """A European country, weighted by defence-industrial size; coastal for maritime firms."""
    styles = [s for s in people.EU_STYLES if primary not in MARITIME or s.code not in LANDLOCKED]
    return rng.choices([s.code for s in styles], [s.weight for s in styles])[0]


# -------------------------------------------------------- specs: planted pairs and distractors


def planted_specs(rng: random.Random) -> list[tuple[Spec, Spec, pairs.PairTemplate]]:
    planted: list[tuple[Spec, Spec, pairs.PairTemplate]] = []
    for template in pairs.PAIR_TEMPLATES:
        for i, pathways in enumerate(template.pathway_sets):
            country = template.eu_countries[i % len(template.eu_countries)]
            eu = spec_from_partner(rng, template.eu, EU, country, list(pathways), len(planted))
            ua = spec_from_partner(rng, template.ua, UA, "UA", list(pathways), len(planted))
            planted.append((eu, ua, template))
    return planted


def spec_from_partner(
    rng: random.Random,
    partner: pairs.PartnerSpec,
    side: str,
    country: str,
    pathways: list[str],
    index: int,
) -> Spec:
    holds = list(partner.holds)
    if partner.clearance != "none" and "facility_security_clearance" not in holds:
        holds.append("facility_security_clearance")
    share = round(rng.uniform(0, 30) * 2) / 2
    return Spec(
        side,
        country,
        partner.size,
        list(partner.offers),
        list(partner.seeks),
        pathways,
        holds=holds,
        wants=list(partner.wants),
        clearance=partner.clearance,
        required=partner.required,
        share=share,
        role="planted",
        pair=index,
    )


DISTRACTOR_KINDS = ("pathway", "one_sided", "expired", "same_side", "safe", "clearance")


def distractor_spec(rng: random.Random, kind: str, eu: Spec, ua: Spec) -> Spec:
    """A firm that resembles one member of a planted pair but fits the other member less well."""
    if kind == "expired" and not ua.wants:
        kind = "clearance"
    if kind == "safe" and ua.primary in banks.SERVICES:
        kind = "pathway"
    if kind == "pathway":
        other = [p for p in PATHWAY_WEIGHTS[UA] if p not in eu.pathways]
        return replace(
            ua,
            pathways=rng.sample(other, 2),
            role="distractor",
            pair=None,
            holds=list(ua.holds),
            size=pick_size(rng, UA, ua.primary),
        )
    if kind == "one_sided":
        elsewhere = [c for c in affinity(ua.primary) + [ua.primary] if not covers(eu.offers, c)]
        seeks = [rng.choice(elsewhere)] if elsewhere else [pick_primary(rng, EU)]
        return replace(ua, seeks=seeks, role="distractor", pair=None, holds=list(ua.holds))
    if kind == "same_side":
        return replace(
            ua,
            side=EU,
            country=eu_country(rng, ua.primary),
            role="distractor",
            pair=None,
            holds=["iso_9001", "aqap_2110"],
            wants=[],
            size=pick_size(rng, EU, ua.primary),
        )
    if kind == "safe":
        return replace(
            ua,
            share=round(rng.uniform(42, 75) * 2) / 2,
            role="distractor",
            pair=None,
            holds=list(ua.holds),
        )
    if kind == "expired":
        holds = [s for s in eu.holds if s not in ua.wants]
        return replace(
            eu,
            holds=holds,
            expired=list(ua.wants),
            country=eu_country(rng, eu.primary),
            role="distractor",
            pair=None,
        )
    return replace(
        eu,
        clearance="nato_secret",
        required=rng.choice(("nato_confidential", "nato_secret")),
        holds=sorted(set(eu.holds) | {"facility_security_clearance"}),
        country=eu_country(rng, eu.primary),
        role="distractor",
        pair=None,
    )


def distractor_specs(
    rng: random.Random, planted: list[tuple[Spec, Spec, pairs.PairTemplate]]
) -> list[Spec]:
    out = []
    for i, (eu, ua, _) in enumerate(planted):
        spec = distractor_spec(rng, DISTRACTOR_KINDS[i % len(DISTRACTOR_KINDS)], eu, ua)
        spec.status = "pending" if rng.random() < 0.1 else "approved"
        out.append(spec)
    return out


# ---------------------------------------------------------------- specs: edge cases


def sanctioned_specs(rng: random.Random) -> list[Spec]:
    """Firms owned or controlled from Russia or Belarus: they must never be suggested."""
    cases = (
        ("LV", "military_mobility.logistics_vehicles", "RU", "approved"),
        ("LT", "drones_counter_drone.components", "BY", "approved"),
        ("BG", "ammunition_missiles.propellants", "RU", "rejected"),
        ("UA", "mro.aircraft_mro", "RU", "pending"),
    )
    out = []
    for country, primary, controller, status in cases:
        side = UA if country == "UA" else EU
        spec = random_spec(rng, side, country, primary)
        spec.controlling, spec.sanctioned, spec.status, spec.role = controller, True, status, "edge"
        out.append(spec)
    return out


def mark_edge_cases(rng: random.Random, filler: list[Spec]) -> None:
    """Turn some random firms into compliance edge cases (foreign control, ITAR, high non-EU
    share)."""
    eu = [s for s in filler if s.side == EU and s.size != "startup"]
    ua_drones = [s for s in filler if s.side == UA and s.primary.startswith("drones_counter_drone")]
    picks = rng.sample([s for s in eu if s.country != "GB"], 10)
    for spec in picks[:4]:  # US-owned European subsidiaries
        spec.controlling, spec.itar, spec.share = "US", True, round(rng.uniform(38, 58), 1)
    for spec in picks[4:7]:
        spec.itar, spec.share = True, round(rng.uniform(18, 45), 1)
    for spec, controller in zip(picks[7:], ("IL", "CH", "GB"), strict=True):
        spec.controlling = controller
    for spec in rng.sample(ua_drones, 6):
        spec.share = round(rng.uniform(40, 78), 1)
    for spec in picks:
        spec.role = "edge"


def filler_specs(rng: random.Random, n_eu: int, n_ua: int) -> list[Spec]:
    specs = [random_spec(rng, EU, eu_country(rng)) for _ in range(n_eu)]
    specs += [random_spec(rng, UA, "UA") for _ in range(n_ua)]
    return specs


def assign_statuses(rng: random.Random, specs: list[Spec]) -> None:
    """About 85 % approved overall; the rest pending, with a few rejected and archived."""
    free = [s for s in specs if s.role in ("filler", "edge") and not s.sanctioned]
    rng.shuffle(free)
    target_other = round(len(specs) * 0.15) - sum(1 for s in specs if s.status != "approved")
    for i, spec in enumerate(free[:target_other]):
        spec.status = "archived" if i < 3 else "rejected" if i < 7 else "pending"


# ---------------------------------------------------------------- names, ids, contacts


def is_real_name(name: str) -> bool:
    lower = name.lower()
    return any(re.search(rf"\b{re.escape(frag)}\b", lower) for frag in people.REAL_NAME_FRAGMENTS)


def legal_form(rng: random.Random, forms: tuple[str, ...], size: str) -> str:
    """A legal form that suits the size: no SARL for an industrial group, no plc for a start-up."""
    small = [f for f in forms if f in SMALL_FORMS]
    big = [f for f in forms if f not in SMALL_FORMS]
    if size == "large" and big:
        return rng.choice(big)
    if size == "startup" and small:
        return rng.choice(small)
    return rng.choice(forms)


PLANT_TRADES: dict[str, tuple[str, ...]] = {
    "air_missile_defence": ("Radio", "Radar Repair", "Machine-Building"),
    "artillery": ("Machine-Building", "Arsenal", "Mechanical"),
    "ammunition_missiles": ("Chemical", "Ammunition", "Mechanical"),
    "drones_counter_drone": ("Aviation", "Machine-Building"),
    "military_mobility": ("Armoured Vehicle", "Automotive", "Tank Repair"),
    "ai_cyber_ew": ("Radio", "Electronics"),
    "strategic_enablers": ("Optical", "Instrument"),
    "mro.vehicle_repair": ("Armoured Repair", "Tank Repair"),
    "mro.artillery_repair": ("Arsenal", "Artillery Repair"),
    "mro.spare_parts": ("Mechanical", "Machine-Building"),
    "mro.aircraft_mro": ("Aircraft Repair", "Aviation Repair"),
    "mro.electronics_repair": ("Radio Repair", "Electronics Repair"),
}
GENERIC_WORDS = (
    "Defence",
    "Technologies",
    "Industries",
    "Systems",
    "Engineering",
    "Dynamics",
    "Works",
)


def name_candidate(rng: random.Random, spec: Spec, city: str) -> tuple[str, str, str]:
    """(full name, short name without legal form, legal form)."""
    word = rng.choice(
        banks.BANKS[spec.primary].words + GENERIC_WORDS[: 3 if spec.size == "startup" else 7]
    )
    if spec.side == UA:
        suffix = legal_form(rng, people.UA_SUFFIXES, spec.size)
        own_control = spec.controlling in (None, spec.country)
        if spec.size == "large" and own_control and rng.random() < 0.5:
            trades = (
                PLANT_TRADES.get(spec.primary)
                or PLANT_TRADES[taxonomy.capability_area(spec.primary)]
            )
            trade = rng.choice(trades)
            short = f"{city} {trade} Plant"
            return f"{short}, State Enterprise", short, "State Enterprise"
        roll = rng.random()
        root = rng.choice(people.UA_ROOTS)
        if roll < 0.35:
            short = f"{city} {word}"
        elif roll < 0.8 or spec.size == "large":
            short = f"{root} {word}"
        elif roll < 0.9:
            short = f"{root} Design Bureau"
        else:
            short = f"Research and Production Enterprise {root}"
        return f"{short} {suffix}", short, suffix
    style = style_of(spec.country)
    suffix = legal_form(rng, style.suffixes, spec.size)
    root = rng.choice(style.roots)
    short = (
        f"{root} {word}"
        if rng.random() < 0.88
        else root + rng.choice(("", " Group", " Industries"))
    )
    return f"{short} {suffix}", short, suffix


def make_name(rng: random.Random, spec: Spec, city: str, used: set[str]) -> tuple[str, str]:
    for _ in range(200):
        name, short, _ = name_candidate(rng, spec, city)
        if name.lower() not in used and short.lower() not in used and not is_real_name(name):
            used.update({name.lower(), short.lower()})
            return name, short
    raise RuntimeError(f"could not find a unique name for a {spec.country} firm")


def from_shape(rng: random.Random, shape: str) -> str:
    return "".join(
        str(rng.randint(0, 9))
        if c == "#"
        else rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        if c == "@"
        else c
        for c in shape
    )


def edrpou(rng: random.Random, state_owned: bool) -> str:
    number = rng.randint(100_000, 2_999_999) if state_owned else rng.randint(3_000_000, 4_599_999)
    base = f"{number:07d}"
    return base + str(edrpou_check_digit(base + "0"))


def make_legal_id(
    rng: random.Random, spec: Spec, state_owned: bool, used: set[tuple[str, str]]
) -> str:
    for _ in range(100):
        if spec.side == UA:
            legal_id = edrpou(rng, state_owned)
        else:
            style = style_of(spec.country)
            use_register = style.register is not None and rng.random() < 0.15
            legal_id = from_shape(
                rng,
                style.register
                if use_register and style.register
                else people.VAT_SHAPES[spec.country],
            )
        key = (spec.country, normalize_legal_id(legal_id))
        if key not in used:
            error = legal_id_error(spec.country, key[1])
            if error:
                raise AssertionError(
                    f"generated an invalid legal id {legal_id} for {spec.country}: {error}"
                )
            used.add(key)
            return legal_id
    raise RuntimeError("could not find a unique legal id")


def make_website(rng: random.Random, spec: Spec, short: str, used: set[str]) -> str:
    tld = (
        "example"
        if rng.random() < 0.5
        else (people.UA_TLD if spec.side == UA else style_of(spec.country).tld)
    )
    slug = ascii_slug(short)
    domain = f"{slug}.{tld}"
    n = 2
    while domain in used:
        domain, n = f"{slug}-{n}.{tld}", n + 1
    used.add(domain)
    return f"https://{domain}"


def make_contact(rng: random.Random, spec: Spec, website: str) -> dict[str, str]:
    if spec.side == UA:
        first, last, phone = (
            rng.choice(people.UA_FIRST_NAMES),
            rng.choice(people.UA_LAST_NAMES),
            people.UA_PHONE,
        )
    else:
        style = style_of(spec.country)
        first, last, phone = (
            rng.choice(style.first_names),
            rng.choice(style.last_names),
            style.phone,
        )
    domain = website.removeprefix("https://")
    local = rng.choice(
        (
            f"{ascii_slug(first)}.{ascii_slug(last)}",
            f"{ascii_slug(first)[0]}.{ascii_slug(last)}",
            "partnering",
            "bd",
            "cooperation",
        )
    )
    digits = f"{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    return {
        "name": f"{first} {last}",
        "email": f"{local.replace('-', '')}@{domain}",
        "phone": f"{phone} {digits}",
    }


# ---------------------------------------------------------------- certificates and compliance


def cert_issuer(rng: random.Random, scheme: str, spec: Spec) -> str:
    country = taxonomy.COUNTRY_NAMES[spec.country]
    if scheme == "facility_security_clearance":
        return (
            "Security Service of Ukraine"
            if spec.side == UA
            else f"National Security Authority of {country}"
        )
    if scheme in ("ncage", "nato_stock_number"):
        return f"National Codification Bureau of {country}"
    if scheme == "ua_mod_codification":
        return "Ministry of Defence of Ukraine"
    if scheme == "combat_proven":
        return rng.choice(COMBAT_ISSUERS)
    return rng.choice(ISSUERS_UA if spec.side == UA else ISSUERS_EU)


def cert_identifier(rng: random.Random, scheme: str, spec: Spec) -> str:
    cc = spec.country
    shapes = {
        "iso_9001": rng.choice(("Q-#####", "QMS-######", "CERT-####-####")),
        "aqap_2110": f"AQAP2110-{cc}-####",
        "aqap_2310": f"AQAP2310-{cc}-####",
        "en_9100": "EN9100-######",
        "iso_27001": "ISMS-######",
        "facility_security_clearance": f"FSC-{cc}-#####",
        "ncage": "@####" if rng.random() < 0.5 else "@@###",
        "nato_stock_number": "NSN 1###-##-###-####",
        "ua_mod_codification": f"MoD order ###/{rng.randint(2019, 2026)}",
        "combat_proven": f"Trial report {rng.randint(2022, 2026)}-###",
    }
    return from_shape(rng, shapes[scheme])


def month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def cert_date(rng: random.Random, scheme: str, expired: bool) -> str | None:
    if scheme in NEVER_EXPIRES:
        return None
    if expired:
        day = month_end(rng.randint(2024, 2026), rng.randint(1, 12))
        while day >= TODAY:
            day = month_end(2026, rng.randint(1, 10))
        return day.isoformat()
    return month_end(rng.randint(2027, 2030), rng.randint(1, 12)).isoformat()


def make_certifications(rng: random.Random, spec: Spec) -> list[dict[str, Any]]:
    held = [(s, False) for s in spec.holds] + [(s, True) for s in spec.expired]
    return [
        {
            "scheme": s,
            "identifier": cert_identifier(rng, s, spec),
            "issuer": cert_issuer(rng, s, spec),
            "valid_until": cert_date(rng, s, expired),
        }
        for s, expired in held
    ]


def export_codes(rng: random.Random, spec: Spec) -> list[str]:
    codes = set(rng.sample(banks.BANKS[spec.primary].export, 1))
    if rng.random() < 0.5:
        codes.update(banks.BANKS[spec.primary].export)
    for code in spec.offers[1:]:
        if "." in code:
            codes.add(banks.BANKS[code].export[0])
    return sorted(codes, key=lambda c: (c[:2], int(c[2:])))


def make_compliance(rng: random.Random, spec: Spec) -> dict[str, Any]:
    return {
        "controlling_country": spec.controlling or spec.country,
        "sanctioned": spec.sanctioned,
        "export_control": export_codes(rng, spec),
        "itar_controlled": spec.itar,
        "non_eligible_component_share": spec.share,
        "security_clearance": spec.clearance,
        "required_clearance": spec.required,
    }


# ---------------------------------------------------------------- texts


def kinds_for(spec: Spec) -> list[str]:
    """How a firm may describe itself (a foreign-controlled firm is not state- or family-owned)."""
    kinds = list(phrases.KINDS[(spec.side, spec.size)])
    if spec.controlling and spec.controlling != spec.country:
        kinds = [k for k in kinds if "state-owned" not in k and "family" not in k] or kinds
    return kinds


def text_context(
    spec: Spec, name: str, short: str, city: str, rng: random.Random
) -> dict[str, str]:
    side = spec.side
    low, high = phrases.FOUNDED[(side, spec.size)]
    adjective = "Ukrainian" if side == UA else style_of(spec.country).adjective
    return {
        "name": name,
        "short": short,
        "size": spec.size,
        "city": city,
        "country": taxonomy.COUNTRY_NAMES[spec.country],
        "adj": adjective,
        "kind": rng.choice(kinds_for(spec)),
        "year": str(rng.randint(low, high)),
        "prior": rng.choice(phrases.PRIOR_TRADES),
        "ordinal": rng.choice(phrases.ORDINALS),
        "level": phrases.CLEARANCE_SHORT[spec.clearance],
        "own": banks.NOUNS[spec.primary],
    }


def sub_codes(codes: list[str]) -> list[str]:
    return [c for c in codes if "." in c]


def holds_condition(condition: str, spec: Spec) -> bool:
    """Whether a conditional sentence is true of the firm."""
    designer = spec.primary not in banks.SERVICES
    if "+" in condition:
        return all(holds_condition(part, spec) for part in condition.split("+"))
    checks = {
        "": True,
        "design": designer,
        "service": not designer,
        "combat_proven": "combat_proven" in spec.holds,
        "codified": "ua_mod_codification" in spec.holds,
        "aqap": "aqap_2110" in spec.holds,
        "itar_free": not spec.itar,
        "ncage": "ncage" in spec.holds,
    }
    return checks[condition]


def description_pool(
    rng: random.Random, spec: Spec, ctx: dict[str, str], facts: list[str]
) -> list[str]:
    """Candidate sentences after the opening, in random order."""
    pool = list(facts)
    for code in sub_codes(spec.offers)[1:]:
        pool.append(
            rng.choice(phrases.SECONDARY).replace("{does}", rng.choice(banks.BANKS[code].does))
        )
    colour = [text for text, cond in phrases.SIDE_COLOUR[spec.side] if holds_condition(cond, spec)]
    pool += rng.sample(colour, 2)
    pool.append(rng.choice(phrases.SIZE_COLOUR[spec.size]))
    c1, c2 = rng.sample(phrases.CUSTOMERS[spec.side], 2)
    pool.append(rng.choice(phrases.CUSTOMER_SENTENCES).replace("{c1}", c1).replace("{c2}", c2))
    if spec.clearance != "none" and spec.side == EU:
        pool.append(rng.choice(phrases.CLEARED))
    own_control = spec.controlling in (None, spec.country)
    if spec.side == EU and spec.size == "sme" and own_control and rng.random() < 0.25:
        pool.append(phrases.FAMILY_OWNED)
    if spec.side == UA and spec.size == "large" and own_control and rng.random() < 0.6:
        pool.append(phrases.STATE_HOLDING)
    rng.shuffle(pool)
    return [fill(s, rng, ctx) for s in pool]


def make_description(rng: random.Random, spec: Spec, ctx: dict[str, str], facts: list[str]) -> str:
    does = rng.choice(banks.BANKS[spec.primary].does)
    openers = [
        o for o in phrases.OPENERS[spec.side] if spec.size != "large" or "workshops" not in o
    ]
    opener = fill(rng.choice(openers).replace("{does}", does), rng, ctx)
    target = rng.randint(62, 110)
    text = capitalise(opener)
    for sentence in description_pool(rng, spec, ctx, facts):
        if words(text) >= target:
            break
        if words(text) + words(sentence) <= 120:
            text += " " + sentence
    return text


def make_offers(rng: random.Random, spec: Spec, ctx: dict[str, str], facts: list[str]) -> str:
    """Products first, then the firm's own facts, then at most two selling points."""
    products = rng.sample(banks.BANKS[spec.primary].products, rng.choice((2, 3, 3, 4)))
    for code in sub_codes(spec.offers)[1:]:
        products.append(rng.choice(banks.BANKS[code].products))
    lead = rng.choice(phrases.OFFER_LEADS)
    text = fill(capitalise(lead + join_list(products)) + ".", rng, ctx)
    tails = [t for t, cond in phrases.OFFER_TAILS[spec.side] if holds_condition(cond, spec)]
    extras = rng.sample(facts, len(facts)) + rng.sample(tails, min(len(tails), 2))
    target = rng.randint(28, 50)
    for sentence in (fill(x, rng, ctx) for x in extras):
        if words(text) >= target:
            break
        if words(text) + words(sentence) <= 70:
            text += " " + sentence
    return text


def wanted_phrase(rng: random.Random, code: str) -> str:
    return rng.choice(banks.BANKS[code].wants) if "." in code else phrases.AREA_WANTS[code]


def pathway_phrases(spec: Spec, pathway: str) -> tuple[str, ...]:
    if spec.side == UA and spec.primary in banks.SERVICES:
        return phrases.SERVICE_PATHWAY_SEEKS.get(pathway, phrases.PATHWAY_SEEKS[UA][pathway])
    return phrases.PATHWAY_SEEKS[spec.side][pathway]


def make_seeks(rng: random.Random, spec: Spec, ctx: dict[str, str]) -> str:
    """What the firm wants from a partner: capabilities, then pathways, certificates and
    clearance."""
    wants = join_list([wanted_phrase(rng, c) for c in spec.seeks[:3]])
    pathways = rng.sample(spec.pathways, min(len(spec.pathways), 3))
    pws = [rng.choice(pathway_phrases(spec, p)) for p in pathways]
    text = rng.choice(phrases.SEEK_TEMPLATES).replace("{want}", wants).replace("{pw}", pws[0])
    required = [f"We are also open to {join_list(pws[1:])}."] if pws[1:] else []
    if spec.wants:
        labels = join_list([phrases.CERT_SHORT[w] for w in spec.wants])
        required.append(rng.choice(phrases.CERT_WANTS).replace("{labels}", labels))
    if spec.required != "none":
        level = phrases.CLEARANCE_SHORT[spec.required]
        required.append(rng.choice(phrases.CLEARANCE_WANTS).replace("{level}", level))
    optional = [fill(x, rng, ctx) for x in rng.sample(phrases.SEEK_EXTRAS[spec.side], 3)]
    text = fill(text, rng, ctx)
    target = rng.randint(24, 48)
    for sentence in [fill(x, rng, ctx) for x in required] + optional:
        if words(text) >= target and sentence in optional:
            break
        if words(text) + words(sentence) <= 60:
            text += " " + sentence
    return capitalise(text)


# ---------------------------------------------------------------- rendering


@dataclass
class Registry:
    names: set[str] = field(default_factory=set)
    ids: set[tuple[str, str]] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)


def render(rng: random.Random, spec: Spec, registry: Registry) -> dict[str, Any]:
    city = rng.choice(people.UA_CITIES if spec.side == UA else style_of(spec.country).cities)
    name, short = make_name(rng, spec, city, registry.names)
    state_owned = spec.side == UA and spec.size == "large"
    website = make_website(rng, spec, short, registry.domains)
    ctx = text_context(spec, name, short, city, rng)
    facts = rng.sample(banks.BANKS[spec.primary].facts, len(banks.BANKS[spec.primary].facts))
    return {
        "name": name,
        "legal_id": make_legal_id(rng, spec, state_owned, registry.ids),
        "country": spec.country,
        "size": spec.size,
        "website": website,
        "description": make_description(rng, spec, ctx, facts[:2]),
        "offers": make_offers(rng, spec, ctx, facts[2:]),
        "seeks": make_seeks(rng, spec, ctx),
        "capabilities": list(dict.fromkeys(spec.offers)),
        "seeking_capabilities": list(dict.fromkeys(spec.seeks)),
        "certifications": make_certifications(rng, spec),
        "partner_certifications": list(spec.wants),
        "pathways": list(dict.fromkeys(spec.pathways)),
        "compliance": make_compliance(rng, spec),
        "contact": make_contact(rng, spec, website),
        "status": spec.status,
    }


def reasoning(template: pairs.PairTemplate, eu: Spec, ua: Spec, eu_name: str, ua_name: str) -> str:
    """The template's domain reason plus what lines up: shared pathways, certificates, clearance."""
    why = template.why.format(eu=eu_name, ua=ua_name)
    shared = [p for p in eu.pathways if p in ua.pathways]
    clauses = [f"both want {join_list([pairs.PATHWAY_SHORT[p] for p in shared])}"]
    if eu.wants:
        clauses.append(
            f"{ua_name} holds the {join_list([phrases.CERT_SHORT[w] for w in eu.wants])} "
            f"{eu_name} asks of partners"
        )
    if ua.wants:
        clauses.append(
            f"{eu_name}'s {join_list([phrases.CERT_SHORT[w] for w in ua.wants])} "
            f"required by {ua_name} is valid"
        )
    if eu.required != "none":
        clauses.append(
            f"{ua_name} is cleared to {phrases.CLEARANCE_SHORT[ua.clearance]} as required"
        )
    return f"{why} {capitalise('; '.join(clauses))}."


# ---------------------------------------------------------------- self-check


def valid_schemes(row: dict[str, Any]) -> set[str]:
    return {
        c["scheme"]
        for c in row["certifications"]
        if c["valid_until"] is None or date.fromisoformat(c["valid_until"]) >= TODAY
    }


def fits(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two-sided fit with no blocker: what each seeks the other offers, pathways, certificates,
    clearance."""
    two_sided = any(covers(b["capabilities"], w) for w in a["seeking_capabilities"]) and any(
        covers(a["capabilities"], w) for w in b["seeking_capabilities"]
    )
    pathways = bool(set(a["pathways"]) & set(b["pathways"]))
    certs = set(a["partner_certifications"]) <= valid_schemes(b) and set(
        b["partner_certifications"]
    ) <= valid_schemes(a)
    clear = all(
        CLEARANCE_RANK[x["compliance"]["security_clearance"]]
        >= CLEARANCE_RANK[y["compliance"]["required_clearance"]]
        for x, y in ((a, b), (b, a))
    )
    return two_sided and pathways and certs and clear


def safe_ok(row: dict[str, Any]) -> bool:
    comp = row["compliance"]
    share = comp["non_eligible_component_share"]
    return (
        not comp["sanctioned"]
        and comp["controlling_country"] in taxonomy.SAFE_ELIGIBLE_COUNTRIES | {"GB"}
        and not comp["itar_controlled"]
        and (share is None or share <= SAFE_SHARE_LIMIT)
    )


def check_row(row: dict[str, Any]) -> None:
    name = row["name"]
    assert (
        len(name) <= 200 and len(row["website"]) <= 300 and row["website"].startswith("https://")
    ), name
    assert legal_id_error(row["country"], normalize_legal_id(row["legal_id"])) is None, row[
        "legal_id"
    ]
    assert 50 <= words(row["description"]) <= 120, (name, words(row["description"]))
    assert 25 <= words(row["offers"]) <= 70, (name, words(row["offers"]))
    assert 20 <= words(row["seeks"]) <= 60, (name, words(row["seeks"]))
    assert "{" not in row["description"] + row["offers"] + row["seeks"], name
    codes = row["capabilities"] + row["seeking_capabilities"]
    assert codes and set(codes) <= taxonomy.CAPABILITY_CODES, name
    assert set(row["pathways"]) <= set(taxonomy.PATHWAYS) and row["pathways"], name
    assert set(row["partner_certifications"]) <= set(taxonomy.CERTIFICATION_SCHEMES), name
    for cert in row["certifications"]:
        expires = taxonomy.CERTIFICATION_SCHEMES[cert["scheme"]].expires
        assert (cert["valid_until"] is not None) == expires, (name, cert)
        assert len(cert["identifier"]) <= 120 and len(cert["issuer"]) <= 120
    comp = row["compliance"]
    assert set(comp["export_control"]) <= set(taxonomy.EXPORT_CONTROL_CATEGORIES), name
    assert {comp["security_clearance"], comp["required_clearance"]} <= set(
        taxonomy.SECURITY_CLEARANCE_LEVELS
    )
    share = comp["non_eligible_component_share"]
    assert share is None or 0 <= share <= 100, name
    assert row["status"] in taxonomy.STATUSES, name


def check_registry(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        check_row(row)
    sides = [taxonomy.side_of_country(r["country"]) for r in rows]
    n_eu, n_ua = sides.count(EU), sides.count(UA)
    assert (
        len(rows) >= 320 and 0.55 <= n_eu / len(rows) <= 0.65 and 0.35 <= n_ua / len(rows) <= 0.45
    )
    assert len({r["country"] for r in rows if r["country"] != "UA"}) >= 18
    offered_areas = {taxonomy.capability_area(c) for r in rows for c in r["capabilities"]}
    assert offered_areas == set(taxonomy.CAPABILITY_AREAS), offered_areas
    subs = {c for r in rows for c in r["capabilities"] if "." in c}
    assert len(subs) >= 40, len(subs)
    assert {p for r in rows for p in r["pathways"]} == set(taxonomy.PATHWAYS)
    assert {r["size"] for r in rows} == set(taxonomy.SIZES)
    comps = [r["compliance"] for r in rows]
    assert sum(c["sanctioned"] and c["controlling_country"] in ("RU", "BY") for c in comps) >= 3
    assert sum(c["itar_controlled"] for c in comps) >= 5
    assert sum((c["non_eligible_component_share"] or 0) > SAFE_SHARE_LIMIT for c in comps) >= 5
    assert sum(c["security_clearance"] != "none" for c in comps) >= 20
    assert sum(c["required_clearance"] != "none" for c in comps) >= 5
    assert any(
        v["valid_until"] and v["valid_until"] < TODAY.isoformat()
        for r in rows
        for v in r["certifications"]
    )
    statuses = [r["status"] for r in rows]
    assert 0.82 <= statuses.count("approved") / len(rows) <= 0.88, statuses.count("approved")
    assert statuses.count("rejected") >= 2 and 2 <= statuses.count("archived") <= 3
    assert len({r["name"].lower() for r in rows}) == len(rows)
    assert len({(r["country"], normalize_legal_id(r["legal_id"])) for r in rows}) == len(rows)
    assert not any(is_real_name(r["name"]) for r in rows)


def check_pairs(rows: list[dict[str, Any]], eval_pairs: list[dict[str, Any]]) -> None:
    by_key = {(r["country"], r["legal_id"]): r for r in rows}
    assert len(eval_pairs) >= 45
    for pair in eval_pairs:
        a, b = (
            by_key[(pair["a"]["country"], pair["a"]["legal_id"])],
            by_key[(pair["b"]["country"], pair["b"]["legal_id"])],
        )
        assert taxonomy.side_of_country(a["country"]) == EU and b["country"] == "UA", pair
        assert a["status"] == b["status"] == "approved", pair
        assert safe_ok(a) and safe_ok(b), pair
        assert fits(a, b), pair
        assert pair["reasoning"] and len(pair["reasoning"]) < 700


def shingles(text: str) -> set[tuple[str, ...]]:
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))


def max_overlap(rows: list[dict[str, Any]], key: str) -> float:
    sets = [shingles(r[key]) for r in rows]
    best = 0.0
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            best = max(best, len(a & b) / len(a | b))
    return best


def competitors(rows: list[dict[str, Any]], eval_pairs: list[dict[str, Any]]) -> list[int]:
    """For each pair, how many other approved, SAFE-clean cross-side firms fit member a as well
    as b does."""
    by_key = {(r["country"], r["legal_id"]): r for r in rows}
    pool = [r for r in rows if r["status"] == "approved" and safe_ok(r)]
    counts = []
    for pair in eval_pairs:
        a, b = (
            by_key[(pair["a"]["country"], pair["a"]["legal_id"])],
            by_key[(pair["b"]["country"], pair["b"]["legal_id"])],
        )
        counts.append(sum(1 for r in pool if r["country"] == "UA" and r is not b and fits(a, r)))
    return counts


# ---------------------------------------------------------------- main


def build(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    planted = planted_specs(rng)
    distractors = distractor_specs(rng, planted)
    sanctioned = sanctioned_specs(rng)
    fixed = [s for eu, ua, _ in planted for s in (eu, ua)] + distractors + sanctioned
    n_eu = TOTAL_EU - sum(s.side == EU for s in fixed)
    n_ua = TOTAL_UA - sum(s.side == UA for s in fixed)
    filler = filler_specs(rng, n_eu, n_ua)
    mark_edge_cases(rng, filler)
    specs = fixed + filler
    assign_statuses(rng, specs)
    order = list(range(len(specs)))
    rng.shuffle(order)
    registry = Registry()
    rendered: dict[int, dict[str, Any]] = {i: render(rng, specs[i], registry) for i in order}
    rows = [rendered[i] for i in order]
    eval_pairs = []
    for k, (eu, ua, template) in enumerate(planted):
        a, b = rendered[2 * k], rendered[2 * k + 1]
        eval_pairs.append(
            {
                "a": {"country": a["country"], "legal_id": a["legal_id"]},
                "b": {"country": b["country"], "legal_id": b["legal_id"]},
                "reasoning": reasoning(template, eu, ua, a["name"], b["name"]),
            }
        )
    return rows, eval_pairs


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def report(rows: list[dict[str, Any]], eval_pairs: list[dict[str, Any]]) -> None:
    sides = [taxonomy.side_of_country(r["country"]) for r in rows]
    statuses = {s: sum(r["status"] == s for r in rows) for s in taxonomy.STATUSES}
    comps = [r["compliance"] for r in rows]
    rivals = competitors(rows, eval_pairs)
    print(
        f"{len(rows)} firms: {sides.count(EU)} European from "
        f"{len({r['country'] for r in rows if r['country'] != 'UA'})} countries, "
        f"{sides.count(UA)} Ukrainian"
    )
    print(f"statuses: {statuses}")
    print(
        f"sanctioned {sum(c['sanctioned'] for c in comps)}, "
        f"ITAR {sum(c['itar_controlled'] for c in comps)}, "
        f"share>35 {sum((c['non_eligible_component_share'] or 0) > 35 for c in comps)}, "
        f"cleared {sum(c['security_clearance'] != 'none' for c in comps)}, "
        f"requiring clearance {sum(c['required_clearance'] != 'none' for c in comps)}"
    )
    print(
        f"{len(eval_pairs)} evaluation pairs; other Ukrainian firms fitting member a structurally: "
        f"median {sorted(rivals)[len(rivals) // 2]}, max {max(rivals)}, "
        f"none for {rivals.count(0)} pairs"
    )
    print(
        f"max trigram overlap: description {max_overlap(rows, 'description'):.2f}, "
        f"offers {max_overlap(rows, 'offers'):.2f}, seeks {max_overlap(rows, 'seeks'):.2f}"
    )


def main() -> None:
    rows, eval_pairs = build(random.Random(SEED))
    check_registry(rows)
    check_pairs(rows, eval_pairs)
    write_json(COMPANIES_PATH, rows)
    write_json(PAIRS_PATH, eval_pairs)
    report(rows, eval_pairs)


if __name__ == "__main__":
    main()

"""Firm-level sentence banks: openings, side and size colour, customers, offers and seeks.

Placeholders are the ones of banks.py plus `{name}`, `{kind}`, `{does}`, `{year}`,
`{prior}`, `{ordinal}` and `{level}`. The side matters: Ukrainian firms bring
combat-proven designs and fast iteration and lack capital and capacity; European
firms bring capacity, capital, certificates and customers (DOMAIN.md).
"""

from __future__ import annotations

EU = "EU"
UA = "UA"

KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    (EU, "startup"): (
        "a young technology company",
        "a venture-backed start-up",
        "a university spin-off",
        "a start-up founded by former officers and engineers",
    ),
    (EU, "sme"): (
        "a mid-sized engineering company",
        "a family-owned manufacturer",
        "a specialist supplier",
        "an owner-managed firm",
        "a privately held manufacturer",
    ),
    (EU, "large"): (
        "an industrial group",
        "a large defence manufacturer",
        "a listed industrial company",
        "a state-owned defence company",
    ),
    (UA, "startup"): (
        "a start-up",
        "a young engineering team",
        "a volunteer-founded start-up",
        "a defence-tech start-up",
    ),
    (UA, "sme"): (
        "a private manufacturer",
        "an engineering company",
        "a research and production company",
        "a privately owned design bureau",
    ),
    (UA, "large"): (
        "a state-owned plant",
        "a large industrial enterprise",
        "one of the country's older defence plants",
        "a major manufacturer",
    ),
}

FOUNDED: dict[tuple[str, str], tuple[int, int]] = {
    (EU, "startup"): (2016, 2024),
    (EU, "sme"): (1972, 2014),
    (EU, "large"): (1875, 1995),
    (UA, "startup"): (2022, 2024),
    (UA, "sme"): (1996, 2021),
    (UA, "large"): (1932, 1994),
}

OPENERS: dict[str, tuple[str, ...]] = {
    EU: (
        "{name} is {kind} based in {city} that {does}.",
        "Founded in {year} in {city}, {short} {does}.",
        "Based in {city}, {short} is {kind} that {does}.",
        "{short} {does} from its home base in {city}.",
        "Headquartered in {city}, {name} {does}.",
        "At its site in {city}, {short}, {kind} founded in {year}, {does}.",
    ),
    UA: (
        "{name} is {kind} from {city} that {does}.",
        "Set up in {city} in {year}, {short} {does}.",
        "{short} {does}; the company started in {city} in {year}.",
        "From workshops in and around {city}, {short} {does}.",
        "{name}, {kind} in {city}, {does}.",
        "Working out of {city}, {short} {does}.",
    ),
}

SECONDARY: tuple[str, ...] = (
    "It also {does}.",
    "Alongside that, the company {does}.",
    "A second business line {does}.",
    "In addition, it {does}.",
)

# (sentence, condition): "design" sentences only suit firms that make products of their own.
SIDE_COLOUR: dict[str, tuple[tuple[str, str], ...]] = {
    UA: (
        (
            "Since 2022 it has delivered straight to front-line units and rolls out changes "
            "within days of "
            "crew feedback.",
            "design",
        ),
        (
            "Production is spread over several dispersed workshops so that a single strike cannot "
            "stop output.",
            "design",
        ),
        (
            "Its founders came from {prior} and switched to defence after the full-scale invasion.",
            "",
        ),
        ("Its products have been refined over more than {200-3000} combat missions.", "design"),
        (
            "It uses only about {30-70} percent of its capacity; the limit is working capital, "
            "not engineering.",
            "",
        ),
        (
            "A Brave1 grant in {2023-2025} paid for its first test series with front-line units.",
            "design",
        ),
        (
            "Orders come from state procurement and from brigades buying directly, often at a few "
            "weeks' notice.",
            "",
        ),
        ("It holds a Ukrainian arms-production licence issued in {2022-2025}.", "design"),
        (
            "Staff keep working through air-raid alerts, and the site runs on backup power during "
            "outages.",
            "",
        ),
        ("The design team turns out a new hardware revision every {2-6} weeks.", "design"),
        ("Part of its workforce are veterans who bring operator experience into its work.", ""),
        (
            "A missile strike destroyed one of its halls in {2022-2024}; work resumed within "
            "months.",
            "",
        ),
        (
            "Engineers visit the units it serves every month and bring back damaged kit for "
            "analysis.",
            "",
        ),
        (
            "Its exports run through Ukraine's controlled-export regime, which it has used since "
            "2025.",
            "design",
        ),
        (
            "Its managers estimate that a European partner could triple its output within a year.",
            "",
        ),
    ),
    EU: (
        ("Its plant delivers to {3-14} armed forces under NATO quality rules.", ""),
        ("It invested €{10-180} million in new production lines between 2023 and {2024-2026}.", ""),
        (
            "It is a tier-two supplier to several European primes and to NSPA framework contracts.",
            "",
        ),
        (
            "Its products have reached Ukraine through bilateral aid packages since {2022-2024}.",
            "design",
        ),
        (
            "An in-house test range and environmental laboratory let it qualify products on its "
            "own.",
            "design",
        ),
        ("Spare floor space and a trained workforce give it room for a second product line.", ""),
        (
            "It takes part in European Defence Fund projects with partners from {3-9} member "
            "states.",
            "",
        ),
        (
            "Its order book has grown by {150-400} percent since 2022 and it is hiring {40-400} "
            "people.",
            "",
        ),
        ("It exports more than {40-90} percent of what it makes.", ""),
        (
            "Its engineers have worked with Ukrainian users since {2022-2024} and know how far "
            "peacetime "
            "specifications lag behind front-line needs.",
            "",
        ),
        (
            "Management expects national procurement to double by 2030 and is planning capacity "
            "accordingly.",
            "",
        ),
        (
            "Long-term framework contracts with its national procurement agency run until "
            "{2029-2033}.",
            "",
        ),
        ("It recently doubled shift capacity and now runs its main hall around the clock.", ""),
        ("Its customers now ask for evidence of performance in Ukraine before they buy.", "design"),
    ),
}

FAMILY_OWNED = (
    "It is family-owned in its {ordinal} generation and finances growth from its own earnings."
)
STATE_HOLDING = (
    "It belongs to Ukraine's state defence holding and runs Soviet-era halls next to "
    "newly modernised lines."
)
CLEARED = (
    "Its site and key staff are cleared for classified work up to {level}.",
    "It holds a national facility security clearance and works on classified programmes.",
)
PRIOR_TRADES = (
    "the IT outsourcing sector",
    "agricultural machinery",
    "civil aviation maintenance",
    "the car-parts industry",
    "a university robotics laboratory",
    "the video-game industry",
    "telecom network engineering",
    "shipbuilding",
    "the energy sector",
)
ORDINALS = ("second", "third", "fourth")

SIZE_COLOUR: dict[str, tuple[str, ...]] = {
    "startup": (
        "The team counts {8-45} people, most of them engineers.",
        "It employs {8-45} people and closed a seed round in {2023-2025}.",
        "Its {8-45} staff work from a converted hangar.",
    ),
    "sme": (
        "It employs about {50-240} people.",
        "Some {50-240} staff work at the site, a third of them in engineering.",
        "Its workforce of {50-240} has doubled since 2021.",
    ),
    "large": (
        "It employs {300-9000} people across {2-9} sites.",
        "Its workforce of about {300-9000} is spread over {2-9} plants.",
        "With {300-9000} employees it is among the larger employers in its region.",
    ),
}

CUSTOMERS: dict[str, tuple[str, ...]] = {
    EU: (
        "the {adj} armed forces",
        "NSPA",
        "OCCAR-managed programmes",
        "Nordic and Baltic armies",
        "European primes",
        "border and coast guards",
        "Ukraine's forces through donor programmes",
        "allied armies in Central Europe",
    ),
    UA: (
        "the Armed Forces of Ukraine",
        "the National Guard",
        "the State Border Guard Service",
        "Defence Intelligence units",
        "territorial defence brigades",
        "the State Special Transport Service",
        "assault brigades that buy directly",
    ),
}
CUSTOMER_SENTENCES: tuple[str, ...] = (
    "Customers include {c1} and {c2}.",
    "It sells to {c1} and {c2}.",
    "Its main users are {c1} and {c2}.",
)

OFFER_LEADS: tuple[str, ...] = (
    "",
    "Offering ",
    "Available to partners: ",
    "Products and services: ",
    "Ready to supply ",
)
OFFER_TAILS: dict[str, tuple[tuple[str, str], ...]] = {
    # (text, condition): the condition names a fact the firm must have for the sentence to be true.
    UA: (
        ("All designs are combat-proven and in serial use.", "combat_proven+design"),
        ("Designs can be adapted to a partner's requirements within weeks.", "design"),
        ("Full technical documentation is ready for a licensee.", "design"),
        ("Its output is codified by the Ukrainian MoD.", "codified"),
        ("Design authority stays in Ukraine, inside the SAFE-eligible area.", "design"),
        ("Field data from front-line use comes with every design.", "design"),
        ("Work is done in Ukraine, close to the units that need it.", "service"),
        ("Skilled crews are available at short notice.", "service"),
    ),
    EU: (
        ("Production is AQAP 2110-certified.", "aqap"),
        ("The supply chain is ITAR-free.", "itar_free"),
        ("Serial capacity is free from {2026-2027}.", ""),
        ("Items carry NCAGE codes and can be ordered through NSPA.", "ncage"),
        ("Spare capacity is available for partner products.", "design"),
        ("Engineering support for integration and qualification is included.", ""),
        ("Documentation and training come in English and can be translated into Ukrainian.", ""),
    ),
}

PATHWAY_SEEKS: dict[str, dict[str, tuple[str, ...]]] = {
    UA: {
        "jv_eu": (
            "a joint venture on EU soil to move part of our work out of missile range",
            "production capacity abroad for our {own}",
            "a European partner for a joint company in the EU",
            "joint production of our {own} in a NATO country",
        ),
        "licensing": (
            "a European licensee for serial production of our {own}",
            "licensed production abroad",
            "a partner to take a licence for our {own} and scale up output",
        ),
        "investment": (
            "equity investment to scale up our {own}",
            "a strategic investor for a minority stake",
            "growth capital from an industrial investor",
        ),
        "direct_financing": (
            "orders financed by partner governments under the Danish model",
            "direct-financing contracts for our {own}",
            "donor-funded orders to fill our idle capacity",
        ),
        "coproduction_ua": (
            "a partner to co-produce in Ukraine",
            "technology transfer for local production in Ukraine",
            "co-production in Ukraine with a European prime",
        ),
        "mro_ua": (
            "OEM licences and documentation to repair Western systems in Ukraine",
            "repair contracts for European systems in service in Ukraine",
            "OEM training and spare parts to repair donated equipment",
        ),
        "rnd": (
            "joint development and testing",
            "co-development with a European engineering team",
            "partners for joint R&D within EU programmes",
        ),
    },
    EU: {
        "jv_eu": (
            "a Ukrainian partner for a joint venture at our site",
            "battle-tested designs to produce jointly in {country}",
            "a joint production line in Europe with a Ukrainian design house",
        ),
        "licensing": (
            "battle-tested designs to license for serial production",
            "a licence for a combat-proven Ukrainian design",
            "licensing of designs proven in Ukraine",
        ),
        "investment": (
            "Ukrainian start-ups to take an equity stake in",
            "an equity investment in a Ukrainian company with proven technology",
            "acquisition targets among Ukrainian technology firms",
        ),
        "direct_financing": (
            "Ukrainian producers to supply under government-funded direct-financing contracts",
            "a supplier role in Danish-model financed production",
            "Ukrainian makers funded by direct financing who need our inputs",
        ),
        "coproduction_ua": (
            "co-production in Ukraine",
            "a Ukrainian plant for final assembly of our {own} close to the user",
            "local production in Ukraine under technology transfer",
        ),
        "mro_ua": (
            "a repair partner in Ukraine to keep our systems in the fight",
            "maintenance and repair of our equipment inside Ukraine",
            "a Ukrainian MRO partner for our {own} in service there",
        ),
        "rnd": (
            "battlefield testing and front-line feedback",
            "joint R&D with Ukrainian engineers",
            "test partners with access to real combat conditions",
        ),
    },
}

# Ukrainian service firms (repair, sustainment, cyber) want the reverse licence and a joint company.
SERVICE_PATHWAY_SEEKS: dict[str, tuple[str, ...]] = {
    "licensing": (
        "a licence to produce European parts and kits in Ukraine",
        "licensed production in Ukraine of spare parts for Western systems",
    ),
    "jv_eu": (
        "a joint venture on EU soil to serve European customers",
        "a European partner for a joint company in the EU",
    ),
}

SEEK_TEMPLATES: tuple[str, ...] = (
    "We are looking for {want}; we would also like {pw}.",
    "Seeking {pw}, ideally with a partner offering {want}.",
    "Looking for {want}. Open to {pw}.",
    "Our priority is {pw}: we need {want}.",
    "We want {want}, and {pw}.",
    "Wanted: {want}; beyond that, {pw}.",
    "For our {own} we seek {want}; we would like {pw}.",
    "To grow our {own} business we need {want} and {pw}.",
    "Next step for our {own}: {pw}. We also need {want}.",
    "We would welcome {pw}, and we are short of {want}.",
)
SEEK_EXTRAS: dict[str, tuple[str, ...]] = {
    UA: (
        "Working capital for a second shift would double output.",
        "Help with EU export licences and certification would be welcome.",
        "We also need a partner who can open doors to European customers.",
        "Stable long-term orders matter more to us than one-off grants.",
        "Our engineers can travel to a partner's site at short notice.",
        "We can show serious partners results from front-line use.",
        "A partner with EU customers would let us use idle capacity.",
    ),
    EU: (
        "Front-line feedback on our products matters as much as volume.",
        "We can put capital and certified capacity into the right partnership.",
        "Our customers increasingly ask for equipment proven in Ukraine.",
        "We want to shorten development cycles the Ukrainian way.",
        "We can second engineers to Ukraine or host Ukrainian teams at our site.",
        "Budget for the partnership is approved for {2026-2027}.",
        "A partner should be ready to move from trial to order within months.",
    ),
}
CERT_WANTS: tuple[str, ...] = (
    "Partners should hold {labels}.",
    "We require {labels} from partners.",
    "A valid {labels} is expected.",
)
CLEARANCE_WANTS: tuple[str, ...] = (
    "The work involves classified information, so partners need a clearance of at least {level}.",
    "Partners must be cleared to {level}.",
)

CERT_SHORT: dict[str, str] = {
    "iso_9001": "ISO 9001",
    "aqap_2110": "AQAP 2110",
    "aqap_2310": "AQAP 2310",
    "en_9100": "EN 9100",
    "iso_27001": "ISO/IEC 27001",
    "facility_security_clearance": "facility security clearance",
    "ncage": "NCAGE code",
    "nato_stock_number": "NATO stock numbers",
    "ua_mod_codification": "Ukrainian MoD codification",
    "combat_proven": "combat-proven status",
}
CLEARANCE_SHORT: dict[str, str] = {
    "none": "no clearance",
    "nato_restricted": "NATO RESTRICTED",
    "nato_confidential": "NATO CONFIDENTIAL",
    "nato_secret": "NATO SECRET",
}

AREA_WANTS: dict[str, str] = {
    "air_missile_defence": "air-defence technology",
    "artillery": "artillery systems",
    "ammunition_missiles": "ammunition and missile components",
    "drones_counter_drone": "drone and counter-drone technology",
    "military_mobility": "military vehicles",
    "ai_cyber_ew": "AI, cyber and electronic-warfare technology",
    "strategic_enablers": "strategic enablers such as sensors and space services",
    "mro": "maintenance and repair capacity",
}

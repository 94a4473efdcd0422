"""Phrase banks for the synthetic registry: what firms in each sub-capability make and want.

Pure data. `registry.py` combines these phrases (products x processes x capacity x
differentiators x company background) so that profile texts are distinct and mean
something: two firms in the same niche read alike, firms in different niches do not.
Changing anything here changes the registry's cache key (and forces a re-embedding).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubBank:
    unit: str  # what monthly capacity is counted in
    products: tuple[str, ...]  # noun phrases: what a firm offering this sub makes
    processes: tuple[str, ...]  # noun phrases: how it makes it / its core competence
    wants: tuple[str, ...]  # noun phrases: what a firm seeking this sub asks a partner for


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _bank(unit: str, products: str, processes: str, wants: str) -> SubBank:
    return SubBank(unit, _split(products), _split(processes), _split(wants))


SUB_BANKS: dict[str, SubBank] = {
    "air_missile_defence.radars": _bank(
        "radar sets",
        "mobile 3D air-surveillance radars; low-level gap-filler radars for drone detection; "
        "X-band fire-control radars; passive coherent location sensors; "
        "counter-battery radars; compact AESA radar panels",
        "in-house AESA tile design; signal processing tuned for small low-flying targets; "
        "radar cross-section test ranges",
        "surveillance radars that detect low-flying drones and cruise missiles; "
        "fire-control radar supply for short-range air defence; "
        "radar modules that can be integrated into our command post",
    ),
    "air_missile_defence.launchers": _bank(
        "launchers",
        "truck-mounted missile launchers; launcher rails and canisters; "
        "mobile short-range air-defence fire units; turret systems for anti-aircraft guns; "
        "pedestal launchers for MANPADS",
        "heavy welding and chassis integration; launcher qualification testing; "
        "hydraulic elevation and slewing drives",
        "launcher production capacity for our interceptors; "
        "a chassis integrator for air-defence fire units; "
        "mobile launchers compatible with Western missiles",
    ),
    "air_missile_defence.interceptor_missiles": _bank(
        "missiles",
        "short-range interceptor missiles; low-cost interceptors against Shahed-type drones; "
        "infrared-homing seekers; proximity-fuzed warheads for air defence; "
        "command-guided anti-aircraft missiles",
        "seeker and guidance design; missile airframe composite layup; live-fire test campaigns",
        "cheap interceptors for drone and cruise-missile threats; "
        "seeker technology for low-cost missiles; "
        "missile stocks for ground-based air defence",
    ),
    "air_missile_defence.c2_integration": _bank(
        "integrated batteries",
        "air-defence command posts; sensor-fusion software for layered air defence; "
        "battle management systems linking radars and launchers; "
        "Link 16 gateways for ground-based air defence; "
        "integration of Western and Soviet-era air-defence systems",
        "open-architecture software development; interoperability testing with NATO systems; "
        "real-time track fusion algorithms",
        "integration of our sensors into a NATO-compatible air-defence network; "
        "command-and-control software to link mixed air-defence systems; "
        "an integrator for a layered counter-drone and air-defence picture",
    ),
    "air_missile_defence.sustainment": _bank(
        "systems supported",
        "spare parts for donated air-defence systems; field support for SAM batteries; "
        "refurbishment of radar and launcher electronics; "
        "life-extension of legacy surface-to-air missiles; repair kits for air-defence vehicles",
        "reverse engineering of obsolete components; mobile repair teams; "
        "test benches for missile electronics",
        "spare-part supply for air-defence systems; sustainment of SAM batteries in Ukraine; "
        "repair capacity for air-defence electronics close to the front",
    ),
    "artillery.howitzers_155": _bank(
        "howitzers",
        "155 mm self-propelled wheeled howitzers; towed 155 mm 52-calibre guns; "
        "truck-mounted artillery systems; automated loading systems for 155 mm guns; "
        "light 155 mm howitzers for rapid deployment",
        "final assembly lines for artillery systems; firing trials on our own range; "
        "integration of NATO fire-control suites",
        "155 mm howitzers delivered quickly in series; "
        "a partner to co-assemble self-propelled guns; "
        "additional artillery systems compatible with NATO ammunition",
    ),
    "artillery.barrels": _bank(
        "barrels",
        "155 mm gun barrels; 152 mm and 122 mm replacement tubes; "
        "breech mechanisms and muzzle brakes; autofrettaged barrel forgings; "
        "chromium-plated mortar tubes",
        "rotary forging of gun steel; deep-hole drilling and rifling; "
        "autofrettage and chrome plating",
        "a steady supply of replacement gun barrels; barrel forging capacity in Europe; "
        "breech and barrel machining for worn-out guns",
    ),
    "artillery.mortars": _bank(
        "mortars",
        "60 mm commando mortars; 81 mm and 82 mm infantry mortars; "
        "120 mm towed and vehicle-mounted mortars; mortar fire-control tablets; "
        "mortar baseplates and bipods",
        "lightweight alloy and titanium machining; tube manufacturing; "
        "accuracy trials with unit feedback",
        "mortar systems for infantry brigades; vehicle-mounted 120 mm mortars; "
        "mortar tubes and spare parts in quantity",
    ),
    "artillery.rocket_artillery": _bank(
        "launchers",
        "122 mm multiple-launch rocket systems; modular rocket pods; "
        "truck-mounted rocket launchers; guided 122 mm rockets; "
        "upgrades of Grad launchers to NATO standards",
        "launcher integration on commercial truck chassis; rocket ballistics modelling; "
        "salvo test firing",
        "rocket artillery launchers and pods; guided rocket supply; "
        "a partner to modernise legacy rocket launchers",
    ),
    "artillery.fire_control": _bank(
        "fire-control kits",
        "artillery fire-control computers; ballistic calculation software; "
        "gun-laying and navigation units; digital fire-direction tablets; "
        "muzzle-velocity radars",
        "ballistics software development; integration with drone spotting feeds; "
        "NATO ballistic kernel integration",
        "fire-control systems for mixed artillery fleets; "
        "digital fire direction linked to drone reconnaissance; "
        "gun-laying units for Soviet-era and Western guns",
    ),
    "ammunition_missiles.shells": _bank(
        "shells",
        "155 mm high-explosive shells; 152 mm and 122 mm artillery rounds; "
        "120 mm mortar bombs; 60 mm and 82 mm mortar rounds; "
        "smoke and illumination projectiles; empty shell bodies ready for filling",
        "hot forging and CNC machining of shell bodies; "
        "lot acceptance testing to STANAG standards; steel supply from our own mill",
        "large volumes of 155 mm shells; mortar ammunition for frontline units; "
        "shell bodies for our filling line; artillery ammunition in 152 mm and 122 mm calibres",
    ),
    "ammunition_missiles.propellants": _bank(
        "tonnes of propellant",
        "single-base nitrocellulose propellant; modular charges for 155 mm guns; "
        "triple-base propellant for long-range artillery; "
        "rocket propellant grains; propellant for mortar rounds",
        "nitrocellulose production; continuous propellant extrusion; "
        "ballistic test firing of charges",
        "propellant supply for our ammunition lines; modular charge systems; "
        "nitrocellulose and powder in volume",
    ),
    "ammunition_missiles.energetics": _bank(
        "tonnes of explosive",
        "TNT and RDX production; insensitive munition explosive fills; "
        "plastic-bonded explosives; detonators and boosters; "
        "demolition charges for engineers",
        "nitration plants with EU environmental permits; "
        "energetic materials research; safe handling and storage",
        "high explosives to fill artillery shells; a secure source of TNT and RDX; "
        "explosive fills for drone warheads",
    ),
    "ammunition_missiles.fuzes": _bank(
        "fuzes",
        "point-detonating artillery fuzes; multi-option programmable fuzes; "
        "proximity fuzes for air-burst effects; mortar fuzes; "
        "safe-and-arm devices for drone munitions",
        "micromechanics and precision electronics assembly; "
        "environmental and drop testing; fuze safety qualification",
        "fuzes for our shell production; safe-and-arm units for drone-dropped munitions; "
        "programmable air-burst fuzes",
    ),
    "ammunition_missiles.shell_loading": _bank(
        "rounds filled",
        "shell filling and final assembly; melt-pour loading of artillery shells; "
        "loading, assembly and packing of mortar rounds; warhead filling for drones; "
        "recovery and refilling of ammunition stocks",
        "automated melt-pour lines; ammunition storage with explosive licences; "
        "quality control with X-ray inspection",
        "a loading plant to fill our shell bodies; "
        "assembly and packing capacity for artillery rounds; "
        "filling of drone warheads at scale",
    ),
    "ammunition_missiles.rocket_motors": _bank(
        "rocket motors",
        "solid rocket motors for tactical missiles; rocket motor casings; "
        "booster motors for interceptors; composite propellant motors; "
        "motors for 122 mm rockets",
        "composite propellant casting; filament-wound motor cases; static firing test stands",
        "rocket motors for our missile designs; a second source of solid motors; "
        "motor casings and propellant casting capacity",
    ),
    "ammunition_missiles.missiles": _bank(
        "missiles",
        "anti-tank guided missiles; long-range strike missiles; cruise missile airframes; "
        "guided glide bombs; precision-guided rockets",
        "guidance, navigation and control design; warhead integration; flight test campaigns",
        "guided missiles for long-range strike; anti-tank missiles in quantity; "
        "guidance kits to turn rockets into precision munitions",
    ),
    "drones_counter_drone.fpv": _bank(
        "drones",
        "7-inch and 10-inch FPV strike drones; fibre-optic controlled FPV drones; "
        "night FPV drones with thermal cameras; bomber multicopters for dropped munitions; "
        "training FPV drones and simulators",
        "rapid design iteration with frontline crews; high-volume drone assembly lines; "
        "operator training programmes",
        "FPV drones in large volumes; strike drones that keep working under jamming; "
        "combat-proven small drones for frontline units",
    ),
    "drones_counter_drone.fixed_wing_uav": _bank(
        "airframes",
        "fixed-wing reconnaissance UAVs; long-endurance VTOL drones; "
        "long-range one-way attack drones; composite UAV airframes; "
        "tactical mapping and artillery-spotting drones",
        "composite airframe moulding; aerodynamic design and flight testing; payload integration",
        "long-range reconnaissance drones; fixed-wing airframes for our payloads; "
        "a UAV designer whose drones can be built under licence",
    ),
    "drones_counter_drone.interceptors": _bank(
        "interceptors",
        "interceptor drones against Shahed-type attack drones; "
        "high-speed quadcopter interceptors; "
        "ramming interceptors for reconnaissance drones; autonomous interceptor kits",
        "terminal guidance with onboard vision; mass production of low-cost airframes; "
        "field trials with air-defence units",
        "cheap interceptor drones against long-range attack drones; "
        "interceptors that can be licensed and produced in Europe; "
        "a drone layer for our air-defence system",
    ),
    "drones_counter_drone.loitering_munitions": _bank(
        "munitions",
        "tube-launched loitering munitions; anti-armour loitering munitions; "
        "long-range loitering strike drones; man-portable loitering munitions",
        "warhead and seeker integration; autonomous terminal guidance; live-fire validation",
        "loitering munitions for brigade-level strike; man-portable loitering munitions; "
        "a loitering munition design to produce under licence",
    ),
    "drones_counter_drone.maritime_drones": _bank(
        "vessels",
        "unmanned surface vessels; naval strike drones; "
        "autonomous underwater vehicles for mine countermeasures; "
        "uncrewed harbour patrol boats; maritime drone communication payloads",
        "composite hull construction; marine autonomy software; sea trials in the Black Sea",
        "naval drones for coastal defence; unmanned surface vessels and their payloads; "
        "underwater drones for mine clearance",
    ),
    "drones_counter_drone.ground_robots": _bank(
        "robots",
        "unmanned ground vehicles for casualty evacuation; logistics robots for the front line; "
        "remote-controlled mine-laying robots; tracked combat robots with weapon stations; "
        "demining robots",
        "rugged tracked chassis design; remote control links resistant to jamming; "
        "field testing with assault units",
        "ground robots for logistics and evacuation; unmanned ground vehicles in series; "
        "demining robots for liberated territory",
    ),
    "drones_counter_drone.counter_uas": _bank(
        "systems",
        "counter-drone detection and jamming systems; acoustic drone-detection networks; "
        "RF direction finders for drone pilots; mobile anti-drone gun systems; "
        "trench-level drone detectors",
        "RF signal analysis; sensor fusion for small drones; fast software updates "
        "against new drone types",
        "counter-drone protection for troops and infrastructure; "
        "drone detection sensors in volume; systems that defeat FPV and fibre-optic drones",
    ),
    "drones_counter_drone.components": _bank(
        "component sets",
        "brushless drone motors; lithium battery packs for drones; "
        "thermal and day cameras for UAVs; flight controllers and ESCs; "
        "video transmitters and antennas; carbon-fibre frames",
        "electronics assembly with surface-mount lines; battery cell sourcing outside China; "
        "component qualification",
        "drone components free of Chinese supply; motors, batteries and cameras for drones; "
        "a European source of flight controllers and video links",
    ),
    "military_mobility.armoured_vehicles": _bank(
        "vehicles",
        "4x4 mine-protected armoured vehicles; 8x8 armoured personnel carriers; "
        "tracked infantry fighting vehicles; armoured ambulances; "
        "light armoured patrol vehicles",
        "armoured hull welding; vehicle integration and mobility testing; "
        "STANAG 4569 protection qualification",
        "armoured personnel carriers in quantity; protected mobility for infantry; "
        "an armoured vehicle design to build under licence",
    ),
    "military_mobility.logistics_vehicles": _bank(
        "trucks",
        "military logistics trucks; fuel and water tankers; all-terrain utility vehicles; "
        "recovery vehicles and tow trucks; container carriers for ammunition",
        "commercial chassis militarisation; fleet maintenance programmes; "
        "cold-weather and mud-mobility testing",
        "logistics trucks for supply units; all-terrain utility vehicles; "
        "recovery vehicles for damaged equipment",
    ),
    "military_mobility.bridging": _bank(
        "bridge sets",
        "tactical bridging systems; mobile assault bridges; ribbon and pontoon bridges; "
        "mine-clearing ploughs and rollers; combat engineering vehicles",
        "heavy steel fabrication; load-class testing of bridge modules; engineer-unit training",
        "tactical bridges for river crossings; combat engineering equipment; "
        "mine-clearing kits for vehicles",
    ),
    "military_mobility.armour_protection": _bank(
        "kits",
        "add-on armour kits; slat and cage armour against drones; ceramic ballistic plates; "
        "spall liners; body armour and helmets",
        "ceramic and composite armour production; ballistic testing laboratory; "
        "rapid armour design against new threats",
        "anti-drone armour for vehicles; ballistic protection for troops; "
        "add-on armour for armoured vehicles",
    ),
    "ai_cyber_ew.electronic_warfare": _bank(
        "systems",
        "trench electronic-warfare jammers; vehicle-mounted jamming systems; "
        "signals intelligence receivers; wideband spectrum monitoring; "
        "GNSS jammers and spoofers",
        "software-defined radio development; fast updates against new frequencies; "
        "spectrum testing under real jamming",
        "jammers that protect troops against drones; electronic-warfare systems updated quickly; "
        "signals intelligence equipment",
    ),
    "ai_cyber_ew.resilient_navigation": _bank(
        "navigation units",
        "GNSS-denied navigation modules; visual navigation for drones; "
        "anti-jam GPS antennas; inertial navigation units; terrain-matching navigation software",
        "sensor fusion of inertial and visual data; testing in heavily jammed environments; "
        "embedded software for small drones",
        "navigation that works when GPS is jammed; anti-jam antennas for drones and munitions; "
        "EW-resistant navigation for long-range drones",
    ),
    "ai_cyber_ew.secure_comms": _bank(
        "radios",
        "frequency-hopping tactical radios; mesh radio networks for drones; "
        "encrypted satellite terminals; jam-resistant data links; fibre-optic control links",
        "encryption engineering; RF design for contested spectrum; "
        "integration with drone autopilots",
        "jam-resistant data links for drones and loitering munitions; "
        "secure tactical radios; mesh networking for units",
    ),
    "ai_cyber_ew.ai_targeting": _bank(
        "deployments",
        "AI target recognition for drones; autonomous terminal guidance modules; "
        "battlefield video analytics; swarm coordination software; "
        "automated target-acquisition for artillery",
        "training data from frontline footage; edge AI on low-power chips; rapid model retraining",
        "AI-based target recognition and autonomy for our drones; "
        "edge computer vision modules; software for drone swarms",
    ),
    "ai_cyber_ew.cyber_defence": _bank(
        "deployments",
        "cyber defence for critical infrastructure; security operations centre services; "
        "secure software supply chains; penetration testing of military systems; "
        "threat intelligence on state-sponsored attackers",
        "incident response under wartime conditions; accredited security engineering; "
        "hardening of embedded systems",
        "cyber defence services for defence plants; security testing of our products; "
        "protection against state-sponsored cyber attacks",
    ),
    "ai_cyber_ew.quantum": _bank(
        "prototypes",
        "quantum magnetometers for navigation; quantum-safe encryption; "
        "quantum sensing for submarine detection; atomic clocks for GNSS-free timing",
        "quantum physics research; laboratory prototyping; miniaturisation of sensors",
        "quantum sensors for navigation without GPS; quantum-resistant encryption; "
        "research partners in quantum technology",
    ),
    "strategic_enablers.space": _bank(
        "satellites",
        "small Earth-observation satellites; SAR satellite imagery; "
        "satellite communication terminals; ground stations; space situational awareness",
        "satellite integration and testing; image processing pipelines; launch brokerage",
        "satellite imagery for targeting and damage assessment; "
        "secure satellite communications; small satellites for reconnaissance",
    ),
    "strategic_enablers.maritime_awareness": _bank(
        "systems",
        "coastal surveillance radars; maritime domain awareness software; "
        "sonar buoys and underwater sensors; AIS analytics for shadow fleet tracking; "
        "port security systems",
        "data fusion of radar, AIS and satellite feeds; sea trials; "
        "integration with naval command systems",
        "maritime surveillance for the Black Sea; coastal radar networks; "
        "underwater sensing to protect ports",
    ),
    "strategic_enablers.airlift_refuelling": _bank(
        "aircraft",
        "tactical airlift services; air-to-air refuelling pods; cargo aircraft conversions; "
        "aeromedical evacuation kits; heavy-lift helicopter services",
        "aircraft modification and certification; flight operations; mission planning",
        "airlift capacity for equipment deliveries; refuelling equipment; "
        "cargo aircraft conversions",
    ),
    "strategic_enablers.infrastructure_protection": _bank(
        "sites protected",
        "protection of energy infrastructure against drones; blast walls and shelters; "
        "passive protection for substations; perimeter security systems; "
        "rapid repair kits for power grids",
        "civil and protective engineering; site surveys under fire; modular shelter production",
        "protection of power plants and substations; shelters and blast protection; "
        "counter-drone defence for critical sites",
    ),
    "strategic_enablers.sensors": _bank(
        "sensor units",
        "thermal imaging cameras; gyro-stabilised electro-optical gimbals; "
        "laser rangefinders and designators; acoustic gunshot detectors; "
        "night-vision devices",
        "infrared detector integration; precision optics assembly; sensor calibration laboratories",
        "thermal cameras for drones and vehicles; electro-optical sensors for air defence; "
        "night-vision equipment in volume",
    ),
    "mro.vehicle_repair": _bank(
        "vehicles repaired",
        "repair of armoured vehicles and tanks; engine and transmission overhaul; "
        "battle-damage repair of infantry fighting vehicles; mobile repair workshops; "
        "modernisation of legacy armour",
        "field repair teams near the front; overhaul plants with NATO documentation; "
        "spare-part reverse engineering",
        "repair capacity for Western armoured vehicles in Ukraine; "
        "engine and transmission overhaul; battle-damage repair close to the front",
    ),
    "mro.artillery_repair": _bank(
        "guns repaired",
        "howitzer repair and barrel replacement; overhaul of self-propelled guns; "
        "recoil system repair; field maintenance of Western artillery; gun barrel relining",
        "mobile artillery repair teams; hydraulic and recoil test benches; "
        "training of gun crews in maintenance",
        "repair of donated howitzers inside Ukraine; barrel replacement and relining; "
        "maintenance of self-propelled artillery",
    ),
    "mro.spare_parts": _bank(
        "parts",
        "spare parts for Soviet-era vehicles; machined parts for Western equipment; "
        "track links and road wheels; additive-manufactured spares; hydraulic components",
        "reverse engineering and additive manufacturing; CNC machining; "
        "qualification of replacement parts",
        "spare parts for Western equipment in Ukraine; a licensed spare-parts producer; "
        "additive manufacturing of obsolete parts",
    ),
    "mro.aircraft_mro": _bank(
        "aircraft serviced",
        "helicopter maintenance and overhaul; fighter aircraft component repair; "
        "aircraft engine overhaul; avionics upgrades; transport aircraft maintenance",
        "certified aviation maintenance organisation; engine test cells; avionics workshops",
        "maintenance for donated aircraft and helicopters; aircraft engine overhaul; "
        "avionics upgrades for legacy fleets",
    ),
    "mro.electronics_repair": _bank(
        "units repaired",
        "radar and electronics repair; repair of tactical radios; "
        "circuit board rework for military electronics; test equipment calibration; "
        "repair of thermal sights",
        "component-level diagnostics; clean-room electronics rework; "
        "reverse engineering of legacy boards",
        "repair of radars and military electronics; calibration and test services; "
        "repair of radios and sights in Ukraine",
    ),
}

OFFER_OPENERS = _split(
    "We design and manufacture; We develop and produce; Our plant produces; "
    "We engineer and supply; We build in series; We integrate and deliver; "
    "The company designs and builds; We have developed and now produce; "
    "Our engineers design and our lines assemble; We supply"
)

CAPACITY_TEMPLATES = (
    "Current output is about {n} {unit} a month and can double within {m} months.",
    "Monthly capacity is {n} {unit}; a second line starts in {m} months.",
    "With new funding we can ramp up to {n} {unit} per month.",
    "We deliver around {n} {unit} per month today.",
    "Capacity of {n} {unit} per month is partly unused.",
)

DIFFERENTIATORS = {
    "EU": _split(
        "Production follows NATO quality standards with full lot traceability; "
        "All products are ITAR-free and built from European components; "
        "We already supply several NATO armed forces; "
        "Our production lines are certified and audited by national authorities; "
        "We offer long-term service contracts and training; "
        "Export licences have been granted for deliveries to Ukraine; "
        "Our engineering team works closely with European primes; "
        "Large automated lines keep unit costs low at high volume"
    ),
    "UA": _split(
        "Design iterations follow frontline feedback every few weeks; "
        "Our systems have been used in combat since 2022; "
        "The design is codified and admitted to service by Ukraine's Ministry of Defence; "
        "Units in the field report daily on performance; "
        "Our unit costs are a fraction of comparable Western systems; "
        "Production is dispersed across several sites for resilience; "
        "We adapt quickly to new Russian countermeasures; "
        "Our engineers train crews directly at the front"
    ),
}

FOUNDED_TEMPLATES = (
    "Founded in {year} in {city}, {kind} with {staff} staff.",
    "{kind_cap} based in {city} since {year}, employing {staff} people.",
    "Established in {year}; {staff} employees work at our site near {city}.",
    "Headquartered in {city} with {staff} staff; active in defence since {year}.",
)

KIND_BY_SIZE = {
    "startup": _split("a start-up; a young engineering start-up; a venture-backed start-up"),
    "sme": _split("a family-owned manufacturer; an engineering company; a specialist SME"),
    "large": _split("an industrial group; a defence prime; a state-owned manufacturer"),
}

CUSTOMERS = {
    "EU": _split(
        "national armed forces; NATO Support and Procurement Agency; European primes; "
        "border guards; the Bundeswehr; Nordic defence forces; "
        "Baltic defence ministries; civil protection agencies"
    ),
    "UA": _split(
        "the Armed Forces of Ukraine; the National Guard; Ukraine's Ministry of Defence; "
        "the Defence Procurement Agency; volunteer foundations; frontline brigades; "
        "the Border Guard Service; the State Emergency Service"
    ),
}

SEEK_OPENERS = _split(
    "We are looking for; We seek; We want to find; Looking for a partner offering; "
    "We need; Our priority is to secure; We would like to partner on"
)

PATHWAY_PURPOSES = {
    "direct_financing": "funded by a European government to produce for Ukraine",
    "coproduction_ua": "to co-produce inside Ukraine",
    "mro_ua": "to repair and sustain equipment in Ukraine",
    "jv_eu": "to set up joint production in Europe",
    "licensing": "under a licensing agreement",
    "investment": "together with equity investment to scale up",
    "rnd": "for joint testing and development",
}

ASSETS = {
    "EU": _split(
        "We bring serial production capacity; We bring capital and NATO customers; "
        "We offer qualified supply chains; We bring certification experience; "
        "We offer export know-how and financing"
    ),
    "UA": _split(
        "We bring a combat-proven design; We offer fast iteration from frontline feedback; "
        "We bring low-cost production know-how; We bring battlefield test data; "
        "We offer engineers with combat experience"
    ),
}

# What a seeker insists on, per capability area of what it seeks (semantic variety
# instead of number-only variation, which would give near-identical embeddings).
REQUIREMENTS = {
    "air_missile_defence": _split(
        "able to engage Shahed-type drones at a low cost per kill; "
        "that integrate with NATO air and missile defence networks; "
        "deployable within hours by truck; with spare parts available in Europe; "
        "hardened against jamming and decoys; that can defend cities and energy sites; "
        "with a clear path to serial production; "
        "interoperable with Soviet-era systems still in service"
    ),
    "artillery": _split(
        "compatible with NATO 155 mm ammunition; with barrel life proven at high firing rates; "
        "that can fire and relocate within two minutes; serviceable by field crews; "
        "with digital fire control; at a price that allows large orders; "
        "delivered faster than today's waiting lists; with extended-range performance"
    ),
    "ammunition_missiles": _split(
        "qualified to NATO STANAG standards; free of Chinese or Russian raw materials; "
        "at volumes of several thousand units a month; with insensitive munition properties; "
        "under secure long-term supply contracts; produced close to the eastern flank; "
        "with full lot traceability; at a lower cost per round than today"
    ),
    "drones_counter_drone": _split(
        "that keep flying under heavy jamming; built without Chinese components; "
        "with night-capable thermal payloads; cheap enough to lose in large numbers; "
        "with autonomy for the last kilometres; "
        "that can be updated within days when the enemy adapts; proven by frontline units; "
        "scalable to thousands of units a month"
    ),
    "military_mobility": _split(
        "with STANAG mine and ballistic protection; that can be repaired near the front; "
        "with high mobility in mud and snow; built on commercial chassis for fast delivery; "
        "with protection against FPV drones; with a European supply of spare parts; "
        "that carry heavy loads over poor roads; adapted to winter operations"
    ),
    "ai_cyber_ew": _split(
        "that adapt to new frequencies within days; running on low-power edge hardware; "
        "accredited for classified networks; resistant to GNSS spoofing; "
        "with open interfaces to our systems; tested against Russian electronic warfare; "
        "with source code escrow and export approval; "
        "that small units can operate without specialists"
    ),
    "strategic_enablers": _split(
        "covering the Black Sea region; providing imagery within hours; "
        "that protect substations from drone strikes; "
        "with secure links independent of commercial providers; "
        "that feed NATO situational awareness; with all-weather day and night sensors; "
        "deployable at short notice; with European sovereignty over the data"
    ),
    "mro": _split(
        "close to the front line; with certified technicians for Western systems; "
        "with turnaround times measured in days; including spare parts supply; "
        "with mobile teams that travel to units; documented to manufacturer standards; "
        "capable of battle-damage repair; that train local crews"
    ),
}

SEEK_CONTEXTS = _split(
    "Deliveries should start this year; We can share test data from the front; "
    "Financing through a European support programme is being prepared; "
    "We prefer a partner that already holds export licences; "
    "Intellectual property should be jointly owned; A pilot batch would prove the concept; "
    "Security of supply matters more to us than price; "
    "We want a long-term partner, not a one-off supplier; "
    "Production should sit beyond the range of Russian missiles; "
    "The partner must be able to pass NATO audits; "
    "Our investors are ready to co-finance a new line; "
    "We hold orders we cannot fulfil alone; "
    "The partner should handle certification in the EU; "
    "Joint bids for SAFE-funded procurement are our goal; "
    "Engineers willing to work on site in Ukraine are welcome; "
    "Technology transfer is essential for us; "
    "We can offer factory space for joint production; "
    "We want to sign within a quarter; "
    "Our current supplier can no longer deliver; "
    "Battlefield feedback will shape the next version"
)

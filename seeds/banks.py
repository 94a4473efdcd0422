"""Phrase banks for the seed generator: what firms in each sub-capability make and say.

One `CapabilityBank` per `area.sub` code of the taxonomy. `{a-b}` in a phrase is
replaced by a random whole number in that range; `{short}`, `{city}`, `{adj}` and
`{country}` by the firm's short name, city, country adjective and country name.
generate.py combines these variably so that no two firms read alike.
"""

from __future__ import annotations

from dataclasses import dataclass

EU = "EU"
UA = "UA"


@dataclass(frozen=True)
class CapabilityBank:
    does: tuple[str, ...]  # verb phrases: "builds ..." (what the firm is)
    products: tuple[str, ...]  # noun phrases for what it offers
    facts: tuple[str, ...]  # full sentences: test results, output, plant facts
    wants: tuple[str, ...]  # noun phrases a firm SEEKING this capability would write
    export: tuple[str, ...]  # typical export-control categories
    words: tuple[str, ...]  # words for firm names
    sides: tuple[str, ...] = (EU, UA)


BANKS: dict[str, CapabilityBank] = {
    # ------------------------------------------------------------------ air and missile defence
    "air_missile_defence.radars": CapabilityBank(
        does=(
            "designs and builds air-surveillance and fire-control radars",
            "develops compact AESA radars for short-range air defence",
            "produces low-level radars that pick out small, slow targets against ground clutter",
        ),
        products=(
            "X-band AESA fire-control radars",
            "3D surveillance radars that see small drones at {8-25} km",
            "vehicle-mounted radar heads for short-range air-defence batteries",
            "radar signal processors and tracking software",
            "passive radar receivers that exploit broadcast transmitters",
            "mast-mounted low-level gap-filler radars",
        ),
        facts=(
            "Its newest radar tracks targets with a cross-section of 0.01 m² at {5-15} km.",
            "The radar line delivers {4-40} units a year and could double output within {6-18} "
            "months.",
            "Its radars connect to NATO data-link gateways through open interfaces.",
            "Fielded units have run more than {2000-9000} hours without a major failure.",
            "Tracks of Shahed-type drones were recorded at {12-30} km in field trials.",
        ),
        wants=(
            "surveillance radars that can feed our picture",
            "a maker of low-level radars for short-range air defence",
            "radars able to detect slow one-way attack drones",
            "compact fire-control radars",
        ),
        export=("ML5", "ML11"),
        words=("Radar", "Detection", "Sensor Systems", "Radar Systems"),
    ),
    "air_missile_defence.launchers": CapabilityBank(
        does=(
            "builds mobile launchers and fire units for short- and medium-range air defence",
            "integrates missile launchers on wheeled and tracked chassis",
            "adapts launch rails and fire units so that Western interceptors can be fired from "
            "older launchers",
        ),
        products=(
            "truck-mounted launchers for short-range interceptors",
            "towed four-rail launcher units",
            "launcher control electronics and firing circuits",
            "adapter kits that marry Western missiles to legacy launchers",
            "containerised launch modules",
            "reload vehicles and missile handling cranes",
        ),
        facts=(
            "A launcher can be emplaced and ready to fire in under {4-12} minutes.",
            "Its launchers have been adapted to {2-4} different missile types.",
            "The assembly hall turns out {2-12} launcher units a month.",
            "Launcher electronics are hardened against jamming and electromagnetic pulse.",
        ),
        wants=(
            "mobile launchers and fire units",
            "a launcher integrator for surface-to-air missiles",
            "truck-mounted launch systems",
            "fire-unit integration for a short-range missile",
        ),
        export=("ML4", "ML5"),
        words=("Launch Systems", "Air Defence", "Defence Systems"),
    ),
    "air_missile_defence.interceptor_missiles": CapabilityBank(
        does=(
            "develops and produces short-range interceptor missiles",
            "makes surface-to-air missiles and their seekers",
            "produces low-cost interceptors against drones and cruise missiles",
        ),
        products=(
            "infrared-guided short-range interceptors",
            "low-cost interceptor missiles against one-way attack drones",
            "dual-mode missile seekers",
            "missile warheads with proximity fuzing",
            "canisterised interceptors for vehicle launchers",
            "inert training and telemetry rounds",
        ),
        facts=(
            "Its interceptor costs under €{60-400} thousand a round, a fraction of a legacy "
            "missile.",
            "The missile reaches {6-20} km against low-flying targets.",
            "Serial production is planned at {20-150} rounds a month from {2026-2027}.",
            "Guidance software is written in-house and updated against new threats.",
        ),
        wants=(
            "interceptor missiles for our fire units",
            "a source of affordable surface-to-air missiles",
            "short-range interceptors to integrate on launchers",
        ),
        export=("ML4",),
        words=("Missile", "Dynamics", "Aerospace"),
    ),
    "air_missile_defence.c2_integration": CapabilityBank(
        does=(
            "writes command-and-control software that fuses radar and sensor tracks for "
            "air-defence units",
            "integrates sensors, shooters and command posts into a single air picture",
            "builds battle-management software for mobile air-defence groups",
        ),
        products=(
            "an air-defence battle-management system",
            "sensor-fusion servers for mixed radar, acoustic and optical networks",
            "tablet apps that push target cues to mobile fire teams",
            "integration of legacy and Western radars into one air picture",
            "open-architecture C2 gateways with NATO data links",
            "simulation and training for air-defence operators",
        ),
        facts=(
            "Its software fuses tracks from more than {5-400} sensors in near real time.",
            "Target cues reach mobile fire teams within {2-10} seconds.",
            "The system passed NATO interoperability trials in {2023-2025}.",
            "New versions reach the field every {2-6} weeks as attack profiles change.",
        ),
        wants=(
            "command-and-control integration for sensors",
            "a C2 partner who can link sensors to shooters",
            "battle-management software that can ingest third-party tracks",
        ),
        export=("ML11", "ML21"),
        words=("Command", "Integration", "Networks", "C2 Systems"),
    ),
    "air_missile_defence.sustainment": CapabilityBank(
        does=(
            "supports air-defence systems with spare parts, repair and field engineering",
            "sustains surface-to-air missile systems over their service life",
            "provides depot-level support and spares for air-defence batteries",
        ),
        products=(
            "spare parts and line-replaceable units for air-defence systems",
            "mobile field-repair teams",
            "obsolescence management and re-engineered components",
            "missile recertification and shelf-life extension",
            "test benches for launcher and radar electronics",
            "training for operators and maintainers",
        ),
        facts=(
            "It keeps critical spares for {3-20} batteries in stock.",
            "Turnaround for a line-replaceable unit is about {5-30} days.",
            "Its engineers have re-engineered more than {50-600} obsolete parts.",
            "Its depot can recertify up to {10-80} missiles a month.",
        ),
        wants=(
            "sustainment and spares for air-defence systems",
            "an OEM partner for air-defence spare parts and training",
            "air-defence sustainment support and technical documentation",
        ),
        export=("ML4", "ML5"),
        words=("Support", "Sustainment", "Defence Services"),
    ),
    # ------------------------------------------------------------------ artillery
    "artillery.howitzers_155": CapabilityBank(
        does=(
            "designs and builds 155 mm self-propelled and towed howitzers",
            "produces 155 mm NATO-calibre howitzers on wheeled chassis",
            "assembles 155 mm guns and their automatic loading systems",
        ),
        products=(
            "52-calibre 155 mm wheeled self-propelled howitzers",
            "towed 155 mm howitzers",
            "automatic loaders and ammunition handling systems",
            "howitzer modernisation kits",
            "gun-laying and navigation units for howitzers",
            "crew training and simulator packages",
        ),
        facts=(
            "Its howitzer fires {4-9} rounds a minute in burst mode.",
            "The gun reaches about {30-40} km with base-bleed rounds.",
            "Final assembly runs at {2-12} guns a month.",
            "Guns in service have fired more than {10-60} thousand rounds.",
        ),
        wants=(
            "155 mm howitzers",
            "a howitzer maker to integrate with",
            "155 mm gun platforms",
        ),
        export=("ML2",),
        words=("Artillery", "Ordnance", "Gun Systems"),
    ),
    "artillery.barrels": CapabilityBank(
        does=(
            "forges and machines gun barrels and breech mechanisms",
            "makes barrels for artillery and mortars from its own steel",
            "produces 155 mm barrels with autofrettage and chrome lining",
        ),
        products=(
            "155 mm 52-calibre barrels",
            "breech blocks and obturators",
            "barrel relining and re-chroming",
            "rotary-forged barrel blanks",
            "muzzle brakes and recoil components",
            "mortar tubes",
        ),
        facts=(
            "Its rotary forge produces barrel blanks up to {7-9} metres long.",
            "Barrels are rated for {1500-3500} full-charge rounds.",
            "Annual output is about {40-400} barrels.",
            "Steel comes from European mills under long-term contracts.",
        ),
        wants=(
            "gun barrels and breech parts",
            "a barrel maker for replacement barrels",
            "spare 155 mm barrels",
        ),
        export=("ML2",),
        words=("Forge", "Barrels", "Steelworks", "Ordnance"),
    ),
    "artillery.mortars": CapabilityBank(
        does=(
            "builds 60, 82 and 120 mm mortars",
            "makes lightweight mortars and mortar fire-control kits",
            "produces mortars for infantry and for vehicle mounting",
        ),
        products=(
            "120 mm towed mortars",
            "82 mm and 60 mm light mortars",
            "vehicle-mounted mortar systems",
            "baseplates, bipods and sights",
            "mortar fire-control tablets",
            "spare mortar tubes",
        ),
        facts=(
            "Its 120 mm mortar goes into action in under {30-90} seconds.",
            "Output is around {20-200} mortars a month.",
            "The light 60 mm variant weighs under {8-15} kg.",
            "The design was revised after {1-3} years of front-line use.",
        ),
        wants=(
            "mortars and mortar systems",
            "a mortar maker",
            "light and medium mortars",
        ),
        export=("ML2",),
        words=("Mortar", "Arms", "Ordnance"),
    ),
    "artillery.rocket_artillery": CapabilityBank(
        does=(
            "builds multiple-launch rocket systems",
            "develops rocket artillery launchers and their fire control",
            "modernises multiple rocket launchers on truck chassis",
        ),
        products=(
            "122 mm multiple-launch rocket systems on truck chassis",
            "modular launch pods",
            "rocket launcher modernisation",
            "pod reload equipment",
            "fire-control units for rocket artillery",
            "guided-rocket integration",
        ),
        facts=(
            "A full salvo can be fired and the vehicle moved within {2-5} minutes.",
            "Its launchers have been built on {2-4} different chassis.",
            "The plant can rebuild {4-20} launchers a month.",
            "Guided rockets extend its reach beyond {40-80} km.",
        ),
        wants=(
            "rocket artillery launchers",
            "a multiple-launch rocket system partner",
            "rocket launcher integration",
        ),
        export=("ML2", "ML4"),
        words=("Rocket Systems", "Artillery"),
    ),
    "artillery.fire_control": CapabilityBank(
        does=(
            "develops artillery fire-control and ballistic software",
            "builds digital fire-control systems for guns and mortars",
            "makes artillery computation and targeting apps",
        ),
        products=(
            "ballistic computers for guns and mortars",
            "artillery targeting apps for rugged tablets",
            "muzzle-velocity radars",
            "meteorological stations for artillery",
            "digital gun-laying kits",
            "counter-battery planning software",
        ),
        facts=(
            "Its software computes a firing solution in under {1-5} seconds.",
            "Crews using it report first-round hits {20-60} percent more often.",
            "It supports more than {10-40} gun and ammunition types.",
            "It works offline and over jam-resistant radios.",
        ),
        wants=(
            "artillery fire-control systems",
            "fire-control software for guns",
            "digital fire control and ballistics",
        ),
        export=("ML5", "ML21"),
        words=("Ballistics", "Fire Control", "Targeting"),
    ),
    # ------------------------------------------------------------------ ammunition and missiles
    "ammunition_missiles.shells": CapabilityBank(
        does=(
            "produces artillery and mortar shells",
            "manufactures 155 mm and 120 mm projectile bodies",
            "makes metal parts for artillery ammunition",
        ),
        products=(
            "155 mm high-explosive projectile bodies",
            "120 mm and 81/82 mm mortar bombs",
            "105 mm and 122 mm shell bodies",
            "practice and smoke rounds",
            "forged and machined shell casings",
            "complete rounds built under licence",
        ),
        facts=(
            "Its forge line turns out {5-40} thousand shell bodies a month.",
            "Shells are qualified for interchangeability under STANAG 4425.",
            "Steel comes from {1-3} European mills under multi-year contracts.",
            "A new line will add {50-300} thousand rounds of annual capacity by {2026-2028}.",
        ),
        wants=(
            "artillery shells and projectile bodies",
            "a shell producer",
            "155 mm shell bodies",
            "mortar bombs",
        ),
        export=("ML3",),
        words=("Munitions", "Ammunition", "Metalworks", "Arsenal"),
    ),
    "ammunition_missiles.propellants": CapabilityBank(
        does=(
            "makes propellants and modular charges for artillery",
            "produces nitrocellulose and gun powders",
            "manufactures propellant charges for guns and mortars",
        ),
        products=(
            "modular propellant charges for 155 mm",
            "single- and double-base gun propellants",
            "nitrocellulose",
            "mortar propellant increments",
            "igniters and primers",
            "rocket propellant grains",
        ),
        facts=(
            "Its nitrocellulose plant produces {500-4000} tonnes a year.",
            "Output of modular charges is being tripled by {2026-2028}.",
            "Propellant lots are tested in its own ballistic tunnel.",
            "Cotton linters and acids are bought from European sources.",
        ),
        wants=(
            "propellant charges",
            "a propellant supplier",
            "modular charges for 155 mm",
            "gun propellant",
        ),
        export=("ML8",),
        words=("Chemicals", "Energetics", "Powder Works"),
    ),
    "ammunition_missiles.energetics": CapabilityBank(
        does=(
            "produces explosives and energetic materials",
            "manufactures TNT, RDX and insensitive explosive fills",
            "makes high explosives and pressed charges",
        ),
        products=(
            "TNT",
            "RDX and HMX",
            "insensitive munition fills",
            "pressed and cast explosive charges",
            "plastic-bonded explosives",
            "demolition charges",
        ),
        facts=(
            "Capacity stands at {1000-8000} tonnes of explosives a year.",
            "A new TNT line opens in {2026-2027}.",
            "Its fills pass insensitive-munition tests.",
            "It is one of the few {adj} makers of RDX.",
        ),
        wants=(
            "explosives and energetic materials",
            "a source of TNT or RDX",
            "energetic materials for shell filling",
            "explosive fills",
        ),
        export=("ML8",),
        words=("Energetics", "Chemicals", "Explosives"),
    ),
    "ammunition_missiles.fuzes": CapabilityBank(
        does=(
            "designs and makes fuzes for artillery and mortar ammunition",
            "produces point-detonating and proximity fuzes",
            "develops electronic and programmable fuzes",
        ),
        products=(
            "point-detonating fuzes",
            "radio proximity fuzes",
            "electronic time fuzes",
            "mortar fuzes",
            "safety and arming units",
            "inductive fuze setters",
        ),
        facts=(
            "Output is {10-150} thousand fuzes a month.",
            "Its proximity fuze showed a dud rate below {1-3} percent in trials.",
            "Electronics are assembled on an automated surface-mount line.",
            "It can switch between fuze types in about {1-4} weeks.",
        ),
        wants=(
            "fuzes",
            "a fuze supplier",
            "proximity and point-detonating fuzes",
        ),
        export=("ML3",),
        words=("Fuze", "Electronics", "Precision"),
    ),
    "ammunition_missiles.shell_loading": CapabilityBank(
        does=(
            "fills, loads and assembles artillery and mortar ammunition",
            "runs a load, assembly and pack plant for shells",
            "fills shell bodies and assembles complete rounds",
        ),
        products=(
            "melt-pour and press filling of 155 mm and 152 mm shells",
            "load, assembly and pack of mortar rounds",
            "final assembly of complete rounds",
            "repacking and recertification of stored ammunition",
            "demilitarisation of old stock",
            "ammunition packaging",
        ),
        facts=(
            "The plant can fill {5-60} thousand shells a month.",
            "It runs {2-6} filling lines on a multi-shift basis.",
            "Bunkers and safety distances are sized for a large daily explosives limit.",
            "It has spare filling capacity waiting for shell bodies and explosives.",
        ),
        wants=(
            "shell filling and loading capacity",
            "a load, assembly and pack partner",
            "shell loading and final assembly",
        ),
        export=("ML3",),
        words=("Munitions", "Arsenal", "Loading Works"),
    ),
    "ammunition_missiles.rocket_motors": CapabilityBank(
        does=(
            "designs and produces solid rocket motors",
            "makes rocket motors for guided and unguided rockets",
            "casts solid-propellant motors",
        ),
        products=(
            "solid rocket motors for tactical missiles",
            "122 mm rocket motors",
            "boost motors for drones and target drones",
            "composite propellant grains",
            "motor cases in steel and carbon fibre",
            "igniters",
        ),
        facts=(
            "It can cast {200-3000} motors a month.",
            "Motor cases are wound from carbon fibre in-house.",
            "Its test stand fires motors of up to {50-300} kN thrust.",
            "Its motors contain no US-origin content.",
        ),
        wants=(
            "rocket motors",
            "a solid rocket motor supplier",
            "booster motors",
        ),
        export=("ML4",),
        words=("Propulsion", "Rocket Works", "Motors"),
    ),
    "ammunition_missiles.missiles": CapabilityBank(
        does=(
            "develops guided missiles and munitions",
            "builds missiles and precision-guided munitions",
            "designs long-range strike missiles and their guidance",
        ),
        products=(
            "long-range strike missiles",
            "anti-tank guided missiles",
            "guided rockets",
            "guidance kits for unguided munitions",
            "glide-bomb kits",
            "missile airframes",
        ),
        facts=(
            "Its missiles have been launched more than {20-400} times in combat.",
            "Its flagship missile reaches {50-900} km.",
            "Production is limited to {5-80} units a month by rocket-motor supply.",
            "Guidance combines terrain matching with inertial navigation.",
        ),
        wants=(
            "missiles and guided munitions",
            "a missile developer",
            "guided munitions to integrate",
        ),
        export=("ML4",),
        words=("Missiles", "Dynamics", "Aerospace"),
    ),
    # ------------------------------------------------------------------ drones and counter-drone
    "drones_counter_drone.fpv": CapabilityBank(
        does=(
            "builds FPV strike drones for assault units",
            "designs first-person-view quadcopters and their control links",
            "produces FPV drones and heavy bomber quadcopters",
        ),
        products=(
            "7- and 10-inch FPV strike drones",
            "fibre-optic FPV drones that ignore jamming",
            "night FPV drones with thermal cameras",
            "heavy bomber quadcopters",
            "FPV training drones and simulators",
            "ground-control and signal relay kits",
        ),
        facts=(
            "It delivers around {2-40} thousand FPV drones a month.",
            "Its fibre-optic variant flies {10-25} km on one spool.",
            "A drone is assembled in about {15-45} minutes.",
            "Designs change after every {2-6} weeks of front-line feedback.",
        ),
        wants=(
            "FPV drones",
            "a high-volume FPV drone maker",
            "FPV platforms to carry our payloads",
        ),
        export=("ML10", "DU9"),
        words=("Drones", "Robotics", "UAV", "Aero"),
    ),
    "drones_counter_drone.fixed_wing_uav": CapabilityBank(
        does=(
            "designs fixed-wing reconnaissance and long-range UAVs",
            "builds fixed-wing drone airframes in composites",
            "manufactures fixed-wing UAVs for reconnaissance and strike",
        ),
        products=(
            "fixed-wing reconnaissance UAVs with {3-12} hours' endurance",
            "VTOL fixed-wing drones",
            "long-range one-way attack airframes",
            "composite wings and fuselages",
            "catapult launchers and recovery systems",
            "stabilised payload gimbals",
        ),
        facts=(
            "Its UAV carries a {2-15} kg payload.",
            "Moulds in its composite shop produce {20-300} airframes a month.",
            "Endurance reaches {4-14} hours.",
            "Its aircraft have flown over {1000-9000} combat sorties.",
        ),
        wants=(
            "fixed-wing UAV airframes",
            "a fixed-wing drone maker",
            "long-range UAV platforms",
        ),
        export=("ML10", "DU9"),
        words=("Aero", "Aviation", "UAV", "Airframes"),
    ),
    "drones_counter_drone.interceptors": CapabilityBank(
        does=(
            "designs interceptor drones that hunt down attack drones",
            "builds fast interceptor quadcopters and fixed-wing hunters",
            "develops drone interceptors against Shahed-type threats",
        ),
        products=(
            "interceptor drones flying at {250-350} km/h",
            "radar-cued interceptor kits",
            "reusable net and kinetic interceptors",
            "interceptor ground stations",
            "onboard seekers for interceptors",
            "training packs for interceptor crews",
        ),
        facts=(
            "Its interceptors have downed more than {40-900} attack drones.",
            "One interceptor costs less than €{2-6} thousand.",
            "Crews are trained in {5-14} days.",
            "Output is {200-3000} interceptors a month.",
        ),
        wants=(
            "interceptor drones",
            "a battle-tested interceptor drone design",
            "drone interceptors",
        ),
        export=("ML10",),
        words=("Interceptor", "Aero", "Defence", "Dynamics"),
    ),
    "drones_counter_drone.loitering_munitions": CapabilityBank(
        does=(
            "develops loitering munitions",
            "builds loitering munitions for precision strike",
            "designs loitering munitions and their launch systems",
        ),
        products=(
            "tube-launched loitering munitions",
            "long-range loitering munitions",
            "anti-armour warheads for loitering munitions",
            "man-portable launch kits",
            "mission-planning software",
            "training rounds",
        ),
        facts=(
            "Its munition loiters for {30-120} minutes.",
            "Range extends to {40-300} km.",
            "Warheads can be swapped in the field.",
            "Monthly output is {50-1000} rounds.",
        ),
        wants=(
            "loitering munitions",
            "a loitering munition maker",
            "loitering munitions to integrate",
        ),
        export=("ML4", "ML10"),
        words=("Strike", "Dynamics", "Systems"),
    ),
    "drones_counter_drone.maritime_drones": CapabilityBank(
        does=(
            "builds maritime surface and underwater drones",
            "designs unmanned surface vessels for strike and reconnaissance",
            "develops sea drones",
        ),
        products=(
            "unmanned surface vessels",
            "autonomous underwater vehicles",
            "maritime strike drones",
            "seaborne relay buoys",
            "hull and propulsion kits",
            "mission control software for sea drones",
        ),
        facts=(
            "Its surface drone reaches {35-50} knots.",
            "Range exceeds {400-1000} km.",
            "Hulls are laid up in composites at a coastal yard.",
            "Its sea drones have carried out {10-80} combat missions.",
        ),
        wants=(
            "maritime drones",
            "unmanned surface vessels",
            "a sea-drone maker",
        ),
        export=("ML9", "ML10"),
        words=("Marine", "Naval", "Maritime", "Sea Systems"),
    ),
    "drones_counter_drone.ground_robots": CapabilityBank(
        does=(
            "builds unmanned ground vehicles for logistics and casualty evacuation",
            "designs tracked and wheeled ground robots",
            "develops remote-controlled ground vehicles",
        ),
        products=(
            "tracked logistics robots carrying {200-800} kg",
            "casualty-evacuation UGVs",
            "mine-laying and mine-clearing robots",
            "UGVs with remote weapon stations",
            "control kits for ground robots",
            "battery packs for UGVs",
        ),
        facts=(
            "Its robots have completed more than {500-6000} missions.",
            "Range on one charge reaches {15-60} km.",
            "A robot costs a fraction of an armoured vehicle.",
            "Output is {20-300} robots a month.",
        ),
        wants=(
            "ground robots",
            "unmanned ground vehicles",
            "a UGV maker",
        ),
        export=("ML6",),
        words=("Robotics", "Ground Systems", "Mobility"),
    ),
    "drones_counter_drone.counter_uas": CapabilityBank(
        does=(
            "builds counter-drone detection and defeat systems",
            "develops systems that detect, track and defeat drones",
            "makes counter-UAS sensors and effectors",
        ),
        products=(
            "RF detection and direction-finding sensors",
            "counter-drone jammers",
            "acoustic drone detection networks",
            "gun-based counter-drone turrets",
            "portable anti-drone guns",
            "drone-detection software",
        ),
        facts=(
            "Its sensors detect drones at {2-10} km.",
            "Its systems protect more than {20-400} sites.",
            "Detection libraries are updated every {1-4} weeks.",
            "It has deployed with {2-9} armed forces.",
        ),
        wants=(
            "counter-drone systems",
            "a counter-UAS partner",
            "drone detection and defeat",
        ),
        export=("ML11", "ML5"),
        words=("Shield", "Defence", "Guard", "Sentinel"),
    ),
    "drones_counter_drone.components": CapabilityBank(
        does=(
            "makes drone components",
            "produces motors, batteries and flight controllers for drones",
            "manufactures cameras and electronics for drones",
        ),
        products=(
            "brushless motors",
            "lithium-ion battery packs",
            "flight controllers",
            "thermal and day cameras",
            "video transmitters and radio modules",
            "carbon-fibre frames",
        ),
        facts=(
            "It ships {20-300} thousand motors a year.",
            "Its cameras use sensors from European suppliers.",
            "Its components are designed to replace Chinese parts.",
            "Lead times are {2-6} weeks for standard orders.",
        ),
        wants=(
            "drone components",
            "motors, batteries and flight controllers",
            "a component supplier free of Chinese parts",
            "thermal cameras and radio modules for drones",
        ),
        export=("DU9", "ML10"),
        words=("Components", "Electronics", "Motors", "Tech"),
    ),
    # ------------------------------------------------------------------ military mobility
    "military_mobility.armoured_vehicles": CapabilityBank(
        does=(
            "builds armoured vehicles",
            "designs and produces wheeled armoured personnel carriers",
            "builds protected mobility vehicles",
        ),
        products=(
            "4x4 and 6x6 armoured personnel carriers",
            "mine-protected vehicles",
            "tracked infantry fighting vehicles",
            "armoured ambulances",
            "command vehicles",
            "remote weapon stations",
        ),
        facts=(
            "Its vehicles meet STANAG 4569 level {2-4} protection.",
            "The plant delivers {5-60} vehicles a month.",
            "More than {100-2000} of its vehicles are in service.",
            "Hulls are welded from European armour steel.",
        ),
        wants=(
            "armoured vehicles",
            "an armoured vehicle maker",
            "armoured vehicle designs and hulls",
        ),
        export=("ML6",),
        words=("Vehicles", "Mobility", "Armour", "Motors"),
    ),
    "military_mobility.logistics_vehicles": CapabilityBank(
        does=(
            "makes logistics and utility vehicles",
            "builds military trucks and logistic vehicles",
            "produces off-road utility vehicles",
        ),
        products=(
            "6x6 and 8x8 logistics trucks",
            "off-road utility vehicles",
            "fuel and water tankers",
            "recovery vehicles",
            "container handling trucks",
            "trailers",
        ),
        facts=(
            "It builds {20-400} trucks a month.",
            "Its vehicles run on standard NATO fuels.",
            "Cab protection kits can be added.",
            "It has supplied {2-12} armies.",
        ),
        wants=(
            "logistics vehicles",
            "military trucks",
            "utility vehicles",
        ),
        export=("ML6",),
        words=("Trucks", "Mobility", "Vehicles"),
    ),
    "military_mobility.bridging": CapabilityBank(
        does=(
            "builds bridging and engineering equipment",
            "makes military bridges and gap-crossing systems",
            "produces engineering vehicles",
        ),
        products=(
            "tactical bridges",
            "ribbon and pontoon bridges",
            "vehicle-launched bridges",
            "engineering vehicles",
            "obstacle-breaching equipment",
            "field fortification kits",
        ),
        facts=(
            "Its bridges carry MLC {40-120} loads.",
            "A bridge can be launched in {5-20} minutes.",
            "It has built {20-200} bridges.",
            "Modules fit on standard trucks.",
        ),
        wants=(
            "bridging equipment",
            "gap-crossing systems",
            "engineering equipment",
        ),
        export=("ML6",),
        words=("Bridging", "Engineering", "Steel"),
    ),
    "military_mobility.armour_protection": CapabilityBank(
        does=(
            "makes armour and protection kits",
            "produces add-on armour and protective kits for vehicles",
            "manufactures ceramic and steel armour",
        ),
        products=(
            "add-on armour kits",
            "anti-drone cage and screen kits",
            "ceramic armour plates",
            "spall liners",
            "mine blast protection",
            "body armour plates",
        ),
        facts=(
            "Its kits add {200-900} kg per vehicle.",
            "It fits kits to {5-80} vehicles a week.",
            "Its plates meet STANAG 4569 level {2-4}.",
            "Designs evolve with every new threat.",
        ),
        wants=(
            "armour and protection kits",
            "add-on armour",
            "protective kits against drones",
        ),
        export=("ML13",),
        words=("Armour", "Protection", "Shield"),
    ),
    # ------------------------------------------------------------------ AI, cyber and EW
    "ai_cyber_ew.electronic_warfare": CapabilityBank(
        does=(
            "builds electronic warfare systems",
            "develops jammers and signals-intelligence equipment",
            "makes EW systems for ground forces",
        ),
        products=(
            "wideband jammers",
            "signals-intelligence receivers",
            "trench EW kits against FPV drones",
            "direction-finding systems",
            "vehicle jammer systems",
            "EW mission software",
        ),
        facts=(
            "Its jammers cover bands from {20-400} MHz up to {3-6} GHz.",
            "Jamming profiles are updated every {1-3} weeks.",
            "More than {500-8000} of its units are in use.",
            "Its SIGINT kit detects drone control links at {5-20} km.",
        ),
        wants=(
            "electronic warfare",
            "jamming and SIGINT equipment",
            "an EW partner",
        ),
        export=("ML11",),
        words=("EW", "Signals", "Spectrum", "Systems"),
    ),
    "ai_cyber_ew.resilient_navigation": CapabilityBank(
        does=(
            "develops navigation that works without GNSS",
            "builds EW-resistant navigation",
            "makes anti-jam GNSS and visual navigation",
        ),
        products=(
            "anti-jam GNSS receivers with controlled-reception-pattern antennas",
            "visual navigation modules",
            "inertial measurement units",
            "terrain-matching navigation software",
            "navigation kits for fixed-wing drones",
            "timing receivers",
        ),
        facts=(
            "Its modules keep drones on course for {50-300} km without GNSS.",
            "Navigation has been tested in heavily jammed areas.",
            "Modules weigh under {30-200} grams.",
            "Position drift stays under {5-50} metres per hour.",
        ),
        wants=(
            "EW-resistant navigation",
            "navigation that works without GNSS",
            "anti-jam navigation modules",
        ),
        export=("ML11", "DU7"),
        words=("Navigation", "Nav", "Systems", "Labs"),
    ),
    "ai_cyber_ew.secure_comms": CapabilityBank(
        does=(
            "makes secure and jam-resistant communications",
            "develops mesh radios and datalinks",
            "builds encrypted communications",
        ),
        products=(
            "mesh radios",
            "jam-resistant datalinks for drones",
            "encrypted tactical radios",
            "satellite terminals",
            "relay kits",
            "network management software",
        ),
        facts=(
            "Its datalink holds a video feed at {10-60} km under jamming.",
            "Its radios hop frequencies {500-2000} times a second.",
            "It supplies {2-10} armed forces.",
            "Its encryption is certified at national level.",
        ),
        wants=(
            "secure communications",
            "jam-resistant datalinks",
            "encrypted radios and datalinks",
        ),
        export=("ML11", "DU5"),
        words=("Comms", "Link", "Networks", "Signals"),
    ),
    "ai_cyber_ew.ai_targeting": CapabilityBank(
        does=(
            "develops AI for target recognition and autonomy",
            "builds autonomy software for drones",
            "makes AI target-recognition systems",
        ),
        products=(
            "terminal-guidance modules that lock on targets",
            "target recognition models",
            "autonomy stacks for drones",
            "edge AI computers",
            "video analytics",
            "AI training data pipelines",
        ),
        facts=(
            "Its models recognise {10-80} classes of military targets.",
            "Terminal guidance runs on a board weighing {20-100} grams.",
            "Its models are trained on {1-20} million labelled frames.",
            "It raised hit rates by {20-70} percent in trials.",
        ),
        wants=(
            "AI target recognition",
            "autonomy and terminal guidance",
            "AI for targeting",
        ),
        export=("ML21", "DU4"),
        words=("AI", "Vision", "Labs", "Autonomy"),
    ),
    "ai_cyber_ew.cyber_defence": CapabilityBank(
        does=(
            "defends military and industrial networks against state-backed intrusion",
            "runs cyber defence for defence plants and critical infrastructure",
            "develops cyber-security products hardened in a wartime threat environment",
        ),
        products=(
            "a round-the-clock security operations centre",
            "incident response and forensics",
            "threat intelligence on Russian state-backed groups",
            "OT and SCADA security for factories and grids",
            "red-team and penetration testing of defence suppliers",
            "secure software supply-chain audits",
        ),
        facts=(
            "Its responders have handled more than {100-2000} intrusions since 2022.",
            "It protects {10-200} organisations, among them several defence plants.",
            "Its SOC employs {20-200} analysts working in shifts.",
            "It has tracked state-backed attack groups since {2014-2020}.",
        ),
        wants=(
            "cyber defence for our plants and networks",
            "a cyber-security partner with wartime experience",
            "incident response and threat intelligence",
        ),
        export=("DU5", "ML21"),
        words=("Cyber", "Secure", "Labs", "Shield"),
    ),
    "ai_cyber_ew.quantum": CapabilityBank(
        does=(
            "develops quantum sensors for navigation and detection",
            "builds compact atomic clocks and cold-atom inertial sensors",
            "turns laboratory quantum sensing into rugged field hardware",
        ),
        products=(
            "optically pumped quantum magnetometers",
            "chip-scale atomic clocks for GNSS-free timing",
            "quantum gravimeters for terrain-referenced navigation",
            "cold-atom inertial measurement units",
            "quantum key distribution links",
            "post-quantum cryptography modules",
        ),
        facts=(
            "Its clock holds time to within a microsecond a day without satellite signals.",
            "Prototypes have flown on {2-10} test flights aboard light aircraft.",
            "Its sensors are tested on a {2-10} km outdoor range away from city interference.",
            "It runs joint laboratories with {2-6} universities.",
        ),
        wants=(
            "quantum sensing for navigation",
            "quantum timing and inertial sensors",
            "quantum technology to harden navigation",
        ),
        export=("DU6", "DU7"),
        words=("Quantum", "Photonics", "Labs"),
        sides=(EU,),
    ),
    # ------------------------------------------------------------------ strategic enablers
    "strategic_enablers.space": CapabilityBank(
        does=(
            "operates small radar and optical satellites and sells the imagery",
            "builds small satellites and their payloads",
            "delivers satellite imagery and space-based intelligence to defence users",
        ),
        products=(
            "SAR imagery that sees through cloud and at night",
            "high-resolution optical imagery",
            "small satellite buses and payload integration",
            "mobile ground stations",
            "satellite communications capacity",
            "space situational awareness data",
        ),
        facts=(
            "It operates a constellation of {2-20} satellites.",
            "Revisit over a point of interest is under {1-12} hours.",
            "Ground resolution reaches {25-100} cm.",
            "It launched its first satellite in {2019-2025}.",
        ),
        wants=(
            "satellite imagery and tasking",
            "space-based reconnaissance data",
            "satellite services",
        ),
        export=("DU9", "DU6"),
        words=("Space", "Orbital", "Sat", "Orbit"),
    ),
    "strategic_enablers.maritime_awareness": CapabilityBank(
        does=(
            "builds maritime domain awareness systems for navies and coast guards",
            "runs coastal surveillance networks that fuse radar, AIS and RF data",
            "makes underwater and surface surveillance for ports and sea lanes",
        ),
        products=(
            "coastal surveillance radars",
            "AIS, radar and RF data fusion",
            "seabed sonar networks for harbour protection",
            "maritime patrol mission software",
            "sensor buoys with satellite uplink",
            "dark-vessel and shadow-fleet detection",
        ),
        facts=(
            "Its network monitors some {200-2000} km of coastline.",
            "It tracks {1000-20000} vessels a day.",
            "Its sonar picks up small underwater targets at {2-20} km.",
            "It supplies {2-6} navies and coast guards.",
        ),
        wants=(
            "maritime domain awareness",
            "coastal surveillance and vessel tracking",
            "maritime sensor data to guide sea operations",
        ),
        export=("ML5", "DU6"),
        words=("Ocean", "Coastal", "Marine", "Maritime"),
    ),
    "strategic_enablers.airlift_refuelling": CapabilityBank(
        does=(
            "modifies transport aircraft for air-to-air refuelling and cargo roles",
            "operates chartered military airlift",
            "designs refuelling pods and aircraft role kits",
        ),
        products=(
            "outsize-cargo airlift on charter",
            "hose-and-drogue refuelling pods",
            "aircraft role conversions",
            "palletised cargo handling systems",
            "aircrew and loadmaster training",
            "ground support equipment",
        ),
        facts=(
            "It operates a fleet of {2-12} transport aircraft.",
            "It has flown {100-2000} missions for European governments.",
            "Its hangar converts {2-8} aircraft a year.",
            "Its modifications are approved by {2-5} airworthiness authorities.",
        ),
        wants=(
            "airlift capacity",
            "air-to-air refuelling",
            "aircraft modification partners",
        ),
        export=("ML10",),
        words=("Air", "Aviation", "Airlift"),
        sides=(EU,),
    ),
    "strategic_enablers.infrastructure_protection": CapabilityBank(
        does=(
            "protects power plants, substations and factories against missile and drone strikes",
            "builds physical protection for energy and industrial sites",
            "designs perimeter security and shelters for critical infrastructure",
        ),
        products=(
            "passive protection structures for substations",
            "anti-drone nets and overhead screens",
            "blast walls and gabion barriers",
            "hardened shelters for staff and equipment",
            "perimeter intrusion detection",
            "site vulnerability assessments",
        ),
        facts=(
            "It has protected {20-300} energy and industrial sites.",
            "Its barriers are tested against {50-500} kg charges.",
            "Crews can build {5-50} shelters a month.",
            "It works with {2-10} grid and pipeline operators.",
        ),
        wants=(
            "critical infrastructure protection",
            "physical protection for our sites",
            "hardening of plants against strikes",
        ),
        export=("ML17",),
        words=("Protect", "Guard", "Infra", "Bastion"),
    ),
    "strategic_enablers.sensors": CapabilityBank(
        does=(
            "makes electro-optical and infrared sensors",
            "builds thermal imagers and stabilised optronic gimbals",
            "produces sensors and optronics for vehicles, towers and drones",
        ),
        products=(
            "cooled and uncooled thermal cameras",
            "stabilised electro-optical gimbals",
            "eye-safe laser rangefinders",
            "night-vision devices",
            "acoustic sensor arrays",
            "mast-mounted sensor towers",
        ),
        facts=(
            "Its long-range thermal camera recognises a vehicle at {5-15} km.",
            "It builds {100-2000} gimbals a year.",
            "Its sensors are qualified from -40 to +60 °C.",
            "It supplies {2-10} armies and border services.",
        ),
        wants=(
            "sensors and optronics",
            "thermal and electro-optical sensors",
            "sensor feeds for our system",
        ),
        export=("ML15", "DU6"),
        words=("Optronics", "Optics", "Vision", "Photonics"),
    ),
    # ---------------------------------------------------------- maintenance, repair, overhaul
    "mro.vehicle_repair": CapabilityBank(
        does=(
            "repairs and overhauls armoured and logistics vehicles",
            "restores battle-damaged armour and returns it to units",
            "runs depot and field repair of tracked and wheeled vehicles",
        ),
        products=(
            "depot overhaul of armoured vehicles",
            "battle-damage repair of hulls and turrets",
            "engine and transmission rebuilds",
            "mobile repair teams near the front",
            "conversion of donated vehicles to local standards",
            "vehicle upgrades and armour refits",
        ),
        facts=(
            "It returns {10-80} vehicles a month to service.",
            "Its mobile teams work within {10-60} km of the contact line.",
            "It has repaired {5-20} different Western and Soviet-era vehicle types.",
            "Average turnaround is {2-8} weeks per vehicle.",
        ),
        wants=(
            "vehicle repair and overhaul",
            "a repair partner for armoured vehicles",
            "battle-damage repair capacity",
        ),
        export=("ML6",),
        words=("Repair", "Works", "Service", "Overhaul"),
    ),
    "mro.artillery_repair": CapabilityBank(
        does=(
            "repairs howitzers and replaces worn barrels",
            "overhauls towed and self-propelled artillery",
            "runs field and depot repair of guns and their recoil systems",
        ),
        products=(
            "howitzer overhaul",
            "barrel replacement and bore inspection",
            "recoil and recuperator overhaul",
            "mobile gun repair teams",
            "fire-control and sight repair",
            "locally made wear parts",
        ),
        facts=(
            "It repairs {5-40} guns a month.",
            "It has repaired {5-15} gun types, NATO and Soviet calibres alike.",
            "Its field teams work within reach of firing positions.",
            "Turnaround for a gun is {1-6} weeks.",
        ),
        wants=(
            "artillery repair",
            "howitzer repair and barrel exchange",
            "a repair partner for guns",
        ),
        export=("ML2",),
        words=("Repair", "Arsenal", "Works"),
    ),
    "mro.spare_parts": CapabilityBank(
        does=(
            "makes spare parts for military vehicles and weapons",
            "produces spare and wear parts in small and medium batches",
            "reverse-engineers and manufactures out-of-production parts",
        ),
        products=(
            "wear parts for vehicles and guns",
            "reverse-engineered replacement parts",
            "steel and aluminium castings",
            "CNC-machined components",
            "rubber seals and track pads",
            "electrical harnesses",
        ),
        facts=(
            "It makes {1000-20000} parts a month.",
            "It has reverse-engineered {100-2000} part numbers.",
            "Lead time for a new part is {2-8} weeks.",
            "It supplies {5-40} repair sites.",
        ),
        wants=(
            "spare parts production",
            "a maker of spare parts",
            "local spare parts supply",
        ),
        export=("ML6", "ML22"),
        words=("Parts", "Components", "Machining"),
    ),
    "mro.aircraft_mro": CapabilityBank(
        does=(
            "maintains and overhauls aircraft and helicopters",
            "overhauls military helicopters and their engines",
            "repairs transport aircraft and their components",
        ),
        products=(
            "helicopter overhaul",
            "aircraft heavy maintenance",
            "engine and gearbox repair",
            "avionics upgrades",
            "component repair",
            "technician training",
        ),
        facts=(
            "It overhauls {5-40} helicopters a year.",
            "It holds a Part-145 maintenance approval.",
            "Its hangars take {2-8} helicopters at a time.",
            "It works on {3-12} aircraft types.",
        ),
        wants=(
            "aircraft and helicopter maintenance",
            "helicopter overhaul capacity",
            "aircraft repair",
        ),
        export=("ML10",),
        words=("Aero Services", "Aviation", "Avia"),
    ),
    "mro.electronics_repair": CapabilityBank(
        does=(
            "repairs military electronics and radar modules",
            "overhauls radar and fire-control electronics",
            "repairs and recalibrates electronics",
        ),
        products=(
            "radar module repair",
            "board-level electronics repair",
            "obsolete component replacement",
            "automatic test benches",
            "calibration",
            "reverse-engineered circuit boards",
        ),
        facts=(
            "It repairs {100-2000} boards a month.",
            "Its clean room handles {50-400} radar modules a year.",
            "It repairs {5-30} system types, from radios to radars.",
            "Turnaround is {1-6} weeks.",
        ),
        wants=(
            "electronics repair",
            "radar and electronics repair",
            "a repair partner for electronics",
        ),
        export=("ML11", "ML5"),
        words=("Electronics", "Repair", "Tech"),
    ),
}

# Short plural nouns for what a firm offers, used as "our {own}" in seeks texts.
NOUNS: dict[str, str] = {
    "air_missile_defence.radars": "radars",
    "air_missile_defence.launchers": "launchers",
    "air_missile_defence.interceptor_missiles": "interceptor missiles",
    "air_missile_defence.c2_integration": "air-defence C2 software",
    "air_missile_defence.sustainment": "air-defence support",
    "artillery.howitzers_155": "155 mm howitzers",
    "artillery.barrels": "gun barrels",
    "artillery.mortars": "mortars",
    "artillery.rocket_artillery": "rocket launchers",
    "artillery.fire_control": "fire-control software",
    "ammunition_missiles.shells": "shells",
    "ammunition_missiles.propellants": "propellant charges",
    "ammunition_missiles.energetics": "explosives",
    "ammunition_missiles.fuzes": "fuzes",
    "ammunition_missiles.shell_loading": "filling lines",
    "ammunition_missiles.rocket_motors": "rocket motors",
    "ammunition_missiles.missiles": "missiles",
    "drones_counter_drone.fpv": "FPV drones",
    "drones_counter_drone.fixed_wing_uav": "fixed-wing UAVs",
    "drones_counter_drone.interceptors": "interceptor drones",
    "drones_counter_drone.loitering_munitions": "loitering munitions",
    "drones_counter_drone.maritime_drones": "sea drones",
    "drones_counter_drone.ground_robots": "ground robots",
    "drones_counter_drone.counter_uas": "counter-drone systems",
    "drones_counter_drone.components": "drone components",
    "military_mobility.armoured_vehicles": "armoured vehicles",
    "military_mobility.logistics_vehicles": "trucks",
    "military_mobility.bridging": "bridges",
    "military_mobility.armour_protection": "armour kits",
    "ai_cyber_ew.electronic_warfare": "jammers",
    "ai_cyber_ew.resilient_navigation": "navigation modules",
    "ai_cyber_ew.secure_comms": "datalinks",
    "ai_cyber_ew.ai_targeting": "targeting software",
    "ai_cyber_ew.cyber_defence": "cyber defence",
    "ai_cyber_ew.quantum": "quantum sensors",
    "strategic_enablers.space": "satellite data",
    "strategic_enablers.maritime_awareness": "surveillance systems",
    "strategic_enablers.airlift_refuelling": "airlift",
    "strategic_enablers.infrastructure_protection": "site protection",
    "strategic_enablers.sensors": "thermal imagers",
    "mro.vehicle_repair": "vehicle repair",
    "mro.artillery_repair": "gun repair",
    "mro.spare_parts": "spare parts",
    "mro.aircraft_mro": "helicopter overhaul",
    "mro.electronics_repair": "electronics repair",
}

# Offered capabilities that are services rather than designs a partner could license.
SERVICES = frozenset(
    {
        "air_missile_defence.sustainment",
        "ai_cyber_ew.cyber_defence",
        "strategic_enablers.airlift_refuelling",
        "strategic_enablers.infrastructure_protection",
        "mro.vehicle_repair",
        "mro.artillery_repair",
        "mro.spare_parts",
        "mro.aircraft_mro",
        "mro.electronics_repair",
    }
)

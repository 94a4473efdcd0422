"""Country styles for the seed generator: cities, name roots, legal forms, people, id formats.

Every firm and person name built from these parts is fictional. Roots are place,
river, mountain and folklore words; generate.py checks the results against a short
list of real defence companies so that no real name slips through.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountryStyle:
    code: str
    weight: int  # relative share of the European firms
    adjective: str
    cities: tuple[str, ...]
    roots: tuple[str, ...]
    suffixes: tuple[str, ...]
    tld: str
    phone: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    # A national register id shape ('#' digit, '@' capital letter), used for some
    # firms instead of a VAT number; None when only VAT numbers are used.
    register: str | None = None


def _t(words: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in words.split(",") if w.strip())


# VAT number shapes matching identifiers.VAT_PATTERNS ('#' digit, '@' capital letter).
VAT_SHAPES: dict[str, str] = {
    "AT": "ATU########",
    "BE": "BE0#########",
    "BG": "BG#########",
    "HR": "HR###########",
    "CZ": "CZ########",
    "DK": "DK########",
    "EE": "EE10#######",
    "FI": "FI########",
    "FR": "FR###########",
    "DE": "DE#########",
    "GR": "EL#########",
    "HU": "HU########",
    "IE": "IE#######@",
    "IT": "IT###########",
    "LV": "LV4##########",
    "LT": "LT#########",
    "NL": "NL#########B01",
    "PL": "PL##########",
    "PT": "PT5########",
    "RO": "RO########",
    "SK": "SK20########",
    "SI": "SI########",
    "ES": "ESB########",
    "SE": "SE55########01",
    "NO": "NO9########MVA",
    "GB": "GB#########",
    "TR": "TR##########",
}

EU_STYLES: tuple[CountryStyle, ...] = (
    CountryStyle(
        "DE",
        22,
        "German",
        _t(
            "Munich, Kiel, Bremen, Augsburg, Ulm, Kassel, Unterlüß, Oberkochen, Friedrichshafen, "
            "Dresden"
        ),
        _t(
            "Weserhall, Elbmark, Isartal, Harzstein, Falkenried, Lindwurm, Moselstahl, Eichwald, "
            "Brandtberg, Spessart, Odenfeld, Staufen, Kranichsee, Hohenlauf, Feldhaus, Nordhang"
        ),
        _t("GmbH, AG, GmbH & Co. KG"),
        "de",
        "+49",
        _t("Katrin, Jörg, Stefanie, Matthias, Anja, Tobias, Henrike, Florian"),
        _t("Brückner, Hallmann, Seidel, Vogt, Lindemann, Kettler, Ostermann, Fries"),
        "HRB######",
    ),
    CountryStyle(
        "FR",
        18,
        "French",
        _t("Bourges, Toulouse, Brest, Tarbes, Saint-Étienne, Angers, Grenoble, Vernon, Le Mans"),
        _t(
            "Vercors, Armorique, Garonne, Morvan, Aubrac, Rochebrune, Estérel, Causses, Lutèce, "
            "Cévennes, Ventoux, Belledonne, Vexin, Quercy"
        ),
        _t("SAS, SA, SARL"),
        "fr",
        "+33",
        _t("Claire, Mathieu, Sophie, Guillaume, Élodie, Antoine, Camille, Thibault"),
        _t("Lefèvre, Garnier, Rousseau, Marchand, Faure, Chevalier, Perrin, Lambert"),
        "#########",
    ),
    CountryStyle(
        "PL",
        20,
        "Polish",
        _t(
            "Rzeszów, Stalowa Wola, Gliwice, Radom, Bydgoszcz, Mielec, Kraków, "
            "Skarżysko-Kamienna, Dęblin"
        ),
        _t(
            "Vistula, Mazovia, Bieszczady, Karkonosze, Warta, Narew, Podhale, Jantar, Rysy, "
            "Pilica, "
            "Roztocze, Kujawy, Wigry, Sudety"
        ),
        _t("Sp. z o.o., S.A."),
        "pl",
        "+48",
        _t("Agnieszka, Paweł, Magdalena, Tomasz, Katarzyna, Marcin, Joanna, Krzysztof"),
        _t("Nowicki, Wróblewska, Zieliński, Kamińska, Pawlak, Sadowski, Michalska, Górecki"),
        "0000######",
    ),
    CountryStyle(
        "IT",
        12,
        "Italian",
        _t("La Spezia, Brescia, Turin, Pomezia, Colleferro, Varese, Genoa, Bologna"),
        _t(
            "Apennino, Dolomiti, Tirreno, Brenta, Ligure, Adige, Volturno, Sannio, Monviso, Piave, "
            "Maiella, Sila"
        ),
        _t("S.p.A., S.r.l."),
        "it",
        "+39",
        _t("Giulia, Marco, Francesca, Alessandro, Chiara, Davide, Elena, Stefano"),
        _t("Ferraro, Colombo, Bianchi, Marchetti, Ricci, Galli, Fontana, Rinaldi"),
    ),
    CountryStyle(
        "SE",
        10,
        "Swedish",
        _t("Karlskoga, Linköping, Örnsköldsvik, Eskilstuna, Gothenburg, Luleå, Västerås"),
        _t(
            "Norrfjord, Vättern, Kölen, Stenbacka, Ljusne, Dalsland, Ångerman, Siljan, Tiveden, "
            "Klarälv"
        ),
        _t("AB"),
        "se",
        "+46",
        _t("Karin, Johan, Elin, Anders, Sofia, Magnus, Linnea, Henrik"),
        _t("Lindqvist, Berglund, Sandström, Holmgren, Ekberg, Nyström, Wallin, Forsberg"),
        "55########",
    ),
    CountryStyle(
        "CZ",
        11,
        "Czech",
        _t("Brno, Ostrava, Uherský Brod, Pardubice, Plzeň, Vlašim, Šternberk, Přelouč"),
        _t(
            "Vltava, Morava, Krkonoše, Šumava, Beskyd, Jizera, Brdy, Sázava, Orlice, Polabí, "
            "Berounka"
        ),
        _t("s.r.o., a.s."),
        "cz",
        "+420",
        _t("Petra, Jakub, Lucie, Ondřej, Tereza, Martin, Hana, Vojtěch"),
        _t("Dvořák, Procházková, Kučera, Veselá, Horák, Němcová, Pokorný, Marek"),
        "########",
    ),
    CountryStyle(
        "NL",
        9,
        "Dutch",
        _t("Eindhoven, Delft, Hengelo, Enschede, Den Helder, Breda, Apeldoorn"),
        _t("Wadden, Veluwe, IJssel, Maasdelta, Drenthe, Lekdijk, Zuiderduin, Peelland, Kempenland"),
        _t("B.V., N.V."),
        "nl",
        "+31",
        _t("Femke, Joost, Marieke, Sander, Anouk, Bram, Lotte, Pieter"),
        _t("de Vries, Bakker, Visser, Smit, van Dijk, Mulder, de Boer, Kuipers"),
        "########",
    ),
    CountryStyle(
        "GB",
        14,
        "British",
        _t(
            "Bristol, Glasgow, Preston, Farnborough, Sheffield, Newcastle, Plymouth, Belfast, "
            "Cardiff"
        ),
        _t(
            "Pennine, Severn, Cheviot, Cairngorm, Mendip, Wessex, Tyneside, Quantock, Cotswold, "
            "Malvern, Kestrel Moor, Solway"
        ),
        _t("Ltd, plc"),
        "co.uk",
        "+44",
        _t("Rachel, Oliver, Fiona, James, Harriet, Callum, Imogen, Gareth"),
        _t("Hargreaves, Whitfield, Pemberton, Ashworth, Caldwell, Fairbairn, Kendrick, Lowther"),
        "########",
    ),
    CountryStyle(
        "DK",
        9,
        "Danish",
        _t("Aarhus, Odense, Aalborg, Esbjerg, Vejle, Frederikshavn, Holstebro"),
        _t("Limfjord, Skagen, Himmerland, Øresund, Vadehav, Gudenå, Thy, Mols, Djursland"),
        _t("A/S, ApS"),
        "dk",
        "+45",
        _t("Mette, Rasmus, Louise, Mikkel, Signe, Anders, Freja, Søren"),
        _t("Kjærgaard, Mortensen, Lauridsen, Vestergaard, Thomsen, Bach, Dalsgaard, Holm"),
        "########",
    ),
    CountryStyle(
        "FI",
        9,
        "Finnish",
        _t("Tampere, Oulu, Jyväskylä, Kuopio, Lahti, Vaasa, Hämeenlinna"),
        _t("Saimaa, Karjala, Lappi, Pohjola, Kymi, Tapio, Hiidenkivi, Koli, Päijänne, Pyhä"),
        _t("Oy, Oyj"),
        "fi",
        "+358",
        _t("Aino, Mikko, Laura, Ville, Kaisa, Janne, Riikka, Teemu"),
        _t("Lehtonen, Heikkilä, Salminen, Koskinen, Järvinen, Laaksonen, Rantanen, Mäkelä"),
        "########",
    ),
    CountryStyle(
        "ES",
        8,
        "Spanish",
        _t("Seville, Zaragoza, Oviedo, Valladolid, Murcia, Getafe, Bilbao"),
        _t("Guadarrama, Cantabria, Ebro, Tajo, Duero, Montseny, Moncayo, Gredos, Alcudia"),
        _t("S.A., S.L."),
        "es",
        "+34",
        _t("Lucía, Javier, Marta, Álvaro, Carmen, Diego, Nuria, Sergio"),
        _t("Navarro, Ortega, Serrano, Molina, Castaño, Iglesias, Vidal, Herrero"),
    ),
    CountryStyle(
        "NO",
        9,
        "Norwegian",
        _t("Raufoss, Kongsvinger, Trondheim, Bergen, Stavanger, Tromsø, Horten"),
        _t(
            "Nordvik, Hardanger, Trollheim, Varanger, Lofoten, Jotun, Fjellberg, Skagerrak, "
            "Dovre, Folgefonn"
        ),
        _t("AS, ASA"),
        "no",
        "+47",
        _t("Ingrid, Eirik, Silje, Håkon, Marte, Sindre, Kari, Øystein"),
        _t("Haugland, Solberg, Bakken, Strand, Lunde, Moen, Aasen, Rønning"),
        "9########",
    ),
    CountryStyle(
        "RO",
        8,
        "Romanian",
        _t("Brașov, Cugir, Sadu, Mediaș, Craiova, Bacău, Pitești"),
        _t("Carpați, Olt, Bucegi, Mureș, Argeș, Ceahlău, Retezat, Făgăraș, Siret"),
        _t("S.A., S.R.L."),
        "ro",
        "+40",
        _t("Ioana, Andrei, Elena, Mihai, Raluca, Bogdan, Alina, Radu"),
        _t("Popescu, Dumitrescu, Stan, Munteanu, Ionescu, Barbu, Lungu, Marinescu"),
    ),
    CountryStyle(
        "LT",
        7,
        "Lithuanian",
        _t("Kaunas, Vilnius, Klaipėda, Šiauliai, Panevėžys, Alytus"),
        _t("Nemunas, Neris, Aukštaitija, Dzūkija, Kuršių, Trakai, Žemaitija, Dubysa"),
        _t("UAB, AB"),
        "lt",
        "+370",
        _t("Rūta, Mantas, Giedrė, Tomas, Ieva, Darius, Eglė, Lukas"),
        _t("Kazlauskas, Petrauskienė, Jankauskas, Stankevičiūtė, Vasiliauskas, Žukauskas"),
        "3########",
    ),
    CountryStyle(
        "EE",
        7,
        "Estonian",
        _t("Tallinn, Tartu, Pärnu, Narva, Rakvere, Viljandi"),
        _t("Peipsi, Saaremaa, Vooremaa, Toompea, Kalevi, Pandivere, Emajõgi, Läänemaa"),
        _t("OÜ, AS"),
        "ee",
        "+372",
        _t("Kadri, Martin, Liis, Rasmus, Triin, Andres, Kertu, Siim"),
        _t("Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves"),
        "1#######",
    ),
    CountryStyle(
        "SK",
        6,
        "Slovak",
        _t("Žilina, Martin, Trenčín, Banská Bystrica, Dubnica, Košice"),
        _t("Hron, Váh, Fatra, Poľana, Orava, Spiš, Nitra, Turiec"),
        _t("s.r.o., a.s."),
        "sk",
        "+421",
        _t("Zuzana, Peter, Martina, Juraj, Lenka, Miroslav"),
        _t("Kováč, Baláž, Horváthová, Šimko, Lukáč, Rusnák"),
    ),
    CountryStyle(
        "BE",
        5,
        "Belgian",
        _t("Liège, Ghent, Charleroi, Antwerp, Herstal, Mons"),
        _t("Schelde, Kempen, Brabant, Hesbaye, Famenne, Condroz, Westhoek"),
        _t("NV, SA, BV"),
        "be",
        "+32",
        _t("An, Wouter, Sarah, Pieter-Jan, Nathalie, Olivier"),
        _t("Peeters, Janssens, Dubois, Maes, Lemaire, Claes"),
    ),
    CountryStyle(
        "AT",
        5,
        "Austrian",
        _t("Linz, Graz, Steyr, Wiener Neustadt, Salzburg, Innsbruck"),
        _t("Donautal, Karawanken, Wachau, Dachstein, Tauern, Mühlviertel, Semmering"),
        _t("GmbH, AG"),
        "at",
        "+43",
        _t("Verena, Lukas, Theresa, Markus, Johanna, Bernhard"),
        _t("Gruber, Huber, Pichler, Steiner, Moser, Leitner"),
    ),
    CountryStyle(
        "LV",
        4,
        "Latvian",
        _t("Riga, Daugavpils, Ventspils, Valmiera, Liepāja"),
        _t("Daugava, Gauja, Kurzeme, Vidzeme, Latgale, Zemgale"),
        _t("SIA, AS"),
        "lv",
        "+371",
        _t("Ilze, Jānis, Laura, Mārtiņš, Kristīne, Edgars"),
        _t("Bērziņš, Kalniņa, Ozols, Liepa, Krūmiņš, Zariņa"),
    ),
    CountryStyle(
        "PT",
        3,
        "Portuguese",
        _t("Porto, Braga, Aveiro, Setúbal, Coimbra"),
        _t("Tejo, Douro, Estrela, Minho, Alentejo, Sado"),
        _t("Lda., S.A."),
        "pt",
        "+351",
        _t("Inês, Tiago, Mariana, Rui, Beatriz, Nuno"),
        _t("Carvalho, Fonseca, Tavares, Monteiro, Pinto, Correia"),
    ),
    CountryStyle(
        "GR",
        3,
        "Greek",
        _t("Thessaloniki, Patras, Larissa, Volos, Elefsina"),
        _t("Olympos, Pindos, Aigaio, Parnassos, Thessalia, Taygetos"),
        _t("S.A."),
        "gr",
        "+30",
        _t("Eleni, Nikos, Katerina, Giorgos, Sofia, Dimitris"),
        _t("Papadakis, Georgiou, Karalis, Vlachou, Antoniou, Makris"),
    ),
    CountryStyle(
        "HU",
        2,
        "Hungarian",
        _t("Győr, Miskolc, Székesfehérvár, Debrecen"),
        _t("Bakony, Tisza, Mátra, Zemplén, Vértes"),
        _t("Kft., Zrt."),
        "hu",
        "+36",
        _t("Eszter, Gábor, Réka, Zoltán"),
        _t("Nagy, Kovács, Szabó, Varga"),
    ),
    CountryStyle(
        "SI",
        2,
        "Slovenian",
        _t("Ljubljana, Maribor, Kranj, Celje"),
        _t("Triglav, Pohorje, Soča, Kras, Karavanke"),
        _t("d.o.o."),
        "si",
        "+386",
        _t("Maja, Luka, Nina, Matej"),
        _t("Novak, Kranjc, Zupan, Hribar"),
    ),
    CountryStyle(
        "HR",
        2,
        "Croatian",
        _t("Zagreb, Split, Rijeka, Osijek, Karlovac"),
        _t("Velebit, Dinara, Kvarner, Papuk, Biokovo"),
        _t("d.o.o., d.d."),
        "hr",
        "+385",
        _t("Ana, Ivan, Petra, Marko"),
        _t("Horvat, Babić, Jurić, Knežević"),
    ),
    CountryStyle(
        "BG",
        3,
        "Bulgarian",
        _t("Kazanlak, Sopot, Plovdiv, Ruse, Karlovo"),
        _t("Rila, Pirin, Strandzha, Iskar, Rhodopa, Vitosha"),
        _t("EOOD, AD"),
        "bg",
        "+359",
        _t("Desislava, Stoyan, Milena, Kaloyan"),
        _t("Petrova, Dimitrov, Ivanova, Georgiev"),
    ),
    CountryStyle(
        "IE",
        1,
        "Irish",
        _t("Cork, Galway, Limerick, Shannon"),
        _t("Shannonside, Liffey, Connacht, Wicklow, Burren"),
        _t("Ltd, DAC"),
        "ie",
        "+353",
        _t("Aoife, Cian, Niamh, Eoin"),
        _t("Byrne, Gallagher, Doyle, Keane"),
    ),
    CountryStyle(
        "TR",
        2,
        "Turkish",
        _t("Ankara, Kırıkkale, Eskişehir, Izmir, Bursa"),
        _t("Toros, Kapadokya, Uludağ, Fırat, Kaçkar, Erciyes"),
        _t("A.Ş."),
        "com.tr",
        "+90",
        _t("Elif, Burak, Zeynep, Emre"),
        _t("Yılmaz, Aydın, Öztürk, Kaya"),
    ),
)

UA_CITIES: tuple[str, ...] = _t(
    "Kharkiv, Dnipro, Lviv, Zaporizhzhia, Kyiv, Odesa, Mykolaiv, Poltava, Vinnytsia, Chernihiv, "
    "Sumy, Zhytomyr, Kryvyi Rih, Ivano-Frankivsk, Ternopil, Rivne, Lutsk, Uzhhorod, Cherkasy, "
    "Khmelnytskyi, Kropyvnytskyi, Kremenchuk, Bila Tserkva, Kamianske, Chernivtsi, Brovary"
)
UA_ROOTS: tuple[str, ...] = _t(
    "Berehynia, Horyzont, Chaika, Yavir, Perun, Karpaty, Polissia, Tavria, Steppe Falcon, Vatra, "
    "Veles, Oberih, Hart, Kobza, Verkhovyna, Svitanok, Kalyna, Dzvin, Obrii, Lelek, Kazhan, "
    "Shuliak, Sych, Boryviter, Yastrub, Krylo, Mavka, Svaroh, Dazhboh, Lisovyk, Slavutych, "
    "Podillia, Zbruch, Hoverla, Desna, Inhul, Sivash, Prut, Ros, Vorskla, Bereza, Zhuravel, "
    "Ternovyi, Khortytsia, Nebokray, Pivden, Kamenyar, Sokyra, Bulava, Kremin, Zahrava, Lun"
)
UA_SUFFIXES: tuple[str, ...] = _t("LLC, LLC, LLC, PJSC, JSC, Private Enterprise")
UA_FIRST_NAMES: tuple[str, ...] = _t(
    "Oksana, Andrii, Iryna, Dmytro, Olena, Taras, Yuliia, Serhii, Nataliia, Bohdan, Kateryna, "
    "Oleksandr, Halyna, Volodymyr, Mariia, Yaroslav, Viktoriia, Mykola"
)
UA_LAST_NAMES: tuple[str, ...] = _t(
    "Kovalenko, Melnyk, Bondarenko, Tkachenko, Shevchuk, Kravchenko, Lysenko, Hnatiuk, Savchuk, "
    "Marchenko, Tymoshchuk, Ostapenko, Danylyshyn, Zinchenko, Pavliuk, Rudenko, Kushnir, Yatsenko"
)
UA_PHONE = "+380"
UA_TLD = "com.ua"

# Words of real defence firms (lower case): no generated name may contain one as a whole word.
REAL_NAME_FRAGMENTS: tuple[str, ...] = (
    "rheinmetall",
    "hensoldt",
    "diehl",
    "thales",
    "saab",
    "nammo",
    "patria",
    "kongsberg",
    "knds",
    "mbda",
    "leonardo",
    "milrem",
    "baykar",
    "helsing",
    "quantum systems",
    "tekever",
    "skyeton",
    "ukroboronprom",
    "antonov",
    "motor sich",
    "fire point",
    "athlon",
    "airbus",
    "safran",
    "naval group",
    "bae",
    "babcock",
    "qinetiq",
    "chemring",
    "colt",
    "ceska",
    "excalibur",
    "msm",
    "pgz",
    "wb electronics",
    "fincantieri",
    "indra",
    "navantia",
    "rafael",
    "elbit",
    "aselsan",
    "roketsan",
    "zorya",
    "artem",
    "luch",
    "ukrspecexport",
    "progress",
    "ivchenko",
    "morozov",
    "malyshev",
    "tatra",
    "dacia",
    "orlen",
    "hanwha",
    "lockheed",
    "raytheon",
    "northrop",
    "general dynamics",
    "textron",
    "ruag",
    "arquus",
    "nexter",
    "krauss",
    "iveco",
    "renk",
    "mesko",
    "bumar",
    "sokol",
    "orlan",
    "berkut",
)

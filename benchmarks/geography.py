"""Countries, cities, legal forms and name parts for the synthetic registry (pure data).

Weights are relative shares of the European firms, roughly following where
Europe's defence industry sits. Every firm name built from these parts is fictional.
"""

from __future__ import annotations

# country: (weight, legal forms, cities)
EU_COUNTRIES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    "DE": (20, ("GmbH", "AG"), ("Munich", "Kiel", "Bremen", "Ulm", "Kassel", "Dresden")),
    "FR": (16, ("SAS", "SA"), ("Bourges", "Toulouse", "Brest", "Tarbes", "Grenoble")),
    "PL": (14, ("Sp. z o.o.", "S.A."), ("Rzeszów", "Kraków", "Gliwice", "Stalowa Wola")),
    "IT": (10, ("S.p.A.", "S.r.l."), ("Turin", "La Spezia", "Rome", "Brescia", "Genoa")),
    "GB": (10, ("Ltd", "plc"), ("Bristol", "Glasgow", "Preston", "Portsmouth", "Leeds")),
    "ES": (6, ("S.L.", "S.A."), ("Seville", "Zaragoza", "Madrid", "Oviedo")),
    "SE": (5, ("AB",), ("Karlskoga", "Linköping", "Örnsköldsvik", "Gothenburg")),
    "NL": (4, ("B.V.",), ("Hengelo", "Delft", "Eindhoven", "Den Helder")),
    "CZ": (4, ("s.r.o.", "a.s."), ("Brno", "Přelouč", "Vlašim", "Ostrava")),
    "FI": (3, ("Oy",), ("Tampere", "Lapua", "Jyväskylä")),
    "NO": (3, ("AS",), ("Kongsberg", "Raufoss", "Trondheim")),
    "DK": (3, ("A/S", "ApS"), ("Aarhus", "Odense", "Copenhagen")),
    "RO": (3, ("S.R.L.", "S.A."), ("Brașov", "Cugir", "Bucharest")),
    "LT": (2, ("UAB",), ("Vilnius", "Kaunas", "Klaipėda")),
    "EE": (2, ("OÜ", "AS"), ("Tallinn", "Tartu")),
    "LV": (2, ("SIA",), ("Riga", "Daugavpils")),
    "BE": (2, ("SA", "NV"), ("Liège", "Herstal", "Antwerp")),
    "AT": (2, ("GmbH",), ("Vienna", "Linz", "Graz")),
    "SK": (2, ("s.r.o.", "a.s."), ("Trenčín", "Dubnica", "Žilina")),
    "PT": (1, ("Lda.", "S.A."), ("Porto", "Lisbon")),
    "GR": (1, ("S.A.",), ("Athens", "Thessaloniki")),
    "BG": (1, ("OOD", "AD"), ("Kazanlak", "Sofia")),
    "HR": (1, ("d.o.o.",), ("Zagreb", "Karlovac")),
    "SI": (1, ("d.o.o.",), ("Ljubljana", "Maribor")),
    "TR": (1, ("A.Ş.",), ("Ankara", "Kırıkkale")),
    "IE": (1, ("Ltd",), ("Cork", "Dublin")),
}

UA_LEGAL_FORMS = ("TOV", "PrJSC", "LLC", "JSC")
UA_CITIES = (
    "Kyiv",
    "Kharkiv",
    "Lviv",
    "Dnipro",
    "Zaporizhzhia",
    "Odesa",
    "Vinnytsia",
    "Mykolaiv",
    "Zhytomyr",
    "Ivano-Frankivsk",
    "Chernihiv",
    "Poltava",
)

NAME_HEADS = (
    "Vel", "Kor", "Bran", "Stel", "Ar", "Nor", "Tav", "Lum", "Dra", "Sev", "Ost", "Mar",
    "Kal", "Ver", "Hal", "Zor", "Pol", "Rav", "Sol", "Tor", "Bel", "Gar", "Lin", "Fal",
)
NAME_TAILS = (
    "ion", "ara", "tek", "ven", "dor", "mira", "lon", "ax", "ena", "grad", "vik", "stra",
    "ium", "ora", "ant", "eth", "ys", "ova", "mar", "ide",
)
SECTOR_WORDS = (
    "Systems", "Defence", "Dynamics", "Industries", "Technologies", "Engineering",
    "Aero", "Robotics", "Works", "Labs", "Munitions", "Electronics",
)

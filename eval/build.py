"""Merge eval/sources/*.json into the real evaluation set in eval/real/ (no network).

    .venv/bin/python eval/build.py           # write eval/real/{firms,firms_uk,pairs}.json
    .venv/bin/python eval/build.py --check   # fail if the committed files differ

One profile per real firm (duplicates across source files reconciled by
eval/sources/reconcile.json), one pair per firm pair with every deal and source
listed in it. Every profile is loaded by the project's own CompanySchema, the way
the import endpoint loads a row, and no firm's text may name its partner. Output is
deterministic: sorted, stable JSON, so a re-run on the same sources changes nothing.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

from marshmallow import ValidationError

from matchmaker.schemas import CompanySchema

HERE = Path(__file__).resolve().parent
SOURCES_DIR = HERE / "sources"
OUT_DIR = HERE / "real"
SOURCE_FILES = ("drones_ew", "heavy", "extra")
META_FIELDS = ("legal_id_is_placeholder", "state_holding", "facts_sources", "sources", "uk")
TEXT_FIELDS = ("description", "offers", "seeks")
PROFILE_FIELDS = (
    "name",
    "country",
    "legal_id",
    "size",
    "website",
    "description",
    "offers",
    "seeks",
    "capabilities",
    "seeking_capabilities",
)
# Words of a firm's name that say nothing about which firm it is.
LEGAL_FORMS = frozenset(
    """gmbh ag sa s.a. sas llc ltd plc oy oyj a/s as ab a.s. s.r.o. spol s r.o. d.o.o. s.l.
    s.p. jsc pjsc prjsc se sia co kg & co. inc nvo""".split()  # noqa: SIM905
)
GENERIC_WORDS = frozenset(
    """ukrainian czech polska group defence defense state digital global systems industries
    international european technologies robotics aerospace development scientific army
    special trading engineering mechanical vision industry zakłady mechaniczne""".split()  # noqa: SIM905
)
# Ukrainian national transliteration (2010), enough to catch a Latin name in Cyrillic.
_TRANSLIT = {
    letter: latin.strip("_")  # "_": the letter is dropped (soft sign, apostrophes)
    for letter, latin in zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяʼ'’",
        """a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia _ _
        _""".split(),  # noqa: SIM905
        strict=True,
    )
}


class BuildError(ValueError):
    """The sources cannot be merged into a valid evaluation set."""


def key_of(ref: dict[str, Any]) -> tuple[str, str]:
    return str(ref["country"]).upper(), str(ref["legal_id"]).strip()


def build(sources_dir: Path = SOURCES_DIR) -> dict[str, list[dict[str, Any]]]:
    """The three output documents, keyed by file name, from the sources alone."""
    reconcile = json.loads((sources_dir / "reconcile.json").read_text(encoding="utf-8"))
    aliases = {key_of(a["from"]): key_of(a["to"]) for a in reconcile["aliases"]}
    firms: dict[tuple[str, str], dict[str, Any]] = {}
    deals: dict[tuple[tuple[str, str], tuple[str, str]], list[dict[str, Any]]] = {}
    conflicts: set[tuple[str, str]] = set()
    for source in SOURCE_FILES:
        data = json.loads((sources_dir / f"{source}.json").read_text(encoding="utf-8"))
        for raw in data["firms"]:
            key = aliases.get(key_of(raw), key_of(raw))
            firm = _firm(raw, key, source)
            if key in firms:
                if _profile(firms[key]) != _profile(firm):
                    conflicts.add(key)
                firms[key] = _merge_duplicate(firms[key], firm)
            else:
                firms[key] = firm
        for raw_pair in data["pairs"]:
            eu = aliases.get(key_of(raw_pair["eu"]), key_of(raw_pair["eu"]))
            ua = aliases.get(key_of(raw_pair["ua"]), key_of(raw_pair["ua"]))
            deal = {k: raw_pair[k] for k in ("kind", "year", "summary", "source")}
            deals.setdefault((eu, ua), []).append({**deal, "found_in": f"{source}.json"})
    unreconciled = conflicts - {key_of(entry["key"]) for entry in reconcile["profiles"]}
    if unreconciled:
        raise BuildError(f"Firms profiled differently in two files: {sorted(unreconciled)}.")
    for entry in reconcile["profiles"]:
        firm = firms[key_of(entry["key"])]
        firm.update(copy.deepcopy(entry.get("set", {})))
        if "set_uk" in entry:
            firm["uk"].update(entry["set_uk"])
    ordered = sorted(firms.values(), key=lambda f: (f["country"] == "UA", f["country"], f["name"]))
    pairs = [_pair(firms, eu, ua, found) for (eu, ua), found in deals.items()]
    pairs.sort(key=lambda p: (p["eu"]["name"], p["ua"]["name"]))
    problems = validate(ordered, pairs)
    if problems:
        raise BuildError("The evaluation set is not valid:\n- " + "\n- ".join(problems))
    return {
        "firms.json": ordered,
        "firms_uk.json": [ukrainian_variant(f) for f in ordered],
        "pairs.json": pairs,
    }


def _firm(raw: dict[str, Any], key: tuple[str, str], source: str) -> dict[str, Any]:
    firm: dict[str, Any] = {name: raw[name] for name in PROFILE_FIELDS if name in raw}
    firm["country"], firm["legal_id"] = key
    for name in ("capabilities", "seeking_capabilities"):
        firm[name] = sorted(set(firm.get(name, [])))
    firm["legal_id_is_placeholder"] = bool(raw.get("legal_id_is_placeholder"))
    firm["state_holding"] = bool(raw.get("state_holding"))
    firm["facts_sources"] = [raw["facts_source"]] if raw.get("facts_source") else []
    firm["sources"] = [f"{source}.json"]
    if key[0] == "UA":
        if not isinstance(raw.get("uk"), dict):
            raise BuildError(f"{raw['name']} ({source}.json) has no Ukrainian texts ('uk').")
        firm["uk"] = {name: raw["uk"].get(name, "") for name in TEXT_FIELDS}
    return firm


def _profile(firm: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in firm.items() if k in PROFILE_FIELDS[3:] or k == "uk"}


def _merge_duplicate(first: dict[str, Any], again: dict[str, Any]) -> dict[str, Any]:
    """Same firm in two files: keep the first profile, join the provenance. Profiles
    that differ must be reconciled by hand in reconcile.json (checked in `build`)."""
    merged = dict(first)
    merged["facts_sources"] = sorted(set(first["facts_sources"]) | set(again["facts_sources"]))
    merged["sources"] = sorted(set(first["sources"]) | set(again["sources"]))
    merged["state_holding"] = first["state_holding"] or again["state_holding"]
    merged.setdefault("website", again.get("website"))
    if merged.get("website") is None:
        merged.pop("website", None)
    return merged


def _pair(
    firms: dict[tuple[str, str], dict[str, Any]],
    eu: tuple[str, str],
    ua: tuple[str, str],
    found: list[dict[str, Any]],
) -> dict[str, Any]:
    for key in (eu, ua):
        if key not in firms:
            raise BuildError(f"A pair names {key}, which no source file profiles.")
    unique = {(d["kind"], d["year"], d["source"]): d for d in found}
    return {
        "eu": {"country": eu[0], "legal_id": eu[1], "name": firms[eu]["name"]},
        "ua": {"country": ua[0], "legal_id": ua[1], "name": firms[ua]["name"]},
        "state_holding": firms[eu]["state_holding"] or firms[ua]["state_holding"],
        "deals": [unique[k] for k in sorted(unique, key=lambda k: (k[1], k[0], k[2]))],
    }


def ukrainian_variant(firm: dict[str, Any]) -> dict[str, Any]:
    """The same profile with a Ukrainian firm's texts in Ukrainian (and no `uk` field)."""
    variant = {k: v for k, v in firm.items() if k != "uk"}
    if "uk" in firm:
        variant.update(firm["uk"])
    return variant


def import_row(firm: dict[str, Any]) -> dict[str, Any]:
    """A profile as the import endpoint receives it: no meta fields, status approved."""
    row = {k: v for k, v in firm.items() if k not in META_FIELDS}
    row["status"] = "approved"
    return row


def validate(firms: list[dict[str, Any]], pairs: list[dict[str, Any]]) -> list[str]:
    """Every profile loads through CompanySchema (both languages); ids are unique; every
    pair is cross-side and names firms of the set; no firm's text names its partner."""
    problems: list[str] = []
    schema = CompanySchema()
    seen: set[tuple[str, str]] = set()
    for firm in firms:
        key = key_of(firm)
        if key in seen:
            problems.append(f"{firm['name']}: legal id {key} is used twice.")
        seen.add(key)
        for variant in (firm, ukrainian_variant(firm)):
            try:
                loaded = schema.load(import_row(variant))
            except ValidationError as error:
                problems.append(f"{firm['name']}: {error.messages}")
                continue
            if (loaded["country"], loaded["legal_id"]) != key:
                problems.append(f"{firm['name']}: legal id is not in normalised form.")
        if (firm["country"] == "UA") != ("uk" in firm):
            problems.append(f"{firm['name']}: Ukrainian texts belong to Ukrainian firms only.")
    names = _duplicate_names(firms)
    problems += [f"Two profiles look like one firm: {a!r} and {b!r}." for a, b in names]
    by_key = {key_of(f): f for f in firms}
    for pair in pairs:
        eu, ua = by_key.get(key_of(pair["eu"])), by_key.get(key_of(pair["ua"]))
        if eu is None or ua is None:
            problems.append(f"Pair {pair['eu']} / {pair['ua']} names a firm not in the set.")
            continue
        if eu["country"] == "UA" or ua["country"] != "UA":
            problems.append(f"Pair {eu['name']} / {ua['name']} is not EU/NATO-Europe <-> UA.")
        for deal in pair["deals"]:
            if not str(deal["source"]).startswith(("http://", "https://")):
                problems.append(f"Pair {eu['name']} / {ua['name']}: a deal has no source URL.")
            if not 2022 <= int(deal["year"]) <= 2026:
                problems.append(f"Pair {eu['name']} / {ua['name']}: year {deal['year']}.")
        for firm, partner in ((eu, ua), (ua, eu)):
            if named := names_partner(firm, partner):
                problems.append(f"{firm['name']}'s text names its partner ({named!r}).")
    return problems


def names_partner(firm: dict[str, Any], partner: dict[str, Any]) -> str | None:
    """The variant of the partner's name found in the firm's texts, if any."""
    texts = [firm.get(name, "") for name in TEXT_FIELDS]
    texts += [firm.get("uk", {}).get(name, "") for name in TEXT_FIELDS]
    haystack = " ".join(texts).lower()
    haystack += " " + "".join(_TRANSLIT.get(c, c) for c in haystack)
    for variant in name_variants(partner["name"]):
        # Long names may carry an inflection ("Укроборонпромом" -> "ukroboronpromom").
        tail = r"\w{0,3}" if len(variant) >= 6 else ""
        if re.search(rf"(?<!\w){re.escape(variant)}{tail}(?!\w)", haystack):
            return variant
    return None


def name_variants(name: str) -> list[str]:
    """How a text could name the firm: its name without legal form, each bracketed alias,
    and its first distinctive word."""
    parts = [re.sub(r"\(.*?\)", " ", name), *re.findall(r"\((.*?)\)", name)]
    variants: list[str] = []
    for part in parts:
        words = [w for w in re.findall(r"[\w&/.'-]+", part.lower()) if w not in LEGAL_FORMS]
        words = [w.strip(".,") for w in words if w.strip(".,")]
        if words and len(" ".join(words)) >= 4:
            variants.append(" ".join(words))
        distinctive = [w for w in words if w not in GENERIC_WORDS and len(w) >= 4]
        if distinctive:
            variants.append(distinctive[0])
    return sorted(set(variants), key=lambda v: (-len(v), v))


def _duplicate_names(firms: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of profiles whose names reduce to the same words (e.g. 'Thales SA' and
    'Thales S.A.'): one real firm must have one profile."""
    seen: dict[str, str] = {}
    found = []
    for firm in firms:
        core = name_variants(firm["name"])[0] if name_variants(firm["name"]) else firm["name"]
        core = re.sub(r"[^\w]", "", core)
        if core in seen:
            found.append((seen[core], firm["name"]))
        seen[core] = firm["name"]
    return found


def pair_table(pairs: list[dict[str, Any]]) -> str:
    """Every pair with its deals and sources, as a Markdown table (for eval/README.md)."""
    lines = [
        "| # | European firm | Ukrainian firm | deals | sources |",
        "|---|---|---|---|---|",
    ]
    for number, pair in enumerate(pairs, start=1):
        deals = "; ".join(f"{d['kind']} {d['year']}" for d in pair["deals"])
        sources = " ".join(f"[{n}]({d['source']})" for n, d in enumerate(pair["deals"], 1))
        holding = " (state holding)" if pair["state_holding"] else ""
        lines.append(
            f"| {number} | {pair['eu']['name']} ({pair['eu']['country']}) | "
            f"{pair['ua']['name']}{holding} | {deals} | {sources} |"
        )
    return "\n".join(lines)


def dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--table", action="store_true", help="print the pairs as Markdown")
    args = parser.parse_args(argv)
    try:
        documents = build()
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    if args.table:
        print(pair_table(documents["pairs.json"]))
        return 0
    stale = []
    for name, document in documents.items():
        path = OUT_DIR / name
        text = dumps(document)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"Out of date: {', '.join(stale)}; run `python eval/build.py`.", file=sys.stderr)
        return 1
    firms, pairs = documents["firms.json"], documents["pairs.json"]
    paired = {key_of(p[side]) for p in pairs for side in ("eu", "ua")}
    print(
        f"{len(pairs)} pairs ({sum(p['state_holding'] for p in pairs)} with the state holding), "
        f"{len(firms)} firms ({len(firms) - len(paired)} distractors), "
        f"{sum(len(p['deals']) for p in pairs)} deals"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

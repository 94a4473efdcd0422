"""Persist a matcher's state (indexes, fact tables, profiles, parked vectors) as one
atomic, memory-mappable file.

One file, not one per index, so a reader can never load the EU indexes of one
generation with the UA indexes of another. The database stays the source of
truth: a service that loads a snapshot then applies the changes made since its
`generation`, once the snapshot's provenance (database id and row stamps, see
`provenance`) shows it was made from this database's history.

Columnar (format 3, `columnar`): every side's ids, vectors, fact-table columns (with
their double-precision copies) and term counts are raw arrays; profiles are one
blob of JSON records with offsets, decoded one at a time on access (`LazyProfiles`).
Loading maps the file and parses nothing per firm: no profile JSON, no facts
recomputed, no text tokenised. The mapped columns are shared by every process that
maps the file and copied by a table on its first change. Older formats (the
`matcher.npz` of format 2) are refused, so the service rebuilds and rewrites them.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from matchmaker.domain.codes import CODE_VOCABULARIES
from matchmaker.domain.columnar import read_columns, write_columns_atomic
from matchmaker.domain.components.lexical import (
    TERMS,
    postings_of,
    vocabulary_ids,
    vocabulary_terms,
)
from matchmaker.domain.errors import IndexFileError, ModelMismatchError
from matchmaker.domain.id_rows import GONE, IdRows
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.lexical import tokeniser_fingerprint
from matchmaker.domain.npzfile import REBUILD_HINT
from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance
from matchmaker.domain.provenance import RowStamps
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import SideIndexes
from matchmaker.domain.side_table import SideTable
from matchmaker.domain.term_postings import SAVED as SAVED_TERMS
from matchmaker.domain.term_postings import TermPostings

MATCHER_FILE = "matcher.snap"
LEGACY_FILES = ("matcher.npz",)  # older formats: refused, rebuilt, then removed
# 7: columnar, memory-mapped, each side's term counts and postings read in place, with
# the code bits its masks are written in, terms from the bilingual tokeniser (Ukrainian
# words the glossary knows stored as English terms) and the fingerprint of that tokeniser
# and glossary (a snapshot without it or under another one is refused: its terms were
# cut by other rules). 6 (terms without the glossary),
# 5 (no code bits: masks written in a bit order that changed with each process's string
# hashing, so readers scored capability on the wrong codes), 4 and 3 (term counts as
# per-row objects) and 2 (npz, JSON profiles) are refused and rebuilt.
SNAPSHOT_FORMAT = 7


@dataclass
class Snapshot:
    generation: int
    index_kind: str
    hnsw: HnswParams
    sides: dict[str, SideIndexes]
    profiles: MutableMapping[int, CompanyProfile]
    parked: dict[int, tuple[np.ndarray, np.ndarray]]
    database_id: str = ""
    stamps: RowStamps = field(default_factory=RowStamps)


class LazyProfiles(MutableMapping[int, CompanyProfile]):
    """Company id -> profile over a snapshot's JSON records, each decoded when read
    (never all at load); changes go to an overlay, the records stay as saved."""

    def __init__(self, ids: np.ndarray, offsets: np.ndarray, blob: np.ndarray) -> None:
        self._ids, self._row = ids, IdRows(ids)
        self._offsets, self._blob = offsets, blob
        self._overlay: dict[int, CompanyProfile] = {}
        self._hidden: set[int] = set()  # saved records removed or replaced

    def record(self, company_id: int) -> bytes | None:
        """The saved JSON record of a firm not changed since, else None."""
        row = self._row.get(company_id)
        if row is None or company_id in self._hidden:
            return None
        return self._blob[int(self._offsets[row]) : int(self._offsets[row + 1])].tobytes()

    def __getitem__(self, company_id: int) -> CompanyProfile:
        found = self._overlay.get(company_id)
        if found is not None:
            return found
        raw = self.record(company_id)
        if raw is None:
            raise KeyError(company_id)
        return profile_from_dict(json.loads(raw))

    def __setitem__(self, company_id: int, profile: CompanyProfile) -> None:
        if company_id in self._row:
            self._hidden.add(company_id)
        self._overlay[company_id] = profile

    def __delitem__(self, company_id: int) -> None:
        if company_id in self._overlay:
            del self._overlay[company_id]
        elif company_id in self._row and company_id not in self._hidden:
            self._hidden.add(company_id)
        else:
            raise KeyError(company_id)

    def __contains__(self, company_id: object) -> bool:
        return company_id in self._overlay or (
            company_id in self._row and company_id not in self._hidden
        )

    def holds_all(self, ids: np.ndarray) -> bool:
        """Whether every one of `ids` is held (at once: a load checks every row)."""
        found = self._row.rows(ids) != GONE
        if self._hidden:
            found &= ~np.isin(ids, np.fromiter(self._hidden, np.int64, len(self._hidden)))
        return all(i in self._overlay for i in np.asarray(ids)[~found].tolist())

    def __iter__(self) -> Iterator[int]:
        yield from (i for i in self._ids.tolist() if i not in self._hidden)
        yield from list(self._overlay)

    def __len__(self) -> int:
        return len(self._row) - len(self._hidden) + len(self._overlay)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while creating 100k+ small objects: collections triggered
    by those allocations rescan the whole heap and made a 100k load ~3x slower."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_snapshot(
    directory: str | os.PathLike[str], snapshot: Snapshot, model_name: str, dimension: int
) -> Path:
    """Write `directory/matcher.snap` atomically and return its path."""
    with _gc_paused():
        path = Path(directory) / MATCHER_FILE
        meta, arrays = _to_arrays(snapshot, model_name, dimension)
        write_columns_atomic(path, meta, arrays)
        for legacy in LEGACY_FILES:  # the new file replaces it; never read again
            (Path(directory) / legacy).unlink(missing_ok=True)
        return path


def read_snapshot(
    directory: str | os.PathLike[str], model_name: str, dimension: int, config: ScoringConfig
) -> Snapshot:
    """Map `directory/matcher.snap`, refusing a snapshot made by another model, a torn
    or inconsistent one, and one of an older format."""
    path = Path(directory) / MATCHER_FILE
    if not path.exists():
        for legacy in LEGACY_FILES:
            if (Path(directory) / legacy).exists():
                raise IndexFileError(
                    f"{Path(directory) / legacy} has an older snapshot format; {REBUILD_HINT}."
                )
        raise IndexFileError(f"No saved matcher at {path}; {REBUILD_HINT}.")
    meta, arrays = read_columns(path)
    with _gc_paused():
        try:
            return _from_arrays(path, meta, arrays, model_name, dimension, config)
        except ModelMismatchError:  # a sound file of another model: say that, not "inconsistent"
            raise
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            raise IndexFileError(f"{path} is inconsistent ({exc}); {REBUILD_HINT}.") from exc


def snapshot_exists(directory: str | os.PathLike[str]) -> bool:
    """Whether a snapshot of any format (current or refused older one) is there."""
    return any((Path(directory) / name).exists() for name in (MATCHER_FILE, *LEGACY_FILES))


def remove_snapshot(directory: str | os.PathLike[str]) -> None:
    for name in (MATCHER_FILE, *LEGACY_FILES):
        (Path(directory) / name).unlink(missing_ok=True)


def _to_arrays(
    snapshot: Snapshot, model_name: str, dimension: int
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    ids, offsets, blob = _profile_records(snapshot.profiles)
    parked_ids = sorted(snapshot.parked)
    arrays: dict[str, np.ndarray] = {
        "profiles.ids": ids,
        "profiles.offsets": offsets,
        "profiles.blob": blob,
        "parked.ids": np.asarray(parked_ids, dtype=np.int64),
        "parked.vectors": np.stack([np.stack(snapshot.parked[i]) for i in parked_ids])
        if parked_ids
        else np.empty((0, 2, dimension), dtype=np.float32),
        "stamps.ids": np.asarray(snapshot.stamps.ids, dtype=np.int64),
        "stamps.values": np.asarray(snapshot.stamps.values, dtype=np.int64),
    }
    countries: dict[str, list[str]] = {}
    terms: dict[str, dict[str, np.ndarray]] = {}
    for side, indexes in snapshot.sides.items():
        arrays |= indexes.offers.to_arrays(f"{side}.offers.")
        arrays |= indexes.seeks.to_arrays(f"{side}.seeks.")
        data, exact, countries[side] = indexes.table.export_columns()
        arrays |= {f"{side}.data.{name}": values for name, values in data.items()}
        arrays |= {f"{side}.exact.{name}": values for name, values in exact.items()}
        terms[side] = postings_of(indexes.table).export()
    # One vocabulary for the file, in this process's id order (see `vocabulary_ids`).
    used = np.unique(np.concatenate([t["ids"] for t in terms.values()] or [np.zeros(0, int)]))
    arrays["vocabulary"] = np.frombuffer(
        "\n".join(vocabulary_terms(used)).encode("utf-8"), dtype=np.uint8
    )
    for side, saved in terms.items():
        renumbered = {
            "ids": np.searchsorted(used, saved["ids"]).astype(np.int64),
            "ptr": _renumbered(saved["ptr"], used),
        }
        arrays |= {f"{side}.terms.{name}": values for name, values in (saved | renumbered).items()}
    meta = {
        "format": SNAPSHOT_FORMAT,
        "generation": snapshot.generation,
        "database_id": snapshot.database_id,
        "model_name": model_name,
        "dimension": dimension,
        "sides": sorted(snapshot.sides),
        "countries": countries,
        "vocabulary_size": len(used),
        "code_bits": {name: bits.codes() for name, bits in CODE_VOCABULARIES.items()},
        "tokeniser": tokeniser_fingerprint(),
    }
    return meta, arrays


def _renumbered(ptr: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Term postings' offsets by saved term id (the index into `used`, this process's
    ids in ascending order): a term outside `used` has no postings, so the postings of
    `used[j]` run from `ptr[used[j]]` to the start of `used[j + 1]`'s."""
    padded = np.concatenate(
        [ptr, np.full(max(int(used.max(initial=0)) + 2 - len(ptr), 0), ptr[-1])]
    )
    return np.concatenate([padded[used], padded[-1:]]).astype(np.int64)


def _saved_terms(
    path: Path, arrays: dict[str, np.ndarray], side: str, term_ids: np.ndarray
) -> dict[str, TermPostings]:
    """The side's saved term counts and postings, used in place (`term_ids`: this
    process's id of each saved word)."""
    saved = {name: arrays[f"{side}.terms.{name}"] for name in SAVED_TERMS}
    try:
        return {TERMS.name: TermPostings.from_saved(saved, term_ids)}
    except ValueError as error:
        raise IndexFileError(f"{path} has torn term counts ({error}); {REBUILD_HINT}.") from error


def _profile_records(
    profiles: Mapping[int, CompanyProfile],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, offsets, blob): profile i is blob[offsets[i]:offsets[i+1]], a JSON record;
    records of a lazily loaded snapshot are copied as they are, not decoded."""
    ids = list(profiles)
    lazy = profiles if isinstance(profiles, LazyProfiles) else None
    records = []
    for company_id in ids:
        raw = lazy.record(company_id) if lazy is not None else None
        if raw is None:
            raw = json.dumps(profile_to_dict(profiles[company_id])).encode("utf-8")
        records.append(raw)
    offsets = np.zeros(len(records) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in records], out=offsets[1:])
    blob = np.frombuffer(b"".join(records), dtype=np.uint8)
    return np.asarray(ids, dtype=np.int64), offsets, blob


def _vectors_from(
    arrays: dict[str, np.ndarray], prefix: str, model_name: str, dimension: int, source: Path
) -> VectorIndex:
    """A side's vector index from the mapped arrays. A flat index adopts the read-only
    map (`VectorRows.adopt`: copied on its first change), so workers that map the same
    file share its pages; an HNSW graph is deserialised into FAISS's own memory."""
    return VectorIndex.from_arrays(
        arrays, prefix, dimension=dimension, model_name=model_name, source=source
    )


def _from_arrays(
    path: Path,
    meta: dict[str, Any],
    arrays: dict[str, np.ndarray],
    model_name: str,
    dimension: int,
    config: ScoringConfig,
) -> Snapshot:
    if meta.get("format") != SNAPSHOT_FORMAT:
        raise IndexFileError(f"{path} has an unknown format; {REBUILD_HINT}.")
    if meta["model_name"] != model_name or meta["dimension"] != dimension:
        raise ModelMismatchError(
            f"{path} was built with {meta['model_name']} ({meta['dimension']} dimensions), "
            f"not the configured {model_name} ({dimension}); {REBUILD_HINT}."
        )
    if meta.get("tokeniser") != tokeniser_fingerprint():
        raise IndexFileError(
            f"{path} holds terms from another tokeniser or glossary than this process's; "
            f"{REBUILD_HINT}."
        )
    saved_bits = meta.get("code_bits")
    for name, bits in CODE_VOCABULARIES.items():
        if not isinstance(saved_bits, dict) or not bits.adopt(list(saved_bits.get(name, []))):
            raise IndexFileError(
                f"{path} encodes {name} codes in another bit order than this process; "
                f"{REBUILD_HINT}."
            )
    profiles = LazyProfiles(
        arrays["profiles.ids"], arrays["profiles.offsets"], arrays["profiles.blob"]
    )
    if len(arrays["profiles.offsets"]) != len(arrays["profiles.ids"]) + 1 or int(
        arrays["profiles.offsets"][-1]
    ) != len(arrays["profiles.blob"]):
        raise IndexFileError(f"{path} has torn profile records; {REBUILD_HINT}.")
    words = arrays["vocabulary"].tobytes().decode("utf-8")
    saved_terms = words.split("\n") if meta["vocabulary_size"] else []
    if len(saved_terms) != meta["vocabulary_size"]:
        raise IndexFileError(f"{path} has a torn vocabulary; {REBUILD_HINT}.")
    term_ids = vocabulary_ids(saved_terms)
    empty = SideTable(config)
    sides = {}
    for side in meta["sides"]:
        offers, seeks = (
            _vectors_from(arrays, f"{side}.{which}.", model_name, dimension, path)
            for which in ("offers", "seeks")
        )
        data = {name: arrays[f"{side}.data.{name}"] for name in empty.export_columns()[0]}
        exact = {name: arrays[f"{side}.exact.{name}"] for name in empty.export_columns()[1]}
        kept = _saved_terms(path, arrays, side, term_ids)
        table = SideTable.from_columns(config, data, exact, meta["countries"][side], kept)
        _check_side(path, offers, seeks, table, profiles)
        sides[side] = SideIndexes(offers, seeks, table)
    parked = {
        int(i): (v[0], v[1])
        for i, v in zip(arrays["parked.ids"].tolist(), arrays["parked.vectors"], strict=True)
    }
    if not profiles.holds_all(np.fromiter(parked, np.int64, len(parked))):
        raise IndexFileError(f"{path} holds vectors of unknown firms; {REBUILD_HINT}.")
    first = next(iter(sides.values()), None)
    kind = first.offers.kind if first else "flat"
    hnsw = first.offers.hnsw_params if first else HnswParams()
    stamps = RowStamps(arrays["stamps.ids"], arrays["stamps.values"])
    if stamps.ids.shape != stamps.values.shape:
        raise IndexFileError(f"{path} has torn row stamps; {REBUILD_HINT}.")
    generation, database_id = meta["generation"], str(meta.get("database_id", ""))
    return Snapshot(generation, kind, hnsw, sides, profiles, parked, database_id, stamps)


def _check_side(
    path: Path,
    offers: VectorIndex,
    seeks: VectorIndex,
    table: SideTable,
    profiles: LazyProfiles,
) -> None:
    """The table's rows are the indexes' firms (flat: in their storage order) and held."""
    ids = table.ids
    if offers.exact:
        aligned = np.array_equal(ids, offers.ids()) and np.array_equal(ids, seeks.ids())
    else:
        held = set(ids.tolist())
        aligned = held == set(offers.ids().tolist()) == set(seeks.ids().tolist())
    if not aligned or not profiles.holds_all(ids):
        raise IndexFileError(f"{path} holds vectors of unknown firms; {REBUILD_HINT}.")


def profile_to_dict(profile: CompanyProfile) -> dict[str, Any]:
    """A JSON-ready dict (sets as sorted lists, dates as ISO strings)."""
    c = profile.compliance
    return {
        "id": profile.id,
        "name": profile.name,
        "country": profile.country,
        "side": profile.side,
        "size": profile.size,
        "status": profile.status,
        "description": profile.description,
        "offers": profile.offers,
        "seeks": profile.seeks,
        "capabilities": sorted(profile.capabilities),
        "seeking_capabilities": sorted(profile.seeking_capabilities),
        "certifications": [
            [
                cert.scheme,
                cert.identifier,
                cert.issuer,
                cert.valid_until.isoformat() if cert.valid_until else None,
            ]
            for cert in profile.certifications
        ],
        "partner_certifications": sorted(profile.partner_certifications),
        "pathways": sorted(profile.pathways),
        "compliance": {
            "controlling_country": c.controlling_country,
            "sanctioned": c.sanctioned,
            "export_control": sorted(c.export_control),
            "itar_controlled": c.itar_controlled,
            "non_eligible_component_share": c.non_eligible_component_share,
            "security_clearance": c.security_clearance,
            "required_clearance": c.required_clearance,
        },
    }


def profile_from_dict(data: dict[str, Any]) -> CompanyProfile:
    """Inverse of `profile_to_dict`."""
    compliance = dict(data["compliance"])
    compliance["export_control"] = frozenset(compliance["export_control"])
    return CompanyProfile(
        id=data["id"],
        name=data["name"],
        country=data["country"],
        side=data["side"],
        size=data["size"],
        status=data["status"],
        description=data["description"],
        offers=data["offers"],
        seeks=data["seeks"],
        capabilities=frozenset(data["capabilities"]),
        seeking_capabilities=frozenset(data["seeking_capabilities"]),
        certifications=tuple(
            Certificate(scheme, identifier, issuer, date.fromisoformat(until) if until else None)
            for scheme, identifier, issuer, until in data["certifications"]
        ),
        partner_certifications=frozenset(data["partner_certifications"]),
        pathways=frozenset(data["pathways"]),
        compliance=Compliance(**compliance),
    )

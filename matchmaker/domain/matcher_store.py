"""Persist a matcher's state (indexes, profiles, parked vectors) as one atomic file.

One file, not one per index, so a reader can never load the EU indexes of one
generation with the UA indexes of another. The database stays the source of
truth: a service that loads a snapshot then applies the changes made since its
`generation`, once the snapshot's provenance (database id and row stamps, see
`provenance`) shows it was made from this database's history.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from matchmaker.domain.errors import IndexFileError, ModelMismatchError
from matchmaker.domain.index import VectorIndex
from matchmaker.domain.index_backends import HnswParams
from matchmaker.domain.npzfile import (
    REBUILD_HINT,
    from_json_array,
    json_array,
    read_npz,
    write_npz_atomic,
)
from matchmaker.domain.profile import Certificate, CompanyProfile, Compliance
from matchmaker.domain.provenance import RowStamps
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side import SideIndexes

MATCHER_FILE = "matcher.npz"
SNAPSHOT_FORMAT = 2  # 2: database id and row stamps; older files are refused and rebuilt


@dataclass
class Snapshot:
    generation: int
    index_kind: str
    hnsw: HnswParams
    sides: dict[str, SideIndexes]
    profiles: dict[int, CompanyProfile]
    parked: dict[int, tuple[np.ndarray, np.ndarray]]
    database_id: str = ""
    stamps: RowStamps = field(default_factory=RowStamps)


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
    """Write `directory/matcher.npz` atomically and return its path."""
    with _gc_paused():
        return _write(directory, snapshot, model_name, dimension)


def read_snapshot(
    directory: str | os.PathLike[str], model_name: str, dimension: int, config: ScoringConfig
) -> Snapshot:
    """Read `directory/matcher.npz`, refusing a snapshot made by another model."""
    with _gc_paused():
        return _read(directory, model_name, dimension, config)


def _write(
    directory: str | os.PathLike[str], snapshot: Snapshot, model_name: str, dimension: int
) -> Path:
    path = Path(directory) / MATCHER_FILE
    parked_ids = sorted(snapshot.parked)
    meta = {
        "format": SNAPSHOT_FORMAT,
        "generation": snapshot.generation,
        "database_id": snapshot.database_id,
        "model_name": model_name,
        "dimension": dimension,
        "sides": sorted(snapshot.sides),
    }
    arrays: dict[str, np.ndarray] = {
        "meta": json_array(meta),
        "profiles": json_array([profile_to_dict(p) for p in snapshot.profiles.values()]),
        "parked_ids": np.asarray(parked_ids, dtype=np.int64),
        "parked_vectors": np.stack([np.stack(snapshot.parked[i]) for i in parked_ids])
        if parked_ids
        else np.empty((0, 2, dimension), dtype=np.float32),
        "stamp_ids": snapshot.stamps.ids,
        "stamp_values": snapshot.stamps.values,
    }
    for side, indexes in snapshot.sides.items():
        arrays |= indexes.offers.to_arrays(f"{side}.offers.")
        arrays |= indexes.seeks.to_arrays(f"{side}.seeks.")
    write_npz_atomic(path, arrays)
    return path


def _read(
    directory: str | os.PathLike[str], model_name: str, dimension: int, config: ScoringConfig
) -> Snapshot:
    path = Path(directory) / MATCHER_FILE
    if not path.exists():
        raise IndexFileError(f"No saved matcher at {path}; {REBUILD_HINT}.")
    arrays = read_npz(path)
    meta = from_json_array(arrays, "meta", path)
    if meta.get("format") != SNAPSHOT_FORMAT:
        raise IndexFileError(f"{path} has an unknown format; {REBUILD_HINT}.")
    if meta["model_name"] != model_name or meta["dimension"] != dimension:
        raise ModelMismatchError(
            f"{path} was built with {meta['model_name']} ({meta['dimension']} dimensions), "
            f"not the configured {model_name} ({dimension}); {REBUILD_HINT}."
        )
    profiles = {p.id: p for p in map(profile_from_dict, from_json_array(arrays, "profiles", path))}
    sides = {}
    for side in meta["sides"]:
        offers, seeks = (
            VectorIndex.from_arrays(
                arrays, f"{side}.{which}.", dimension=dimension, model_name=model_name, source=path
            )
            for which in ("offers", "seeks")
        )
        ids = offers.ids().tolist()
        if not set(ids) <= profiles.keys() or set(ids) != set(seeks.ids().tolist()):
            raise IndexFileError(f"{path} holds vectors of unknown firms; {REBUILD_HINT}.")
        sides[side] = SideIndexes.from_indexes(offers, seeks, [profiles[i] for i in ids], config)
    parked = {
        int(i): (v[0], v[1])
        for i, v in zip(arrays["parked_ids"].tolist(), arrays["parked_vectors"], strict=True)
    }
    first = next(iter(sides.values()), None)
    kind = first.offers.kind if first else "flat"
    hnsw = first.offers.hnsw_params if first else HnswParams()
    try:
        stamps = RowStamps(
            arrays["stamp_ids"].astype(np.int64), arrays["stamp_values"].astype(np.int64)
        )
    except KeyError as exc:
        raise IndexFileError(f"{path} lacks its row stamps; {REBUILD_HINT}.") from exc
    if stamps.ids.shape != stamps.values.shape:
        raise IndexFileError(f"{path} has torn row stamps; {REBUILD_HINT}.")
    generation, database_id = meta["generation"], str(meta.get("database_id", ""))
    return Snapshot(generation, kind, hnsw, sides, profiles, parked, database_id, stamps)


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

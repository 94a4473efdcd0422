"""The columnar, memory-mapped snapshot: loads what was saved, bit for bit, without
parsing profiles or recomputing facts; refuses torn, corrupt and older files; changes
after a load work and leave the file as it was."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from matchmaker.domain.embedding import SentenceTransformerEmbedder
from matchmaker.domain.errors import IndexFileError
from matchmaker.domain.matcher import Matcher
from matchmaker.domain.matcher_store import MATCHER_FILE, LazyProfiles
from matchmaker.domain.side_table import SideTable
from tests.domain.conftest import SampleData
from tests.domain.factories import TODAY, make_profile


def _mixed(embedder: SentenceTransformerEmbedder, sample_data: SampleData) -> SampleData:
    """The sample registry plus a pending, a sanctioned and a no-text firm."""
    profiles, offers, seeks = sample_data
    extra = [
        make_profile(id=901, status="pending", description="pending drone maker"),
        make_profile(id=902, country="UA", sanctioned=True),
        make_profile(
            id=903, description="", offers="", seeks="", capabilities={"mro.vehicle_repair"}
        ),
    ]
    vectors = embedder.encode([p.description or "empty" for p in extra])
    return (
        [*profiles, *extra],
        np.vstack([offers, vectors]),
        np.vstack([seeks, vectors]),
    )


def _saved(
    embedder: SentenceTransformerEmbedder,
    data: SampleData,
    directory: Path,
    *,
    kind: str = "flat",
    generation: int = 1,
) -> Matcher:
    """A matcher bulk-loaded with `data` and saved to `directory`."""
    matcher = Matcher(embedder, index_kind=kind)
    matcher.bulk_load(*data)
    matcher.save(directory, generation=generation)
    return matcher


def _matches(matcher: Matcher, ids: list[int]) -> list[object]:
    out = []
    for company_id in ids:
        for s in matcher.match_company(company_id, today=TODAY):
            out.append((company_id, s.company.id, s.score, s.components, s.reasons, s.warnings))
    return out


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_round_trip_gives_the_same_matches_bit_for_bit(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path, kind: str
) -> None:
    profiles, offers, seeks = _mixed(embedder, sample_data)
    matcher = _saved(embedder, (profiles, offers, seeks), tmp_path, kind=kind, generation=7)
    loaded, generation = Matcher.load(tmp_path, embedder)
    assert generation == 7 and loaded.size == matcher.size
    assert isinstance(loaded._profiles, LazyProfiles)
    ids = [p.id for p in profiles]
    assert all(loaded.profile(i) == matcher.profile(i) for i in ids)
    assert _matches(loaded, ids) == _matches(matcher, ids)


def test_a_change_after_load_works_and_leaves_the_file(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    profiles, offers, seeks = _mixed(embedder, sample_data)
    matcher = _saved(embedder, (profiles, offers, seeks), tmp_path)
    before = (tmp_path / MATCHER_FILE).read_bytes()
    loaded, _ = Matcher.load(tmp_path, embedder)
    first = profiles[0]
    loaded.remove(first.id)
    matcher.remove(first.id)
    renamed = replace(profiles[1], name="Renamed")
    loaded.upsert(renamed, offers[1], seeks[1])
    matcher.upsert(renamed, offers[1], seeks[1])
    assert first.id not in loaded and loaded.profile(renamed.id).name == "Renamed"
    assert len(loaded._profiles) == len(matcher._profiles)
    ids = [p.id for p in profiles[1:]]
    assert _matches(loaded, ids) == _matches(matcher, ids)
    assert (tmp_path / MATCHER_FILE).read_bytes() == before
    loaded.save(tmp_path, generation=2)  # lazy records copied, overlay encoded
    again, _ = Matcher.load(tmp_path, embedder)
    assert _matches(again, ids) == _matches(matcher, ids)


def test_torn_corrupt_and_older_snapshots_are_refused(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    matcher = _saved(embedder, sample_data, tmp_path)
    path = tmp_path / MATCHER_FILE
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(IndexFileError, match="torn"):
        Matcher.load(tmp_path, embedder)
    path.write_bytes(b"garbage!" + whole[8:])
    with pytest.raises(IndexFileError, match="bad magic"):
        Matcher.load(tmp_path, embedder)
    path.unlink()
    (tmp_path / "matcher.npz").write_bytes(b"PK old format")
    with pytest.raises(IndexFileError, match="older snapshot format"):
        Matcher.load(tmp_path, embedder)
    matcher.save(tmp_path, generation=2)  # the new file replaces the old one
    assert not (tmp_path / "matcher.npz").exists()


def test_loaded_columns_are_copied_on_the_first_change(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    _saved(embedder, sample_data, tmp_path)
    loaded, _ = Matcher.load(tmp_path, embedder)
    table: SideTable = next(s.table for s in loaded._sides.values() if len(s.table))
    assert not table.ids.flags.writeable  # the file's pages, shared
    table.remove([int(table.ids[0])])
    assert table.ids.flags.writeable


def test_lazy_profiles_behave_like_a_dict() -> None:
    profiles = {i: make_profile(id=i, name=f"F{i}") for i in (1, 2, 3)}
    import json

    from matchmaker.domain.matcher_store import profile_to_dict

    records = [json.dumps(profile_to_dict(p)).encode() for p in profiles.values()]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in records])])
    lazy = LazyProfiles(
        np.array([1, 2, 3]), offsets, np.frombuffer(b"".join(records), dtype=np.uint8)
    )
    plain = dict(profiles)
    assert dict(lazy) == plain and len(lazy) == 3
    for mapping in (lazy, plain):
        mapping[2] = make_profile(id=2, name="New")
        mapping[4] = make_profile(id=4)
        del mapping[1]
        assert mapping.pop(3).name == "F3" and mapping.pop(3, None) is None
        assert mapping.get(1) is None and 1 not in mapping
    assert dict(lazy) == plain and len(lazy) == len(plain) == 2
    with pytest.raises(KeyError):
        del lazy[1]


def test_a_snapshot_of_another_model_is_refused_as_a_model_mismatch(
    embedder: SentenceTransformerEmbedder, sample_data: SampleData, tmp_path: Path
) -> None:
    """A sound file built by another model says so (not "inconsistent"), hint once."""
    from matchmaker.domain.embedding import make_embedder
    from matchmaker.domain.errors import ModelMismatchError

    _saved(embedder, _mixed(embedder, sample_data), tmp_path)
    other = make_embedder("e5")
    with pytest.raises(ModelMismatchError) as refused:
        Matcher.load(tmp_path, other)
    message = str(refused.value)
    assert embedder.model_name in message and other.model_name in message
    assert "inconsistent" not in message and message.count("flask index rebuild") == 1


def test_a_snapshot_cut_by_another_glossary_is_refused(
    embedder: SentenceTransformerEmbedder,
    sample_data: SampleData,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Saved term postings hold the terms the glossary gave when they were written; after
    a glossary edit the same texts give other terms, so the old snapshot is not read."""
    from matchmaker.domain import glossary, lexical

    _saved(embedder, sample_data, tmp_path)
    edited = tmp_path / "glossary_uk_en.tsv"
    edited.write_text(
        glossary.GLOSSARY_FILE.read_text(encoding="utf-8") + "катапульт*\tcatapult\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(glossary, "GLOSSARY_FILE", edited)
    lexical.tokeniser_fingerprint.cache_clear()
    try:
        with pytest.raises(IndexFileError, match="another tokeniser or glossary"):
            Matcher.load(tmp_path, embedder)
    finally:
        lexical.tokeniser_fingerprint.cache_clear()  # the next test reads the bundled file

"""`IdRows` (company id -> row without a dict entry per id) against a dict doing the same,
and the side table and saved profiles that find their rows with it."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaker.domain import id_rows
from matchmaker.domain.id_rows import GONE, IdRows
from matchmaker.domain.matcher_store import LazyProfiles
from matchmaker.domain.scoring_config import ScoringConfig
from matchmaker.domain.side_table import SideTable
from tests.domain.factories import make_profile


def _agrees(index: IdRows, oracle: dict[int, int], probe: np.ndarray) -> None:
    assert len(index) == len(oracle)
    for company_id in probe.tolist():
        assert index.get(company_id) == oracle.get(company_id)
        assert (company_id in index) == (company_id in oracle)
    expected = [oracle.get(i, GONE) for i in probe.tolist()]
    assert index.rows(probe).tolist() == expected


@pytest.mark.parametrize("rebase_min", [4, 1024])
def test_random_changes_agree_with_a_dict(rebase_min: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Appends, moves (swap-with-last) and removals, with the overlay folded into the
    base many times (rebase_min 4) or never (1024)."""
    monkeypatch.setattr(id_rows, "REBASE_MIN", rebase_min)
    rng = np.random.default_rng(7)
    start = rng.choice(10_000, size=300, replace=False)
    index, oracle = IdRows(start), {int(i): row for row, i in enumerate(start.tolist())}
    probe = rng.choice(10_000, size=400, replace=False)
    for step in range(600):
        choice = rng.random()
        if choice < 0.4:  # a new id at a new row
            company_id = int(rng.integers(10_000, 20_000))
            if company_id not in oracle:
                index[company_id] = oracle[company_id] = len(oracle)
        elif choice < 0.8 and oracle:  # remove one: the last row's id moves into its row
            company_id = int(rng.choice(list(oracle)))
            row, last = oracle.pop(company_id), len(oracle)
            del index[company_id]
            moved = next((i for i, r in oracle.items() if r == last), None)
            if moved is not None and row != last:
                index[moved] = oracle[moved] = row
        elif oracle:  # the same id written again at its row
            company_id = int(rng.choice(list(oracle)))
            index[company_id] = oracle[company_id]
        if step % 50 == 0:
            _agrees(index, oracle, np.concatenate([probe, np.array(list(oracle), np.int64)]))
    _agrees(index, oracle, np.concatenate([probe, np.array(list(oracle), np.int64)]))


def test_a_bulk_add_is_held_like_single_writes() -> None:
    index = IdRows(np.array([5, 3]))
    del index[5]
    index[9] = 0
    index.add(np.array([40, 41, 2]), np.array([1, 2, 3]))
    assert index.rows(np.array([2, 3, 5, 9, 40, 41, 77])).tolist() == [3, 1, GONE, 0, 1, 2, GONE]
    assert len(index) == 5


def test_ids_held_twice_are_refused() -> None:
    with pytest.raises(ValueError, match="same company id"):
        IdRows(np.array([1, 2, 1]))
    index = IdRows(np.array([1, 2]))
    with pytest.raises(ValueError, match="already held"):
        index.add(np.array([3, 2]), np.array([2, 3]))
    with pytest.raises(ValueError, match="same company id"):
        index.add(np.array([4, 4]), np.array([2, 3]))
    assert index.rows(np.array([1, 2, 3, 4])).tolist() == [0, 1, GONE, GONE]


def test_look_ups_take_numpy_ids_and_refuse_unknown_ones() -> None:
    index = IdRows(np.array([10, 20]))
    assert np.int64(20) in index and index[np.int64(20)] == 1
    assert "20" not in index and 30 not in index
    with pytest.raises(KeyError):
        index[30]
    with pytest.raises(KeyError):
        del index[30]
    assert IdRows().rows(np.array([1])).tolist() == [GONE]


def test_a_side_table_refuses_firms_it_holds_and_stays_as_it_was() -> None:
    """Appending a held firm (or one firm twice) is refused before anything is written."""
    table = SideTable(ScoringConfig())
    table.append([make_profile(id=1, name="One"), make_profile(id=2, name="Two")])
    before = (len(table), table.ids.tolist(), table.rows_of([1, 2]).tolist())
    for batch in ([3, 2], [4, 4]):
        with pytest.raises(ValueError, match="does not hold yet"):
            table.append([make_profile(id=i, name=f"Firm {i}") for i in batch])
        assert (len(table), table.ids.tolist(), table.rows_of([1, 2]).tolist()) == before
        assert table.rows_of([3, 4]).tolist() == []


def test_saved_profiles_answer_holds_all_as_membership_does() -> None:
    """`LazyProfiles.holds_all` (the load's check of every row at once) agrees with `in`
    after records are replaced, removed and added."""
    ids = np.array([7, 3, 9], dtype=np.int64)
    profiles = LazyProfiles(ids, np.zeros(4, dtype=np.int64), np.zeros(0, dtype=np.uint8))
    profiles[3] = make_profile(id=3, name="Three")  # replaced: hidden record, in the overlay
    del profiles[9]  # removed
    profiles[11] = make_profile(id=11, name="Eleven")  # added
    for asked in ([7], [3], [9], [11], [7, 3, 11], [7, 9], [12], []):
        expected = all(i in profiles for i in asked)
        assert profiles.holds_all(np.array(asked, dtype=np.int64)) == expected, asked
    assert sorted(profiles) == [3, 7, 11]

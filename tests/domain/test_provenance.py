"""Row stamps: which rows a snapshot saw differ from the database's now."""

from __future__ import annotations

from matchmaker.domain.provenance import RowStamps, row_stamp


def test_differing_names_changed_and_unseen_rows_only() -> None:
    """A row with another stamp, or one the snapshot never saw, differs; rows the
    snapshot saw but the database no longer lists (changed later) are not asked about."""
    seen = RowStamps.of([(3, row_stamp("3|approved")), (1, row_stamp("1|approved")), (7, 1)])
    now = RowStamps.of([(1, row_stamp("1|approved")), (3, row_stamp("3|archived")), (9, 5)])
    assert now.ids.tolist() == [1, 3, 9]
    assert seen.differing(now).tolist() == [3, 9]
    assert RowStamps().differing(now).tolist() == [1, 3, 9]
    assert seen.differing(RowStamps()).tolist() == []


def test_a_stamp_depends_on_every_fact() -> None:
    assert row_stamp("1|2|approved|0") != row_stamp("1|2|approved|1")
    assert row_stamp("1|2|approved|0") == row_stamp("1|2|approved|0")

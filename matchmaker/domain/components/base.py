"""What a score component is: its facts as named columns, one vectorised scorer, its words.

A component scores a candidate B for an asker A in [0, 1]. It declares the facts it
needs from every candidate as named `Column`s (the side table stores them, one row
per firm), encodes A once per request (`encode`), scores any set of rows at once
(`score`: the one formula, used both to rank every firm and, in double precision,
for the number shown), and words the result for one pair (`explain`: reasons and
warnings as data, never a score).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from matchmaker.domain.explanations import Explanation
from matchmaker.domain.profile import CompanyProfile

if TYPE_CHECKING:
    from matchmaker.domain.side_table import SideTable

FLOAT = np.float32  # ranking precision: half the memory traffic of float64, error ~1e-7


def N_(message: str) -> str:  # the name Babel's extractor knows by default
    """Mark a label for translation; the web, admin and API layers translate it."""
    return message


class RowIndex(Protocol):
    """What holds one column's cells in place of the side table (e.g. term postings),
    kept up to date with every change of the table's rows instead of being rebuilt from
    the whole column. Rows move as the table's do: a removal moves the last row into
    the gap."""

    def __len__(self) -> int: ...
    def append(self, cells: Sequence[Any]) -> None: ...
    def overwrite(self, row: int, new: Any) -> None: ...
    def remove(self, row: int, last: int) -> None: ...
    def ready(self) -> None:
        """Called before a read (e.g. to compact)."""
        ...


@dataclass(frozen=True)
class Column:
    """One fact of every candidate, stored column-wise; `name` is "component.fact".
    `index`: the column is held by a `RowIndex` of that type instead of the table."""

    name: str
    dtype: type
    doc: str = ""
    index: Callable[[], RowIndex] | None = None

    @property
    def is_float(self) -> bool:
        return np.issubdtype(self.dtype, np.floating)


class Rows:
    """The columns of the rows being scored (all rows of a table, or a chosen subset).

    Float columns come in the precision of the request: single to rank every firm,
    double for the scores shown.
    """

    def __init__(self, table: SideTable, rows: np.ndarray | None, dtype: type = FLOAT) -> None:
        self.table, self.rows, self.dtype = table, rows, dtype
        self.count = len(table) if rows is None else len(rows)
        self._gathered: dict[str, np.ndarray] = {}

    def __getitem__(self, column: Column) -> np.ndarray:
        values = self._gathered.get(column.name)
        if values is None:
            exact = column.is_float and self.dtype == np.float64
            values = self.pick(self.table.column(column.name, exact=exact))
            if column.is_float and values.dtype != self.dtype:
                values = values.astype(self.dtype)
            self._gathered[column.name] = values
        return values

    def pick(self, values: np.ndarray) -> np.ndarray:
        """`values` (one per table row) restricted to these rows."""
        return values if self.rows is None else values[self.rows]

    def cached(self, key: Hashable, compute: Callable[[SideTable], Any]) -> Any:
        """A value derived from the whole table (e.g. per-day certificate validity),
        computed once per table change and key instead of once per request."""
        return self.table.derived(key, compute)

    def full(self, value: float) -> np.ndarray:
        return np.full(self.count, value, dtype=self.dtype)

    def zeros(self) -> np.ndarray:
        return np.zeros(self.count, dtype=self.dtype)


@dataclass(frozen=True)
class ScoreInputs:
    """What a request brings besides A: the day, the direction and the raw cosines.

    `seek_offer[i]` = cos(A.seek, B_i.offer), `offer_seek[i]` = cos(B_i.seek, A.offer) and
    `offer_offer[i]` = cos(A.offer, B_i.offer) (whole profiles: the offer text carries the
    description), aligned with the rows; None when A has no such text.
    `one_way`: A is an ad-hoc request that offers nothing, so only A's needs count.
    """

    day: date
    seek_offer: np.ndarray | None = None
    offer_seek: np.ndarray | None = None
    one_way: bool = False
    offer_offer: np.ndarray | None = None

    def at(
        self, row: int, table: SideTable | None = None, table_row: int | None = None
    ) -> PairInputs:
        """The inputs of one row (`table`: the table it belongs to, for the words, and
        `table_row` the row there, for its stored facts)."""
        return PairInputs(
            self.day,
            _item(self.seek_offer, row),
            _item(self.offer_seek, row),
            self.one_way,
            _item(self.offer_offer, row),
            table=table,
            table_row=table_row,
        )

    def subset(self, rows: np.ndarray) -> ScoreInputs:
        """The same inputs for some of the rows."""
        return ScoreInputs(
            self.day,
            _take(self.seek_offer, rows),
            _take(self.offer_seek, rows),
            self.one_way,
            _take(self.offer_offer, rows),
        )


@dataclass(frozen=True)
class PairInputs:
    """`ScoreInputs` for one pair, as plain floats; for the words, also the pair's
    component values (NaN: does not apply), the table B's row is in and that row."""

    day: date
    seek_offer: float | None = None
    offer_seek: float | None = None
    one_way: bool = False
    offer_offer: float | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    table: SideTable | None = None
    table_row: int | None = None


def _item(values: np.ndarray | None, row: int) -> float | None:
    return None if values is None else float(values[row])


def _take(values: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    return None if values is None else values[rows]


@dataclass(frozen=True)
class Explained:
    """Reasons and warnings for one pair from one component."""

    reasons: tuple[Explanation, ...] = ()
    warnings: tuple[Explanation, ...] = ()


@dataclass(frozen=True)
class RuleDoc:
    """One sub-rule of a component, for the machine-readable description of the model."""

    name: str
    doc: str
    parameters: Mapping[str, Any] = field(default_factory=dict)


class Component(Protocol):
    """A score component. See the module docstring; `components/__init__` registers them."""

    # Read-only members, so that plain class attributes implement them.
    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def default_weight(self) -> float: ...
    @property
    def config_type(self) -> type: ...
    @property
    def columns(self) -> Sequence[Column]: ...
    @property
    def compares_text(self) -> bool:
        """Whether it reads the firms' words (when none of these applies to a pair, the
        pair is ranked on codes and rules alone, and the explanation says so)."""
        ...

    @property
    def cosines(self) -> frozenset[str]:
        """The `ScoreInputs` cosines it reads ("seek_offer", "offer_seek", "offer_offer"):
        the matcher scans the vector indexes only for the cosines some component reads."""
        ...

    def facts(self, b: CompanyProfile, cfg: Any) -> Mapping[str, Any]:
        """The value of each declared column for candidate B."""
        ...

    def encode(self, a: CompanyProfile, cfg: Any) -> Any:
        """A, encoded once per request for `score`."""
        ...

    def score(self, part: Any, rows: Rows, inputs: ScoreInputs, cfg: Any) -> np.ndarray:
        """The component's value for every row, in `rows.dtype`; NaN where it does not
        apply (nothing to compare): the blend then leaves it out for that row."""
        ...

    def explain(
        self, a: CompanyProfile, b: CompanyProfile, inputs: PairInputs, cfg: Any
    ) -> Explained:
        """Reasons and warnings for one pair (words only; the score comes from `score`)."""
        ...

    def rules(self, cfg: Any) -> Sequence[RuleDoc]:
        """The sub-rules, with the settings they use."""
        ...


def clip(values: np.ndarray) -> np.ndarray:
    """Clip to [0, 1] in place (np.clip costs several times more on these sizes)."""
    np.maximum(values, 0.0, out=values)
    return np.minimum(values, 1.0, out=values)


def has_bits(masks: np.ndarray, bits: int | np.uint64, dtype: type) -> np.ndarray:
    """1.0 where a mask shares a bit with `bits`, else 0.0."""
    return ((masks & np.uint64(bits)) != 0).astype(dtype)

"""pgvector's answer to a match's vector question, on a private server (`pgvector_server`).

Per side (EU, UA) two tables hold the suggestible firms' offer and seek vectors
(`vector(384)`, loaded by binary COPY), so no side filter is needed: the same split as
the engine's per-side indexes. One match = 2 queries from firm A of the other side:
`ORDER BY offer <#> A.seek LIMIT 10` on the offers, `ORDER BY seek <#> A.offer LIMIT 10`
on the seeks (`<#>`: negative inner product; the vectors are unit length). Timed per
match from the client over the Unix socket, prepared statements, one core per query.
Exact = the same queries with index scans disabled (a sequential scan + top-10 sort);
HNSW: m=16, ef_construction=64 (pgvector's defaults), at `hnsw.ef_search` 40/64/100.
Recall@10 against exact numpy top-10 of the same vectors.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from common import Timing, time_each
from pgvector_server import PrivateServer

EF_SEARCHES = (40, 64, 100)
HNSW_M, HNSW_EF_CONSTRUCTION = 16, 64
K = 10

_QUERY = "SELECT id FROM {table} ORDER BY v <#> %s::vector LIMIT {k}"


@dataclass
class SideVectors:
    """The suggestible firms of one side: ids and their offer / seek vectors."""

    ids: np.ndarray
    offer: np.ndarray
    seek: np.ndarray


def _copy_binary(ids: np.ndarray, vectors: np.ndarray) -> bytes:
    """A PostgreSQL binary COPY stream of (bigint id, vector v) rows, built with numpy."""
    dim = vectors.shape[1]
    row = np.dtype(
        [
            ("fields", ">i2"),
            ("id_len", ">i4"),
            ("id", ">i8"),
            ("v_len", ">i4"),
            ("dim", ">i2"),
            ("unused", ">i2"),
            ("v", ">f4", (dim,)),
        ]
    )
    rows = np.zeros(len(ids), dtype=row)
    rows["fields"], rows["id_len"], rows["id"] = 2, 8, ids
    rows["v_len"], rows["dim"], rows["v"] = 4 + 4 * dim, dim, vectors
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
    return header + rows.tobytes() + b"\xff\xff"


def _literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector.tolist()) + "]"


class PgvectorBench:
    """Loads the per-side tables once; times exact and HNSW matches on them."""

    def __init__(self, server: PrivateServer, sides: dict[str, SideVectors]) -> None:
        self.conn: Any = server.connect()
        self.sides = sides
        self.load_s = self._load()
        self.hnsw_build_s: float | None = None

    @staticmethod
    def table(side: str, kind: str) -> str:
        return f"{kind}_{side.lower()}"

    def _load(self) -> float:
        started = time.perf_counter()
        dim = next(iter(self.sides.values())).offer.shape[1]
        for side, vectors in self.sides.items():
            for kind in ("offer", "seek"):
                table = self.table(side, kind)
                self.conn.execute(f"CREATE TABLE {table} (id bigint PRIMARY KEY, v vector({dim}))")
                with self.conn.cursor().copy(
                    f"COPY {table} (id, v) FROM STDIN (FORMAT binary)"
                ) as copy:
                    copy.write(_copy_binary(vectors.ids, getattr(vectors, kind)))
                self.conn.execute(f"VACUUM ANALYZE {table}")
        return time.perf_counter() - started

    def build_hnsw(self) -> float:
        started = time.perf_counter()
        for side in self.sides:
            for kind in ("offer", "seek"):
                table = self.table(side, kind)
                self.conn.execute(
                    f"CREATE INDEX ON {table} USING hnsw (v vector_ip_ops) "
                    f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
                )
        self.hnsw_build_s = time.perf_counter() - started
        return self.hnsw_build_s

    @contextmanager
    def _settings(self, **values: object) -> Iterator[None]:
        for name, value in values.items():
            self.conn.execute(f"SET {name} = {value}")
        try:
            yield
        finally:
            for name in values:
                self.conn.execute(f"RESET {name}")

    def _match(self, other: str, offer: str, seek: str) -> tuple[list[int], list[int]]:
        """The 2 queries of one match of firm A (its vectors as literals) on side `other`."""
        offers = self.conn.execute(
            _QUERY.format(table=self.table(other, "offer"), k=K), (seek,), prepare=True
        ).fetchall()
        seeks = self.conn.execute(
            _QUERY.format(table=self.table(other, "seek"), k=K), (offer,), prepare=True
        ).fetchall()
        return [r[0] for r in offers], [r[0] for r in seeks]

    def time_matches(self, queries: list[tuple[str, np.ndarray, np.ndarray]], *, exact: bool,
                     ef_search: int = 40) -> tuple[Timing, float]:  # fmt: skip
        """p50 per match over `queries` (other side, A.offer, A.seek) and recall@10."""
        literals = [(other, _literal(offer), _literal(seek)) for other, offer, seek in queries]
        settings: dict[str, object] = (
            {"enable_indexscan": "off", "enable_bitmapscan": "off"}
            if exact
            else {"hnsw.ef_search": ef_search}
        )
        with self._settings(**settings):
            timing = time_each(lambda q: self._match(*q), literals)
            found = [self._match(*q) for q in literals]
        return timing, self._recall(queries, found)

    def _recall(
        self,
        queries: list[tuple[str, np.ndarray, np.ndarray]],
        found: list[tuple[list[int], list[int]]],
    ) -> float:
        shares = []
        for (other, offer, seek), (offers, seeks) in zip(queries, found, strict=True):
            vectors = self.sides[other]
            for stored, query, hits in (
                (vectors.offer, seek, offers),
                (vectors.seek, offer, seeks),
            ):
                top = np.argpartition(-(stored @ query), K)[:K]
                shares.append(len(set(vectors.ids[top].tolist()) & set(hits)) / K)
        return float(np.mean(shares))

    def close(self) -> None:
        self.conn.close()

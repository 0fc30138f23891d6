"""Reading the embedded store: the contract's element reads in SQL, plus the question
primitives (:class:`.primitives.Primitives`, over SQL and the CSR adjacency).

Every node and relationship handed out carries its own freshly decoded properties, so a caller
editing them never changes the store. Long reads (``iter_nodes``, ``iter_relationships``) go
page by page in ``idx`` order, so no statement stays open between pages: a writer on the same
connection, or in another process, never waits for a reader.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from ..contract import Counts, Direction, Subgraph
from ..records import Node, Relationship
from ..schema import SCHEMA
from . import db
from .adjacency import Adjacency
from .db import LABEL_CODE, LABELS, TYPE_CODE, TYPES, chunks, idx_of, loads, marks
from .primitives import Primitives

if TYPE_CHECKING:
    from .store import EmbeddedStore

T = TypeVar("T")
PAGE = 5000


class EmbeddedView(Primitives):
    """Reads straight from the store's database (always its latest committed state)."""

    def __init__(self, store: EmbeddedStore) -> None:
        self._store = store  # what the primitives use (adjacency, memo)
        self._owner = store

    @property
    def store(self) -> EmbeddedStore:
        return self._owner

    @property
    def _conn(self) -> sqlite3.Connection:
        # Asked of the store each time: its connection appears with the file's first write.
        return self._owner.conn

    @_conn.setter
    def _conn(self, value: sqlite3.Connection) -> None:
        raise AttributeError("the view reads the store's own connection")

    def adjacency(self) -> Adjacency:
        return self._owner.adjacency()

    def memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        return self._owner.memo(key, build)

    # -- elements ------------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        return db.nodes_by_id(self._conn, [node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(dict.fromkeys(node_ids))
        found = db.nodes_by_id(self._conn, wanted)
        return {n: found[n] for n in wanted if n in found}

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        with self._owner.snapshot() as conn:
            return self._neighbours(conn, node_id, types, direction)

    def _neighbours(
        self,
        conn: sqlite3.Connection,
        node_id: str,
        types: Iterable[str] | None,
        direction: Direction,
    ) -> list[tuple[Relationship, Node]]:
        known = idx_of(conn, [node_id])
        if not known:
            return []
        idx = known[node_id]
        codes = None if types is None else sorted({TYPE_CODE[SCHEMA.rel(t).type] for t in types})
        if codes is not None and not codes:
            return []
        only = "" if codes is None else f" AND type IN ({marks(len(codes))})"
        extra: list[int] = [] if codes is None else codes
        rows: list[tuple[int, int, int, str]] = []
        if direction in ("out", "both"):
            sql = f"SELECT type, s, e, props FROM rels WHERE s = ?{only}"
            rows += conn.execute(sql, [idx, *extra]).fetchall()
        if direction in ("in", "both"):
            # A loop is listed once: with "both", the outgoing side already has it.
            loop = " AND s != e" if direction == "both" else ""
            sql = f"SELECT type, s, e, props FROM rels WHERE e = ?{only}{loop}"
            rows += conn.execute(sql, [idx, *extra]).fetchall()
        ends = db.nodes_at(conn, {idx} | {s for _, s, _, _ in rows} | {e for _, _, e, _ in rows})
        found: list[tuple[Relationship, Node]] = []
        for rel_type, s, e, props in rows:
            other = ends[e] if s == idx else ends[s]
            rel = Relationship(TYPES[rel_type], ends[s].id, ends[e].id, loads(props))
            found.append((rel, Node(other.label, other.id, dict(other.props))))
        found.sort(key=lambda pair: (pair[0].type, pair[0].start, pair[0].end))
        return found

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        with self._owner.snapshot() as conn:
            return self._between(conn, node_ids)

    def _between(self, conn: sqlite3.Connection, node_ids: Iterable[str]) -> list[Relationship]:
        known = idx_of(conn, node_ids)
        id_at = {idx: node_id for node_id, idx in known.items()}
        rels: list[Relationship] = []
        for part in chunks(list(id_at)):
            sql = f"SELECT type, s, e, props FROM rels WHERE s IN ({marks(len(part))})"
            for rel_type, s, e, props in conn.execute(sql, part):
                if e in id_at:
                    rels.append(Relationship(TYPES[rel_type], id_at[s], id_at[e], loads(props)))
        rels.sort(key=lambda r: r.key)
        return rels

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]:
        conn = self._conn
        where, params = "", []
        if label is not None:
            SCHEMA.node(label)
            where, params = " AND label = ?", [LABEL_CODE[label]]
        sql = f"SELECT idx, id, label, props FROM nodes WHERE idx > ?{where} ORDER BY idx LIMIT ?"
        last = -1
        while True:
            page = conn.execute(sql, [last, *params, PAGE]).fetchall()
            for _, node_id, code, props in page:
                yield Node(LABELS[code], node_id, loads(props))
            if len(page) < PAGE:
                return
            last = page[-1][0]

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]:
        conn = self._conn
        where, params = "", []
        if rel_type is not None:
            SCHEMA.rel(rel_type)
            where, params = " AND r.type = ?", [TYPE_CODE[rel_type]]
        sql = f"{db.REL_SELECT} WHERE r.idx > ?{where} ORDER BY r.idx LIMIT ?"
        last = -1
        while True:
            page = conn.execute(sql, [last, *params, PAGE]).fetchall()
            for row in page:
                yield db.relationship(row)
            if len(page) < PAGE:
                return
            last = page[-1][0]

    def counts(self) -> Counts:
        def count() -> Counts:
            built = self._owner.built_adjacency()
            if built is not None:  # the adjacency of this generation knows the numbers
                rel_counts = {t: built.count(code) for code, t in enumerate(TYPES)}
                node_counts = np.bincount(built.label[built.label >= 0], minlength=len(LABELS))
                return Counts(dict(zip(LABELS, map(int, node_counts), strict=True)), rel_counts)
            with self._owner.snapshot() as conn:  # one state for both counts
                nodes = dict(conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"))
                # One pass with a sum per type: GROUP BY would sort every row first (no index
                # starts with the type), in memory.
                sums = ", ".join(f"coalesce(sum(type = {c}), 0)" for c in range(len(TYPES)))
                rels = dict(enumerate(conn.execute(f"SELECT {sums} FROM rels").fetchone()))
            return Counts(
                {label: nodes.get(code, 0) for code, label in enumerate(LABELS)},
                {t: rels.get(code, 0) for code, t in enumerate(TYPES)},
            )

        found = self.memo(("embedded.counts",), count)
        return Counts(dict(found.nodes), dict(found.relationships))

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        wanted = list(dict.fromkeys(node_ids))
        with self._owner.snapshot() as conn:
            found = db.nodes_by_id(conn, wanted)
            ids = [n for n in wanted if n in found]
            return Subgraph([found[n] for n in ids], self._between(conn, ids))

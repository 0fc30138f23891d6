"""The embedded store's bulk writer: one SQLite transaction per batch.

Repeats of an element inside a batch are merged in Python first (:func:`merge_props`, the
schema's rules, as the Neo4j writer does), so each element is one row. A flush then reads the
rows the batch touches that already exist (chunked ``IN`` queries by id, and one join against
the batch's relationship keys), runs every check that needs the graph for the whole batch,
and only then writes: ``INSERT`` for new rows, ``UPDATE`` for rows whose merged properties
differ, nothing for the rest, all with ``executemany``. A batch that changes nothing (a
re-ingest) writes nothing and leaves the generation alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Self

from ..errors import SchemaError
from ..records import Node, Props, Relationship, merge_props, validate_node, validate_relationship
from ..schema import SCHEMA, PropertySpec
from . import db
from .db import LABEL_CODE, LABELS, TYPE_CODE, chunks, dumps, loads, marks

if TYPE_CHECKING:
    from .store import EmbeddedStore

RelKey = tuple[int, int, int, str]  # (s, type, e, key)
Row = tuple[str, int, int, str]  # a nodes row: (id, idx, label code, props)


# The key properties of each relationship type.
KEYS: dict[str, tuple[str, ...]] = {t: r.key for t, r in SCHEMA.relationships.items()}


def _key(rel: Relationship) -> tuple[str, ...]:
    """:attr:`Relationship.key`, computed without a schema lookup per record."""
    names = KEYS.get(rel.type)
    if names is None:
        return rel.key  # an unknown type: raises, naming the known ones
    if not names:
        return (rel.start, rel.type, rel.end)
    return (rel.start, rel.type, rel.end, *(str(rel.props.get(k, "")) for k in names))


def _clean(props: Props) -> Props:
    """A new element's properties as stored: without the ``None`` values."""
    return {name: value for name, value in props.items() if value is not None}


class EmbeddedWriter:
    """Buffers records and writes each batch in one transaction, nodes before relationships.

    Property checks run as records arrive (skipped with ``validated=True``); the checks that
    need the graph (one id, one label; endpoints exist with the schema's labels) run at flush,
    for the whole batch, before anything changes.
    """

    def __init__(self, store: EmbeddedStore, *, batch_size: int) -> None:
        self.store = store
        self.batch_size = max(1, batch_size)
        self._nodes: dict[str, tuple[str, Props]] = {}  # id -> (label, merged props)
        self._rels: dict[tuple[str, ...], tuple[Relationship, Props]] = {}  # key -> merged
        self._clash: str | None = None  # one id given two labels inside the batch

    # -- buffering -----------------------------------------------------------------------------
    def upsert_nodes(self, nodes: Iterable[Node], *, validated: bool = False) -> None:
        pending = self._nodes
        for node in nodes:
            if not validated:
                validate_node(node)
            earlier = pending.get(node.id)
            if earlier is None:
                pending[node.id] = (node.label, node.props)
                if len(pending) >= self.batch_size:
                    self.flush()
                    pending = self._nodes
            elif earlier[0] != node.label:
                if self._clash is None:
                    self._clash = f"{node.describe()}: id already used by a {earlier[0]} node"
            elif earlier[1] is not node.props and earlier[1] != node.props:
                specs = SCHEMA.node_properties(node.label)
                pending[node.id] = (node.label, merge_props(earlier[1], node.props, specs))

    def upsert_relationships(
        self, relationships: Iterable[Relationship], *, validated: bool = False
    ) -> None:
        pending = self._rels
        for rel in relationships:
            if not validated:
                validate_relationship(rel)
            key = _key(rel)
            earlier = pending.get(key)
            if earlier is None:
                pending[key] = (rel, rel.props)
                if len(pending) >= self.batch_size:
                    self.flush()
                    pending = self._rels
            elif earlier[1] is not rel.props and earlier[1] != rel.props:
                specs = SCHEMA.rel_properties(rel.type)
                pending[key] = (rel, merge_props(earlier[1], rel.props, specs))

    def delete_relationships(self, keys: Iterable[tuple[str, ...]]) -> int:
        """Remove the relationships with these keys (after writing what is buffered)."""
        wanted = list(dict.fromkeys(tuple(k) for k in keys))
        for key in wanted:
            if len(key) < 3:
                raise SchemaError(f"{key!r} is not a relationship key (start, type, end, …)")
            spec = SCHEMA.rel(key[1])
            if len(key) != 3 + len(spec.key):
                raise SchemaError(f"{key!r}: a {spec.type} key has {3 + len(spec.key)} parts")
        self.flush()
        if not wanted:
            return 0
        with self.store.transaction() as conn:
            idx = db.idx_of(conn, [end for key in wanted for end in (key[0], key[2])])
            rows = [
                (idx[key[0]], TYPE_CODE[key[1]], idx[key[2]], "\x1f".join(key[3:]))
                for key in wanted
                if key[0] in idx and key[2] in idx
            ]
            before = conn.total_changes
            conn.executemany(
                "DELETE FROM rels WHERE s = ? AND type = ? AND e = ? AND key = ?", rows
            )
            gone = conn.total_changes - before
            if gone:
                db.bump_generation(conn)
        return gone

    # -- writing -------------------------------------------------------------------------------
    def flush(self) -> None:
        nodes, rels, clash = self._nodes, self._rels, self._clash
        self._nodes, self._rels, self._clash = {}, {}, None
        if clash is not None:
            raise SchemaError(clash)
        if not nodes and not rels:
            return
        with self.store.transaction() as conn:
            if _write_batch(conn, nodes, rels):
                db.bump_generation(conn)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.flush()
        else:
            # Batches already flushed are committed, as they are on Neo4j.
            self._nodes, self._rels, self._clash = {}, {}, None


def _existing_nodes(conn: sqlite3.Connection, ids: list[str], *, props: bool) -> dict[str, Row]:
    """id -> its row ``(id, idx, label code, props JSON text)``, for the ids that exist."""
    found: dict[str, Row] = {}
    column = "props" if props else "''"
    for part in chunks(ids):
        sql = f"SELECT id, idx, label, {column} FROM nodes WHERE id IN ({marks(len(part))})"
        found.update({row[0]: row for row in conn.execute(sql, part).fetchall()})
    return found


def _existing_rels(conn: sqlite3.Connection, keys: list[RelKey]) -> dict[RelKey, tuple[int, str]]:
    """(s, type, e, key) -> (idx, props JSON text) of the keys that name a relationship."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS batch_keys("
        "s INTEGER NOT NULL, type INTEGER NOT NULL, e INTEGER NOT NULL, key TEXT NOT NULL)"
    )
    conn.execute("DELETE FROM batch_keys")
    conn.executemany("INSERT INTO batch_keys(s, type, e, key) VALUES (?, ?, ?, ?)", keys)
    rows = conn.execute(
        "SELECT r.s, r.type, r.e, r.key, r.idx, r.props FROM batch_keys AS b "
        "JOIN rels AS r ON r.s = b.s AND r.type = b.type AND r.e = b.e AND r.key = b.key"
    ).fetchall()
    conn.execute("DELETE FROM batch_keys")
    return {(s, t, e, k): (idx, blob) for s, t, e, k, idx, blob in rows}


# The labels each relationship type joins: (start, end).
ENDS: dict[str, tuple[str, str]] = {t: (r.start, r.end) for t, r in SCHEMA.relationships.items()}


def _check(
    nodes: dict[str, tuple[str, Props]],
    rels: dict[tuple[str, ...], tuple[Relationship, Props]],
    found: dict[str, Row],
    label_of: dict[str, str],
) -> None:
    """Every check that needs the graph, for the whole batch; raises the first problem.

    ``label_of``: the label of every batch node and of every stored endpoint.
    """
    for label in {label for label, _ in nodes.values()}:
        SCHEMA.node(label)  # an unknown label (validated=True skips validate_node)
    if any(LABELS[row[2]] != nodes[node_id][0] for node_id, row in found.items()):
        for node_id, (label, _) in nodes.items():  # the first clash, in batch order
            row = found.get(node_id)
            if row is not None and LABELS[row[2]] != label:
                node = Node(label, node_id)
                raise SchemaError(f"{node.describe()}: id already used by a {LABELS[row[2]]} node")
    for rel, _ in rels.values():
        want = ENDS.get(rel.type)
        if want is None or label_of.get(rel.start) != want[0] or label_of.get(rel.end) != want[1]:
            _endpoint_problem(rel, label_of)


def _endpoint_problem(rel: Relationship, label_of: dict[str, str]) -> None:
    spec = SCHEMA.rel(rel.type)
    for side, node_id, want in (("start", rel.start, spec.start), ("end", rel.end, spec.end)):
        label = label_of.get(node_id)
        if label is None:
            raise SchemaError(f"{rel.describe()}: endpoint {node_id!r} does not exist")
        if label != want:
            raise SchemaError(f"{rel.describe()}: {side} must be a {want}, not a {label}")


def _write_batch(
    conn: sqlite3.Connection,
    nodes: dict[str, tuple[str, Props]],
    rels: dict[tuple[str, ...], tuple[Relationship, Props]],
) -> bool:
    """Merge one batch into the database (inside the caller's transaction); True if anything
    changed."""
    found = _existing_nodes(conn, list(nodes), props=True)
    label_of = {node_id: label for node_id, (label, _) in nodes.items()}
    others = {end for rel, _ in rels.values() for end in (rel.start, rel.end)}
    others.difference_update(label_of)
    ends = _existing_nodes(conn, list(others), props=False)
    label_of.update((node_id, LABELS[row[2]]) for node_id, row in ends.items())
    _check(nodes, rels, found, label_of)

    # Every check passed: from here on nothing fails half-way (the transaction covers the rest).
    top = conn.execute("SELECT max(idx) FROM nodes").fetchone()[0]
    next_idx = 0 if top is None else int(top) + 1
    idx_of: dict[str, int] = {node_id: row[1] for node_id, row in ends.items()}
    fresh: set[int] = set()
    node_inserts: list[tuple[int, str, int, str]] = []
    node_updates: list[tuple[str, int]] = []
    for node_id, (label, props) in nodes.items():
        row = found.get(node_id)
        if row is None:
            idx = next_idx
            next_idx += 1
            fresh.add(idx)
            clean = props if None not in props.values() else _clean(props)
            node_inserts.append((idx, node_id, LABEL_CODE[label], dumps(clean)))
        else:
            idx = row[1]
            merged = _merged(row[3], props, SCHEMA.node_properties(label))
            if merged is not None:
                node_updates.append((merged, idx))
        idx_of[node_id] = idx

    rel_inserts: list[tuple[int, int, int, str, str]] = []
    rel_updates: list[tuple[str, int]] = []
    maybe: list[RelKey] = []
    maybe_props: list[tuple[str, Props]] = []
    for key, (rel, props) in rels.items():
        s, e, t = idx_of[rel.start], idx_of[rel.end], TYPE_CODE[rel.type]
        rel_key = "\x1f".join(key[3:])
        if s in fresh or e in fresh:  # a node new in this batch has no relationship yet
            clean = props if None not in props.values() else _clean(props)
            rel_inserts.append((t, s, e, rel_key, dumps(clean)))
        else:
            maybe.append((s, t, e, rel_key))
            maybe_props.append((rel.type, props))
    if maybe:
        stored = _existing_rels(conn, maybe)
        for (s, t, e, rel_key), (rel_type, props) in zip(maybe, maybe_props, strict=True):
            hit = stored.get((s, t, e, rel_key))
            if hit is None:
                clean = props if None not in props.values() else _clean(props)
                rel_inserts.append((t, s, e, rel_key, dumps(clean)))
                continue
            merged = _merged(hit[1], props, SCHEMA.rel_properties(rel_type))
            if merged is not None:
                rel_updates.append((merged, hit[0]))

    if node_inserts:
        conn.executemany(
            "INSERT INTO nodes(idx, id, label, props) VALUES (?, ?, ?, ?)", node_inserts
        )
    if node_updates:
        conn.executemany("UPDATE nodes SET props = ? WHERE idx = ?", node_updates)
    if rel_inserts:
        conn.executemany(
            "INSERT INTO rels(type, s, e, key, props) VALUES (?, ?, ?, ?, ?)", rel_inserts
        )
    if rel_updates:
        conn.executemany("UPDATE rels SET props = ? WHERE idx = ?", rel_updates)
    return bool(node_inserts or node_updates or rel_inserts or rel_updates)


def _merged(stored: str, props: Props, specs: dict[str, PropertySpec]) -> str | None:
    """The stored properties with ``props`` merged in, as JSON text; None when nothing changes."""
    clean = props if None not in props.values() else _clean(props)
    if dumps(clean) == stored:  # the common re-ingest: the very same properties
        return None
    old = loads(stored)
    if clean == old:
        return None
    merged = merge_props(old, props, specs)
    return None if merged == old else dumps(merged)

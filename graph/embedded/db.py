"""The embedded store's SQLite database: schema, connection, label/type codes and lookups.

One file, WAL mode. Tables::

    meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)
        format = collabgraph-embedded, format_version = 2, schema_version, generation (an
        integer bumped by every write transaction), labels and types (JSON lists: code order)
    nodes(idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, label INTEGER NOT NULL,
          props TEXT NOT NULL)                          -- props: the dict as JSON text
    rels(idx INTEGER PRIMARY KEY, type INTEGER NOT NULL, s INTEGER NOT NULL,
         e INTEGER NOT NULL, key TEXT NOT NULL, props TEXT NOT NULL, UNIQUE(s, type, e, key))

Properties are JSON text, not bytes: SQLite 3.45 and later read a BLOB given to its JSON
functions as its own binary JSON format. Two expression indexes serve the exact-name look-up
(``json_extract(props, '$.name')``, and ``'$.title'`` for papers only).

``s`` and ``e`` are ``nodes.idx``; ``key`` joins the type's key properties with ``\\x1f``.
Label and type codes are the positions in ``SCHEMA.nodes`` and ``SCHEMA.relationships``.

Connections are in autocommit mode: a read statement is its own transaction, so a reader never
holds a snapshot between calls and always sees other processes' commits; writes open
``BEGIN IMMEDIATE`` themselves (:func:`transaction`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import orjson

from ..errors import StoreError
from ..records import Node, Props, Relationship
from ..schema import SCHEMA

FORMAT = "collabgraph-embedded"
FORMAT_VERSION = 2

LABELS: tuple[str, ...] = tuple(SCHEMA.nodes)
TYPES: tuple[str, ...] = tuple(SCHEMA.relationships)
LABEL_CODE: dict[str, int] = {label: code for code, label in enumerate(LABELS)}
TYPE_CODE: dict[str, int] = {rel_type: code for code, rel_type in enumerate(TYPES)}
# Key property names per type code.
KEY_PROPS: tuple[tuple[str, ...], ...] = tuple(SCHEMA.rel(t).key for t in TYPES)

# SQLite allows 999 host parameters in old builds (32766 since 3.32); stay well below.
CHUNK = 900
# Page cache of a connection, in KiB (negative: SQLite's unit for KiB). Reads stay small, so
# that a process answering questions holds its adjacency and little else; a connection that
# writes takes a larger one for the random index updates of big batches.
READ_CACHE = -8 * 1024
WRITE_CACHE = -128 * 1024
SQLITE_MAGIC = b"SQLite format 3\x00"

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nodes(
    idx INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    label INTEGER NOT NULL,
    props TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes(label);
CREATE INDEX IF NOT EXISTS nodes_name ON nodes(json_extract(props, '$.name'));
CREATE INDEX IF NOT EXISTS nodes_title ON nodes(json_extract(props, '$.title'))
    WHERE label = {paper};
CREATE TABLE IF NOT EXISTS rels(
    idx INTEGER PRIMARY KEY,
    type INTEGER NOT NULL,
    s INTEGER NOT NULL,
    e INTEGER NOT NULL,
    key TEXT NOT NULL,
    props TEXT NOT NULL,
    UNIQUE(s, type, e, key)
);
CREATE INDEX IF NOT EXISTS rels_e ON rels(e, type);
""".replace("{paper}", str(LABEL_CODE["Paper"]))

T = TypeVar("T")

loads = orjson.loads


def dumps(value: Any) -> str:
    """Properties as the JSON text the store keeps."""
    return orjson.dumps(value).decode()


def rel_key(type_code: int, props: Props) -> str:
    """The ``key`` column of a relationship: its type's key properties joined by ``\\x1f``."""
    names = KEY_PROPS[type_code]
    if not names:
        return ""
    return "\x1f".join(str(props.get(k, "")) for k in names)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    return ",".join("?" * count)


def connect(path: str | os.PathLike[str], *, timeout: float) -> sqlite3.Connection:
    """A connection to the database at ``path`` (created with the schema if new).

    ``timeout`` is how long a write waits for another process's write transaction, and how
    long opening keeps retrying while another process is creating or converting the file.
    Raises :class:`StoreError` if the file is not a collabgraph store of this format.
    """
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        try:
            return _connect_once(path, timeout=timeout)
        except _Busy as busy:
            # Two connections switching a new file to WAL at once: SQLite refuses one of them
            # at once rather than wait (its deadlock rule), so the wait is ours to do.
            if time.monotonic() + pause > deadline:
                raise StoreError(
                    f"{os.fspath(path)}: another process holds the store while it is being "
                    f"created ({busy.reason})"
                ) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.1)


class _Busy(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _connect_once(path: str | os.PathLike[str], *, timeout: float) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            os.fspath(path), timeout=timeout, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StoreError(f"{os.fspath(path)}: cannot open the store ({exc})") from None
    try:
        conn.execute("PRAGMA foreign_keys=OFF")
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal" and os.fspath(path) != ":memory:":
            raise StoreError(f"{os.fspath(path)}: cannot switch the store to WAL mode ({mode})")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA cache_size={READ_CACHE}")
        _initialise(conn, os.fspath(path))
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise StoreError(f"{os.fspath(path)}: not a collabgraph store ({exc})") from None
        if "locked" in str(exc) or "busy" in str(exc):
            raise _Busy(str(exc)) from None
        raise StoreError(f"{os.fspath(path)}: cannot open the store ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _meta(conn: sqlite3.Connection) -> dict[str, str] | None:
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if has is None:
        return None
    return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}


def _initialise(conn: sqlite3.Connection, path: str) -> None:
    """Check the format of an existing store, or create the tables of a new (empty) one."""
    meta = _meta(conn)
    if meta is None:
        # One statement, so one snapshot: tables without meta is a file of another kind,
        # never a store another process is creating (its tables and meta commit together).
        (tables,) = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name != 'meta'"
        ).fetchone()
        if tables and _meta(conn) is None:
            raise StoreError(f"{path}: not a collabgraph store (an SQLite file of another kind)")
        # Look again under the write lock: another process may be creating the store now.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _meta(conn) is None:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise StoreError(
                        f"{path}: not a collabgraph store (an SQLite file of another kind)"
                    )
                for statement in SCHEMA_SQL.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [
                        ("format", FORMAT),
                        ("format_version", str(FORMAT_VERSION)),
                        ("schema_version", str(SCHEMA.version)),
                        ("generation", "0"),
                        ("labels", orjson.dumps(list(LABELS)).decode()),
                        ("types", orjson.dumps(list(TYPES)).decode()),
                    ],
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        meta = _meta(conn)
        assert meta is not None
    _check_meta(meta, path)


def _check_meta(meta: dict[str, str], path: str) -> None:
    if meta.get("format") != FORMAT:
        raise StoreError(f"{path}: not a collabgraph store (an SQLite file of another kind)")
    if meta.get("format_version") != str(FORMAT_VERSION):
        raise StoreError(
            f"{path}: store format version {meta.get('format_version')} is not "
            f"{FORMAT_VERSION}; this collabgraph cannot read it"
        )
    for name, ours in (("labels", LABELS), ("types", TYPES)):
        stored = tuple(orjson.loads(meta.get(name, "[]")))
        if stored != ours:
            raise StoreError(
                f"{path}: the store's {name} {list(stored)} are not the schema's "
                f"{list(ours)}: export it with the collabgraph that wrote it and import the "
                "snapshot"
            )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back if the body raises.

    ``BEGIN IMMEDIATE`` takes the database's write lock at once (waiting up to the
    connection's busy timeout for another writer), so what the body reads stays true until
    it commits.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def generation(conn: sqlite3.Connection) -> int:
    """The store's write counter: it changes with every committed change."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return int(row[0]) if row is not None else 0


def bump_generation(conn: sqlite3.Connection) -> None:
    """Count one more change; call inside the write transaction that makes it."""
    conn.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'generation'"
    )


# -- lookups -----------------------------------------------------------------------------------
def idx_of(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
    """``nodes.idx`` of each id that names a node."""
    wanted = list(dict.fromkeys(ids))
    out: dict[str, int] = {}
    for part in chunks(wanted):
        sql = f"SELECT id, idx FROM nodes WHERE id IN ({marks(len(part))})"
        out.update(conn.execute(sql, part).fetchall())
    return out


def ids_of(conn: sqlite3.Connection, idxs: Iterable[int]) -> dict[int, str]:
    """The id of each ``nodes.idx`` that exists."""
    wanted = [int(i) for i in dict.fromkeys(idxs)]
    out: dict[int, str] = {}
    for part in chunks(wanted):
        sql = f"SELECT idx, id FROM nodes WHERE idx IN ({marks(len(part))})"
        out.update(conn.execute(sql, part).fetchall())
    return out


def nodes_at(conn: sqlite3.Connection, idxs: Iterable[int]) -> dict[int, Node]:
    """The node at each ``nodes.idx`` that exists (fresh property dicts)."""
    wanted = [int(i) for i in dict.fromkeys(idxs)]
    out: dict[int, Node] = {}
    for part in chunks(wanted):
        sql = f"SELECT idx, id, label, props FROM nodes WHERE idx IN ({marks(len(part))})"
        for idx, node_id, label, props in conn.execute(sql, part):
            out[idx] = Node(LABELS[label], node_id, loads(props))
    return out


def nodes_by_id(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Node]:
    """The node of each id that names one (fresh property dicts)."""
    wanted = list(dict.fromkeys(ids))
    out: dict[str, Node] = {}
    for part in chunks(wanted):
        sql = f"SELECT id, label, props FROM nodes WHERE id IN ({marks(len(part))})"
        for node_id, label, props in conn.execute(sql, part):
            out[node_id] = Node(LABELS[label], node_id, loads(props))
    return out


REL_SELECT = (
    "SELECT r.idx, r.type, a.id, b.id, r.props FROM rels AS r "
    "JOIN nodes AS a ON a.idx = r.s JOIN nodes AS b ON b.idx = r.e"
)


def relationship(row: tuple[Any, ...]) -> Relationship:
    """A :class:`Relationship` from a ``REL_SELECT`` row ``(idx, type, start, end, props)``."""
    return Relationship(TYPES[row[1]], row[2], row[3], loads(row[4]))


def rels_at(conn: sqlite3.Connection, rel_idxs: Iterable[int]) -> dict[int, Relationship]:
    """The relationship at each ``rels.idx`` that exists, with string endpoint ids."""
    wanted = [int(i) for i in dict.fromkeys(rel_idxs)]
    out: dict[int, Relationship] = {}
    for part in chunks(wanted):
        sql = f"{REL_SELECT} WHERE r.idx IN ({marks(len(part))})"
        for row in conn.execute(sql, part):
            out[row[0]] = relationship(row)
    return out

"""The embedded store: one SQLite file (graph/embedded/db.py) and the caches built from it.

Several processes may use one file: SQLite's WAL lets readers read while one writer writes,
and a second writer waits for the first one's transaction (up to
``COLLABGRAPH_STORE_LOCK_TIMEOUT`` seconds, default 600) before a one-line :class:`StoreError`.
Every write is one transaction that also bumps the store's ``generation``; the adjacency and
the memo (the store-owned caches the questions use) are rebuilt when it changed, whoever made
the change.

The file is created by the first write, not by opening: a command that fails before writing
leaves no store behind. A file in the previous format (gzip JSON lines, format_version 1) is
refused with the command that converts it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from ..contract import QueryResult
from ..errors import StoreError
from ..settings import seconds_from_env
from . import db
from .adjacency import Adjacency, build
from .legacy import is_v1
from .view import EmbeddedView
from .writer import EmbeddedWriter

LOCK_TIMEOUT_ENV = "COLLABGRAPH_STORE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0
T = TypeVar("T")


def lock_timeout() -> float:
    """Seconds a write waits for another process's write (``COLLABGRAPH_STORE_LOCK_TIMEOUT``)."""
    return seconds_from_env(
        LOCK_TIMEOUT_ENV,
        DEFAULT_LOCK_TIMEOUT,
        what="the lock wait",
        error=StoreError,
        allow_zero=True,
    )


def check_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, naming what it is when we know."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(db.SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the store file ({exc.strerror})") from None
    # An empty file is an empty database to SQLite, and what a reader sees of a new store
    # while its first write is under way.
    if not head or head == db.SQLITE_MAGIC:
        return
    if head[:2] == b"\x1f\x8b" and is_v1(path):
        raise StoreError(
            f"{path} is a collabgraph store of the previous format (gzip JSON lines, "
            f"format_version 1); convert it once with: collabgraph --store NEW.db import {path}"
        )
    raise StoreError(f"{path}: not a collabgraph store (neither SQLite nor a previous format)")


class EmbeddedStore:
    """A graph in the SQLite file at ``path`` (created on the first write)."""

    kind = "embedded"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._writes = False  # this connection has written: it has the larger page cache
        self._empty: sqlite3.Connection | None = None
        # Writes from several threads of this process take turns on the one connection.
        self._lock = threading.RLock()
        self._adjacency: Adjacency | None = None
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._memo_generation = -1
        if self.path.exists():
            self._open()

    @property
    def location(self) -> str:
        return str(self.path)

    # -- connections -------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        with self._lock:
            if self._conn is None:
                check_file(self.path)
                self._conn = db.connect(self.path, timeout=lock_timeout())
                if self._empty is not None:
                    self._empty.close()
                    self._empty = None
            return self._conn

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection reads use (autocommit: each statement sees the latest commits).

        Before the file exists this is an empty in-memory database of the same schema.
        """
        if self._conn is not None:
            return self._conn
        if self.path.exists():
            return self._open()
        with self._lock:
            if self._empty is None:
                self._empty = db.connect(":memory:", timeout=0)
            return self._empty

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), creating the file if needed.

        Waits for another process's write up to the lock timeout; SQLite's errors become a
        one-line :class:`StoreError`. The body bumps the generation itself when it changed
        something (:func:`db.bump_generation`).
        """
        timeout = lock_timeout()
        with self._lock:
            if self._conn is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._open()
            if not self._writes:
                conn.execute(f"PRAGMA cache_size = {db.WRITE_CACHE}")
                self._writes = True
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._write_error(exc, timeout) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise self._write_error(exc, timeout) from None
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement in the body sees the same committed state.

        Reads that take several statements (counts, a subgraph) use it, so that a write
        committed between two of them cannot show half of itself. Inside a write transaction
        of this store it simply reads that transaction's state.
        """
        with self._lock:
            conn = self.conn
            if conn.in_transaction:
                yield conn
                return
            conn.execute("BEGIN")  # deferred: the first read fixes the snapshot
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _write_error(self, exc: sqlite3.Error, timeout: float) -> StoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return StoreError(
                f"{self.path}: another collabgraph process is writing to this store; waited "
                f"{timeout:g} s for it to finish (set {LOCK_TIMEOUT_ENV} to wait longer)"
            )
        return StoreError(f"{self.path}: cannot write the store ({text})")

    # -- caches ------------------------------------------------------------------------------
    def generation(self) -> int:
        """The write counter in the file: it changes with every committed change."""
        return db.generation(self.conn)

    def adjacency(self) -> Adjacency:
        """The CSR adjacency of the current data, rebuilt when the generation changed."""
        current = self._adjacency
        if current is not None and current.generation == self.generation():
            return current
        with self._lock:
            current = self._adjacency
            if current is None or current.generation != self.generation():
                self._adjacency = None  # let the old arrays go before the new ones are built
                current = self._adjacency = build(self.conn)
            return current

    def built_adjacency(self) -> Adjacency | None:
        """The adjacency if one of the current generation is already built, else None."""
        current = self._adjacency
        if current is not None and current.generation == self.generation():
            return current
        return None

    def memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """``build()``'s result, kept until the store's data changes (any writer, any process)."""
        current = self.generation()
        if current != self._memo_generation:
            self._memo = {}
            self._memo_generation = current
        try:
            found: T = self._memo[key]
            return found
        except KeyError:
            pass
        value = build()
        if self._memo_generation == current:
            self._memo[key] = value
        return value

    # -- contract ----------------------------------------------------------------------------
    def writer(self, *, batch_size: int = 5000) -> EmbeddedWriter:
        return EmbeddedWriter(self, batch_size=batch_size)

    def view(self) -> EmbeddedView:
        return EmbeddedView(self)

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        wanted = list(dict.fromkeys(node_ids))
        if not wanted:
            return 0
        with self.transaction() as conn:
            idxs = list(db.idx_of(conn, wanted).values())
            for part in db.chunks(idxs):
                inside = db.marks(len(part))
                conn.execute(f"DELETE FROM rels WHERE s IN ({inside})", part)
                conn.execute(f"DELETE FROM rels WHERE e IN ({inside})", part)
                conn.execute(f"DELETE FROM nodes WHERE idx IN ({inside})", part)
            if idxs:
                db.bump_generation(conn)
        return len(idxs)

    def clear(self) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM rels")
            conn.execute("DELETE FROM nodes")
            db.bump_generation(conn)  # never reset: caches compare generations

    def user_query(
        self, text: str, params: Mapping[str, Any], *, max_rows: int, timeout: float
    ) -> QueryResult:
        """The embedded store has no query language of its own."""
        raise StoreError(
            "Cypher needs Neo4j: this is the embedded store; use --store bolt://… "
            "(or the paths, exposure, neighbourhood commands, which work on both)"
        )

    def close(self) -> None:
        """Close the connection (a later use opens it again)."""
        with self._lock:
            for conn in (self._conn, self._empty):
                if conn is not None:
                    conn.close()
            self._conn = self._empty = None
            self._writes = False
            self._adjacency = None
            self._memo = {}
            self._memo_generation = -1

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"

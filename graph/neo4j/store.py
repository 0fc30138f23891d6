"""The Neo4j store, on the official ``neo4j`` driver.

The driver is made once per process by :func:`graph.open.connect` and injected here. Writes are
``UNWIND $rows`` batches, one managed transaction per batch (the driver retries transient
failures; see :mod:`.writer`); reads use read routing, so the same code works against a
cluster or Aura. Every Cypher text comes from ``cypher/`` (:mod:`.cypher`) or is derived from
the schema (:mod:`.cypher_write`); values travel as parameters.

The store owns a cache (:mod:`.memo`) for structures derived from the data, such as the
distance-to-risk index the path search prunes with: nothing derived is ever written to the
database, and any write, by this process or another, makes the next question rebuild what it
needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Bookmarks,
    Driver,
    ManagedTransaction,
    NotificationDisabledClassification,
    Record,
    Session,
)

from ..contract import QueryResult
from . import cypher, cypher_write, user_query
from .cypher import q
from .memo import Memo, Version
from .view import Neo4jView
from .writer import Neo4jWriter


class Neo4jStore:
    """A graph in a Neo4j database. The caller owns ``driver`` and closes it."""

    kind = "neo4j"

    def __init__(self, driver: Driver, *, database: str | None = None, uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self._uri = uri
        # Bumped after every write made through this store object, with the bookmark that
        # write left (None when unknown: it failed, or the server gives none); see memo.py.
        self.generation = 0
        self._written: str | None = None
        self.memo = Memo()
        self.ensure_schema()

    @property
    def location(self) -> str:
        return self._uri + (f" (database {self.database})" if self.database else "")

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints and indexes the schema implies (idempotent)."""
        for statement in cypher_write.constraints():
            self.driver.execute_query(q(statement), database_=self.database)

    def session(self, *, read: bool) -> Session:
        """A session for this package's own queries. Neo4j's notices about labels, types or
        property keys a database does not hold yet are not asked for: a query that names
        MILITARY_LINK on a graph without one is right, and the notice would reach the log."""
        return self.driver.session(
            database=self.database,
            default_access_mode=READ_ACCESS if read else WRITE_ACCESS,
            notifications_disabled_classifications=_QUIET,
        )

    def read(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """Run a read-only query of this package in a managed read transaction (retried on
        transient failures, read routing); returns plain dicts."""
        with self.session(read=True) as session:
            return session.execute_read(_records, text, params)

    def stream(self, text: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Like :meth:`read`, but yields records as they arrive (bounded memory)."""
        with self.session(read=True) as session:
            for record in session.run(q(text), params):
                yield record.data()

    def database_version(self) -> str | None:
        """The bookmark of a trivial read: it changes with every committed write (None if the
        server gives none)."""
        with self.session(read=True) as session:
            session.run(q(cypher.render("database_version"))).consume()
            return _spelled(session.last_bookmarks())

    def changed(self, bookmarks: Bookmarks | None) -> None:
        """Note a write made through this store, with the bookmarks of the session that made
        it when it succeeded (writers and maintenance call it)."""
        self._written = _spelled(bookmarks) if bookmarks is not None else None
        self.generation += 1

    def local_version(self) -> Version:
        """The version of the data after this store's last write: its bookmark, or when that
        is unknown a version of its own."""
        written, generation = self._written, self.generation
        return ("db", written) if written is not None else ("local", generation)

    # -- contract ----------------------------------------------------------------------------
    def writer(self, *, batch_size: int = 5000) -> Neo4jWriter:
        return Neo4jWriter(self, batch_size=batch_size)

    def view(self) -> Neo4jView:
        return Neo4jView(self)

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(node_ids))
        done: Bookmarks | None = None
        try:
            with self.session(read=False) as session:
                found = session.execute_write(_delete_nodes, ids)
                done = session.last_bookmarks()
        finally:
            self.changed(done)
        return int(found["deleted"]) if found is not None else 0

    def clear(self) -> None:
        done: Bookmarks | None = None
        try:
            with self.session(read=False) as session:
                session.run(q(cypher.render("clear_relationships"))).consume()
                session.run(q(cypher.render("clear"))).consume()
                done = session.last_bookmarks()
        finally:
            self.changed(done)

    def user_query(
        self, text: str, params: Mapping[str, Any], *, max_rows: int, timeout: float
    ) -> QueryResult:
        """Run a user's Cypher if Neo4j plans it as a read (see :mod:`.user_query`)."""
        return user_query.run(self, text, params, max_rows=max_rows, timeout=timeout)

    def close(self) -> None:
        """The driver belongs to the caller; nothing else to release."""
        self.memo.clear()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.location!r})"


_QUIET = [NotificationDisabledClassification.UNRECOGNIZED]


def _records(tx: ManagedTransaction, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(q(text), params)]


def _delete_nodes(tx: ManagedTransaction, ids: list[str]) -> Record | None:
    return tx.run(q(cypher.render("delete_nodes")), ids=ids).single()


def _spelled(bookmarks: Bookmarks) -> str | None:
    values = bookmarks.raw_values
    return "|".join(sorted(values)) if values else None

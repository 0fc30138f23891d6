"""The Neo4j store's writer: batched, idempotent upserts and deletions by key.

Each batch is one managed transaction (the driver retries transient failures with backoff for a
bounded time before giving up), nodes before relationships. After every write the store's
change counter moves, so its cache (:mod:`.memo`) is rebuilt before the next question uses it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from neo4j import Bookmarks, ManagedTransaction
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from ..errors import SchemaError, StoreError
from ..records import Node, Relationship, merge_props, validate_node, validate_relationship
from ..schema import SCHEMA
from . import cypher, cypher_write
from .cypher import q
from .nodes import schema_label

if TYPE_CHECKING:
    from .store import Neo4jStore

# Keys per statement when deleting relationships.
DELETE_CHUNK = 10_000


class Neo4jWriter:
    """Buffers records and writes each batch in one transaction, nodes before relationships.

    Repeats within a batch (the same institution on many papers, the same author on several)
    are merged here with :func:`merge_props`, the rules the Cypher applies, so each element is
    one row of one ``UNWIND`` statement. The rules are associative, so merging repeats first
    and then into the stored element gives what writing them one by one would.
    """

    def __init__(self, store: Neo4jStore, *, batch_size: int) -> None:
        self.store = store
        self.batch_size = batch_size
        # (label, id) -> properties; (type, start, end, key props...) -> properties.
        self._nodes: dict[tuple[str, str], dict[str, Any]] = {}
        self._rels: dict[tuple[str, ...], tuple[Relationship, dict[str, Any]]] = {}

    def upsert_nodes(self, nodes: Iterable[Node], *, validated: bool = False) -> None:
        """Buffer ``nodes``; ``validated=True`` skips the per-record property checks."""
        pending = self._nodes
        for node in nodes:
            if not validated:
                validate_node(node)
            key = (node.label, node.id)
            earlier = pending.get(key)
            if earlier is None:
                pending[key] = node.props
            else:
                pending[key] = merge_props(earlier, node.props, SCHEMA.node_properties(node.label))
            if len(pending) >= self.batch_size:
                self.flush()
                pending = self._nodes

    def upsert_relationships(
        self, relationships: Iterable[Relationship], *, validated: bool = False
    ) -> None:
        """Buffer ``relationships``; ``validated=True`` skips the per-record property checks."""
        pending = self._rels
        for rel in relationships:
            if not validated:
                validate_relationship(rel)
            key = rel.key
            earlier = pending.get(key)
            if earlier is None:
                pending[key] = (rel, rel.props)
            else:
                specs = SCHEMA.rel_properties(rel.type)
                pending[key] = (rel, merge_props(earlier[1], rel.props, specs))
            if len(pending) >= self.batch_size:
                self.flush()
                pending = self._rels

    def delete_relationships(self, keys: Iterable[tuple[str, ...]]) -> int:
        """Remove the relationships with these keys (:attr:`Relationship.key`), in one
        transaction after what is buffered; how many there were. A key that names no
        relationship is skipped; one that cannot be a key (unknown type, wrong length) is an
        error and nothing is removed."""
        by_type: dict[str, dict[tuple[str, ...], dict[str, Any]]] = defaultdict(dict)
        for key in keys:
            key = tuple(key)
            if len(key) < 3:
                raise SchemaError(f"not a relationship key: {key!r}")
            start, rel_type, end, *rest = key
            spec = SCHEMA.rel(rel_type)
            if len(rest) != len(spec.key):
                raise SchemaError(
                    f"{rel_type} key {key!r}: give start, type, end and {list(spec.key)}"
                )
            by_type[rel_type][key] = {"s": start, "e": end, "k": list(rest)}
        self.flush()
        if not by_type:
            return 0
        rows_by_type = {t: list(rows.values()) for t, rows in by_type.items()}
        done: Bookmarks | None = None
        try:
            with self.store.session(read=False) as session:
                deleted = int(session.execute_write(_delete_batch, rows_by_type))
                done = session.last_bookmarks()
        except (ServiceUnavailable, SessionExpired, TransientError) as exc:
            raise StoreError(
                f"lost Neo4j at {self.store.location} while deleting relationships "
                f"({type(exc).__name__}); none were deleted"
            ) from None
        finally:
            self.store.changed(done)
        return deleted

    def flush(self) -> None:
        nodes, rels = self._nodes, self._rels
        self._nodes, self._rels = {}, {}
        if not nodes and not rels:
            return
        rows = cypher_write.Rows()
        by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (label, node_id), props in nodes.items():
            by_label[label].append(rows.node(label, node_id, props))
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for rel, props in rels.values():
            by_type[rel.type].append(rows.relationship(rel.type, rel.start, rel.end, props))
        done: Bookmarks | None = None
        try:
            with self.store.session(read=False) as session:
                session.execute_write(_write_batch, by_label, by_type, rows.shared)
                done = session.last_bookmarks()
        except (ServiceUnavailable, SessionExpired, TransientError) as exc:
            raise StoreError(
                f"lost Neo4j at {self.store.location} while writing a batch of {len(nodes)} "
                f"nodes and {len(rels)} relationships ({type(exc).__name__}); that batch "
                "was not written"
            ) from None
        finally:
            # Even a failed commit may have landed (an unknown outcome): count it as a change.
            self.store.changed(done)

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
            self._nodes, self._rels = {}, {}


def _write_batch(
    tx: ManagedTransaction,
    by_label: dict[str, list[dict[str, Any]]],
    by_type: dict[str, list[dict[str, Any]]],
    shared: list[dict[str, Any]],
) -> None:
    for label, rows in by_label.items():
        tx.run(q(cypher_write.merge_nodes(label)), rows=rows, shared=shared).consume()
    for rel_type, rows in by_type.items():
        query = q(cypher_write.merge_relationships(rel_type))
        written = tx.run(query, rows=rows, shared=shared).single()
        if written is None or written["written"] != len(rows):
            _raise_endpoint_error(tx, rel_type, rows)


def _delete_batch(tx: ManagedTransaction, rows_by_type: dict[str, list[dict[str, Any]]]) -> int:
    deleted = 0
    for rel_type, rows in rows_by_type.items():
        query = q(cypher_write.delete_relationships(rel_type))
        for at in range(0, len(rows), DELETE_CHUNK):
            found = tx.run(query, rows=rows[at : at + DELETE_CHUNK]).single()
            deleted += int(found["deleted"]) if found is not None else 0
    return deleted


def _raise_endpoint_error(
    tx: ManagedTransaction, rel_type: str, rows: list[dict[str, Any]]
) -> None:
    """Name the first relationship whose endpoints are missing or of the wrong label."""
    for found in tx.run(q(cypher.render("endpoint_labels")), rows=rows):
        rel = Relationship(rel_type, found["s"], found["e"])
        for side, labels in (("start", found["start_labels"]), ("end", found["end_labels"])):
            if labels is None:
                node_id = rel.start if side == "start" else rel.end
                raise SchemaError(f"{rel.describe()}: endpoint {node_id!r} does not exist")
        validate_relationship(
            rel, schema_label(found["start_labels"]), schema_label(found["end_labels"])
        )
    raise SchemaError(f"{rel_type} batch: some relationships could not be written")

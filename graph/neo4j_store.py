"""The Neo4j store, on the official ``neo4j`` driver.

The driver is made once per process by :func:`graph.open.connect` and injected here. Writes are
``UNWIND $rows`` batches, one managed transaction per batch (the driver retries transient
failures); reads use read routing, so the same code works against a cluster or Aura.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, LiteralString, Self

from neo4j import Driver, ManagedTransaction, RoutingControl
from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

from collabgraph.queries import cypher, cypher_write

from .contract import Counts, Direction, Subgraph
from .errors import SchemaError, StoreError
from .records import Node, Relationship, merge_props, validate_node, validate_relationship
from .schema import SCHEMA


def _q(text: str) -> LiteralString:
    # Every text reaching the driver comes from queries/ (files and schema-derived clauses).
    return text


def _label_of(labels: Iterable[str]) -> str:
    for label in labels:
        if label in SCHEMA.nodes:
            return label
    raise SchemaError(f"node with labels {list(labels)} has no schema label")


def _node(record_id: str, labels: list[str], props: dict[str, Any]) -> Node:
    props = {k: v for k, v in SCHEMA.facts(props).items() if k != "id"}
    return Node(_label_of(labels), record_id, props)


class Neo4jStore:
    """A graph in a Neo4j database. The caller owns ``driver`` and closes it."""

    kind = "neo4j"

    def __init__(self, driver: Driver, *, database: str | None = None, uri: str = "") -> None:
        self.driver = driver
        self.database = database
        self._uri = uri
        self.ensure_schema()

    @property
    def location(self) -> str:
        return self._uri + (f" (database {self.database})" if self.database else "")

    def ensure_schema(self) -> None:
        """Create the uniqueness constraints and indexes the schema implies (idempotent)."""
        for statement in cypher_write.constraints():
            self.driver.execute_query(_q(statement), database_=self.database)

    def read(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """Run a read-only query from queries/ with read routing; returns plain dicts."""
        records, _, _ = self.driver.execute_query(
            _q(text), params, database_=self.database, routing_=RoutingControl.READ
        )
        return [record.data() for record in records]

    def stream(self, text: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Like :meth:`read`, but yields records as they arrive (bounded memory)."""
        with self.driver.session(database=self.database, default_access_mode="READ") as session:
            for record in session.run(_q(text), params):
                yield record.data()

    # -- contract ----------------------------------------------------------------------------
    def writer(self, *, batch_size: int = 5000) -> Neo4jWriter:
        return Neo4jWriter(self, batch_size=batch_size)

    def view(self) -> Neo4jView:
        return Neo4jView(self)

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        records, _, _ = self.driver.execute_query(
            _q(cypher.render("delete_nodes")), {"ids": list(node_ids)}, database_=self.database
        )
        return int(records[0]["deleted"]) if records else 0

    def clear(self) -> None:
        with self.driver.session(database=self.database) as session:
            session.run(_q(cypher.render("clear_relationships"))).consume()
            session.run(_q(cypher.render("clear"))).consume()

    def close(self) -> None:
        """The driver belongs to the caller; nothing else to release."""

    def __repr__(self) -> str:
        return f"Neo4jStore({self.location!r})"


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
        try:
            with self.store.driver.session(database=self.store.database) as session:
                # A managed transaction: the driver retries transient failures with backoff
                # for a bounded time (max_transaction_retry_time) before giving up.
                session.execute_write(self._write_batch, by_label, by_type, rows.shared)
        except (ServiceUnavailable, SessionExpired, TransientError) as exc:
            raise StoreError(
                f"lost Neo4j at {self.store.location} while writing a batch of {len(nodes)} "
                f"nodes and {len(rels)} relationships ({type(exc).__name__}); that batch "
                "was not written"
            ) from None

    @staticmethod
    def _write_batch(
        tx: ManagedTransaction,
        by_label: dict[str, list[dict[str, Any]]],
        by_type: dict[str, list[dict[str, Any]]],
        shared: list[dict[str, Any]],
    ) -> None:
        for label, rows in by_label.items():
            tx.run(_q(cypher_write.merge_nodes(label)), rows=rows, shared=shared).consume()
        for rel_type, rows in by_type.items():
            query = _q(cypher_write.merge_relationships(rel_type))
            written = tx.run(query, rows=rows, shared=shared).single()
            if written is None or written["written"] != len(rows):
                _raise_endpoint_error(tx, rel_type, rows)

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


def _raise_endpoint_error(
    tx: ManagedTransaction, rel_type: str, rows: list[dict[str, Any]]
) -> None:
    """Name the first relationship whose endpoints are missing or of the wrong label."""
    for found in tx.run(_q(cypher.render("endpoint_labels")), rows=rows):
        rel = Relationship(rel_type, found["s"], found["e"])
        for side, labels in (("start", found["start_labels"]), ("end", found["end_labels"])):
            if labels is None:
                node_id = rel.start if side == "start" else rel.end
                raise SchemaError(f"{rel.describe()}: endpoint {node_id!r} does not exist")
        validate_relationship(rel, _label_of(found["start_labels"]), _label_of(found["end_labels"]))
    raise SchemaError(f"{rel_type} batch: some relationships could not be written")


class Neo4jView:
    """Reads with read routing."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store

    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        rows = self.store.read(cypher.render("get_nodes"), ids=list(node_ids))
        return {r["id"]: _node(r["id"], r["labels"], r["props"]) for r in rows}

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        type_list = [SCHEMA.rel(t).type for t in types] if types is not None else None
        rows = self.store.read(
            cypher.render("neighbours"), id=node_id, types=type_list, direction=direction
        )
        found = [
            (
                Relationship(r["type"], r["s"], r["e"], r["props"]),
                _node(r["other_id"], r["other_labels"], r["other_props"]),
            )
            for r in rows
        ]
        found.sort(key=lambda pair: (pair[0].type, pair[0].start, pair[0].end))
        return found

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        rows = self.store.read(cypher.render("relationships_between"), ids=list(node_ids))
        rels = [Relationship(r["type"], r["s"], r["e"], r["props"]) for r in rows]
        return sorted(rels, key=lambda r: r.key)

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]:
        for one in [label] if label is not None else list(SCHEMA.nodes):
            for r in self.store.stream(cypher.render("iter_nodes", label=one)):
                yield _node(r["id"], r["labels"], r["props"])

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]:
        for one in [rel_type] if rel_type is not None else list(SCHEMA.relationships):
            for r in self.store.stream(cypher.render("iter_relationships", rel_type=one)):
                yield Relationship(r["type"], r["s"], r["e"], r["props"])

    def counts(self) -> Counts:
        nodes = {
            label: self.store.read(cypher.render("count_label", label=label))[0]["count"]
            for label in SCHEMA.nodes
        }
        rels = {
            t: self.store.read(cypher.render("count_type", rel_type=t))[0]["count"]
            for t in SCHEMA.relationships
        }
        return Counts(nodes, rels)

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        ids = list(dict.fromkeys(node_ids))
        found = self.get_nodes(ids)
        return Subgraph([found[n] for n in ids if n in found], self.relationships_between(ids))

"""The store contract: what every back-end (embedded networkx file, Neo4j) provides.

A :class:`Store` hands out a :class:`GraphWriter` for bulk, idempotent upserts (a context manager
that commits on a clean exit and discards its pending batch on error) and a :class:`GraphView`
for reads. The shared contract suite in tests/store/ runs the same checks on every store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Protocol, Self, runtime_checkable

from .records import Node, Relationship

Direction = Literal["out", "in", "both"]


@dataclass
class Counts:
    """Node counts by label and relationship counts by type (zero counts included)."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}


@dataclass
class Subgraph:
    """A set of nodes and the relationships among them."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)


@runtime_checkable
class GraphWriter(Protocol):
    """Bulk writer. Upserts merge properties by the schema's rules, so re-writing is harmless.

    Records are validated before anything is written; a batch that fails leaves nothing of
    itself behind. Relationships whose endpoints do not exist are an error, never dropped.
    ``validated=True`` says the caller has already run ``validate_node`` /
    ``validate_relationship`` on every record (the ingest pipeline does, record by record), so
    the writer skips those property checks; the checks that need the graph (endpoints exist and
    carry the schema's labels, one id never names two labels) always run.
    """

    def upsert_nodes(self, nodes: Iterable[Node], *, validated: bool = False) -> None: ...

    def upsert_relationships(
        self, relationships: Iterable[Relationship], *, validated: bool = False
    ) -> None: ...

    def flush(self) -> None:
        """Write what is buffered now (one transaction per batch on Neo4j)."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class GraphView(Protocol):
    """Read-only access."""

    def get_node(self, node_id: str) -> Node | None: ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]: ...

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        """Relationships touching ``node_id`` with the node at their other end, sorted."""

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        """Every relationship whose both ends are in ``node_ids``."""

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]: ...

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]: ...

    def counts(self) -> Counts: ...

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph: ...


@runtime_checkable
class Store(Protocol):
    """A graph store: where it lives, a writer, a view, and maintenance operations."""

    kind: str

    @property
    def location(self) -> str:
        """Where the data lives, safe to print (no credentials)."""

    def writer(self, *, batch_size: int = 5000) -> GraphWriter: ...

    def view(self) -> GraphView: ...

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        """Remove nodes and every relationship touching them; returns how many were removed."""

    def clear(self) -> None:
        """Remove every node and relationship (the schema stays)."""

    def close(self) -> None: ...

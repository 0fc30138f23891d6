"""Reading the embedded store: the contract's view over the in-memory networkx graph.

Node attributes are ``{label, props}``, edge attributes ``{type, props}`` (graph/embedded.py).
Every node and relationship handed out carries a copy of its properties, so a caller editing
them never changes the graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from .contract import Counts, Direction, Subgraph
from .records import Node, Relationship
from .schema import SCHEMA


class EmbeddedView:
    """Reads straight from the in-memory graph."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph

    def _node(self, node_id: str) -> Node:
        data = self.graph.nodes[node_id]
        return Node(data["label"], node_id, dict(data["props"]))

    def get_node(self, node_id: str) -> Node | None:
        return self._node(node_id) if node_id in self.graph else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return {n: self._node(n) for n in node_ids if n in self.graph}

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        if node_id not in self.graph:
            return []
        wanted = set(types) if types is not None else None
        found: list[tuple[Relationship, Node]] = []
        edges: list[tuple[str, str, dict[str, Any]]] = []
        if direction in ("out", "both"):
            edges += list(self.graph.out_edges(node_id, data=True))
        if direction in ("in", "both"):
            edges += [
                e
                for e in self.graph.in_edges(node_id, data=True)
                if not (direction == "both" and e[0] == e[1])
            ]
        for start, end, data in edges:
            if wanted is not None and data["type"] not in wanted:
                continue
            other = end if start == node_id else start
            found.append(
                (Relationship(data["type"], start, end, dict(data["props"])), self._node(other))
            )
        found.sort(key=lambda pair: (pair[0].type, pair[0].start, pair[0].end))
        return found

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        sub = self.graph.subgraph(set(node_ids))
        rels = [Relationship(d["type"], s, e, dict(d["props"])) for s, e, d in sub.edges(data=True)]
        return sorted(rels, key=lambda r: r.key)

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]:
        if label is not None:
            SCHEMA.node(label)
        for node_id, data in self.graph.nodes(data=True):
            if label is None or data["label"] == label:
                yield Node(data["label"], node_id, dict(data["props"]))

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]:
        if rel_type is not None:
            SCHEMA.rel(rel_type)
        for start, end, data in self.graph.edges(data=True):
            if rel_type is None or data["type"] == rel_type:
                yield Relationship(data["type"], start, end, dict(data["props"]))

    def counts(self) -> Counts:
        counts = Counts({label: 0 for label in SCHEMA.nodes}, {t: 0 for t in SCHEMA.relationships})
        for _, label in self.graph.nodes(data="label"):
            counts.nodes[label] += 1
        for _, _, rel_type in self.graph.edges(data="type"):
            counts.relationships[rel_type] += 1
        return counts

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        ids = [n for n in dict.fromkeys(node_ids) if n in self.graph]
        return Subgraph([self._node(n) for n in ids], self.relationships_between(ids))

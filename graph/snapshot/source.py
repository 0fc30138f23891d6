"""What an export reads (a whole store or a subgraph) and what it records while writing."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any, Self

import click

from collabgraph.graph.contract import GraphView, Subgraph
from collabgraph.graph.records import Node, Relationship


class Source:
    """Nodes and relationships to export: a store's view (streamed) or a subgraph (in memory).

    Each call starts a fresh pass, so a format may read the graph more than once (CSV does).
    """

    def __init__(self, view: GraphView, subgraph: Subgraph | None = None) -> None:
        self.view = view
        self.subgraph = subgraph

    def nodes(self, label: str | None = None) -> Iterator[Node]:
        if self.subgraph is None:
            yield from self.view.iter_nodes(label)
        else:
            yield from (n for n in self.subgraph.nodes if label is None or n.label == label)

    def relationships(self, rel_type: str | None = None) -> Iterator[Relationship]:
        if self.subgraph is None:
            yield from self.view.iter_relationships(rel_type)
        else:
            yield from (
                r for r in self.subgraph.relationships if rel_type is None or r.type == rel_type
            )

    def total(self) -> int:
        """How many elements one pass yields (for the progress bar)."""
        if self.subgraph is not None:
            return len(self.subgraph.nodes) + len(self.subgraph.relationships)
        counts = self.view.counts()
        return sum(counts.nodes.values()) + sum(counts.relationships.values())


class Tracker:
    """Counts what was written, collects source datasets and drives the stderr progress bar."""

    def __init__(self, total: int, *, quiet: bool, label: str = "exporting") -> None:
        self.nodes: Counter[str] = Counter()
        self.relationships: Counter[str] = Counter()
        self.datasets: dict[str, set[str]] = defaultdict(set)
        self._bar: Any = None
        if not quiet:
            self._bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr)

    def reset(self) -> None:
        """Forget the counts (a format that restarts its pass calls this)."""
        self.nodes.clear()
        self.relationships.clear()
        self.datasets.clear()

    def _provenance(self, props: dict[str, Any]) -> None:
        source = props.get("source")
        for dataset in [*(props.get("sources") or []), *([source] if source else [])]:
            self.datasets[str(dataset)]
        if source and props.get("source_version"):
            self.datasets[str(source)].add(str(props["source_version"]))

    def node(self, node: Node) -> None:
        self.nodes[node.label] += 1
        self._provenance(node.props)
        self._step()

    def relationship(self, rel: Relationship) -> None:
        self.relationships[rel.type] += 1
        self._provenance(rel.props)
        self._step()

    def track_nodes(self, nodes: Iterable[Node]) -> Iterator[Node]:
        for node in nodes:
            self.node(node)
            yield node

    def track_relationships(self, rels: Iterable[Relationship]) -> Iterator[Relationship]:
        for rel in rels:
            self.relationship(rel)
            yield rel

    def _step(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def __enter__(self) -> Self:
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)

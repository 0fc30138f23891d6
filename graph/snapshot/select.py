"""Choosing a subgraph to export: the neighbourhood of a node, by breadth-first search.

A stand-in until a shared neighbourhood query exists in queries/: it walks
``view.neighbours()`` (both directions, every type unless ``types`` is given) up to ``hops``.
"""

from __future__ import annotations

from collections.abc import Iterable

from collabgraph.graph.contract import GraphView, Subgraph
from collabgraph.graph.errors import CollabgraphError, NodeNotFound

MAX_HOPS = 6


def neighbourhood(
    view: GraphView, node_id: str, *, hops: int, types: Iterable[str] | None = None
) -> Subgraph:
    """The nodes within ``hops`` of ``node_id`` and every relationship among them.

    >>> len(neighbourhood(view, "openalex:A1", hops=1).nodes)  # doctest: +SKIP
    3
    """
    if not 0 <= hops <= MAX_HOPS:
        raise CollabgraphError(f"--hops must be between 0 and {MAX_HOPS}, got {hops}")
    if view.get_node(node_id) is None:
        raise NodeNotFound(f"no node has id {node_id!r}")
    wanted = list(types) if types is not None else None
    seen = {node_id: 0}
    frontier = [node_id]
    for depth in range(1, hops + 1):
        following: list[str] = []
        for current in frontier:
            for _, other in view.neighbours(current, types=wanted):
                if other.id not in seen:
                    seen[other.id] = depth
                    following.append(other.id)
        frontier = following
    return view.subgraph(seen)

"""The plain (unpruned) embedded paths_to_risk search: the reference the fast searches are
tested against. It was the implementation before the distance-to-risk index."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import YearWindow, effective_tier, embedded_listings
from collabgraph.queries.paths import RelKey, _RawPath, _shortest_in_order, rel_key
from collabgraph.queries.risk_distance import node_passes, rel_passes


def between_of(steps: Any) -> Any:
    def between(u: str, v: str) -> list[tuple[RelKey, dict[str, Any]]]:
        return [(key, props) for w, key, props in steps(u) if w == v]

    return between


def embedded_reference(
    store: Store,
    source: str,
    max_hops: int,
    floor: Tier,
    types: list[str],
    years: YearWindow | None,
    k: int,
) -> list[_RawPath]:
    """The plain search kept as the reference the fast one is tested against."""
    graph = store.graph  # type: ignore[attr-defined]
    wanted = set(types)

    def edges(u: str) -> Iterator[tuple[str, RelKey, dict[str, Any]]]:
        for s, e, data in graph.out_edges(u, data=True):
            yield e, rel_key(data["type"], s, e, data["props"]), data
        for s, e, data in graph.in_edges(u, data=True):
            if s != e:
                yield s, rel_key(data["type"], s, e, data["props"]), data

    def steps(u: str) -> Iterator[tuple[str, RelKey, dict[str, Any]]]:
        for v, key, data in edges(u):
            if data["type"] not in wanted or not rel_passes(data["type"], data["props"], years):
                continue
            vdata = graph.nodes[v]
            if node_passes(vdata["label"], vdata["props"], years):
                yield v, key, data["props"]

    # Breadth-first search up to max_hops, keeping every shortest-path predecessor.
    dist = {source: 0}
    preds: dict[str, set[str]] = {}
    queue = deque([source])
    while queue:
        u = queue.popleft()
        if dist[u] == max_hops:
            continue
        for v, _, _ in steps(u):
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
            if dist[v] == dist[u] + 1:
                preds.setdefault(v, set()).add(u)
    # Only the institutions reached need their tier: reading every listing would cost more.
    targets = sorted(
        t
        for t in dist
        if t != source
        and graph.nodes[t]["label"] == "Institution"
        and effective_tier(embedded_listings(graph, t), graph.nodes[t]["props"].get("tier"))
        >= floor
    )
    out: list[_RawPath] = []
    for target in targets:
        out.extend(_shortest_in_order(graph, source, target, preds, between_of(steps), k))
    return out

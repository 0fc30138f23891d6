"""The plain (unpruned) paths_to_risk search: the reference the store-pruned search is tested
against. It reads the whole graph through the element reads of the contract (iter_nodes,
iter_relationships), so it runs the same on every store and shares nothing with the primitives."""

from __future__ import annotations

from collections import deque
from itertools import product
from typing import Any

from collabgraph.graph.contract import GraphView
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.risk import YearWindow, effective_tier, listing_from, node_passes, rel_passes
from collabgraph.graph.tiers import Tier
from collabgraph.queries.paths import RelKey, _RawPath, rel_key

Step = tuple[str, RelKey, dict[str, Any]]


def plain_search(
    view: GraphView,
    source: str,
    max_hops: int,
    floor: Tier,
    types: list[str],
    years: YearWindow | None,
    k: int,
    limit: int,
) -> list[_RawPath]:
    """Every reached target's first ``k`` shortest paths, by breadth-first search."""
    nodes = {n.id: n for n in view.iter_nodes()}
    rels = list(view.iter_relationships())
    wanted = set(types)
    adjacency: dict[str, list[Step]] = {}
    listed: dict[str, list[Relationship]] = {}
    for rel in rels:
        if rel.type == "LISTED_ON":
            listed.setdefault(rel.start, []).append(rel)
        if rel.type not in wanted or not rel_passes(rel.type, rel.props, years):
            continue
        key = rel_key(rel.type, rel.start, rel.end, rel.props)
        adjacency.setdefault(rel.start, []).append((rel.end, key, rel.props))
        if rel.start != rel.end:
            adjacency.setdefault(rel.end, []).append((rel.start, key, rel.props))

    def steps(u: str) -> list[Step]:
        return [
            s
            for s in adjacency.get(u, [])
            if node_passes(nodes[s[0]].label, nodes[s[0]].props, years)
        ]

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

    def tier(node: Node) -> Tier:
        listings = [
            listing_from(node.id, r.end, nodes[r.end].props, r.props)
            for r in listed.get(node.id, [])
        ]
        return effective_tier(listings, node.props.get("tier"))

    targets = sorted(
        t
        for t in dist
        if t != source and nodes[t].label == "Institution" and tier(nodes[t]) >= floor
    )
    out: list[_RawPath] = []
    for target in targets:
        out.extend(_first_paths(nodes, source, target, preds, steps, k))
    return out


def _first_paths(
    nodes: dict[str, Node],
    source: str,
    target: str,
    preds: dict[str, set[str]],
    steps: Any,
    k: int,
) -> list[_RawPath]:
    """The first ``k`` shortest paths to ``target`` in (node ids, relationship keys) order."""
    found: list[_RawPath] = []

    def walk(trail: list[str]) -> None:
        u = trail[-1]
        if u == source:
            sequence = trail[::-1]
            hops = [
                sorted(((key, props) for w, key, props in steps(a) if w == b), key=lambda x: x[0])
                for a, b in zip(sequence, sequence[1:], strict=False)
            ]
            elements = tuple((n, nodes[n].label, nodes[n].props) for n in sequence)
            found.extend(_RawPath(elements, tuple(combo)) for combo in product(*hops))
            return
        for p in sorted(preds.get(u, ())):
            trail.append(p)
            walk(trail)
            trail.pop()

    # Every shortest path, walked back from the target, then the first k in order: plain,
    # and fine on the small graphs the tests compare on.
    walk([target])
    found.sort(key=_RawPath.sort_key)
    return found[:k]

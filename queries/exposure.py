"""exposure: how much listed risk a researcher or institution can reach, with the paths why.

The score of a node ``n`` sums, over every institution ``I`` at or above ``min_tier`` within
``max_hops`` (undirected, over the weighted relationship types), ``risk(I) × strength(n, I)``,
where ``strength`` is the best path's product of relationship weights times ``decay`` per hop
after the first. Weights and decay are at most 1, so the best path is always a simple one and
each contribution is exactly one path, which is shown. A node's own listing does not count.

Defaults and why (all configurable):

* AFFILIATED_WITH 1.0 — a researcher's own institution is the closest tie there is;
* PART_OF 0.9 — a lab inherits almost all of its parent's standing;
* MILITARY_LINK 0.8 — a documented defence link, one step removed from the institution;
* AUTHORED 0.7 — one step of a co-authorship (researcher → paper → co-author is 0.49);
* CO_AUTHORED 0 — not traversed by default: AUTHORED already reaches the co-author through the
  paper; give it a weight (0.5 is sensible) to use derived co-authorship edges instead;
* decay 0.5 per hop after the first, so a co-author's institution counts for a quarter;
* risk: very high 1.0, high 0.75, medium 0.5, low 0.25.

The whole-graph ranking propagates outwards from each risky institution (a hop-bounded
max-product Bellman-Ford), so its cost grows with the risky institutions' neighbourhoods, not
with the number of researchers. Both stores run the same scoring code; Neo4j supplies the
edges through exposure_edges.cypher / exposure_ball.cypher.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.tiers import Tier

from . import cypher
from .common import TRAVERSABLE_TYPES, check_hops, display_name
from .risk import risky_institutions

DEFAULT_WEIGHTS: dict[str, float] = {
    "AFFILIATED_WITH": 1.0,
    "PART_OF": 0.9,
    "MILITARY_LINK": 0.8,
    "AUTHORED": 0.7,
    "CO_AUTHORED": 0.0,
}
DEFAULT_DECAY = 0.5
TIER_RISK: dict[Tier, float] = {
    Tier.VERY_HIGH: 1.0,
    Tier.HIGH: 0.75,
    Tier.MEDIUM: 0.5,
    Tier.LOW: 0.25,
}
# The ranking lists researchers by default: institutions that supervise many listed ones
# (ministries, SASTIND) would otherwise fill the top of it. Pass labels to rank institutions.
SCORED_LABELS = ("Researcher",)
# Scores are compared after rounding, so float noise never decides a tie.
_DIGITS = 9

Step = tuple[str, str, float]  # neighbour, relationship type, weight
Adjacency = Callable[[str], list[Step]]


@dataclass(frozen=True)
class Contribution:
    """One risky institution's share of a score, and the best path that carries it."""

    target: str
    target_name: str
    tier: str
    contribution: float
    nodes: tuple[str, ...]
    types: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "target_name": self.target_name,
            "tier": self.tier,
            "contribution": round(self.contribution, 6),
            "length": len(self.types),
            "nodes": list(self.nodes),
            "types": list(self.types),
        }


@dataclass(frozen=True)
class Exposure:
    id: str
    label: str
    name: str
    score: float
    top_paths: tuple[Contribution, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "score": round(self.score, 6),
            "top_paths": [c.as_dict() for c in self.top_paths],
        }


def check_weights(weights: Mapping[str, float] | None, decay: float) -> dict[str, float]:
    """Default weights overridden by ``weights``; every weight and the decay in [0, 1]."""
    chosen = dict(DEFAULT_WEIGHTS)
    for rel_type, weight in (weights or {}).items():
        key = rel_type.strip().upper()
        if key not in TRAVERSABLE_TYPES:
            allowed = ", ".join(sorted(TRAVERSABLE_TYPES))
            raise CollabgraphError(f"no exposure weight for {rel_type!r}; use some of: {allowed}")
        chosen[key] = float(weight)
    for key, weight in [*chosen.items(), ("decay", decay)]:
        if not 0.0 <= weight <= 1.0:
            raise CollabgraphError(f"{key} weight {weight} is outside [0, 1]")
    if decay <= 0:
        raise CollabgraphError("decay must be above 0")
    return {k: w for k, w in chosen.items() if w > 0}


def exposure(
    store: Store,
    node: str | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    decay: float = DEFAULT_DECAY,
    max_hops: int = 4,
    min_tier: str | Tier = "low",
    top: int = 20,
    paths_per_node: int = 3,
    labels: Iterable[str] = SCORED_LABELS,
    among: Collection[str] | None = None,
) -> list[Exposure]:
    """Exposure of one node (a one-item list), or the ``top`` most exposed nodes of the graph.

    Nodes with no reachable risk are left out of the ranking; a single node with none gets a
    score of 0. ``among`` restricts the ranking to those node ids (e.g. one country's
    researchers). Raises NodeNotFound if ``node`` is not a node id.
    """
    check_hops(max_hops)
    chosen = check_weights(weights, decay)
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    risky = risky_institutions(store, floor)
    wanted_labels = set(labels)
    if node is not None:
        found = store.view().get_node(node)
        if found is None:
            raise NodeNotFound(f"no node has id {node!r}")
        adjacency, _ = _adjacency(store, chosen, around=node, hops=max_hops)
        contributions = _from_node(node, adjacency, risky, decay, max_hops)
        score = sum(c.contribution for c in contributions)
        name = display_name(found.label, found.props)
        return [Exposure(node, found.label, name, score, tuple(contributions[:paths_per_node]))]
    adjacency, node_labels = _adjacency(store, chosen, around=None, hops=max_hops)
    scores: dict[str, float] = {}
    for iid in sorted(risky):
        risk = TIER_RISK[risky[iid].tier]
        for other, strength in _propagate(iid, adjacency, decay, max_hops).items():
            if other != iid and node_labels.get(other) in wanted_labels:
                if among is not None and other not in among:
                    continue
                scores[other] = scores.get(other, 0.0) + risk * strength
    best = heapq.nsmallest(top, scores.items(), key=lambda kv: (-round(kv[1], _DIGITS), kv[0]))
    nodes = store.view().get_nodes([n for n, _ in best])
    out = []
    for node_id, score in best:
        found_node = nodes[node_id]
        # paths_per_node=0 asks for scores only: skip the per-node path search, the costly part.
        contributions = (
            _from_node(node_id, adjacency, risky, decay, max_hops) if paths_per_node > 0 else []
        )
        out.append(
            Exposure(
                node_id,
                found_node.label,
                display_name(found_node.label, found_node.props),
                score,
                tuple(contributions[:paths_per_node]),
            )
        )
    return out


def _propagate(source: str, adjacency: Adjacency, decay: float, hops: int) -> dict[str, float]:
    """Best path strength from ``source`` to every node within ``hops`` (max-product)."""
    best: dict[str, float] = {source: 1.0}
    frontier = {source: 1.0}
    for hop in range(1, hops + 1):
        factor = 1.0 if hop == 1 else decay
        improved: dict[str, float] = {}
        for u, value in frontier.items():
            for v, _, weight in adjacency(u):
                candidate = value * weight * factor
                if candidate > best.get(v, 0.0) and candidate > improved.get(v, 0.0):
                    improved[v] = candidate
        for v, value in improved.items():
            best[v] = value
        frontier = improved
    return best


def _from_node(
    node: str, adjacency: Adjacency, risky: Mapping[str, Any], decay: float, hops: int
) -> list[Contribution]:
    """Every risky institution ``node`` reaches, with its best path, strongest first.

    Among equally strong paths the shorter wins, then the smaller sequence of node ids, then
    of relationship types: the same path on every store.
    """
    Key = tuple[float, int, tuple[str, ...], tuple[str, ...]]
    best: dict[str, Key] = {node: (-1.0, 0, (node,), ())}
    frontier = {node}
    for hop in range(1, hops + 1):
        factor = 1.0 if hop == 1 else decay
        improved: dict[str, Key] = {}
        for u in sorted(frontier):
            neg, _, trail, types = best[u]
            for v, rel_type, weight in adjacency(u):
                if v in trail:
                    continue
                value = round(-neg * weight * factor, _DIGITS)
                key: Key = (-value, hop, (*trail, v), (*types, rel_type))
                current = improved.get(v) or best.get(v)
                if current is None or key < current:
                    improved[v] = key
        for v, key in improved.items():
            best[v] = key
        frontier = set(improved)
    found = []
    for target, (neg, _, trail, types) in best.items():
        info = risky.get(target)
        if info is None or target == node:
            continue
        found.append(
            Contribution(
                target,
                info.name,
                info.tier.label,
                TIER_RISK[info.tier] * -neg,
                trail,
                types,
            )
        )
    found.sort(key=lambda c: (-round(c.contribution, _DIGITS), len(c.types), c.nodes, c.types))
    return found


def _adjacency(
    store: Store, weights: Mapping[str, float], *, around: str | None, hops: int
) -> tuple[Adjacency, dict[str, str]]:
    """Weighted undirected steps over the chosen types, and each node's label."""
    types = sorted(weights)
    if store.kind != "neo4j":
        graph = store.graph  # type: ignore[attr-defined]
        cache: dict[str, list[Step]] = {}

        def steps(u: str) -> list[Step]:
            if u not in cache:
                out = [
                    (e, d["type"], weights[d["type"]])
                    for _, e, d in graph.out_edges(u, data=True)
                    if d["type"] in weights
                ]
                out += [
                    (s, d["type"], weights[d["type"]])
                    for s, _, d in graph.in_edges(u, data=True)
                    if d["type"] in weights and s != u
                ]
                cache[u] = sorted(out)
            return cache[u]

        labels = {} if around is not None else dict(graph.nodes(data="label"))
        return steps, labels
    if around is None:
        rows = store.read(cypher.render("exposure_edges"), types=types)  # type: ignore[attr-defined]
    else:
        text = cypher.render("exposure_ball", inner=str(hops - 1))
        rows = store.read(text, id=around, types=types)  # type: ignore[attr-defined]
    table: dict[str, list[Step]] = {}
    labels = {}
    seen: set[tuple[str, str, str, str]] = set()
    for row in rows:
        key = (row["s"], row["type"], row["e"], row["kind"] or "")
        if key in seen:
            continue
        seen.add(key)
        weight = weights[row["type"]]
        table.setdefault(row["s"], []).append((row["e"], row["type"], weight))
        table.setdefault(row["e"], []).append((row["s"], row["type"], weight))
        labels[row["s"]], labels[row["e"]] = row["s_label"], row["e_label"]
    for steps_of in table.values():
        steps_of.sort()
    return (lambda u: table.get(u, [])), labels

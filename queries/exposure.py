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
max-product Bellman-Ford, vectorised in queries/propagation.py), so its cost grows with the
risky institutions' neighbourhoods, not with the number of researchers; only the ``top``
nodes are explained with paths. Both stores run the same scoring code over the relationships
the store supplies (queries/exposure_graph.py; the whole graph is kept in the store's cache).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.tiers import Tier

from . import propagation
from .common import TRAVERSABLE_TYPES, check_hops, display_name
from .exposure_graph import ExposureGraph, exposure_graph
from .propagation import Csr
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
    if node is not None:
        found = store.view().get_node(node)
        if found is None:
            raise NodeNotFound(f"no node has id {node!r}")
        csr = _graph(store, chosen, around=node, hops=max_hops).csr
        contributions = _contributions(csr, node, risky, decay, max_hops)
        score = sum(c.contribution for c in contributions)
        name = display_name(found.label, found.props)
        return [Exposure(node, found.label, name, score, tuple(contributions[:paths_per_node]))]
    graph = _graph(store, chosen, around=None, hops=max_hops)
    csr = graph.csr
    wanted = graph.having(set(labels))
    if among is not None:
        allowed = np.zeros(len(csr.ids), dtype=bool)
        allowed[[csr.index[i] for i in among if i in csr.index]] = True
        wanted &= allowed
    sources = [
        (csr.index[iid], TIER_RISK[risky[iid].tier]) for iid in sorted(risky) if iid in csr.index
    ]
    scores = propagation.scores(csr, sources, max_hops, decay, wanted)
    best = [csr.ids[i] for i in _top(scores, top)]
    nodes_found = store.view().get_nodes(best)
    out = []
    for node_id in best:
        found_node = nodes_found[node_id]
        # paths_per_node=0 asks for scores only: skip the per-node path search (the report
        # ranks a whole country's researchers this way, then explains a few).
        contributions = (
            _contributions(csr, node_id, risky, decay, max_hops) if paths_per_node > 0 else []
        )
        out.append(
            Exposure(
                node_id,
                found_node.label,
                display_name(found_node.label, found_node.props),
                float(scores[csr.index[node_id]]),
                tuple(contributions[:paths_per_node]),
            )
        )
    return out


def _top(scores: npt.NDArray[np.float64], top: int) -> list[int]:
    """Positions of the ``top`` highest scores above 0, ties (after rounding) by node id."""
    positive = np.flatnonzero(scores > 0)
    if top <= 0 or len(positive) == 0:
        return []
    if top < len(positive):
        # Rounding moves a score by at most half a unit in the last kept digit, so a score
        # this far below the top-th cannot round to or above it: only the rest are ranked.
        kth = np.partition(scores[positive], len(positive) - top)[len(positive) - top]
        positive = positive[scores[positive] >= kth - 10.0**-_DIGITS * 10]
    ranked = [(-round(float(scores[i]), _DIGITS), i) for i in positive.tolist()]
    # Positions follow the sorted node ids, so ordering by position orders by id.
    return [i for _, i in heapq.nsmallest(top, ranked)]


def _contributions(
    csr: Csr, node: str, risky: Mapping[str, Any], decay: float, hops: int
) -> list[Contribution]:
    """Every risky institution ``node`` reaches, with its best path, strongest first."""
    source = csr.index.get(node)
    if source is None:
        return []
    targets = [csr.index[i] for i in sorted(risky) if i in csr.index and i != node]
    found = []
    for target, (strength, path, types) in csr.best_paths(source, hops, decay, targets).items():
        info = risky[csr.ids[target]]
        found.append(
            Contribution(
                info.id,
                info.name,
                info.tier.label,
                TIER_RISK[info.tier] * strength,
                tuple(csr.ids[i] for i in path),
                tuple(types),
            )
        )
    found.sort(key=lambda c: (-round(c.contribution, _DIGITS), len(c.types), c.nodes, c.types))
    return found


def _graph(
    store: Store, weights: Mapping[str, float], *, around: str | None, hops: int
) -> ExposureGraph:
    """The weighted relationships: all of them, or (``around``) enough for one node's paths."""
    return exposure_graph(store.view(), weights, around=around, hops=hops)

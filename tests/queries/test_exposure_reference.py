"""exposure against a plain-Python reference, on random graphs, to the last bit.

The reference is the scoring as exposure.py's note defines it, written the slow, obvious way:
Jacobi rounds over dicts from each risky institution (for the ranking) and from the node (for
its paths), ties to the earlier round, then the smaller predecessor id, then the smaller type.
Scores and contributions are compared with ``==``, not rounded: the vectorised propagation, the
cached embedded graph and the per-query Neo4j graph must all give the very same floats.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier
from collabgraph.queries.exposure import TIER_RISK, check_weights, exposure

from ..factories import load, prov
from .graph import affiliated, authored, inst, paper, researcher

TIERS = [None, None, None, "low", "medium", "high", "very high"]
# Every weight a power of two: paths of equal strength are common, so the tie rules matter.
EVEN = {t: 0.5 for t in ("AFFILIATED_WITH", "PART_OF", "MILITARY_LINK", "AUTHORED")}
Adjacency = dict[str, list[tuple[str, str, float]]]


def random_graph(seed: int) -> tuple[list[Node], list[Relationship]]:
    """Institutions (some tiered, one isolated, one looped), researchers, papers."""
    rng = random.Random(seed)
    tag = [f"{rng.randrange(16**4):04x}{i}" for i in range(60)]  # ids not in creation order
    insts = [f"i:{tag[i]}" for i in range(10)]
    people = [f"r:{tag[10 + i]}" for i in range(28)]
    papers = [f"p:{tag[40 + i]}" for i in range(18)]
    nodes = [researcher(r, f"Researcher {r}") for r in people]
    for i in insts:
        tier = rng.choice(TIERS)
        nodes.append(inst(i, f"Institution {i}", "CN", **({"tier": tier} if tier else {})))
    nodes += [paper(p, f"Paper {p}", 2020) for p in papers]
    rels: list[Relationship] = []
    teams: dict[str, list[str]] = {}
    for p in papers:
        teams[p] = rng.sample(people, 12 if p == papers[0] else rng.randint(1, 4))
        rels += [authored(r, p, 2020) for r in teams[p]]
    for r in people[:-2]:  # the last two have no institution
        for i in rng.sample(insts[1:], rng.randint(0, 2)):  # insts[0] stays isolated
            rels.append(affiliated(r, i, []))
    for _ in range(4):
        a, b = rng.sample(insts[1:], 2)
        rels.append(Relationship("PART_OF", a, b, prov(method="test")))
        kind = rng.choice(["supervised_by", "defence_lab"])
        rels.append(Relationship("MILITARY_LINK", b, a, prov(kind=kind)))
    rels.append(Relationship("PART_OF", insts[1], insts[1], prov(method="test")))  # a loop
    pairs = {tuple(sorted(pair)) for team in teams.values() for pair in _pairs(team)}
    for a, b in sorted(pairs):
        rels.append(Relationship("CO_AUTHORED", a, b, prov(papers=1, method="test")))
    return nodes, rels


def _pairs(team: list[str]) -> Iterable[tuple[str, str]]:
    return ((a, b) for x, a in enumerate(team) for b in team[x + 1 :])


class Reference:
    """The documented scoring over plain dicts."""

    def __init__(
        self,
        nodes: list[Node],
        rels: list[Relationship],
        weights: Mapping[str, float],
        decay: float,
        hops: int,
    ) -> None:
        self.label = {n.id: n.label for n in nodes}
        self.risk = {
            n.id: TIER_RISK[Tier.parse(n.props["tier"])]
            for n in nodes
            if n.label == "Institution" and "tier" in n.props
        }
        self.tier = {n.id: Tier.parse(n.props["tier"]).label for n in nodes if n.id in self.risk}
        self.adj: Adjacency = {}
        for r in rels:
            if weights.get(r.type, 0) > 0 and r.start != r.end:
                self.adj.setdefault(r.start, []).append((r.end, r.type, weights[r.type]))
                self.adj.setdefault(r.end, []).append((r.start, r.type, weights[r.type]))
        self.decay, self.hops = decay, hops

    def propagate(self, source: str) -> tuple[dict[str, float], list[dict[str, tuple[str, str]]]]:
        best = {source: 1.0}
        steps: list[dict[str, tuple[str, str]]] = []
        frontier = {source: 1.0}
        for hop in range(1, self.hops + 1):
            pick: dict[str, tuple[float, str, str]] = {}
            for u, value in frontier.items():
                for v, rel_type, weight in self.adj.get(u, []):
                    cand = value * weight * (1.0 if hop == 1 else self.decay)
                    key = (-cand, u, rel_type)
                    if v not in pick or key < pick[v]:
                        pick[v] = key
            frontier, chosen = {}, {}
            for v, (neg, u, rel_type) in pick.items():
                if -neg > best.get(v, 0.0):
                    best[v] = frontier[v] = -neg
                    chosen[v] = (u, rel_type)
            steps.append(chosen)
        return best, steps

    def scores(self) -> dict[str, float]:
        total: dict[str, float] = {}
        for iid in sorted(self.risk):
            for node, strength in self.propagate(iid)[0].items():
                if node != iid:
                    total[node] = total.get(node, 0.0) + self.risk[iid] * strength
        return total

    def paths(self, node: str) -> list[tuple[Any, ...]]:
        best, steps = self.propagate(node)
        found = []
        for target in sorted(self.risk):
            if target == node or target not in best:
                continue
            path, types, at, hop = [target], [], target, len(steps)
            while at != node:
                hop -= 1
                while at not in steps[hop]:
                    hop -= 1
                at, rel_type = steps[hop][at]
                path.append(at)
                types.append(rel_type)
            contribution = self.risk[target] * best[target]
            found.append((target, self.tier[target], contribution, path[::-1], types[::-1]))
        found.sort(key=lambda c: (-round(c[2], 9), len(c[4]), c[3], c[4]))
        return found

    def ranking(
        self, labels: set[str], top: int, per: int, among: set[str] | None
    ) -> list[tuple[Any, ...]]:
        scores = self.scores()
        ranked = sorted(
            (-round(s, 9), n)
            for n, s in scores.items()
            if s > 0 and self.label[n] in labels and (among is None or n in among)
        )
        return [(n, scores[n], self.paths(n)[:per] if per else []) for _, n in ranked[:top]]


def _plain(found: Any) -> tuple[Any, ...]:
    paths = [(c.target, c.tier, c.contribution, list(c.nodes), list(c.types)) for c in found[2]]
    return (found[0], found[1], paths)


CASES = [
    ({}, 4),
    ({}, 2),
    ({"CO_AUTHORED": 0.5}, 3),
    (EVEN, 4),
    ({**EVEN, "CO_AUTHORED": 0.5}, 1),
]


@pytest.mark.parametrize("seed", range(5))
def test_matches_reference(store: Any, seed: int) -> None:
    nodes, rels = random_graph(seed)
    load(store, nodes, rels)
    everyone = {"Researcher", "Institution", "Paper"}
    among = {n.id for n in nodes[::3]}
    for weights, hops in CASES:
        decay = 0.5 if weights is not EVEN else 0.25
        ref = Reference(nodes, rels, check_weights(weights, decay), decay, hops)
        options: dict[str, Any] = {"weights": weights, "decay": decay, "max_hops": hops}
        for labels, top, per, subset in [
            (everyone, 100, 3, None),
            ({"Researcher"}, 3, 2, None),
            (everyone, 4, 1, among),
            ({"Institution"}, 100, 0, None),
        ]:
            got = exposure(
                store, labels=labels, top=top, paths_per_node=per, among=subset, **options
            )
            want = ref.ranking(labels, top, per, subset)
            plain = [(e.id, e.score, list(e.top_paths)) for e in got]
            assert [_plain(x) for x in plain] == [
                (n, s, [(t, tier, c, p, ty) for t, tier, c, p, ty in paths]) for n, s, paths in want
            ], (seed, weights, hops, labels, top)
        for n in nodes:
            _single(store, ref, n.id, options)


def _single(store: Any, ref: Reference, node: str, options: dict[str, Any]) -> tuple[Any, ...]:
    (got,) = exposure(store, node, paths_per_node=50, **options)
    paths = ref.paths(node)
    want = (node, sum(c[2] for c in paths), [(t, tier, c, p, ty) for t, tier, c, p, ty in paths])
    assert _plain((got.id, got.score, list(got.top_paths))) == want, node
    return want

"""Stopping inside the last level: the frontier next to a big institution is cut short.

A researcher at an institution with hundreds of colleagues, each at one of many risky
institutions: the third level of the search holds hundreds of nodes, and the first chunks of
it (in first-trail order) already give enough targets. Both stores must give the reference
search's answers, and the search must not expand the whole level.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
from collabgraph.queries import paths as paths_module

from ..factories import load, prov
from .test_paths_fast import fast, reference


def hub_graph(rng: random.Random) -> tuple[list[Node], list[Relationship]]:
    colleagues = [f"r:{rng.randrange(10**6):06d}" for _ in range(300)]
    risky = [f"i:t{rng.randrange(10**4):04d}" for _ in range(40)]
    nodes = [Node("Researcher", "r:src", prov(name="Source"))]
    nodes += [Node("Researcher", r, prov(name=r)) for r in dict.fromkeys(colleagues)]
    nodes.append(Node("Institution", "i:hub", prov(name="Hub", country="BE")))
    nodes += [
        Node("Institution", t, prov(name=t, country="CN", tier=rng.choice(["high", "very high"])))
        for t in dict.fromkeys(risky)
    ]
    rels = [Relationship("AFFILIATED_WITH", "r:src", "i:hub", prov(years=[2020]))]
    for r in dict.fromkeys(colleagues):
        rels.append(Relationship("AFFILIATED_WITH", r, "i:hub", prov(years=[2021])))
        for t in rng.sample(risky, rng.randint(0, 2)):
            rels.append(Relationship("AFFILIATED_WITH", r, t, prov(years=[2022])))
    return nodes, rels


@pytest.mark.parametrize("seed", range(3))
def test_both_stores_match_the_reference_next_to_a_hub(
    tmp_path: Path, store: Any, seed: int
) -> None:
    rng = random.Random(seed)
    nodes, rels = hub_graph(rng)
    embedded = EmbeddedStore(tmp_path / "reference.db")
    load(embedded, nodes, rels)
    load(store, nodes, rels)
    for limit in (1, 3, 7, 20, 60):
        for k in (1, 2):
            expected = reference(embedded, "r:src", max_hops=4, limit=limit, k=k)
            assert expected, (limit, k)
            assert fast(store, "r:src", max_hops=4, limit=limit, k=k) == expected, (limit, k)


def test_the_level_is_cut_short_only_when_one_path_per_target_is_kept(tmp_path: Path) -> None:
    nodes, rels = hub_graph(random.Random(7))
    store = EmbeddedStore(tmp_path / "g.db")
    load(store, nodes, rels)
    expanded: list[int] = []
    real = paths_module.level_search

    def counting(*args: Any) -> Any:
        source, max_hops, targets, stop_after, steps, *rest = args

        def counted(frontier: list[str], depth: int) -> Any:
            expanded.append(len(frontier))
            return steps(frontier, depth)

        return real(source, max_hops, targets, stop_after, counted, *rest)

    paths_module.level_search = counting
    try:
        fast(store, "r:src", max_hops=4, limit=5, k=1)
        cut = sum(expanded)
        expanded.clear()
        fast(store, "r:src", max_hops=4, limit=5, k=2)
        whole = sum(expanded)
    finally:
        paths_module.level_search = real
    # Colleagues with a risky affiliation: the only ones the distance index lets through.
    near = {r.start for r in rels if r.end.startswith("i:t")}
    assert whole >= len(near)  # k = 2: every one of them is expanded
    assert cut < len(near) // 2, (cut, whole)  # k = 1: the first chunks were enough

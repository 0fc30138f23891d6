"""The store-pruned paths search on both stores against the plain reference.

Each store prunes with its own cached distance-to-risk index (graph/embedded, graph/neo4j); the
reference (tests/queries/paths_reference.py) reads the whole graph and prunes nothing. Year
windows go through the same pruned search as every other filter.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from collabgraph.graph.records import Node, Relationship

from ..factories import load, prov
from .test_paths_fast import fast, random_graph, random_options, reference


@pytest.mark.parametrize("block", range(3))
def test_pruned_search_matches_reference_on_random_graphs(store: Any, block: int) -> None:
    compared = 0
    for seed in range(block * 8, block * 8 + 8):
        rng = random.Random(1000 + seed)
        nodes, rels = random_graph(rng)
        store.clear()
        load(store, nodes, rels)
        sources = [n.id for n in nodes if n.label != "RiskList"]
        for _ in range(8):
            options = random_options(rng)
            for source in rng.sample(sources, min(5, len(sources))):
                expected = reference(store, source, **options)
                assert fast(store, source, **options) == expected, (seed, source, options)
                compared += bool(expected)
    # Most queries must find paths, or the comparison would prove little.
    assert compared >= 100, compared


def test_any_write_refreshes_the_index(store: Any) -> None:
    """A listing added, then a tier raised in place, then lowered: each query sees the change."""
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:x", prov(name="X", country="CN")),
        Node("RiskList", "list:a", prov(name="List a")),
    ]
    low = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="low", as_of="2021-01-01"))
    load(store, nodes, [Relationship("AFFILIATED_WITH", "r:a", "i:x", prov(years=[2020]))])
    assert fast(store, "r:a") == []
    load(store, [], [low])
    assert fast(store, "r:a") == []
    high = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="high", as_of="2021-01-01"))
    load(store, [], [high])  # no node or relationship more: only the tier changed
    found = fast(store, "r:a")
    assert [[n["id"] for n in p["nodes"]] for p in found] == [["r:a", "i:x", "list:a"]]
    assert fast(store, "r:a", years=(2019, 2021)) == reference(store, "r:a", years=(2019, 2021))
    assert fast(store, "r:a", years=(2021, None)) == []  # the affiliation is of 2020 only
    load(store, [], [low])
    assert fast(store, "r:a") == []
    # Reading never writes: no index property appears among the facts.
    assert all(
        set(n.props) <= set(prov(name="", country="", tier=""))
        for n in store.view().iter_nodes("Institution")
    )

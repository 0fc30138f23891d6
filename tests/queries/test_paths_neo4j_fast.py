"""The pruned Neo4j paths_to_risk against the plain embedded reference, on random graphs."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier
from collabgraph.queries import cypher, risk_distance_neo4j
from collabgraph.queries import paths as paths_module
from collabgraph.queries.common import DEFAULT_PATH_TYPES

from ..factories import load, prov
from .test_paths_fast import fast, random_graph, random_options, reference

pytestmark = pytest.mark.neo4j


@pytest.fixture
def pruned_only(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the plain Neo4j query fail unless a year window asks for it; count its uses."""
    plain = paths_module._neo4j
    used: list[int] = []

    def guarded(store: Any, source: str, max_hops: int, tiers: Any, types: Any, years: Any) -> Any:
        assert years is not None, "the pruned search should have answered"
        used.append(1)
        return plain(store, source, max_hops, tiers, types, years)

    monkeypatch.setattr(paths_module, "_neo4j", guarded)
    return used


@pytest.mark.parametrize("block", range(3))
def test_pruned_neo4j_matches_reference_on_random_graphs(
    tmp_path: Path, neo4j_store: Any, pruned_only: list[int], block: int
) -> None:
    compared = 0
    for seed in range(block * 8, block * 8 + 8):
        rng = random.Random(1000 + seed)
        embedded = EmbeddedStore(tmp_path / f"graph-{seed}.jsonl.gz")
        nodes, rels = random_graph(rng)
        load(embedded, nodes, rels)
        neo4j_store.clear()
        load(neo4j_store, nodes, rels)
        sources = [n.id for n in nodes if n.label != "RiskList"]
        for _ in range(8):
            options = random_options(rng)
            options.pop("years", None)  # a year window takes the plain query (tested elsewhere)
            if rng.random() < 0.5:  # the default filter: the server filters on risk_hops
                options.pop("min_tier")
                options.pop("rel_types", None)
            for source in rng.sample(sources, min(5, len(sources))):
                expected = reference(embedded, source, **options)
                assert fast(neo4j_store, source, **options) == expected, (seed, source, options)
                compared += bool(expected)
    assert not pruned_only
    # Most queries must find paths, or the comparison would prove little.
    assert compared >= 100, compared


def test_a_year_window_takes_the_plain_query(neo4j_store: Any, pruned_only: list[int]) -> None:
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:x", prov(name="X", country="CN", tier="high")),
    ]
    load(neo4j_store, nodes, [Relationship("AFFILIATED_WITH", "r:a", "i:x", prov(years=[2020]))])
    assert len(fast(neo4j_store, "r:a", years=(2019, 2021))) == 1
    assert pruned_only == [1]
    assert len(fast(neo4j_store, "r:a")) == 1
    assert pruned_only == [1]


def stored_hops(store: Any) -> dict[str, int]:
    """The risk_hops the server holds, read with the index's own query."""
    rows = store.read(cypher.render("risk_hops_read"), hops_key="risk_hops")
    return {r["id"]: r["hops"] for r in rows}


def test_any_write_refreshes_the_index(neo4j_store: Any, pruned_only: list[int]) -> None:
    """A listing added, then a tier raised in place: the next query sees each change."""
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:x", prov(name="X", country="CN")),
        Node("RiskList", "list:a", prov(name="List a")),
    ]
    low = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="low", as_of="2021-01-01"))
    load(neo4j_store, nodes, [Relationship("AFFILIATED_WITH", "r:a", "i:x", prov(years=[2020]))])
    assert fast(neo4j_store, "r:a") == []
    load(neo4j_store, [], [low])
    assert fast(neo4j_store, "r:a") == []
    high = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="high", as_of="2021-01-01"))
    load(neo4j_store, [], [high])  # no node or relationship more: only the tier changed
    found = fast(neo4j_store, "r:a")
    assert [[n["id"] for n in p["nodes"]] for p in found] == [["r:a", "i:x", "list:a"]]
    index = risk_distance_neo4j.risk_distance(neo4j_store, Tier.HIGH, list(DEFAULT_PATH_TYPES))
    assert index is not None and index.targets == {"i:x"} and index.distance["r:a"] == 1
    assert index.stored
    assert stored_hops(neo4j_store) == {"r:a": 1, "i:x": 0}
    # The index is not a fact: readers of the graph never see it among a node's properties.
    assert all("risk_hops" not in n.props for n in neo4j_store.view().iter_nodes())
    assert not pruned_only


def test_stored_distances_follow_a_delisting(neo4j_store: Any, pruned_only: list[int]) -> None:
    """A tier lowered in place: no path, and no node keeps a stale risk_hops."""
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:x", prov(name="X", country="CN")),
        Node("RiskList", "list:a", prov(name="List a")),
    ]
    high = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="high", as_of="2021-01-01"))
    affiliated = Relationship("AFFILIATED_WITH", "r:a", "i:x", prov(years=[2020]))
    load(neo4j_store, nodes, [affiliated, high])
    assert len(fast(neo4j_store, "r:a")) == 1
    low = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="low", as_of="2021-01-01"))
    load(neo4j_store, [], [low])
    assert fast(neo4j_store, "r:a") == []
    assert stored_hops(neo4j_store) == {}
    assert not pruned_only

"""neighbourhood on the hand-built graph: a hub of 57 paged, filters, limits."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.queries.neighbourhood import neighbourhood

from .graph import HUB_SIZE, load_graph


def test_hub_is_capped_and_paged(store: Any) -> None:
    load_graph(store)
    first = neighbourhood(store, "i:ugent")
    ids = [n["id"] for n in first.nodes]
    # Bob (3 evidence papers) is the strongest; then Eve and the hub members by id.
    assert ids[:4] == ["i:ugent", "r:bob", "r:eve", "r:hub00"], ids
    assert len(ids) == 51 and ids[-1] == "r:hub47"
    assert first.truncated == [
        {"node": "i:ugent", "total": HUB_SIZE + 2, "offset": 0, "shown": 50, "more": 7}
    ]
    rest = neighbourhood(store, "i:ugent", offset=50)
    assert [n["id"] for n in rest.nodes][1:] == [f"r:hub{n}" for n in range(48, 55)]
    assert rest.truncated[0]["more"] == 0 and rest.truncated[0]["shown"] == 7
    assert len(rest.relationships) == 7
    assert not set(ids[1:]) & {n["id"] for n in rest.nodes[1:]}


def test_two_hops_and_filters(store: Any) -> None:
    load_graph(store)
    near = neighbourhood(store, "r:bob", hops=2, min_tier="high")
    assert sorted(n["id"] for n in near.nodes) == sorted(
        ["r:bob", "p:W2", "p:W4", "p:W6", "r:dai", "r:chen", "tech:ai"]
    )
    assert {n["id"]: n["hop"] for n in near.nodes}["r:dai"] == 2
    ai = neighbourhood(store, "r:bob", technology="tech:ai", per_node_cap=5)
    assert [n["id"] for n in ai.nodes] == ["r:bob", "i:ugent", "p:W4", "p:W6"]
    recent = neighbourhood(store, "r:alice", hops=2, years=(2022, 2023))
    assert sorted(n["id"] for n in recent.nodes) == sorted(
        ["r:alice", "i:kul", "p:W3", "r:wang", "tech:quantum"]
    )
    tiers = {n["id"]: n["tier"] for n in neighbourhood(store, "r:dai", hops=2).nodes}
    assert tiers["i:nudt"] == "high" and tiers["r:dai"] is None
    only = neighbourhood(store, "i:hit", rel_types=["LISTED_ON"])
    assert [r["type"] for r in only.relationships] == ["LISTED_ON", "LISTED_ON"]


def test_max_nodes(store: Any) -> None:
    load_graph(store)
    small = neighbourhood(store, "r:bob", hops=3, max_nodes=10)
    assert len(small.nodes) == 10 and small.max_nodes_reached
    ids = {n["id"] for n in small.nodes}
    assert all(r["start"] in ids and r["end"] in ids for r in small.relationships)


def test_bad_input(store: Any) -> None:
    load_graph(store)
    with pytest.raises(NodeNotFound):
        neighbourhood(store, "nope")
    with pytest.raises(CollabgraphError):
        neighbourhood(store, "r:bob", hops=4)


def test_both_stores_agree(embedded_store: Any, neo4j_store: Any) -> None:
    load_graph(embedded_store)
    load_graph(neo4j_store)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("i:ugent", {}),
        ("i:ugent", {"offset": 20, "per_node_cap": 10}),
        ("r:bob", {"hops": 3}),
        ("r:chen", {"hops": 2, "min_tier": "very high"}),
        ("r:alice", {"hops": 2, "technology": "tech:quantum", "years": (2021, None)}),
    ]
    for node, options in cases:
        here = neighbourhood(embedded_store, node, **options).as_dict()
        there = neighbourhood(neo4j_store, node, **options).as_dict()
        assert here == there, (node, options)

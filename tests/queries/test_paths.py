"""paths_to_risk on the hand-built graph: exact paths, evidence, ties, filters, as-of."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.records import Relationship
from collabgraph.queries.paths import paths_to_risk

from ..factories import load, prov
from .graph import load_graph


def ids(path: Any) -> list[str]:
    return [n.id for n in path.nodes]


def test_bob_reaches_nudt_then_hit(store: Any) -> None:
    load_graph(store)
    found = paths_to_risk(store, "r:bob")
    assert [(p.length, ids(p)) for p in found] == [
        (3, ["r:bob", "p:W2", "r:dai", "i:nudt", "list:dod"]),
        (4, ["r:bob", "p:W2", "r:dai", "i:nudt", "i:hit", "list:aspi"]),
    ], found
    first = found[0].as_dict()
    assert [r["type"] for r in first["relationships"]] == [
        "AUTHORED",
        "AUTHORED",
        "AFFILIATED_WITH",
        "LISTED_ON",
    ]
    authored = first["relationships"][0]["evidence"]
    assert authored["title"] == "Gait analysis" and authored["year"] == 2016, authored
    assert authored["doi"] == "10.9999/W2"
    listing = first["relationships"][-1]["evidence"]
    assert listing["list"] == "list:dod" and listing["as_of"] == "2022-06-30", listing
    assert listing["category"] == "Chinese military company"
    assert first["nodes"][3] == {
        "id": "i:nudt",
        "label": "Institution",
        "name": "National University of Defense Technology",
        "tier": "high",
    }


def test_before_listing_is_marked(store: Any) -> None:
    load_graph(store)
    found = paths_to_risk(store, "r:bob", k=2)
    to_nudt = [p for p in found if p.nodes[p.length].id == "i:nudt"]
    # W2 (2016) predates NUDT's first listing (FY2022); W6 (2023) does not.
    assert [(ids(p)[1], p.before_listing, p.first_listed) for p in to_nudt] == [
        ("p:W2", True, 2022),
        ("p:W6", False, 2022),
    ]


def test_ties_are_broken_by_relationship_key(store: Any) -> None:
    load_graph(store)
    found = paths_to_risk(store, "r:alice", k=3)
    # Two parallel relationships join the lab and HIT: MILITARY_LINK sorts before PART_OF.
    assert [[r.type for r in p.relationships] for p in found] == [
        ["AUTHORED", "AUTHORED", "AFFILIATED_WITH", "MILITARY_LINK", "LISTED_ON"],
        ["AUTHORED", "AUTHORED", "AFFILIATED_WITH", "PART_OF", "LISTED_ON"],
    ], found
    assert found[0].relationships[-1].evidence["list"] == "list:aspi"


def test_min_tier_years_and_hops(store: Any) -> None:
    load_graph(store)
    medium = paths_to_risk(store, "r:alice", min_tier="medium")
    assert [ids(p)[-2] for p in medium] == ["i:tsinghua", "i:hit"]
    recent = paths_to_risk(store, "r:bob", years=(2020, None))
    assert [ids(p)[1] for p in recent] == ["p:W6", "p:W4"], recent
    assert paths_to_risk(store, "r:bob", max_hops=2) == []
    assert paths_to_risk(store, "r:eve") == []


def test_co_authored_may_be_traversed(store: Any) -> None:
    load_graph(store)
    load(
        store,
        [],
        [
            Relationship(
                "CO_AUTHORED",
                "r:alice",
                "r:chen",
                prov(papers=1, first_year=2021, last_year=2021),
            )
        ],
    )
    types = ["CO_AUTHORED", "AFFILIATED_WITH", "PART_OF"]
    found = paths_to_risk(store, "r:alice", rel_types=types)
    assert [(p.length, ids(p)) for p in found] == [
        (3, ["r:alice", "r:chen", "i:hitlab", "i:hit", "list:aspi"])
    ]
    assert found[0].relationships[0].evidence["papers"] == 1
    assert paths_to_risk(store, "r:alice", rel_types=types, years=(2022, None)) == []


def test_bad_input(store: Any) -> None:
    load_graph(store)
    with pytest.raises(NodeNotFound):
        paths_to_risk(store, "r:nobody")
    with pytest.raises(CollabgraphError, match="between 1 and 6"):
        paths_to_risk(store, "r:bob", max_hops=7)
    with pytest.raises(CollabgraphError, match="cannot traverse LISTED_ON"):
        paths_to_risk(store, "r:bob", rel_types=["LISTED_ON"])


@pytest.mark.parametrize("source", ["r:alice", "r:bob", "r:chen", "i:kul", "p:W2", "i:hit"])
def test_both_stores_agree(embedded_store: Any, neo4j_store: Any, source: str) -> None:
    load_graph(embedded_store)
    load_graph(neo4j_store)
    for options in ({}, {"k": 3}, {"min_tier": "low", "k": 2}, {"years": (2017, 2023)}):
        here = [p.as_dict() for p in paths_to_risk(embedded_store, source, **options)]
        there = [p.as_dict() for p in paths_to_risk(neo4j_store, source, **options)]
        assert here == there, (source, options)

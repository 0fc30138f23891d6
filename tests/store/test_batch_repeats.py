"""Repeats of one element inside a writer batch merge exactly as if written one at a time.

The Neo4j writer merges repeats in Python before sending a batch (one row per element); these
checks hold it, and the embedded store, to the rules applied record by record.
"""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship

from ..factories import load, tiny_graph


def _versions() -> list[Node]:
    """Three sightings of one institution, out of date order, with lists that overlap."""
    return [
        Node(
            "Institution",
            "ror:01yqg2h08",
            {
                "name": "Harbin Institute of Technology",
                "names": ["HIT", "Harbin IT"],
                "country": "CN",
                "source": "b",
                "sources": ["b"],
                "source_version": "2024-05-01",
                "first_seen": "2024-05-01",
                "last_seen": "2024-05-01",
                "source_record": "b:1",
            },
        ),
        Node(
            "Institution",
            "ror:01yqg2h08",
            {
                "name": "HIT (renamed)",
                "names": ["Harbin IT", "哈工大"],
                "source": "a",
                "sources": ["a", "b"],
                "source_version": "2021-01-01",
                "first_seen": "2021-01-01",
                "last_seen": "2021-01-01",
                "source_record": None,
            },
        ),
        Node(
            "Institution",
            "ror:01yqg2h08",
            {
                "name": "Harbin Institute of Technology",
                "acronyms": ["HIT"],
                "source": "c",
                "sources": ["c"],
                "source_version": "2023-01-01",
                "first_seen": "2023-01-01",
                "last_seen": "2023-01-01",
            },
        ),
    ]


def _one_at_a_time(store: Any, nodes: list[Node]) -> None:
    for node in nodes:
        with store.writer() as w:
            w.upsert_nodes([node])


@pytest.mark.parametrize("batch_size", [1, 2, 5000])
def test_repeats_in_a_batch_merge_like_separate_writes(store: Any, batch_size: int) -> None:
    load(store, *tiny_graph())
    with store.writer(batch_size=batch_size) as w:
        w.upsert_nodes(_versions())
    got = store.view().get_node("ror:01yqg2h08")
    assert got is not None
    p = got.props
    # tiny_graph's own sighting came first: source "test", 2024-01-01, names_zh.
    assert p["name"] == "Harbin Institute of Technology", p
    assert p["names"][-3:] == ["HIT", "Harbin IT", "哈工大"], p
    assert p["acronyms"] == ["HIT"], p
    assert p["names_zh"] == ["哈尔滨工业大学"], p
    assert p["sources"] == ["test", "b", "a", "c"], p
    assert p["source"] == "c", p
    assert p["source_record"] == "b:1", p
    assert p["first_seen"] == "2021-01-01" and p["last_seen"] == "2024-05-01", p
    assert p["source_version"] == "2024-05-01", p
    assert p["country"] == "CN", p


def test_batched_and_one_by_one_give_the_same_graph(
    embedded_store: EmbeddedStore, neo4j_store: Any
) -> None:
    nodes, rels = tiny_graph()
    more = Relationship(
        "AFFILIATED_WITH",
        "openalex:A1",
        "ror:00cv9y106",
        {"years": [2020, 2022], "evidence_papers": ["openalex:W9"], "score": 0.5},
    )
    again = Relationship(
        "AFFILIATED_WITH",
        "openalex:A1",
        "ror:00cv9y106",
        {"years": [2023, 2020], "evidence_papers": ["openalex:W1"], "method": "judgement"},
    )
    results = []
    for target in (embedded_store, neo4j_store):
        with target.writer() as w:
            w.upsert_nodes([*nodes, *_versions()])
            w.upsert_relationships([*rels, more, again])
        results.append(_snapshot(target))
        target.clear()
        load(target, nodes, [])
        _one_at_a_time(target, _versions())
        for rel in [*rels, more, again]:
            with target.writer() as w:
                w.upsert_relationships([rel])
        results.append(_snapshot(target))
    assert results[0] == results[1] == results[2] == results[3]
    rel_props = results[3][1][("openalex:A1", "AFFILIATED_WITH", "ror:00cv9y106")]
    assert rel_props["years"] == [2021, 2020, 2022, 2023], rel_props
    assert rel_props["method"] == "judgement" and rel_props["score"] == 0.5, rel_props


def test_validated_records_skip_property_checks_but_not_graph_checks(store: Any) -> None:
    nodes, rels = tiny_graph()
    with store.writer() as w:
        w.upsert_nodes(nodes, validated=True)
        w.upsert_relationships(rels, validated=True)
    assert sum(store.view().counts().relationships.values()) == len(rels)
    dangling = Relationship("AUTHORED", "openalex:A1", "openalex:W404", {"year": 2020})
    with pytest.raises(SchemaError, match="openalex:W404"), store.writer() as w:
        w.upsert_relationships([dangling], validated=True)
    bad = Node("Paper", "x:1", {"title": "t", "year": "2020"})
    with pytest.raises(SchemaError, match="year must be int"), store.writer() as w:
        w.upsert_nodes([bad])


def _snapshot(store: Any) -> tuple[dict[str, Any], dict[tuple[str, ...], Any]]:
    view = store.view()
    return (
        {n.id: (n.label, n.props) for n in view.iter_nodes()},
        {r.key: r.props for r in view.iter_relationships()},
    )

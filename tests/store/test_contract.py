"""The store contract, run on every store (embedded and the real Neo4j server)."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.contract import GraphView, GraphWriter, Store
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA

from ..factories import load, prov, tiny_graph


def snapshot(store: Any) -> tuple[dict[str, Any], dict[tuple[str, ...], Any]]:
    view = store.view()
    nodes = {n.id: (n.label, n.props) for n in view.iter_nodes()}
    rels = {r.key: r.props for r in view.iter_relationships()}
    return nodes, rels


def test_store_satisfies_the_protocols(store: Any) -> None:
    assert isinstance(store, Store)
    assert isinstance(store.view(), GraphView)
    assert isinstance(store.writer(), GraphWriter)


def test_counts_after_load(store: Any) -> None:
    load(store, *tiny_graph())
    counts = store.view().counts()
    assert counts.nodes == {
        "Researcher": 2,
        "Institution": 3,
        "Paper": 1,
        "Technology": 1,
        "RiskList": 1,
    }, counts
    assert counts.relationships["AUTHORED"] == 2, counts
    assert counts.relationships["CO_AUTHORED"] == 0, counts
    assert set(counts.relationships) == set(SCHEMA.relationships)


def test_reingest_is_idempotent(store: Any) -> None:
    load(store, *tiny_graph())
    first = snapshot(store)
    load(store, *tiny_graph())
    assert snapshot(store) == first


def test_properties_and_provenance_survive(store: Any) -> None:
    load(store, *tiny_graph())
    view = store.view()
    hit = view.get_node("ror:01yqg2h08")
    assert hit is not None
    assert hit.label == "Institution"
    assert hit.props["names_zh"] == ["哈尔滨工业大学"]
    assert hit.props["source"] == "test" and hit.props["first_seen"] == "2024-01-01"
    paper = view.get_node("openalex:W1")
    assert paper is not None and paper.props["title"] == 'Swarm control of "drones"'
    assert paper.props["year"] == 2021
    listed = [r for r, _ in view.neighbours("ror:01yqg2h08", types=["LISTED_ON"])]
    assert len(listed) == 1, listed
    assert listed[0].props["tier"] == "very high"
    assert listed[0].props["category"] == "Seven sons of national defence"


def test_merge_rules(store: Any) -> None:
    load(store, *tiny_graph())
    newer = Node(
        "Researcher",
        "openalex:A1",
        {
            "name": "Ann M. Peeters",
            "name_variants": ["Ann Peeters", "A. Peeters"],
            "source": "later",
            "sources": ["later"],
            "source_version": "2025-06-01",
            "first_seen": "2025-06-01",
            "last_seen": "2025-06-01",
        },
    )
    older = Node(
        "Researcher",
        "openalex:A1",
        {
            "name": "Ann M. Peeters",
            "first_seen": "2020-01-01",
            "last_seen": "2020-01-01",
            "source_version": "2020",
        },
    )
    with store.writer() as w:
        w.upsert_nodes([newer])
    with store.writer() as w:
        w.upsert_nodes([older])
    got = store.view().get_node("openalex:A1")
    assert got is not None
    p = got.props
    assert p["name"] == "Ann M. Peeters", p
    assert p["name_variants"] == ["A. Peeters", "Ann Peeters"], p
    assert p["sources"] == ["test", "later"], p
    assert p["first_seen"] == "2020-01-01" and p["last_seen"] == "2025-06-01", p
    assert p["source_version"] == "2025-06-01", p
    assert p["source_record"] == "A1", p


def test_relationship_merge_adds_evidence(store: Any) -> None:
    load(store, *tiny_graph())
    more = Relationship(
        "AFFILIATED_WITH",
        "openalex:A1",
        "ror:00cv9y106",
        prov(years=[2022], evidence_papers=["openalex:W9"]),
    )
    with store.writer() as w:
        w.upsert_relationships([more])
    rels = [r for r, _ in store.view().neighbours("openalex:A1", types=["AFFILIATED_WITH"])]
    assert len(rels) == 1, rels
    assert rels[0].props["years"] == [2021, 2022]
    assert rels[0].props["evidence_papers"] == ["openalex:W1", "openalex:W9"]


def test_key_properties_keep_relationships_apart(store: Any) -> None:
    load(store, *tiny_graph())
    other = Relationship(
        "MILITARY_LINK", "ror:01yqg2h08", "cg:institution:lab1", prov(kind="supervised_by")
    )
    with store.writer() as w:
        w.upsert_relationships([other, other])
    assert store.view().counts().relationships["MILITARY_LINK"] == 2


@pytest.mark.parametrize(
    "bad, message",
    [
        (Node("Spy", "x:1", {"name": "n"}), "unknown node label 'Spy'"),
        (Node("Researcher", "", {"name": "n"}), "without its key 'id'"),
        (Node("Researcher", "x:1", {}), "required property 'name'"),
        (
            Node("Researcher", "x:1", {"name": "n", "shoe_size": 3}),
            "'shoe_size' is not in the schema",
        ),
        (Node("Paper", "x:1", {"title": "t", "year": "2020"}), "year must be int"),
    ],
)
def test_invalid_nodes_are_rejected_with_the_record_named(
    store: Any, bad: Node, message: str
) -> None:
    with pytest.raises(SchemaError, match=message), store.writer() as w:
        w.upsert_nodes([bad])
    assert sum(store.view().counts().nodes.values()) == 0


@pytest.mark.parametrize(
    "bad, message",
    [
        (Relationship("KNOWS", "openalex:A1", "openalex:A2"), "unknown relationship type 'KNOWS'"),
        (Relationship("AUTHORED", "openalex:A1", "ror:00cv9y106"), "end must be a Paper"),
        (
            Relationship("AUTHORED", "openalex:A1", "openalex:W404"),
            "'openalex:W404' does not exist",
        ),
        (Relationship("MILITARY_LINK", "ror:01yqg2h08", "ror:00cv9y106"), "key property 'kind'"),
    ],
)
def test_invalid_relationships_fail_the_whole_batch(
    store: Any, bad: Relationship, message: str
) -> None:
    nodes, rels = tiny_graph()
    load(store, nodes, [])
    before = snapshot(store)
    with pytest.raises(SchemaError, match=message), store.writer() as w:
        w.upsert_relationships([*rels, bad])
    assert snapshot(store) == before, "a failed batch must leave nothing half-written"


def test_one_id_cannot_name_two_labels(store: Any) -> None:
    load(store, *tiny_graph())
    with pytest.raises(Exception, match="openalex:A1"), store.writer() as w:
        w.upsert_nodes([Node("Paper", "openalex:A1", {"title": "clash"})])
    got = store.view().get_node("openalex:A1")
    assert got is not None and got.label == "Researcher"


def test_neighbours_directions_and_types(store: Any) -> None:
    load(store, *tiny_graph())
    view = store.view()
    both = view.neighbours("cg:institution:lab1")
    assert sorted(r.type for r, _ in both) == ["AFFILIATED_WITH", "MILITARY_LINK", "PART_OF"]
    out = view.neighbours("cg:institution:lab1", direction="out")
    assert [(r.type, n.id) for r, n in out] == [("PART_OF", "ror:01yqg2h08")]
    inbound = view.neighbours("cg:institution:lab1", direction="in", types=["AFFILIATED_WITH"])
    assert [n.id for _, n in inbound] == ["openalex:A2"]
    assert view.neighbours("nobody") == []


def test_subgraph_and_relationships_between(store: Any) -> None:
    load(store, *tiny_graph())
    sub = store.view().subgraph(["openalex:A1", "openalex:W1", "ror:00cv9y106", "missing"])
    assert [n.id for n in sub.nodes] == ["openalex:A1", "openalex:W1", "ror:00cv9y106"]
    assert sorted(r.type for r in sub.relationships) == ["AFFILIATED_WITH", "AUTHORED"]


def test_delete_nodes_removes_their_relationships(store: Any) -> None:
    load(store, *tiny_graph())
    assert store.delete_nodes(["openalex:A2", "missing"]) == 1
    counts = store.view().counts()
    assert counts.nodes["Researcher"] == 1
    assert counts.relationships["AUTHORED"] == 1


def test_both_stores_hold_the_same_graph(embedded_store: EmbeddedStore, neo4j_store: Any) -> None:
    for target in (embedded_store, neo4j_store):
        load(target, *tiny_graph())
        load(target, *tiny_graph())
    assert snapshot(embedded_store) == snapshot(neo4j_store)
    assert embedded_store.view().counts() == neo4j_store.view().counts()

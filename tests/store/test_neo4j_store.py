"""What only the Neo4j store has to get right: its cache follows every writer, its reads never
write, and its deletions by key remove exactly what they name."""

from __future__ import annotations

import random
from typing import Any

import pytest

from collabgraph.graph.errors import SchemaError
from collabgraph.graph.neo4j import Neo4jStore, risk_index
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier

from ..factories import load, prov, tiny_graph
from .test_primitives import Plain, random_graph, some_ids

pytestmark = pytest.mark.neo4j

TYPES = ["AFFILIATED_WITH", "AUTHORED", "MILITARY_LINK", "PART_OF"]
HIT, GHENT, LAB = "ror:01yqg2h08", "ror:00cv9y106", "cg:institution:lab1"


def _every_read(store: Any) -> None:
    """Each primitive once, the cached ones included."""
    view = store.view()
    view.risk_targets(Tier.HIGH, TYPES, None)
    for years in (None, (2020, 2022)):
        view.risk_steps(["openalex:A1", "openalex:A2"], 0, 4, Tier.HIGH, TYPES, years)
        view.relationships_along([("openalex:A2", LAB)], TYPES, years)
        view.neighbour_pages(
            [HIT], types=TYPES, years=years, tiers=["high"], technology=None, skip={}, cap=3
        )
        view.paper_institutions(["BE", "CN"], years)
    view.weighted_edges(TYPES)
    view.weighted_edges(TYPES, "openalex:A1", 3)
    view.risky_institutions(Tier.LOW)
    view.listings([HIT])
    view.links([HIT], "LISTED_ON", "out")
    list(view.name_entries(["Institution"]))
    view.named_exactly("Ghent University", ["Institution"])


def test_reads_never_write(neo4j_store: Any) -> None:
    load(neo4j_store, *tiny_graph())
    before = neo4j_store.database_version()
    assert before is not None, "the server gives bookmarks"
    _every_read(neo4j_store)
    assert neo4j_store.database_version() == before, "a read path committed a write"


def test_cache_follows_another_writer(neo4j_store: Any) -> None:
    """Another store object stands for another process: its writes reach this store's cache
    through the database's version, from the next view on."""
    load(neo4j_store, *tiny_graph())
    other = Neo4jStore(neo4j_store.driver, uri=neo4j_store.location)
    assert neo4j_store.view().risk_targets(Tier.HIGH, TYPES, None) == {HIT}
    with other.writer() as w:
        w.upsert_nodes([Node("Institution", GHENT, prov(name="Ghent University", tier="high"))])
    view = neo4j_store.view()
    assert view.risk_targets(Tier.HIGH, TYPES, None) == {HIT, GHENT}
    assert view.risk_steps(["openalex:A1"], 0, 2, Tier.HIGH, TYPES, None) == [
        ("openalex:A1", GHENT)
    ]


def test_one_build_per_change(neo4j_store: Any) -> None:
    load(neo4j_store, *tiny_graph())
    builds: list[int] = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    first = neo4j_store.view()
    assert first.memo(("test",), build) == 1
    assert first.memo(("test",), build) == 1
    assert neo4j_store.view().memo(("test",), build) == 1
    with neo4j_store.writer() as w:
        w.upsert_nodes([Node("Technology", "t:x", prov(name="X"))])
    # This process's write is seen at once, by an open view as well as by a new one.
    assert first.memo(("test",), build) == 2
    assert neo4j_store.view().memo(("test",), build) == 2
    # Another process's write is seen from the next view on; an older view then keeps its
    # own value and does not make the newer ones rebuild.
    other = Neo4jStore(neo4j_store.driver, uri=neo4j_store.location)
    with other.writer() as w:
        w.upsert_nodes([Node("Technology", "t:y", prov(name="Y"))])
    assert neo4j_store.view().memo(("test",), build) == 3
    assert first.memo(("test",), build) == 4
    assert first.memo(("test",), build) == 4
    assert neo4j_store.view().memo(("test",), build) == 3
    assert len(builds) == 4


def test_delete_relationships_by_key(neo4j_store: Any) -> None:
    load(neo4j_store, *tiny_graph())
    other_link = Relationship("MILITARY_LINK", HIT, LAB, prov(kind="supervised_by"))
    load(neo4j_store, [], [other_link])
    [military] = [
        r
        for r, _ in neo4j_store.view().neighbours(HIT, types=["MILITARY_LINK"])
        if r.props["kind"] == "defence_lab"
    ]
    with neo4j_store.writer() as w:
        gone = w.delete_relationships(
            [military.key, military.key, (HIT, "MILITARY_LINK", LAB, "no_such_kind")]
        )
    assert gone == 1
    left = [r.key for r, _ in neo4j_store.view().neighbours(HIT, types=["MILITARY_LINK"])]
    assert left == [other_link.key]
    with pytest.raises(SchemaError, match="key"), neo4j_store.writer() as w:
        w.delete_relationships([(HIT, "MILITARY_LINK", LAB)])
    with pytest.raises(SchemaError, match="KNOWS"), neo4j_store.writer() as w:
        w.delete_relationships([(HIT, "KNOWS", LAB)])
    assert neo4j_store.view().counts().relationships["MILITARY_LINK"] == 1


def test_delete_relationships_moves_the_cache(neo4j_store: Any) -> None:
    load(neo4j_store, *tiny_graph())
    view = neo4j_store.view()
    assert view.risk_steps(["openalex:A2"], 0, 2, Tier.HIGH, TYPES, None) == [("openalex:A2", LAB)]
    with neo4j_store.writer() as w:
        assert w.delete_relationships([(LAB, "PART_OF", HIT)]) == 1
    assert view.risk_steps(["openalex:A2"], 0, 2, Tier.HIGH, TYPES, None) == [
        ("openalex:A2", LAB)  # the lab is still linked to HIT by MILITARY_LINK
    ]
    with neo4j_store.writer() as w:
        keys = [r.key for r, _ in neo4j_store.view().neighbours(LAB, types=["MILITARY_LINK"])]
        assert w.delete_relationships(keys) == 1
    assert view.risk_steps(["openalex:A2"], 0, 2, Tier.HIGH, TYPES, None) == []


def test_properties_outside_the_schema_are_not_facts(neo4j_store: Any) -> None:
    """An older release stored risk_hops on the nodes; a reader never sees it."""
    load(neo4j_store, *tiny_graph())
    neo4j_store.driver.execute_query("MATCH (n:Entity) SET n.risk_hops = 1")
    assert "risk_hops" not in neo4j_store.view().get_node(HIT).props
    assert all("risk_hops" not in n.props for n in neo4j_store.view().iter_nodes())


@pytest.mark.parametrize("seed", [3, 17])
def test_hub_neighbours_kept_give_the_same_steps(
    neo4j_store: Any, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every node counted as a hub, the second search through a node reads its kept
    neighbours instead of the database: the steps must not change."""
    monkeypatch.setattr(risk_index, "HUB_MIN", 1)
    monkeypatch.setattr(risk_index, "NEAR_LIMIT", -1)  # never filter on the server
    load(neo4j_store, *random_graph(seed))
    view = neo4j_store.view()
    plain = Plain(view)
    rng = random.Random(seed)
    for years in (None, (2015, 2020)):
        dist = plain.distance(Tier.MEDIUM, TYPES, years)
        adj = plain.walkable(TYPES, years)
        frontiers = [some_ids(plain, rng) for _ in range(6)]
        for _ in range(2):
            for frontier in frontiers:
                for depth in range(3):
                    got = view.risk_steps(frontier, depth, 4, Tier.MEDIUM, TYPES, years)
                    assert got == plain.steps(frontier, depth, 4, dist, adj), (years, depth)
        index = view._risk_index(Tier.MEDIUM, tuple(TYPES), years)
        kept = [u for f in frontiers for u in f if index.hub_neighbours(u) is not None]
        assert kept, "nothing was kept"

"""queries.changes on both stores (the current graph in each; the baseline embedded, as the CLI
loads it), on the graph of tests/review/graph.py whose changes are known by construction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node
from collabgraph.queries.changes import changes

from ..factories import load
from .graph import baseline, current


@pytest.fixture
def base(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "baseline.db")
    load(store, *baseline())
    return store


def check_known_changes(found: dict[str, Any]) -> None:
    """The changes tests/review/graph.py makes, each with its evidence."""
    assert found["changed"] is True
    assert [p["id"] for p in found["new"]] == ["p:W7"]
    assert [p["id"] for p in found["retroactive"]] == ["p:W2", "p:W3"]
    assert [p["id"] for p in found["reclassified"]] == ["p:W6"]
    assert found["cleared"] == []
    w7 = found["new"][0]
    assert (w7["doi"], w7["year"], w7["title"]) == ("10.9999/W7", 2024, "Tactile <b>skins</b>")
    # The robotics lab is on the paper; HIT, which it is part of, is listed.
    assert {
        (x["partner"], x["listed_institution"], x["list"], x["tier"]) for x in w7["evidence"]
    } == {
        ("i:hitlab", "i:hit", "list:aspi", "very high"),
        ("i:hitlab", "i:hit", "list:dod", "high"),
    }
    assert not any(x["new_listing"] for x in w7["evidence"])  # the paper is new, not HIT's lists
    w2, w3 = found["retroactive"]
    assert [
        (x["partner"], x["list"], x["fiscal_year"], x["new_listing"]) for x in w2["evidence"]
    ] == [("i:nudt", "list:dod", 2022, True)]
    assert w2["year"] == 2016 and w3["year"] == 2023
    assert [(x["partner_name"], x["list_name"], x["fiscal_year"]) for x in w3["evidence"]] == [
        ("Tsinghua University", "US DoD Section 1286 list FY2025", 2025)
    ]
    w6 = found["reclassified"][0]
    assert w6["year"] == 2023 and w6["evidence"][0]["fiscal_year"] == 2022  # listed before it
    assert [(r["id"], r["papers"]) for r in found["researchers"]] == [("r:eve", ["p:W7"])]
    assert [(t["id"], t["before"], t["after"], t["new_listings"]) for t in found["tiers"]] == [
        ("i:nudt", "none", "high", ["list:dod"]),
        ("i:tsinghua", "medium", "high", ["list:dod2025"]),
    ]
    assert [
        (p["change"], p["researcher"], p["institution"], p["tier"], p["hops"])
        for p in found["paths"]
    ] == [
        ("appeared", "r:alice", "i:tsinghua", "high", 3),
        ("appeared", "r:bob", "i:nudt", "high", 3),
    ]
    assert found["counts"] == {
        "new": 1,
        "retroactive": 2,
        "reclassified": 1,
        "cleared": 0,
        "researchers": 1,
        "tiers": 2,
        "paths_appeared": 2,
        "paths_vanished": 0,
    }


def test_known_changes_on_both_stores(store: Any, base: EmbeddedStore) -> None:
    load(store, *current())
    check_known_changes(changes(base, store).as_dict())


def test_the_other_way_round_clears_and_vanishes(store: Any, tmp_path: Path) -> None:
    # The current graph as the baseline and the old one as now: what was high-risk is cleared.
    before = EmbeddedStore(tmp_path / "now.db")
    load(before, *current())
    load(store, *baseline())
    found = changes(before, store)
    # W7 is gone, so it is no longer high-risk either.
    assert [p.id for p in found.with_status("cleared")] == ["p:W2", "p:W3", "p:W6", "p:W7"]
    w7 = found.with_status("cleared")[-1]
    assert (w7.year, w7.evidence[0].listing.institution) == (2024, "i:hit")
    assert found.with_status("new") == found.with_status("retroactive") == []
    assert [(p.change, p.researcher, p.institution) for p in found.paths] == [
        ("vanished", "r:alice", "i:tsinghua"),
        ("vanished", "r:bob", "i:nudt"),
    ]
    assert [(t.id, t.before, t.after) for t in found.tiers] == [
        ("i:nudt", "high", "none"),
        ("i:tsinghua", "high", "medium"),
    ]
    assert found.researchers == []  # only researchers who gained findings are reported


def test_no_change_against_itself(store: Any, tmp_path: Path) -> None:
    load(store, *current())
    same = EmbeddedStore(tmp_path / "same.db")
    load(same, *current())
    found = changes(same, store)
    assert found.changed is False and found.counts() == dict.fromkeys(found.counts(), 0)


def test_options_change_what_counts(store: Any, base: EmbeddedStore) -> None:
    load(store, *current())
    # At "very high" only HIT counts: W7 is new, nothing else became high-risk.
    found = changes(base, store, min_tier="very high", max_hops=2)
    assert [(p.status, p.id) for p in found.papers] == [("new", "p:W7")]
    assert found.paths == []  # no very-high institution within 2 hops of a home author
    assert found.parameters["max_hops"] == 2 and found.parameters["min_tier"] == "very high"


def test_no_path_pair_walks_down_to_a_listed_unit(store: Any, tmp_path: Path) -> None:
    from ..queries.test_paths_direction import _graph

    nodes, rels = _graph()
    listed = [r for r in rels if r.type == "LISTED_ON"]
    before = EmbeddedStore(tmp_path / "before.db")
    unlisted = [
        Node(n.label, n.id, {k: v for k, v in n.props.items() if k != "tier"}) for n in nodes
    ]
    load(before, unlisted, [r for r in rels if r.type != "LISTED_ON"])
    load(store, nodes, rels)
    found = changes(before, store, max_hops=5).as_dict()
    appeared = [(p["researcher"], p["institution"]) for p in found["paths"]]
    # Only the listed parent of a unit is reached; the academy's listed institute, the listed
    # sibling and the deep lab are each a step down.
    assert [pair for pair in appeared if pair[0] == "r:us"] == [("r:us", "i:upuni")]
    assert len(listed) == 4

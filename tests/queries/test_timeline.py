"""timeline on the hand-built graph (both stores) and on the bundled sample, counted by hand."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.records import Node, Relationship
from collabgraph.queries.timeline import timeline

from ..factories import load, prov
from .graph import affiliated, authored, inst, load_graph, paper, researcher
from .timeline_hand import institution_count, researcher_count

HIT = "Harbin Institute of Technology"


def extra() -> tuple[list[Node], list[Relationship]]:
    """On top of tests/queries/graph.py: a unit two levels under HIT (Gao, W8 2018 with Alice:
    before HIT's listings), Alice's solo W7 2020, and W9 2019 with Chen whose lab affiliation
    does not list W9 (so no Chinese institution is on W9)."""
    nodes = [
        inst("i:hitsub", "HIT Micro-robotics Group", "CN"),
        researcher("r:gao", "Gao Yan"),
        paper("p:W7", "Soil moisture", 2020),
        paper("p:W8", "Tiny grippers", 2018),
        paper("p:W9", "Unrelated note", 2019),
    ]
    rels = [
        Relationship("PART_OF", "i:hitsub", "i:hitlab", prov(method="ror")),
        authored("r:alice", "p:W7", 2020),
        authored("r:alice", "p:W8", 2018),
        authored("r:gao", "p:W8", 2018),
        authored("r:alice", "p:W9", 2019),
        authored("r:chen", "p:W9", 2019),
        affiliated("r:alice", "i:kul", [("p:W7", 2020), ("p:W8", 2018), ("p:W9", 2019)]),
        affiliated("r:gao", "i:hitsub", [("p:W8", 2018)]),
    ]
    return nodes, rels


def graph(store: Any) -> None:
    load_graph(store)
    load(store, *extra())


def row(year: int, papers: int, joint: int, high: int, before: int) -> dict[str, int]:
    return {
        "year": year,
        "papers": papers,
        "joint": joint,
        "high_risk": high,
        "before_listing": before,
    }


def marks(found: Any) -> list[tuple[int | None, str, str, str]]:
    return [(m["year"], m["list"], m["tier"], m["institution"]) for m in found.listings]


ASPI_HIT = (2019, "list:aspi", "very high", "i:hit")
DOD_HIT = (2024, "list:dod", "high", "i:hit")
DOD_NUDT = (2022, "list:dod", "high", "i:nudt")


def test_a_researcher_per_year_with_before_listing_and_marks(store: Any) -> None:
    graph(store)
    alice = timeline(store, "r:alice")
    # W8 2018 through a unit two levels under HIT, before its 2019 and 2024 listings; W9 and
    # W7 have no Chinese institution on them; W1 2021 HIT lab; W3 2023 Tsinghua (medium).
    assert alice.rows == [
        row(2018, 1, 1, 1, 1),
        row(2019, 1, 0, 0, 0),
        row(2020, 1, 0, 0, 0),
        row(2021, 1, 1, 1, 0),
        row(2023, 1, 1, 0, 0),
    ], alice.rows
    assert marks(alice) == [ASPI_HIT, DOD_HIT]
    assert alice.listings[0]["institution_name"] == HIT
    assert alice.listings[0]["list_name"] == "ASPI China Defence Universities Tracker"
    assert alice.node == {"id": "r:alice", "label": "Researcher", "name": "Alice Janssens"}
    bob = timeline(store, "r:bob")
    assert bob.rows == [row(2016, 1, 1, 1, 1), row(2023, 2, 2, 2, 0)], bob.rows
    assert marks(bob) == [ASPI_HIT, DOD_NUDT, DOD_HIT]


def test_an_institution_counts_its_units_any_depth(store: Any) -> None:
    graph(store)
    hit = timeline(store, "i:hit")
    # W8 (the unit two levels down), W1 and W4 (the lab); not W9 (no evidence for it).
    assert hit.rows == [row(2018, 1, 1, 1, 1), row(2021, 1, 1, 1, 0), row(2023, 1, 1, 1, 0)]
    assert hit.parameters["units"] == ["i:hitlab", "i:hitsub"]
    assert marks(hit) == [ASPI_HIT, DOD_HIT]
    # The unit alone: its own paper, and the listings of what it is part of.
    sub = timeline(store, "i:hitsub")
    assert sub.rows == [row(2018, 1, 1, 1, 1)] and sub.parameters["units"] == []
    assert marks(sub) == [ASPI_HIT, DOD_HIT]
    ugent = timeline(store, "i:ugent")
    assert ugent.rows == [row(2016, 1, 1, 1, 1), row(2022, 1, 1, 0, 0), row(2023, 2, 2, 2, 0)]
    assert marks(ugent) == [ASPI_HIT, DOD_NUDT, DOD_HIT]
    nudt = timeline(store, "i:nudt")
    assert nudt.rows == [row(2016, 1, 1, 1, 1), row(2023, 1, 1, 1, 0)]
    assert marks(nudt) == [DOD_NUDT]


def test_tier_floor_window_and_countries(store: Any) -> None:
    graph(store)
    very = timeline(store, "r:bob", min_tier="very high")
    assert very.rows == [row(2016, 1, 1, 0, 0), row(2023, 2, 2, 1, 0)], very.rows
    assert marks(very) == [ASPI_HIT]
    medium = timeline(store, "r:alice", min_tier="medium")
    assert medium.rows[-1] == row(2023, 1, 1, 1, 0)  # Tsinghua's FY2023 listing: not before
    assert (2023, "list:dod", "medium", "i:tsinghua") in marks(medium)
    window = timeline(store, "r:alice", years=(2020, 2023))
    assert [r["year"] for r in window.rows] == [2020, 2021, 2023]
    assert window.parameters["years"] == [2020, 2023]
    other = timeline(store, "r:alice", home="be", partner="US")
    assert [r["joint"] for r in other.rows] == [0, 0, 0, 0, 0] and other.listings == []
    assert other.parameters["partner"] == "US"


def test_bad_nodes_and_tiers(store: Any) -> None:
    graph(store)
    with pytest.raises(NodeNotFound, match="no node has id 'r:nobody'"):
        timeline(store, "r:nobody")
    with pytest.raises(CollabgraphError, match="researcher or an institution; 'p:W1' is a Paper"):
        timeline(store, "p:W1")
    with pytest.raises(CollabgraphError, match="minimum tier"):
        timeline(store, "r:bob", min_tier="none")


def test_both_stores_agree(embedded_store: Any, neo4j_store: Any) -> None:
    graph(embedded_store)
    graph(neo4j_store)
    for node in ("r:alice", "r:bob", "r:chen", "i:hit", "i:hitsub", "i:ugent", "i:kul"):
        for options in ({}, {"min_tier": "medium"}, {"years": (2018, 2021)}):
            assert (
                timeline(embedded_store, node, **options).as_dict()
                == timeline(neo4j_store, node, **options).as_dict()
            ), (node, options)


def _as_hand(found: Any) -> dict[str, Any]:
    rows = {r["year"]: {k: v for k, v in r.items() if k != "year" and v} for r in found.rows}
    return {"rows": rows, "listing_years": sorted({m["year"] for m in found.listings})}


@pytest.mark.slow
def test_sample_researcher_by_hand(sample: Any) -> None:  # noqa: F811
    # Jan A. Staessen (KU Leuven): eight works; four with Shanghai Jiao Tong University, on
    # §1286 only from FY2025, so all four are before listing.
    researcher_id = _researcher(sample, "Jan A. Staessen", "KU Leuven")
    found = timeline(sample, researcher_id)
    hand = researcher_count("Jan A. Staessen (KU Leuven)")
    assert _as_hand(found) == hand, (_as_hand(found), hand)
    assert sum(r["papers"] for r in found.rows) == 8
    assert [r["year"] for r in found.rows if r["before_listing"]] == [2008, 2010, 2011, 2019]
    assert [(m["year"], m["institution_name"]) for m in found.listings] == [
        (2025, "Shanghai Jiao Tong University")
    ]


@pytest.mark.slow
def test_sample_institution_by_hand(sample: Any) -> None:  # noqa: F811
    # Harbin Institute of Technology and its three ROR child laboratories: three works,
    # 2014-2016, all before ASPI (2020) and §1286 (FY2022-FY2025).
    found = timeline(sample, "ror:01yqg2h08")
    hand = institution_count("01yqg2h08")
    assert _as_hand(found) == hand, (_as_hand(found), hand)
    assert hand["listing_years"] == [2020, 2022, 2023, 2024, 2025]
    assert [r["year"] for r in found.rows] == [2014, 2015, 2016]
    assert all(r["before_listing"] == 1 for r in found.rows)
    assert len(found.parameters["units"]) == 3


def _researcher(store: Any, name: str, institution: str) -> str:
    """The researcher of that name affiliated with that institution."""
    view = store.view()
    ids = view.named_exactly(name, ["Researcher"])
    for rid in ids:
        names = {n.props.get("name") for _, n in view.neighbours(rid, types=["AFFILIATED_WITH"])}
        if institution in names:
            return rid
    raise AssertionError(f"no {name} at {institution} among {ids}")

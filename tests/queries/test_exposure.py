"""exposure on the hand-built graph: scores worked out by hand from the default weights."""

from __future__ import annotations

from typing import Any

import pytest

from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.queries.exposure import exposure

from .graph import load_graph

# Defaults: AFFILIATED_WITH 1.0, PART_OF 0.9, MILITARY_LINK 0.8, AUTHORED 0.7, decay 0.5 per
# hop after the first; risk very high 1.0, high 0.75, medium 0.5.
CHEN = 1.0 * (1.0 * 0.9 * 0.5) + 0.75 * (1.0 * 0.9 * 0.8 * 0.25)  # HIT via lab, NUDT via HIT
ALICE = 0.5 * (0.7 * 0.7 * 1.0 * 0.25) + 1.0 * (0.7 * 0.7 * 1.0 * 0.9 * 0.125)  # Tsinghua, HIT
DAI = 0.75 * 1.0 + 1.0 * (1.0 * 0.8 * 0.5)  # NUDT directly, HIT through NUDT


def test_single_scores(store: Any) -> None:
    load_graph(store)
    (chen,) = exposure(store, "r:chen")
    assert chen.score == pytest.approx(CHEN), chen
    best = chen.top_paths[0].as_dict()
    assert best == {
        "target": "i:hit",
        "target_name": "Harbin Institute of Technology",
        "tier": "very high",
        "contribution": 0.45,
        "length": 2,
        "nodes": ["r:chen", "i:hitlab", "i:hit"],
        "types": ["AFFILIATED_WITH", "PART_OF"],
    }
    (alice,) = exposure(store, "r:alice")
    assert alice.score == pytest.approx(ALICE)
    assert [c.target for c in alice.top_paths] == ["i:tsinghua", "i:hit"]
    (eve,) = exposure(store, "r:eve")
    assert eve.score == 0 and eve.top_paths == ()


def test_ranking(store: Any) -> None:
    load_graph(store)
    ranked = exposure(store, top=4)
    assert [(e.id, round(e.score, 6)) for e in ranked] == [
        ("r:dai", round(DAI, 6)),
        ("r:chen", round(CHEN, 6)),
        ("r:wang", 0.5),
        ("r:bob", round(0.75 * 0.7 * 0.7 * 0.25 + 1.0 * 0.7 * 0.7 * 0.9 * 0.125, 6)),
    ], ranked
    institutions = exposure(store, top=2, labels=["Institution"])
    assert [e.id for e in institutions] == ["i:hitlab", "i:nudt"]
    # The whole-graph ranking and the single-node query agree.
    assert exposure(store, "r:dai")[0].as_dict() == ranked[0].as_dict()


def test_weights_are_configurable(store: Any) -> None:
    load_graph(store)
    assert exposure(store, "r:alice", weights={"AUTHORED": 0})[0].score == 0
    (chen,) = exposure(store, "r:chen", weights={"PART_OF": 0.5}, min_tier="very high")
    # Now the MILITARY_LINK hop (0.8) beats PART_OF (0.5) to HIT; NUDT (high) is left out.
    assert chen.score == pytest.approx(0.4)
    assert chen.top_paths[0].types == ("AFFILIATED_WITH", "MILITARY_LINK")
    with pytest.raises(CollabgraphError, match="outside"):
        exposure(store, "r:chen", weights={"AUTHORED": 2})
    with pytest.raises(CollabgraphError, match="no exposure weight"):
        exposure(store, "r:chen", weights={"CONCERNS": 1})
    with pytest.raises(NodeNotFound):
        exposure(store, "r:nobody")


def test_both_stores_agree(embedded_store: Any, neo4j_store: Any) -> None:
    load_graph(embedded_store)
    load_graph(neo4j_store)
    for options in ({}, {"max_hops": 2}, {"labels": ["Institution", "Researcher"], "top": 50}):
        here = [e.as_dict() for e in exposure(embedded_store, **options)]
        there = [e.as_dict() for e in exposure(neo4j_store, **options)]
        assert here == there, options
    for node in ("r:alice", "r:bob", "i:kul", "i:hit"):
        assert (
            exposure(embedded_store, node)[0].as_dict() == exposure(neo4j_store, node)[0].as_dict()
        )

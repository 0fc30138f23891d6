"""The exposure graph kept in the store's cache: reused while nothing changes, rebuilt on writes."""

from __future__ import annotations

from typing import Any

from collabgraph.graph.records import Relationship
from collabgraph.queries.exposure import DEFAULT_DECAY, check_weights, exposure
from collabgraph.queries.exposure_graph import exposure_graph

from ..factories import prov
from .graph import affiliated, load_graph

DEFAULTS = check_weights(None, DEFAULT_DECAY)


def _ranking(store: Any) -> list[dict[str, Any]]:
    return [e.as_dict() for e in exposure(store, top=100)]


def _whole(store: Any, weights: Any = DEFAULTS) -> Any:
    return exposure_graph(store.view(), weights, around=None, hops=4)


def test_reused_until_a_write(store: Any) -> None:
    load_graph(store)
    first = _whole(store)
    assert _whole(store) is first
    other = _whole(store, check_weights({"CO_AUTHORED": 0.5}, 0.5))
    assert other is not first and len(other.csr.types) == len(first.csr.types) + 1
    # A write that adds no node (Eve joins HIT) still refreshes it.
    with store.writer() as w:
        w.upsert_relationships([affiliated("r:eve", "i:hit", [])])
    assert _whole(store) is not first


def test_ranking_follows_list_changes(store: Any) -> None:
    load_graph(store)
    before = _ranking(store)
    assert "r:zhou" not in [e["id"] for e in before]
    # Zhejiang University gets listed: Zhou (and Eve, through a paper) now rank.
    with store.writer() as w:
        rel = Relationship("LISTED_ON", "i:zju", "list:dod", prov(tier="high", as_of="2025"))
        w.upsert_relationships([rel])
    after = _ranking(store)
    assert after != before
    assert "r:zhou" in [e["id"] for e in after], after


def test_one_node_from_the_ball_equals_the_whole_graph(store: Any) -> None:
    load_graph(store)
    single = [exposure(store, n.id)[0] for n in store.view().iter_nodes()]
    ranked = {e.id: e for e in exposure(store, top=1000, labels=("Researcher", "Institution"))}
    for one in single:
        if one.id in ranked:
            assert one.as_dict() == ranked[one.id].as_dict(), one.id

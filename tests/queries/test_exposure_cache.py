"""The embedded store's cached exposure graph: reused while nothing changes, rebuilt on writes."""

from __future__ import annotations

from typing import Any

from collabgraph.graph.records import Relationship
from collabgraph.queries import exposure_graph
from collabgraph.queries.exposure import DEFAULT_DECAY, check_weights, exposure

from ..factories import prov
from .graph import affiliated, load_graph

DEFAULTS = check_weights(None, DEFAULT_DECAY)


def _ranking(store: Any) -> list[dict[str, Any]]:
    return [e.as_dict() for e in exposure(store, top=100)]


def test_reused_until_a_write(embedded_store: Any) -> None:
    load_graph(embedded_store)
    first = exposure_graph.embedded(embedded_store, DEFAULTS)
    assert exposure_graph.embedded(embedded_store, DEFAULTS) is first
    assert exposure_graph.cached(embedded_store, DEFAULTS) is first
    other = exposure_graph.embedded(embedded_store, check_weights({"CO_AUTHORED": 0.5}, 0.5))
    assert other is not first and len(other.csr.types) == len(first.csr.types) + 1
    # A write that adds no node (Eve joins HIT) still refreshes it: the saved file changed.
    with embedded_store.writer() as w:
        w.upsert_relationships([affiliated("r:eve", "i:hit", [])])
    assert exposure_graph.cached(embedded_store, DEFAULTS) is None
    assert exposure_graph.embedded(embedded_store, DEFAULTS) is not first


def test_ranking_follows_list_changes(embedded_store: Any) -> None:
    load_graph(embedded_store)
    before = _ranking(embedded_store)
    assert "r:zhou" not in [e["id"] for e in before]
    # Zhejiang University gets listed: Zhou (and Eve, through a paper) now rank.
    with embedded_store.writer() as w:
        rel = Relationship("LISTED_ON", "i:zju", "list:dod", prov(tier="high", as_of="2025"))
        w.upsert_relationships([rel])
    after = _ranking(embedded_store)
    assert after != before
    assert "r:zhou" in [e["id"] for e in after], after
    exposure_graph.invalidate(embedded_store.graph)
    assert _ranking(embedded_store) == after  # the same as from a cache built from scratch


def test_one_node_from_cache_or_ball(embedded_store: Any) -> None:
    load_graph(embedded_store)
    cold = [exposure(embedded_store, n.id)[0].as_dict() for n in embedded_store.view().iter_nodes()]
    exposure(embedded_store)  # builds the cache; single-node queries now use it
    assert exposure_graph.cached(embedded_store, DEFAULTS) is not None
    warm = [exposure(embedded_store, n.id)[0].as_dict() for n in embedded_store.view().iter_nodes()]
    assert warm == cold

"""The pruned embedded paths_to_risk against the plain reference search, on random graphs."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship
from collabgraph.queries import paths as paths_module
from collabgraph.queries.paths import paths_to_risk

from ..factories import load, prov
from .paths_reference import plain_search

TIERS = ["low", "medium", "high", "very high"]
TYPES = ["AUTHORED", "AFFILIATED_WITH", "PART_OF", "MILITARY_LINK", "CO_AUTHORED"]


def random_graph(rng: random.Random) -> tuple[list[Node], list[Relationship]]:
    """A small dense graph with parallel relationships, year gaps and mixed tiers."""
    researchers = [f"r:{i:02d}" for i in range(rng.randint(6, 14))]
    papers = {f"p:{i:02d}": rng.randint(2010, 2024) for i in range(rng.randint(4, 12))}
    institutions = [f"i:{i:02d}" for i in range(rng.randint(3, 8))]
    nodes = [Node("Researcher", r, prov(name=r)) for r in researchers]
    nodes += [Node("Paper", p, prov(title=p, year=y)) for p, y in papers.items()]
    for i in institutions:
        extra = {"tier": rng.choice(TIERS)} if rng.random() < 0.2 else {}
        nodes.append(Node("Institution", i, prov(name=i, country="CN", **extra)))
    nodes += [Node("RiskList", f"list:{n}", prov(name=f"List {n}")) for n in "ab"]
    rels: list[Relationship] = []
    for p, year in papers.items():
        for r in rng.sample(researchers, rng.randint(1, 4)):
            rels.append(Relationship("AUTHORED", r, p, prov(year=year)))
    for r in researchers:
        for i in rng.sample(institutions, rng.randint(0, 2)):
            years = sorted(rng.sample(range(2010, 2025), rng.randint(0, 3)))
            rels.append(Relationship("AFFILIATED_WITH", r, i, prov(years=years)))
    for _ in range(rng.randint(0, 4)):
        a, b = rng.sample(institutions, 2)
        rels.append(Relationship("PART_OF", a, b, prov(method="ror")))
    for _ in range(rng.randint(0, 5)):
        a, b = rng.sample(institutions, 2)
        kind = rng.choice(["defence_lab", "supervised_by"])
        rels.append(Relationship("MILITARY_LINK", a, b, prov(kind=kind)))
    for _ in range(rng.randint(0, 6)):
        a, b = sorted(rng.sample(researchers, 2))
        first = rng.randint(2010, 2024)
        rels.append(
            Relationship(
                "CO_AUTHORED",
                a,
                b,
                prov(papers=1, first_year=first, last_year=rng.randint(first, 2024)),
            )
        )
    for i in rng.sample(institutions, rng.randint(1, len(institutions))):
        for lst in rng.sample(["list:a", "list:b"], rng.randint(1, 2)):
            tier = rng.choice(TIERS)
            as_of = f"{rng.randint(2012, 2024)}-06-30"
            rels.append(Relationship("LISTED_ON", i, lst, prov(tier=tier, as_of=as_of)))
    return nodes, rels


def reference(store: Any, source: str, **options: Any) -> list[dict[str, Any]]:
    """The answers of the unpruned search (the implementation before the distance index)."""
    saved = paths_module._search
    paths_module._search = plain_search
    try:
        return [p.as_dict() for p in paths_to_risk(store, source, **options)]
    finally:
        paths_module._search = saved


def fast(store: Any, source: str, **options: Any) -> list[dict[str, Any]]:
    return [p.as_dict() for p in paths_to_risk(store, source, **options)]


def random_options(rng: random.Random) -> dict[str, Any]:
    options: dict[str, Any] = {
        "max_hops": rng.randint(1, 6),
        "min_tier": rng.choice(TIERS),
        "k": rng.randint(1, 3),
        "limit": rng.randint(1, 12),
    }
    if rng.random() < 0.5:
        options["rel_types"] = rng.sample(TYPES, rng.randint(1, len(TYPES)))
    if rng.random() < 0.5:
        lo = rng.choice([None, rng.randint(2010, 2024)])
        hi = rng.choice([None, rng.randint(lo or 2010, 2024)])
        options["years"] = (lo, hi)
    return options


@pytest.mark.parametrize("block", range(4))
def test_fast_matches_reference_on_random_graphs(tmp_path: Path, block: int) -> None:
    compared = 0
    for seed in range(block * 15, block * 15 + 15):
        rng = random.Random(seed)
        store = EmbeddedStore(tmp_path / f"graph-{seed}.db")
        nodes, rels = random_graph(rng)
        load(store, nodes, rels)
        sources = [n.id for n in nodes if n.label != "RiskList"]
        for _ in range(12):
            options = random_options(rng)
            for source in rng.sample(sources, min(6, len(sources))):
                expected = reference(store, source, **options)
                assert fast(store, source, **options) == expected, (seed, source, options)
                compared += bool(expected)
    # Most queries must find paths, or the comparison would prove little.
    assert compared >= 200, compared


def test_new_listing_refreshes_the_index(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.db")
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:x", prov(name="X", country="CN")),
        Node("RiskList", "list:a", prov(name="List a")),
    ]
    load(store, nodes, [Relationship("AFFILIATED_WITH", "r:a", "i:x", prov(years=[2020]))])
    assert fast(store, "r:a") == []
    listed = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="high", as_of="2021-01-01"))
    load(store, [], [listed])
    found = fast(store, "r:a")
    assert [[n["id"] for n in p["nodes"]] for p in found] == [["r:a", "i:x", "list:a"]]


def test_an_in_place_tier_change_refreshes_the_index(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.db")
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:x", prov(name="X", country="CN")),
        Node("RiskList", "list:a", prov(name="List a")),
    ]
    low = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="low", as_of="2021-01-01"))
    affiliated = Relationship("AFFILIATED_WITH", "r:a", "i:x", prov(years=[2020]))
    load(store, nodes, [affiliated, low])
    assert fast(store, "r:a") == []
    high = Relationship("LISTED_ON", "i:x", "list:a", prov(tier="high", as_of="2021-01-01"))
    load(store, [], [high])  # no node or relationship more: the saved file tells the change
    assert len(fast(store, "r:a")) == 1
    assert fast(store, "r:a") == reference(store, "r:a")


def test_early_stop_keeps_the_limit_th_path(tmp_path: Path) -> None:
    """Many near targets and one far one: the far one only counts when the limit allows."""
    store = EmbeddedStore(tmp_path / "graph.db")
    near = [f"i:n{i}" for i in range(3)]
    nodes = [
        Node("Researcher", "r:a", prov(name="A")),
        Node("Institution", "i:far", prov(name="Far", country="CN", tier="high")),
        Node("Institution", "i:mid", prov(name="Mid", country="CN")),
    ]
    nodes += [Node("Institution", i, prov(name=i, country="CN", tier="high")) for i in near]
    rels = [Relationship("AFFILIATED_WITH", "r:a", i, prov(years=[2020])) for i in near]
    rels.append(Relationship("AFFILIATED_WITH", "r:a", "i:mid", prov(years=[2020])))
    rels.append(Relationship("PART_OF", "i:mid", "i:far", prov(method="ror")))
    load(store, nodes, rels)
    for limit in (2, 3, 4, 5):
        found = fast(store, "r:a", limit=limit)
        assert found == reference(store, "r:a", limit=limit)
    assert [p["nodes"][-1]["id"] for p in fast(store, "r:a", limit=4)][-1] == "i:far"
    assert "i:far" not in [p["nodes"][-1]["id"] for p in fast(store, "r:a", limit=3)]

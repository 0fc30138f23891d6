"""Small graphs for the workbench tests: the tiny graph plus a hostile name and a hub."""

from __future__ import annotations

from pathlib import Path

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.records import Node, Relationship

from ..factories import load, prov, tiny_graph

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ID = "openalex:A666"
HUB_PAPERS = 8


def workbench_graph() -> tuple[list[Node], list[Relationship]]:
    """tiny_graph, a co-author named like an HTML payload, and Ann with several more papers."""
    nodes, rels = tiny_graph()
    nodes.append(Node("Researcher", XSS_ID, prov(name=XSS_NAME, source_record="A666")))
    rels.append(Relationship("AUTHORED", XSS_ID, "openalex:W1", prov(year=2021)))
    rels.append(
        Relationship(
            "AFFILIATED_WITH",
            XSS_ID,
            "ror:01yqg2h08",
            prov(years=[2021], evidence_papers=["openalex:W1"], method="ror_id", score=1.0),
        )
    )
    # A co-authorship puts the hostile name in Ann's one-hop neighbourhood.
    rels.append(
        Relationship(
            "CO_AUTHORED",
            "openalex:A1",
            XSS_ID,
            prov(papers=1, first_year=2021, last_year=2021, method="derived"),
        )
    )
    for i in range(HUB_PAPERS):
        paper = f"openalex:W10{i}"
        nodes.append(Node("Paper", paper, prov(title=f"Robot study {i}", year=2015 + i)))
        rels.append(Relationship("AUTHORED", "openalex:A1", paper, prov(year=2015 + i)))
    return nodes, rels


def write_store(path: Path) -> EmbeddedStore:
    store = EmbeddedStore(path)
    nodes, rels = workbench_graph()
    load(store, nodes, rels)
    return store

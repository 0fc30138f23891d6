"""A baseline and a current graph, built on tests/queries/graph.py, with known changes.

From the baseline to now:
* NUDT gets its DoD listing (FY2022, first seen 2025-03-01): W2 (2016, Bob+Dai) becomes
  high-risk retroactively, W6 (2023, Bob+Dai) is reclassified; NUDT goes from none to high.
* Tsinghua is listed high on the FY2025 DoD list (first seen 2024-01-01, before its fiscal
  year): W3 (2023, Alice+Wang) becomes high-risk retroactively; Tsinghua goes medium → high.
* A new paper W7 (2024, Eve+Chen of the HIT robotics lab, PART_OF HIT), first seen
  2025-03-01: new, and Eve becomes a new researcher with findings.
* Paths (3 hops) appear from Bob to NUDT (via W2, Dai) and from Alice to Tsinghua (via W3, Wang).
"""

from __future__ import annotations

from dataclasses import replace

from collabgraph.graph.records import Node, Relationship

from ..factories import prov
from ..queries.graph import build, paper

LATER = {"first_seen": "2025-03-01", "last_seen": "2025-03-01", "source_version": "2025-03-01"}
NUDT_LISTING = ("LISTED_ON", "i:nudt", "list:dod")


def current(eve_name: str = "Eve Claes") -> tuple[list[Node], list[Relationship]]:
    """The graph now (``eve_name`` lets a test give Eve a hostile name)."""
    nodes, rels = build()
    nodes = [
        replace(n, props={**n.props, "name": eve_name}) if n.id == "r:eve" else n for n in nodes
    ]
    nodes += [
        Node("Paper", "p:W7", {**paper("p:W7", "Tactile <b>skins</b>", 2024).props, **LATER}),
        Node("RiskList", "list:dod2025", prov(name="US DoD Section 1286 list FY2025")),
    ]
    out: list[Relationship] = []
    for rel in rels:
        if (rel.type, rel.start, rel.end) == NUDT_LISTING:
            rel = replace(rel, props={**rel.props, **LATER})
        elif rel.type == "AFFILIATED_WITH" and rel.start in ("r:eve", "r:chen"):
            papers = [*rel.props["evidence_papers"], "p:W7"]
            years = sorted({*rel.props["years"], 2024})
            rel = replace(rel, props={**rel.props, "evidence_papers": papers, "years": years})
        out.append(rel)
    out += [
        Relationship("AUTHORED", "r:eve", "p:W7", {**prov(year=2024), **LATER}),
        Relationship("AUTHORED", "r:chen", "p:W7", {**prov(year=2024), **LATER}),
        Relationship(
            "LISTED_ON",
            "i:tsinghua",
            "list:dod2025",
            prov(tier="high", category="Section 1286", as_of="2025", fiscal_year=2025),
        ),
    ]
    return nodes, out


def baseline() -> tuple[list[Node], list[Relationship]]:
    """The graph before: no NUDT listing (nor NUDT tier), no Tsinghua FY2025, no W7."""
    nodes, rels = build()
    nodes = [
        replace(n, props={k: v for k, v in n.props.items() if k != "tier"})
        if n.id == "i:nudt"
        else n
        for n in nodes
    ]
    return nodes, [r for r in rels if (r.type, r.start, r.end) != NUDT_LISTING]
